import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Training and skills, employers, job postings and employment records, land (三块地) and industry
 * projects, and the income-stability monitoring tables (status per household, gaps, daily snapshots).
 * Every row carries the site and county code it is scoped by, so lists filter in SQL.
 */
export class EmploymentAndMonitoring1764320000000 implements MigrationInterface {
  name = 'EmploymentAndMonitoring1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE labour_profile ADD COLUMN moved_out_on date, ADD COLUMN updated_at timestamptz NOT NULL
       DEFAULT now()`,
    );
    await q.query(
      `CREATE INDEX labour_profile_household_active ON labour_profile (household_id) WHERE moved_out_on IS NULL`,
    );
    // Where each household lives, as the latest resident event said (grid when governance sends it).
    await q.query(`
      CREATE TABLE household_place (
        household_id uuid PRIMARY KEY,
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        grid_id uuid
      )`);
    await q.query(`CREATE INDEX household_place_site ON household_place (site_id)`);
    await q.query(`INSERT INTO household_place (household_id, site_id, region_code)
      SELECT DISTINCT ON (household_id) household_id, site_id, region_code FROM labour_profile
        ORDER BY household_id, created_at DESC`);

    await q.query(`
      CREATE TABLE training_course (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        skill text NOT NULL,
        provider text NOT NULL,
        place text NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        capacity int NOT NULL CHECK (capacity > 0),
        enrolled int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_on >= starts_on),
        CHECK (enrolled >= 0 AND enrolled <= capacity)
      )`);
    await q.query(`CREATE INDEX training_course_site ON training_course (site_id, starts_on, id)`);
    await q.query(`
      CREATE TABLE enrollment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL REFERENCES training_course (id),
        resident_id uuid NOT NULL,
        household_id uuid NOT NULL,
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        status text NOT NULL DEFAULT 'enrolled' CHECK (status IN ('enrolled', 'completed', 'dropped')),
        attendance_percent int CHECK (attendance_percent BETWEEN 0 AND 100),
        completed_on date,
        dropped_reason text,
        enrolled_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (course_id, resident_id)
      )`);
    await q.query(`CREATE INDEX enrollment_resident ON enrollment (resident_id) WHERE status = 'completed'`);
    await q.query(`CREATE INDEX enrollment_resident_all ON enrollment (resident_id, enrolled_at)`);
    await q.query(`
      CREATE TABLE skill (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        resident_id uuid NOT NULL,
        household_id uuid NOT NULL,
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        name text NOT NULL,
        level text NOT NULL CHECK (level IN ('beginner', 'intermediate', 'advanced', 'technician',
          'senior_technician')),
        certificate_number text,
        certified_on date,
        enrollment_id uuid REFERENCES enrollment (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX skill_resident ON skill (resident_id)`);

    await q.query(`
      CREATE TABLE employer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('poverty_workshop', 'enterprise', 'cooperative', 'public_institution',
          'other')),
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        address text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX employer_site ON employer (site_id, name, id)`);
    await q.query(`
      CREATE TABLE job_posting (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        employer_id uuid REFERENCES employer (id),
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        title text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('regular', 'public_welfare_post')),
        funding_source text,
        term_starts_on date,
        term_ends_on date,
        capacity int NOT NULL CHECK (capacity > 0),
        filled int NOT NULL DEFAULT 0,
        monthly_wage numeric(12, 2) NOT NULL CHECK (monthly_wage >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (filled >= 0 AND filled <= capacity),
        CHECK (term_ends_on IS NULL OR term_starts_on IS NULL OR term_ends_on >= term_starts_on),
        CHECK (kind <> 'public_welfare_post' OR (funding_source IS NOT NULL AND term_starts_on IS NOT NULL
          AND term_ends_on IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX job_posting_site ON job_posting (site_id, created_at, id)`);
    await q.query(`
      CREATE TABLE employment_record (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        resident_id uuid NOT NULL,
        household_id uuid NOT NULL,
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        kind text NOT NULL CHECK (kind IN ('workshop', 'public_welfare_post', 'migrant_work', 'self_employed',
          'flexible')),
        employer_id uuid REFERENCES employer (id),
        posting_id uuid REFERENCES job_posting (id),
        destination text,
        started_on date NOT NULL,
        ended_on date,
        end_reason text,
        monthly_income numeric(12, 2) NOT NULL CHECK (monthly_income >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ended_on IS NULL OR ended_on >= started_on)
      )`);
    await q.query(`CREATE INDEX employment_record_resident ON employment_record (resident_id, started_on)`);
    await q.query(`CREATE INDEX employment_record_household ON employment_record (household_id)`);
    // A resident holds one post only once at a time.
    await q.query(
      `CREATE UNIQUE INDEX employment_record_one_open_per_post ON employment_record (posting_id, resident_id)
       WHERE ended_on IS NULL AND posting_id IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE land_asset (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        household_id uuid NOT NULL,
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        kind text NOT NULL CHECK (kind IN ('contracted', 'forest', 'homestead')),
        area_mu numeric(12, 2) NOT NULL CHECK (area_mu > 0),
        state text NOT NULL CHECK (state IN ('idle', 'leased', 'pooled')),
        annual_income numeric(12, 2) NOT NULL DEFAULT 0 CHECK (annual_income >= 0),
        note text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX land_asset_household ON land_asset (household_id)`);
    await q.query(`
      CREATE TABLE industry_project (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX industry_project_site ON industry_project (site_id, name, id)`);
    await q.query(`
      CREATE TABLE project_link (
        project_id uuid NOT NULL REFERENCES industry_project (id),
        household_id uuid NOT NULL,
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        annual_dividend numeric(12, 2) NOT NULL CHECK (annual_dividend >= 0),
        linked_on date NOT NULL,
        PRIMARY KEY (project_id, household_id)
      )`);
    await q.query(`CREATE INDEX project_link_household ON project_link (household_id)`);

    // Monitoring: the latest verdict per household, open and closed gaps, daily roll-ups.
    await q.query(`
      CREATE TABLE household_status (
        household_id uuid PRIMARY KEY,
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        grid_id uuid,
        failed text[] NOT NULL,
        members int NOT NULL,
        able int NOT NULL,
        untrained int NOT NULL,
        employed int NOT NULL,
        welfare_posts int NOT NULL,
        income_sources int NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX household_status_site ON household_status (site_id, household_id)`);
    await q.query(
      `CREATE INDEX household_status_failing ON household_status (region_code text_pattern_ops, household_id)
       WHERE cardinality(failed) > 0`,
    );
    await q.query(`
      CREATE TABLE household_gap (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        household_id uuid NOT NULL,
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        rules text[] NOT NULL,
        needs_job_help boolean NOT NULL,
        detected_on date NOT NULL,
        closed_on date
      )`);
    await q.query(`CREATE INDEX household_gap_open ON household_gap (household_id) WHERE closed_on IS NULL`);
    await q.query(`
      CREATE TABLE monitoring_snapshot (
        day date NOT NULL,
        level text NOT NULL CHECK (level IN ('grid', 'site', 'county', 'prefecture', 'province')),
        code text NOT NULL,
        households int NOT NULL,
        passing int NOT NULL,
        failing_training int NOT NULL,
        failing_welfare_post int NOT NULL,
        failing_employed int NOT NULL,
        failing_income int NOT NULL,
        PRIMARY KEY (day, level, code)
      )`);
    await q.query(`
      CREATE TABLE monitoring_run (
        id bigserial PRIMARY KEY,
        day date NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        households int NOT NULL,
        gaps_opened int NOT NULL,
        gaps_closed int NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE monitoring_run, monitoring_snapshot, household_gap, household_status, project_link,
        industry_project,
      land_asset, employment_record, job_posting, employer, skill, enrollment, training_course, household_place`);
    await q.query(`ALTER TABLE labour_profile DROP COLUMN moved_out_on, DROP COLUMN updated_at`);
  }
}
