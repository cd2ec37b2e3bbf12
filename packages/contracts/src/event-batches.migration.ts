import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events travel in batches: the relay sends the rows of one round as one job per consumer, its
 * id the `batch_id` of those rows (the id of the batch's first event), so the reconcile pass
 * checks one job per batch and re-sends a lost batch under the same id. Rows sent before this
 * migration have no batch: their job id is their own id.
 */
export class EventBatches1764400000000 implements MigrationInterface {
  name = 'EventBatches1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN batch_id uuid`);
    await q.query(
      `CREATE INDEX outbox_unsettled_batch ON outbox (coalesce(batch_id, id))
        WHERE sent_at IS NOT NULL AND settled_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_unsettled_batch; ALTER TABLE outbox DROP COLUMN batch_id`);
  }
}
