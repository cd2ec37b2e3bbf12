import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Residents who moved out (迁出) stay in the directory, marked, so that a late registration cannot bring them back. */
export class MovedOutResidents1764700100000 implements MigrationInterface {
  name = 'MovedOutResidents1764700100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE resident_directory ADD COLUMN moved_out_on date`);
    await q.query(
      `CREATE INDEX resident_directory_living ON resident_directory (household_id) WHERE moved_out_on IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX resident_directory_living`);
    await q.query(`ALTER TABLE resident_directory DROP COLUMN moved_out_on`);
  }
}
