import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Casework in full (issue 20): sessions with notes (who held it, when, what was done, the next
 * step), the members of group cases (邻里互助小组: several residents, one leader at most) and a
 * closing reason beside the closing summary. Sessions and members carry their case's organization
 * and site, so the read rule (the case's organization and the site's officers) is a predicate on
 * the row itself.
 */
export class CaseSessionsAndMembers1764600100000 implements MigrationInterface {
  name = 'CaseSessionsAndMembers1764600100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        case_id uuid NOT NULL REFERENCES social_case(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        worker_id uuid REFERENCES social_worker(id),
        held_at timestamptz NOT NULL,
        what_was_done text NOT NULL,
        next_step text,
        next_step_due_on date,
        attendee_resident_ids uuid[] NOT NULL DEFAULT '{}',
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX case_session_case ON case_session (case_id, held_at, seq)`);
    await q.query(
      `COMMENT
       ON TABLE case_session IS 'Casework session notes (个案记录): read by the case''s organization and its ` +
        `site''s officers only'`,
    );
    await q.query(`
      CREATE TABLE case_member (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        case_id uuid NOT NULL REFERENCES social_case(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        site_id uuid NOT NULL,
        resident_id uuid NOT NULL,
        household_id uuid NOT NULL,
        role text NOT NULL CHECK (role IN ('LEADER', 'MEMBER')),
        joined_at timestamptz NOT NULL,
        left_at timestamptz,
        UNIQUE (case_id, resident_id)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX case_member_one_leader ON case_member (case_id) WHERE role = 'LEADER' AND left_at IS NULL`,
    );
    await q.query(`CREATE INDEX case_member_resident ON case_member (resident_id)`);
    await q.query(`CREATE INDEX social_case_site ON social_case (site_id, seq)`);
    await q.query(`ALTER TABLE social_case ADD COLUMN closing_reason text
                    CHECK (closing_reason IN ('GOALS_MET', 'PARTLY_MET', 'REFERRED_ON', 'WITHDRAWN', 'MOVED_AWAY'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE social_case DROP COLUMN closing_reason`);
    await q.query(`DROP INDEX social_case_site`);
    await q.query(`DROP TABLE case_member`);
    await q.query(`DROP TABLE case_session`);
  }
}
