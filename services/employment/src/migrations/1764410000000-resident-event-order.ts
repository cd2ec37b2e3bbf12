import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Resident events may arrive out of order or twice. A labour profile and a household's place
 * remember when the facts they hold occurred (`facts_at`, the event's `occurredAt`), and an older
 * event no longer overwrites a newer one. A move-out that arrives before the registration is kept
 * in `moved_out_resident` until the registration comes and takes it (then the row is deleted).
 * Rows written before this migration count as of their last write.
 */
export class ResidentEventOrder1764410000000 implements MigrationInterface {
  name = 'ResidentEventOrder1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE labour_profile ADD COLUMN facts_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`UPDATE labour_profile SET facts_at = updated_at`);
    await q.query(`ALTER TABLE household_place ADD COLUMN facts_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`
      CREATE TABLE moved_out_resident (
        resident_id uuid PRIMARY KEY,
        household_id uuid NOT NULL,
        moved_out_on date NOT NULL
      )`);
    await q.query(
      `COMMENT
       ON TABLE moved_out_resident IS 'Move-outs (resident.moved_out) that arrived before the registration; ` +
        `taken and deleted when it comes'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE moved_out_resident`);
    await q.query(`ALTER TABLE household_place DROP COLUMN facts_at`);
    await q.query(`ALTER TABLE labour_profile DROP COLUMN facts_at`);
  }
}
