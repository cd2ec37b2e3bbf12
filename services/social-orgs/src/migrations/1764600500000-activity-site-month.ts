import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A site's activities by start time: this month's activities and active partners on the site's dashboard. */
export class ActivitySiteMonth1764600500000 implements MigrationInterface {
  name = 'ActivitySiteMonth1764600500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX activity_site_starts ON activity (site_id, starts_at)`);
    await q.query(`CREATE INDEX micro_service_site_active ON micro_service (site_id) WHERE active`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX activity_site_starts, micro_service_site_active`);
  }
}
