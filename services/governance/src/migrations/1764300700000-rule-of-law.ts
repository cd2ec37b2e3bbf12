import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rule of law (法治): legal advisers and public lawyers (法律顾问, 公职律师) serving sites;
 * scheduled lawyer visits (律师进社区) that residents book within capacity; mediation cases
 * (人民调解) with parties, sessions and an outcome.
 */
export class RuleOfLaw1764300700000 implements MigrationInterface {
  name = 'RuleOfLaw1764300700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE legal_adviser (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        region_code varchar(6) NOT NULL,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('legal_adviser', 'public_lawyer')),
        organization text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE legal_adviser_site (
        adviser_id uuid NOT NULL REFERENCES legal_adviser (id),
        site_id uuid NOT NULL REFERENCES site (id),
        PRIMARY KEY (adviser_id, site_id)
      )`);
    await q.query(`CREATE INDEX legal_adviser_site_site ON legal_adviser_site (site_id)`);
    await q.query(`
      CREATE TABLE lawyer_visit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES site (id),
        region_code varchar(6) NOT NULL,
        adviser_id uuid NOT NULL REFERENCES legal_adviser (id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        place text NOT NULL,
        capacity int NOT NULL CHECK (capacity BETWEEN 1 AND 200),
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
        created_by text NOT NULL,
        CHECK (ends_at > starts_at)
      )`);
    await q.query(`CREATE INDEX lawyer_visit_site ON lawyer_visit (site_id, starts_at, id)`);
    await q.query(`
      CREATE TABLE lawyer_visit_booking (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        visit_id uuid NOT NULL REFERENCES lawyer_visit (id),
        resident_id uuid NOT NULL REFERENCES resident (id),
        topic text NOT NULL,
        status text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
        booked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX lawyer_visit_booking_once ON lawyer_visit_booking (visit_id, resident_id)
       WHERE status = 'booked'`,
    );
    await q.query(`
      CREATE TABLE mediation_case (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES site (id),
        region_code varchar(6) NOT NULL,
        micro_issue_id uuid REFERENCES micro_issue (id),
        adviser_id uuid REFERENCES legal_adviser (id),
        title text NOT NULL,
        summary text NOT NULL,
        mediator_name text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        outcome text CHECK (outcome IN ('agreement', 'no_agreement', 'referred', 'withdrawn')),
        outcome_note text,
        opened_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        CHECK ((status = 'closed') = (closed_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX mediation_case_site ON mediation_case (site_id, status, opened_at, id)`);
    await q.query(`
      CREATE TABLE mediation_party (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES mediation_case (id),
        name text NOT NULL,
        resident_id uuid REFERENCES resident (id),
        role text NOT NULL CHECK (role IN ('applicant', 'respondent', 'other'))
      )`);
    await q.query(`CREATE INDEX mediation_party_case ON mediation_party (case_id)`);
    await q.query(`CREATE INDEX mediation_party_resident ON mediation_party (resident_id)`);
    await q.query(`
      CREATE TABLE mediation_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES mediation_case (id),
        held_at timestamptz NOT NULL,
        place text NOT NULL,
        notes text NOT NULL,
        recorded_by text NOT NULL
      )`);
    await q.query(`CREATE INDEX mediation_session_case ON mediation_session (case_id, held_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mediation_session; DROP TABLE mediation_party; DROP TABLE mediation_case;
      DROP TABLE lawyer_visit_booking; DROP TABLE lawyer_visit; DROP TABLE legal_adviser_site;
      DROP TABLE legal_adviser`);
  }
}
