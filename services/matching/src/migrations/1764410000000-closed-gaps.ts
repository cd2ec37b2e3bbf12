import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events may arrive out of order: a gap's `household.gap.closed` before its `household.gap.detected`.
 * The close is remembered (a tombstone), so the job-help demand a late detection raises is born
 * closed, as in-order delivery leaves it. Ids and a date only.
 */
export class ClosedGaps1764410000000 implements MigrationInterface {
  name = 'ClosedGaps1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE closed_gap (
        gap_id uuid PRIMARY KEY,
        closed_on date NOT NULL,
        closed_by_event_id uuid NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `COMMENT
       ON TABLE closed_gap IS 'Household gaps closed (household.gap.closed), kept so that a late detection ` +
        `raises no open demand'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE closed_gap`);
  }
}
