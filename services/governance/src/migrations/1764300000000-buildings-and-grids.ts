import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Buildings (楼栋) and grids (网格): a grid is a set of buildings of one site looked after by a
 * grid worker; a household lives in a building. Residents gain moved-out facts (迁出).
 * Joins for roll-ups: resident → household.building_id → building.grid_id → grid.
 */
export class BuildingsAndGrids1764300000000 implements MigrationInterface {
  name = 'BuildingsAndGrids1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE grid (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES site (id),
        name text NOT NULL,
        grid_worker_subject text,
        grid_worker_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (site_id, name)
      )`);
    await q.query(
      `COMMENT ON COLUMN grid.grid_worker_subject IS 'The token subject (sub) of the grid worker (网格员) in charge'`,
    );
    await q.query(`CREATE INDEX grid_worker ON grid (grid_worker_subject)`);
    await q.query(`
      CREATE TABLE building (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES site (id),
        grid_id uuid REFERENCES grid (id),
        name text NOT NULL,
        floors int CHECK (floors IS NULL OR floors > 0),
        leader_resident_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (site_id, name),
        UNIQUE (id, site_id)
      )`);
    await q.query(
      `COMMENT ON COLUMN building.leader_resident_id IS 'The building leader (楼栋长), a resident of the site'`,
    );
    await q.query(`CREATE INDEX building_grid ON building (grid_id)`);
    await q.query(`ALTER TABLE household ADD COLUMN building_id uuid REFERENCES building (id)`);
    await q.query(`CREATE INDEX household_building ON household (building_id)`);
    await q.query(`CREATE INDEX household_site ON household (site_id, household_number)`);
    await q.query(`ALTER TABLE resident
      ADD COLUMN moved_out_on date,
      ADD COLUMN moved_out_reason text,
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`CREATE INDEX resident_site_birth ON resident (site_id, birth_date)`);
    await q.query(`CREATE INDEX resident_site_labour ON resident (site_id, labour_capacity, name, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX resident_site_labour; DROP INDEX resident_site_birth`);
    await q.query(
      `ALTER TABLE resident DROP COLUMN moved_out_on, DROP COLUMN moved_out_reason, DROP COLUMN updated_at`,
    );
    await q.query(`ALTER TABLE household DROP COLUMN building_id`);
    await q.query(`DROP TABLE building; DROP TABLE grid`);
  }
}
