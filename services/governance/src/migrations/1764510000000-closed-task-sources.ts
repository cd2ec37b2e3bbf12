import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events may arrive out of order: a gap's `household.gap.closed` before its `household.gap.detected`.
 * The close is remembered by its source key (a tombstone), so the task the late detection opens is
 * born closed, as in-order delivery leaves it. Ids only, no personal data.
 */
export class ClosedTaskSources1764510000000 implements MigrationInterface {
  name = 'ClosedTaskSources1764510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE closed_task_source (
        kind text NOT NULL,
        source_key text NOT NULL,
        closed_at timestamptz NOT NULL DEFAULT now(),
        closed_by_event_id uuid NOT NULL,
        PRIMARY KEY (kind, source_key)
      )`);
    await q.query(
      `COMMENT
       ON TABLE closed_task_source IS 'Causes of grid tasks that went away (a closed gap), kept so that a ` +
        `late opening event opens nothing'`,
    );
    // Tasks already closed by an event are such causes too.
    await q.query(`INSERT INTO closed_task_source (kind, source_key, closed_at, closed_by_event_id)
                   SELECT kind, source_key, closed_at, closed_by_event_id FROM grid_task
                    WHERE status = 'closed' AND closed_by_event_id IS NOT NULL ON CONFLICT DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE closed_task_source`);
  }
}
