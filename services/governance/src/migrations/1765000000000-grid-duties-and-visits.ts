import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Grids (网格化管理): each grid's duties (网格职责, "细化单元网格职能"), the grid worker's household
 * visits (入户走访), and grid tasks that governance's own scheduled pass opens from causes it finds
 * (escalated micro-issues, households not visited for too long) beside those other services' events open.
 */
export class GridDutiesAndVisits1765000000000 implements MigrationInterface {
  name = 'GridDutiesAndVisits1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE grid_duty (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        grid_id uuid NOT NULL REFERENCES grid (id),
        site_id uuid NOT NULL REFERENCES site (id),
        region_code varchar(6) NOT NULL,
        position int NOT NULL CHECK (position > 0),
        title text NOT NULL,
        detail text,
        set_by text NOT NULL,
        set_at timestamptz NOT NULL,
        UNIQUE (grid_id, position),
        UNIQUE (grid_id, title)
      )`);
    await q.query(
      `COMMENT
       ON TABLE grid_duty IS 'A grid''s responsibilities list (网格职责), in order; replaced whole by setGridDuties'`,
    );
    await q.query(`
      CREATE TABLE household_visit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        household_id uuid NOT NULL REFERENCES household (id),
        site_id uuid NOT NULL REFERENCES site (id),
        region_code varchar(6) NOT NULL,
        grid_id uuid REFERENCES grid (id),
        visited_on date NOT NULL,
        visited_by text NOT NULL,
        note text NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX household_visit_household ON household_visit (household_id, visited_on DESC, id)`);
    await q.query(
      `COMMENT
       ON TABLE household_visit IS 'Grid workers'' household visits (入户走访): each visits every resident of the ` +
        `household'`,
    );
    // The latest visit, kept beside the household so that the daily pass reads one row per household.
    await q.query(`ALTER TABLE household ADD COLUMN last_visited_on date`);
    await q.query(`CREATE INDEX grid_task_open_kind ON grid_task (kind, source_key) WHERE status = 'open'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX grid_task_open_kind`);
    await q.query(`ALTER TABLE household DROP COLUMN last_visited_on`);
    await q.query(`DROP TABLE household_visit`);
    await q.query(`DROP TABLE grid_duty`);
  }
}
