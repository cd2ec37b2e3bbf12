import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention of moved-out residents' personal data (PIPL minimisation): the nightly erasure clears
 * the sealed ID number and its hash (so both become nullable), the phone, the name, the day and
 * month of birth and the moved-out reason, and stamps the row; what remains counts, names nobody.
 */
export class ResidentRetention1764320000000 implements MigrationInterface {
  name = 'ResidentRetention1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE resident ALTER COLUMN national_id_sealed DROP NOT NULL,
      ALTER COLUMN national_id_hash DROP NOT NULL, ADD COLUMN personal_data_erased_at timestamptz`);
    await q.query(`COMMENT ON COLUMN resident.personal_data_erased_at
      IS 'When the retention rule erased this moved-out resident''s personal data'`);
    await q.query(`CREATE INDEX resident_moved_out_unerased ON resident (moved_out_on)
      WHERE moved_out_on IS NOT NULL AND personal_data_erased_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX resident_moved_out_unerased`);
    await q.query(`ALTER TABLE resident DROP COLUMN personal_data_erased_at`);
  }
}
