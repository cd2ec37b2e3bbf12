import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Micro-services (微服务) at sites, government purchase-of-service contracts (购买服务) with
 * milestones and payments, and public-interest venture projects (公益创投). Every record of an
 * organization carries its `organization_id` (the NGO scope).
 */
export class MicroServicesContractsVenture1764330100000 implements MigrationInterface {
  name = 'MicroServicesContractsVenture1764330100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE micro_service (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        organization_id uuid NOT NULL REFERENCES organization(id),
        site_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('AFTER_SCHOOL_CLASS', 'ELDERLY_CARE', 'HEALTH_CHECK', 'MICRO_MARKET',
          'MICRO_STAGE')),
        name text NOT NULL,
        weekdays smallint[] NOT NULL CHECK (cardinality(weekdays) > 0 AND weekdays <@ ARRAY[1,2,3,4,5,6,7]::smallint[]),
        start_time time NOT NULL,
        end_time time NOT NULL CHECK (end_time > start_time),
        capacity int NOT NULL CHECK (capacity > 0),
        runner_worker_id uuid REFERENCES social_worker(id),
        runner_name text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX micro_service_org ON micro_service (organization_id, seq)`);
    await q.query(`CREATE INDEX micro_service_site ON micro_service (site_id, seq)`);

    await q.query(`
      CREATE TABLE service_contract (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        organization_id uuid NOT NULL REFERENCES organization(id),
        title text NOT NULL,
        purchaser text NOT NULL,
        budget_yuan numeric(14, 2) NOT NULL CHECK (budget_yuan > 0),
        starts_on date NOT NULL,
        ends_on date NOT NULL CHECK (ends_on >= starts_on),
        deliverables text[] NOT NULL CHECK (cardinality(deliverables) > 0),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'COMPLETED')),
        final_score numeric(5, 2) CHECK (final_score BETWEEN 0 AND 100),
        final_grade text CHECK (final_grade IN ('A', 'B', 'C')),
        rated_at timestamptz,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX service_contract_org ON service_contract (organization_id, seq)`);
    await q.query(`
      CREATE TABLE contract_milestone (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        contract_id uuid NOT NULL REFERENCES service_contract(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        title text NOT NULL,
        due_on date NOT NULL,
        evidence text,
        evidence_at timestamptz,
        accepted_at timestamptz,
        accepted_by text
      )`);
    await q.query(`CREATE INDEX contract_milestone_contract ON contract_milestone (contract_id, seq)`);
    await q.query(`
      CREATE TABLE contract_payment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        contract_id uuid NOT NULL REFERENCES service_contract(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        milestone_id uuid REFERENCES contract_milestone(id),
        amount_yuan numeric(14, 2) NOT NULL CHECK (amount_yuan > 0),
        paid_on date NOT NULL,
        recorded_by text NOT NULL
      )`);
    await q.query(`CREATE INDEX contract_payment_contract ON contract_payment (contract_id, seq)`);

    await q.query(`
      CREATE TABLE venture_call (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        title text NOT NULL,
        region_code text NOT NULL,
        budget_yuan numeric(14, 2) NOT NULL CHECK (budget_yuan > 0),
        applications_close_on date NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX venture_call_region ON venture_call (region_code text_pattern_ops)`);
    await q.query(`
      CREATE TABLE venture_application (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        call_id uuid NOT NULL REFERENCES venture_call(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        title text NOT NULL,
        summary text NOT NULL,
        requested_yuan numeric(14, 2) NOT NULL CHECK (requested_yuan > 0),
        status text NOT NULL DEFAULT 'APPLIED' CHECK (status IN ('APPLIED', 'UNDER_REVIEW', 'PUBLIC_NOTICE', 'FUNDED',
          'MIDTERM_EVALUATED', 'FINAL_EVALUATED', 'REJECTED')),
        notice_ends_on date,
        funded_yuan numeric(14, 2),
        midterm_score numeric(5, 2) CHECK (midterm_score BETWEEN 0 AND 100),
        midterm_grade text,
        final_score numeric(5, 2) CHECK (final_score BETWEEN 0 AND 100),
        final_grade text,
        applied_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (call_id, organization_id, title)
      )`);
    await q.query(`CREATE INDEX venture_application_org ON venture_application (organization_id, seq)`);
    await q.query(`
      CREATE TABLE venture_review (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES venture_application(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        reviewer text NOT NULL,
        score numeric(5, 2) NOT NULL CHECK (score BETWEEN 0 AND 100),
        comment text,
        reviewed_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (application_id, reviewer)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'venture_review',
      'venture_application',
      'venture_call',
      'contract_payment',
      'contract_milestone',
      'service_contract',
      'micro_service',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
