import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether a nightly run checked every household (full) or only those whose verdict could have
 * changed since the last run: a full run is due when none happened in the last week.
 */
export class MonitoringRunFull1764900000000 implements MigrationInterface {
  name = 'MonitoringRunFull1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE monitoring_run ADD COLUMN every_household boolean NOT NULL DEFAULT true`);
    await q.query(
      `COMMENT
       ON COLUMN monitoring_run.every_household IS 'true: every household checked; false: only those marked ` +
        `or with a job starting or ending since the last run (households counts those)'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE monitoring_run DROP COLUMN every_household`);
  }
}
