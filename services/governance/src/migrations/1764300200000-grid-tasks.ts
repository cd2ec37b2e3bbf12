import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Grid-worker tasks (网格员任务): follow-ups that other services raise through events, such as a
 * household gap found by income-stability monitoring. Each task keeps the event that opened it
 * (one task per source event, and one per source key such as the gap id).
 */
export class GridTasks1764300200000 implements MigrationInterface {
  name = 'GridTasks1764300200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE grid_task (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        grid_id uuid REFERENCES grid (id),
        household_id uuid REFERENCES household (id),
        kind text NOT NULL,
        title text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'closed')),
        source_event text NOT NULL,
        source_event_id uuid NOT NULL UNIQUE,
        source_key text NOT NULL,
        opened_at timestamptz NOT NULL DEFAULT now(),
        due_on date,
        done_at timestamptz,
        done_by text,
        note text,
        closed_at timestamptz,
        closed_by_event_id uuid,
        UNIQUE (kind, source_key)
      )`);
    await q.query(`CREATE INDEX grid_task_grid ON grid_task (grid_id, status, opened_at, id)`);
    await q.query(`CREATE INDEX grid_task_site ON grid_task (site_id, status, opened_at, id)`);
    await q.query(`CREATE INDEX grid_task_region ON grid_task (region_code text_pattern_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE grid_task`);
  }
}
