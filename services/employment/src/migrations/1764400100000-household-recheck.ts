import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Households marked for re-check against the four rules: an event marks its household in its
 * own transaction, and one set-based pass re-checks the distinct marked households shortly after
 * (monitoring/recheck.ts). A mark is one row per household, however many events touched it.
 */
export class HouseholdRecheck1764400100000 implements MigrationInterface {
  name = 'HouseholdRecheck1764400100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE household_recheck (household_id uuid PRIMARY KEY, marked_at timestamptz NOT NULL DEFAULT now())`,
    );
    await q.query(
      `COMMENT
       ON TABLE household_recheck IS 'Households an event touched, waiting for the next set-based re-check pass.'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE household_recheck`);
  }
}
