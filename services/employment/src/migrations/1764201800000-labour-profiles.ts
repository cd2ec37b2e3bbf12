import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LabourProfiles1764201800000 implements MigrationInterface {
  name = 'LabourProfiles1764201800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE labour_profile (
        resident_id uuid PRIMARY KEY,
        household_id uuid NOT NULL,
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        labour_capacity text NOT NULL CHECK (labour_capacity IN ('full', 'weak', 'none')),
        can_work_away boolean NOT NULL,
        wants_work boolean NOT NULL,
        birth_year int NOT NULL,
        source_event_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX labour_profile_site ON labour_profile (site_id, resident_id)`);
    await q.query(`CREATE INDEX labour_profile_household ON labour_profile (household_id)`);
    await q.query(`CREATE INDEX labour_profile_region ON labour_profile (region_code text_pattern_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE labour_profile`);
  }
}
