import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Gaps opened and closed per day (the portal's 缺口新增与销号 chart): counted from the gap table
 * by day range, so each day's count reads one slice of an index led by the day, with the place
 * in the index too (index-only once vacuumed), at any level from a site to the province.
 */
export class GapFlow1764400200000 implements MigrationInterface {
  name = 'GapFlow1764400200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX household_gap_detected ON household_gap (detected_on, region_code, site_id)`);
    await q.query(
      `CREATE INDEX household_gap_closed ON household_gap (closed_on, region_code, site_id)
       WHERE closed_on IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX household_gap_detected, household_gap_closed`);
  }
}
