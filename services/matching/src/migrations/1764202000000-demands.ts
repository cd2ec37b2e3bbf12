import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Demands1764202000000 implements MigrationInterface {
  name = 'Demands1764202000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE demand (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES site_directory (site_id),
        region_code varchar(6) NOT NULL,
        category text NOT NULL,
        description text NOT NULL,
        urgency text NOT NULL CHECK (urgency IN ('low', 'normal', 'high', 'critical')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'claimed', 'in_progress', 'fulfilled', 'closed',
          'cancelled')),
        languages text[] NOT NULL DEFAULT '{}',
        required_skills text[] NOT NULL DEFAULT '{}',
        window_start date,
        window_end date,
        household_id uuid,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CHECK (window_end IS NULL OR window_start IS NULL OR window_end >= window_start)
      )`);
    await q.query(`CREATE INDEX demand_site_recorded ON demand (site_id, recorded_at DESC, id)`);
    await q.query(`CREATE INDEX demand_open ON demand (site_id) WHERE status = 'open'`);
    await q.query(`CREATE INDEX demand_region ON demand (region_code text_pattern_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE demand`);
  }
}
