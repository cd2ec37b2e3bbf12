import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Points (积分制): the co-governance list (共治清单), one balance row per resident, the
 * append-only ledger, the reward catalogue (积分超市) and redemptions.
 */
export class Points1764310000000 implements MigrationInterface {
  name = 'Points1764310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE points_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid REFERENCES site (id),
        region_code varchar(6) NOT NULL REFERENCES region (code),
        action text NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
        event text CHECK (event IN ('activity.attended', 'service.verified', 'training.completed',
          'micro_issue.resolved')),
        points int NOT NULL CHECK (points BETWEEN 1 AND 100000),
        daily_cap int CHECK (daily_cap > 0),
        monthly_cap int CHECK (monthly_cap > 0),
        expires_after_days int CHECK (expires_after_days BETWEEN 1 AND 3660),
        active boolean NOT NULL DEFAULT true,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz
      )`);
    await q.query(
      `COMMENT
       ON TABLE points_rule IS '共治清单: an action that earns points, for one site (site_id) or a whole county ` +
        `(site_id NULL)'`,
    );
    // One active rule per proving event and place: a site rule overrides the county's.
    await q.query(
      `CREATE UNIQUE INDEX points_rule_one_per_event
       ON points_rule (region_code, coalesce(site_id, '00000000-0000-0000-0000-000000000000'::uuid), event) WHERE active
         AND event IS NOT NULL`,
    );
    await q.query(`CREATE INDEX points_rule_site ON points_rule (site_id)`);

    await q.query(`
      CREATE TABLE points_account (
        resident_id uuid PRIMARY KEY REFERENCES resident (id),
        balance int NOT NULL DEFAULT 0 CHECK (balance >= 0),
        score int NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `COMMENT
       ON COLUMN points_account.balance IS 'Always the sum of the resident''s points_entry rows; changed only ` +
        `in the transaction that appends one'`,
    );
    await q.query(
      `COMMENT
       ON COLUMN points_account.score IS 'Participation score for rankings: credits + grants + deductions ` +
        `(not redemptions, refunds or expiry)'`,
    );

    await q.query(`
      CREATE TABLE points_reward (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES site (id),
        region_code varchar(6) NOT NULL,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        description text,
        kind text NOT NULL CHECK (kind IN ('goods', 'service', 'privilege')),
        price int NOT NULL CHECK (price BETWEEN 1 AND 1000000),
        stock int NOT NULL CHECK (stock >= 0),
        active boolean NOT NULL DEFAULT true,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (site_id, name)
      )`);

    await q.query(`
      CREATE TABLE points_redemption (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reward_id uuid NOT NULL REFERENCES points_reward (id),
        resident_id uuid NOT NULL REFERENCES points_account (resident_id),
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        points int NOT NULL CHECK (points > 0),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fulfilled', 'cancelled')),
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        settled_by text,
        settled_at timestamptz,
        cancel_reason text
      )`);
    await q.query(`CREATE INDEX points_redemption_site ON points_redemption (site_id, requested_at DESC, id)`);
    await q.query(`CREATE INDEX points_redemption_resident ON points_redemption (resident_id, requested_at DESC)`);

    await q.query(`
      CREATE TABLE points_entry (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        resident_id uuid NOT NULL REFERENCES points_account (resident_id),
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        kind text NOT NULL CHECK (kind IN ('credit', 'grant', 'deduct', 'expire', 'redeem', 'refund')),
        points int NOT NULL,
        balance_after int NOT NULL CHECK (balance_after >= 0),
        rule_id uuid REFERENCES points_rule (id),
        source_event_id uuid UNIQUE,
        source_event text,
        redemption_id uuid REFERENCES points_redemption (id),
        reason text,
        actor text,
        capped boolean NOT NULL DEFAULT false,
        occurred_at timestamptz NOT NULL,
        expires_at timestamptz,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind IN ('credit', 'grant', 'refund') AND points >= 0)
          OR (kind IN ('deduct', 'expire', 'redeem') AND points < 0)),
        CHECK (kind <> 'credit' OR source_event_id IS NOT NULL),
        CHECK (kind NOT IN ('grant', 'deduct') OR (reason IS NOT NULL AND actor IS NOT NULL))
      )`);
    await q.query(
      `COMMENT
       ON TABLE points_entry IS 'The points ledger: append-only (a trigger refuses UPDATE, DELETE and ` +
        `TRUNCATE). A credit names its source event, unique: an event credits at most once.'`,
    );
    await q.query(`CREATE INDEX points_entry_resident ON points_entry (resident_id, id)`);
    await q.query(
      `CREATE INDEX points_entry_cap ON points_entry (resident_id, rule_id, occurred_at) WHERE rule_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX points_entry_expiring ON points_entry (expires_at, resident_id) WHERE expires_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX points_entry_site_time ON points_entry (site_id, occurred_at)`);
    await q.query(
      `CREATE UNIQUE INDEX points_entry_one_per_redemption ON points_entry (redemption_id, kind)
       WHERE redemption_id IS NOT NULL`,
    );
    await q.query(`
      CREATE FUNCTION points_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'points_entry is append-only: correct a balance with a new entry';
      END $$`);
    await q.query(
      `CREATE TRIGGER points_entry_no_update BEFORE UPDATE OR DELETE
       ON points_entry FOR EACH ROW EXECUTE FUNCTION points_entry_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER points_entry_no_truncate BEFORE TRUNCATE
       ON points_entry FOR EACH STATEMENT EXECUTE FUNCTION points_entry_append_only()`,
    );
    // The runtime role (from the audit-log migration), when it exists, may only append to the ledger.
    await q.query(`DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'governance_app') THEN
          REVOKE UPDATE, DELETE, TRUNCATE ON points_entry FROM governance_app;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE points_entry; DROP FUNCTION points_entry_append_only(); DROP TABLE points_redemption;
       DROP TABLE points_reward; DROP TABLE points_account; DROP TABLE points_rule`,
    );
  }
}
