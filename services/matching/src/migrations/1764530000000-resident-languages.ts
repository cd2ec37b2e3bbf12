import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The languages each resident speaks, from resident.registered/updated: what a household's demands need. */
export class ResidentLanguages1764530000000 implements MigrationInterface {
  name = 'ResidentLanguages1764530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE resident_directory ADD COLUMN languages text[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX IF NOT EXISTS resident_directory_household ON resident_directory (household_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS resident_directory_household`);
    await q.query(`ALTER TABLE resident_directory DROP COLUMN languages`);
  }
}
