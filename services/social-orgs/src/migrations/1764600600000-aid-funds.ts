import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 统筹各类帮扶资金 (issue 20): a county's aid funds by source, and every payment out of them by use —
 * contract payments (购买服务), venture grants (公益创投) and direct grants (直接资助). A fund's
 * `spent_yuan` moves only with an `aid_payment` row in the same transaction, and the CHECK keeps it
 * within the amount received whatever the caller. Payments recorded before funds were kept stay
 * without one (`fund_id` null on contract_payment and venture_application).
 */
export class AidFunds1764600600000 implements MigrationInterface {
  name = 'AidFunds1764600600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE aid_fund (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        region_code varchar(6) NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        source text NOT NULL CHECK (source IN ('FISCAL', 'EAST_WEST_COOPERATION', 'PAIRED_ASSISTANCE',
          'SOCIAL_DONATION', 'OTHER')),
        name text NOT NULL,
        donor text,
        amount_yuan numeric(14, 2) NOT NULL CHECK (amount_yuan > 0),
        spent_yuan numeric(14, 2) NOT NULL DEFAULT 0,
        received_on date NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        CONSTRAINT aid_fund_within_amount CHECK (spent_yuan >= 0 AND spent_yuan <= amount_yuan)
      )`);
    await q.query(`CREATE INDEX aid_fund_region ON aid_fund (region_code text_pattern_ops, seq)`);
    await q.query(`
      CREATE TABLE aid_payment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        fund_id uuid NOT NULL REFERENCES aid_fund(id),
        region_code varchar(6) NOT NULL,
        use text NOT NULL CHECK (use IN ('CONTRACT_PAYMENT', 'VENTURE_GRANT', 'DIRECT_GRANT')),
        organization_id uuid NOT NULL REFERENCES organization(id),
        contract_payment_id uuid UNIQUE REFERENCES contract_payment(id),
        venture_application_id uuid UNIQUE REFERENCES venture_application(id),
        purpose text,
        amount_yuan numeric(14, 2) NOT NULL CHECK (amount_yuan > 0),
        paid_on date NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        CHECK ((use = 'CONTRACT_PAYMENT') = (contract_payment_id IS NOT NULL)),
        CHECK ((use = 'VENTURE_GRANT') = (venture_application_id IS NOT NULL)),
        CHECK (use <> 'DIRECT_GRANT' OR purpose IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX aid_payment_fund ON aid_payment (fund_id, seq)`);
    await q.query(`CREATE INDEX aid_payment_region ON aid_payment (region_code text_pattern_ops, seq)`);
    await q.query(`CREATE INDEX aid_payment_org ON aid_payment (organization_id, seq)`);
    // Checked at commit: the record is written first, then payFromFund finds the fund (or refuses, typed, and all rolls
    // back).
    await q.query(
      `ALTER TABLE contract_payment ADD COLUMN fund_id uuid REFERENCES aid_fund(id) DEFERRABLE INITIALLY DEFERRED`,
    );
    await q.query(
      `ALTER TABLE venture_application ADD COLUMN fund_id uuid REFERENCES aid_fund(id) DEFERRABLE INITIALLY DEFERRED`,
    );
    await q.query(
      `COMMENT
       ON TABLE aid_fund IS 'A county''s aid fund (帮扶资金) by source; spent_yuan moves only with an aid_payment row'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE venture_application DROP COLUMN fund_id`);
    await q.query(`ALTER TABLE contract_payment DROP COLUMN fund_id`);
    await q.query(`DROP TABLE aid_payment`);
    await q.query(`DROP TABLE aid_fund`);
  }
}
