import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Activities with registrations (名额, 候补), incubation history, social workers (进、管、考、出),
 * casework with referrals. Every record carries the organization it belongs to: that column is
 * what scopes an NGO member's token. Residents appear only as an id, a display name and a masked
 * phone given at sign-up (social-orgs does not own residents; no ID numbers, no full phones).
 */
export class ActivitiesIncubationWorkersCases1764330000000 implements MigrationInterface {
  name = 'ActivitiesIncubationWorkersCases1764330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE activity (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        organization_id uuid NOT NULL REFERENCES organization(id),
        site_id uuid NOT NULL,
        title text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('CULTURAL', 'COMPETITION', 'EDUCATION', 'HEALTH', 'VOLUNTEERING', 'OTHER')),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
        capacity int NOT NULL CHECK (capacity > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX activity_org ON activity (organization_id, seq)`);
    await q.query(`CREATE INDEX activity_site ON activity (site_id, seq)`);
    await q.query(`
      CREATE TABLE activity_registration (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        activity_id uuid NOT NULL REFERENCES activity(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        resident_id uuid NOT NULL,
        participant_name text NOT NULL,
        contact_masked text,
        status text NOT NULL CHECK (status IN ('REGISTERED', 'WAITLISTED', 'CANCELLED', 'ATTENDED')),
        registered_by text NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now(),
        promoted_at timestamptz,
        cancelled_at timestamptz,
        attended_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX activity_registration_live ON activity_registration (activity_id, resident_id)
       WHERE status <> 'CANCELLED'`,
    );
    await q.query(`CREATE INDEX activity_registration_activity ON activity_registration (activity_id, status, seq)`);
    await q.query(`CREATE INDEX activity_registration_resident ON activity_registration (resident_id)`);

    await q.query(`
      CREATE TABLE incubation_step (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        organization_id uuid NOT NULL REFERENCES organization(id),
        from_stage text NOT NULL,
        to_stage text NOT NULL,
        support text NOT NULL,
        funding_yuan numeric(14, 2) CHECK (funding_yuan >= 0),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX incubation_step_org ON incubation_step (organization_id, seq)`);

    await q.query(`
      CREATE TABLE social_worker (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        organization_id uuid NOT NULL REFERENCES organization(id),
        name text NOT NULL,
        qualification text NOT NULL CHECK (qualification IN ('NONE', 'ASSISTANT_SOCIAL_WORKER', 'SOCIAL_WORKER',
          'SENIOR_SOCIAL_WORKER')),
        certificate_number text,
        site_ids uuid[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'EXITED')),
        joined_on date NOT NULL,
        exited_on date,
        exit_reason text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX social_worker_org ON social_worker (organization_id, seq)`);
    await q.query(`
      CREATE TABLE worker_assessment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        worker_id uuid NOT NULL REFERENCES social_worker(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        period text NOT NULL,
        score numeric(5, 2) NOT NULL CHECK (score BETWEEN 0 AND 100),
        comments text,
        assessed_by text NOT NULL,
        assessed_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (worker_id, period)
      )`);
    await q.query(`
      CREATE TABLE worker_feedback (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        worker_id uuid NOT NULL REFERENCES social_worker(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        resident_id uuid,
        rating int NOT NULL CHECK (rating BETWEEN 1 AND 5),
        comment text,
        given_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX worker_feedback_worker ON worker_feedback (worker_id, seq)`);

    await q.query(`
      CREATE TABLE social_case (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        organization_id uuid NOT NULL REFERENCES organization(id),
        kind text NOT NULL CHECK (kind IN ('FAMILY_THERAPY', 'MUTUAL_AID_GROUP', 'INDIVIDUAL_SUPPORT')),
        title text NOT NULL,
        household_id uuid,
        site_id uuid,
        worker_id uuid REFERENCES social_worker(id),
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSED')),
        closing_summary text,
        opened_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz
      )`);
    await q.query(`CREATE INDEX social_case_org ON social_case (organization_id, seq)`);
    await q.query(`
      CREATE TABLE referral (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        case_id uuid NOT NULL REFERENCES social_case(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        agency text NOT NULL CHECK (agency IN ('CIVIL_AFFAIRS', 'JUSTICE', 'TRADE_UNION', 'YOUTH_LEAGUE',
          'WOMENS_FEDERATION')),
        reason text NOT NULL,
        due_on date NOT NULL,
        outcome text,
        outcome_at timestamptz,
        overdue_since timestamptz,
        referred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX referral_case ON referral (case_id, seq)`);
    await q.query(`CREATE INDEX referral_open_due ON referral (due_on) WHERE outcome IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'referral',
      'social_case',
      'worker_feedback',
      'worker_assessment',
      'social_worker',
      'incubation_step',
      'activity_registration',
      'activity',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
