import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Public disclosure (居务公开): notices by category for chosen sites, published at their time
 * by a scheduled job, withdrawn or expiring; residents mark them read; officers see read rates.
 */
export class Notices1764300500000 implements MigrationInterface {
  name = 'Notices1764300500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notice (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        category text NOT NULL CHECK (category IN ('finance', 'subsidy', 'points', 'resolution', 'affairs', 'other')),
        title text NOT NULL,
        body text NOT NULL,
        publish_at timestamptz NOT NULL,
        expires_at timestamptz,
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'published', 'withdrawn')),
        published_at timestamptz,
        withdrawn_reason text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (expires_at IS NULL OR expires_at > publish_at)
      )`);
    await q.query(`CREATE INDEX notice_due ON notice (publish_at) WHERE status = 'scheduled'`);
    await q.query(`
      CREATE TABLE notice_site (
        notice_id uuid NOT NULL REFERENCES notice (id),
        site_id uuid NOT NULL REFERENCES site (id),
        region_code varchar(6) NOT NULL,
        PRIMARY KEY (notice_id, site_id)
      )`);
    await q.query(`CREATE INDEX notice_site_site ON notice_site (site_id, notice_id)`);
    await q.query(`
      CREATE TABLE notice_read (
        notice_id uuid NOT NULL REFERENCES notice (id),
        resident_id uuid NOT NULL REFERENCES resident (id),
        site_id uuid NOT NULL,
        read_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (notice_id, resident_id)
      )`);
    await q.query(`CREATE INDEX notice_read_site ON notice_read (notice_id, site_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notice_read; DROP TABLE notice_site; DROP TABLE notice`);
  }
}
