import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What keeps partners from minting points (issue 14): social-orgs' copy of resident → site, fed by
 * governance's resident.registered and resident.moved_out (ids only, as matching keeps), so a
 * registration is only for a resident of the activity's site; and one feedback per resident, social
 * worker and quarter (`period`, e.g. 2026-Q4 in the province's calendar). Feedback given before
 * this migration stays as it was given (the unique index counts from the next row on).
 */
export class ResidentsAndFeedbackPeriods1764400400000 implements MigrationInterface {
  name = 'ResidentsAndFeedbackPeriods1764400400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE resident_directory (
        resident_id uuid PRIMARY KEY,
        household_id uuid NOT NULL,
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        moved_out_on date
      )`);
    await q.query(`CREATE INDEX resident_directory_site ON resident_directory (site_id)`);
    await q.query(
      `COMMENT
       ON TABLE resident_directory IS 'Local copy of resident → site, fed by resident.registered and ` +
        `resident.moved_out (no personal data)'`,
    );
    await q.query(`ALTER TABLE worker_feedback ADD COLUMN period text`);
    await q.query(`UPDATE worker_feedback SET period = to_char(given_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-"Q"Q')`);
    await q.query(`ALTER TABLE worker_feedback ALTER COLUMN period SET NOT NULL`);
    const [{ last }] = await q.query(`SELECT coalesce(max(seq), 0)::text AS last FROM worker_feedback`);
    await q.query(`CREATE UNIQUE INDEX worker_feedback_once_per_period
                    ON worker_feedback (worker_id, resident_id, period)
                    WHERE resident_id IS NOT NULL AND seq > ${BigInt(last)}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX worker_feedback_once_per_period`);
    await q.query(`ALTER TABLE worker_feedback DROP COLUMN period`);
    await q.query(`DROP TABLE resident_directory`);
  }
}
