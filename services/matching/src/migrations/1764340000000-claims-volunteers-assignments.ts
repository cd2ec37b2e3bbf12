import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Demand lifecycle, regional units and claims, volunteers, assignments, service records, residents. */
export class ClaimsVolunteersAssignments1764340000000 implements MigrationInterface {
  name = 'ClaimsVolunteersAssignments1764340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE unit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('party_org', 'department', 'enterprise', 'social_org')),
        regions text[] NOT NULL CHECK (cardinality(regions) > 0),
        registered_by text NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      ALTER TABLE demand
        ADD COLUMN hours numeric(5,1) NOT NULL DEFAULT 2 CHECK (hours > 0),
        ADD COLUMN unit_id uuid REFERENCES unit (id),
        ADD COLUMN promised_on date,
        ADD COLUMN claimed_at timestamptz,
        ADD COLUMN overdue_since timestamptz,
        ADD COLUMN status_changed_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN gap_id uuid UNIQUE`);
    await q.query(
      `CREATE INDEX demand_claimed_promised ON demand (promised_on) WHERE status IN ('claimed', 'in_progress')`,
    );
    await q.query(`CREATE INDEX demand_household ON demand (household_id) WHERE household_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE demand_transition (
        id bigserial PRIMARY KEY,
        demand_id uuid NOT NULL REFERENCES demand (id),
        from_status text,
        to_status text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        by_subject text NOT NULL,
        note text
      )`);
    await q.query(`CREATE INDEX demand_transition_demand ON demand_transition (demand_id, id)`);
    await q.query(`
      CREATE TABLE volunteer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        display_name text NOT NULL,
        resident_id uuid UNIQUE,
        home_site_id uuid NOT NULL REFERENCES site_directory (site_id),
        region_code varchar(6) NOT NULL,
        skills text[] NOT NULL DEFAULT '{}',
        languages text[] NOT NULL DEFAULT '{}',
        weekly_hours numeric(5,1) NOT NULL CHECK (weekly_hours >= 0 AND weekly_hours <= 80),
        completed int NOT NULL DEFAULT 0,
        failed int NOT NULL DEFAULT 0,
        registered_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX volunteer_region ON volunteer (region_code text_pattern_ops)`);
    await q.query(`CREATE INDEX volunteer_languages ON volunteer USING gin (languages)`);
    await q.query(`
      CREATE TABLE volunteer_availability (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        volunteer_id uuid NOT NULL REFERENCES volunteer (id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        CHECK (ends_at > starts_at)
      )`);
    await q.query(`CREATE INDEX volunteer_availability_span ON volunteer_availability (volunteer_id, starts_at)`);
    await q.query(`
      CREATE TABLE assignment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        demand_id uuid NOT NULL REFERENCES demand (id),
        volunteer_id uuid NOT NULL REFERENCES volunteer (id),
        hours numeric(5,1) NOT NULL CHECK (hours > 0),
        score double precision NOT NULL,
        explanation jsonb NOT NULL,
        source text NOT NULL CHECK (source IN ('incremental', 'batch')),
        status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'declined', 'completed',
          'withdrawn')),
        proposed_at timestamptz NOT NULL DEFAULT now(),
        responded_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX assignment_one_active ON assignment (demand_id) WHERE status IN ('proposed', 'accepted')`,
    );
    await q.query(`CREATE INDEX assignment_volunteer ON assignment (volunteer_id, status)`);
    await q.query(`
      CREATE TABLE service_record (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        volunteer_id uuid NOT NULL REFERENCES volunteer (id),
        assignment_id uuid REFERENCES assignment (id),
        demand_id uuid REFERENCES demand (id),
        site_id uuid NOT NULL REFERENCES site_directory (site_id),
        region_code varchar(6) NOT NULL,
        hours numeric(5,1) NOT NULL CHECK (hours > 0 AND hours <= 24),
        served_on date NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        verified_by text,
        verified_at timestamptz
      )`);
    await q.query(`CREATE INDEX service_record_volunteer ON service_record (volunteer_id, served_on DESC)`);
    await q.query(`
      CREATE TABLE resident_directory (
        resident_id uuid PRIMARY KEY,
        household_id uuid NOT NULL,
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL
      )`);
    await q.query(
      `COMMENT
       ON TABLE resident_directory IS 'Local copy of resident → household, fed by resident.registered (no ` +
        `personal data)'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE resident_directory, service_record, assignment, volunteer_availability, volunteer, demand_transition`,
    );
    await q.query(
      `ALTER TABLE demand DROP COLUMN hours, DROP COLUMN unit_id, DROP COLUMN promised_on, DROP COLUMN claimed_at,
       DROP COLUMN overdue_since, DROP COLUMN status_changed_at, DROP COLUMN gap_id`,
    );
    await q.query(`DROP TABLE unit`);
  }
}
