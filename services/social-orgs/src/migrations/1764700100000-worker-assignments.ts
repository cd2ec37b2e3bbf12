import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 管 as history (issue 20): each change of a social worker's sites is kept, so the 进管考出 timeline
 * shows who served where and since when. Workers hired before this keep one row: their current
 * sites, from the day they joined.
 */
export class WorkerAssignments1764700100000 implements MigrationInterface {
  name = 'WorkerAssignments1764700100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE worker_assignment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        worker_id uuid NOT NULL REFERENCES social_worker(id),
        organization_id uuid NOT NULL REFERENCES organization(id),
        site_ids uuid[] NOT NULL,
        assigned_at timestamptz NOT NULL,
        assigned_by text NOT NULL
      )`);
    await q.query(`CREATE INDEX worker_assignment_worker ON worker_assignment (worker_id, seq)`);
    await q.query(`INSERT INTO worker_assignment (worker_id, organization_id, site_ids, assigned_at, assigned_by)
                   SELECT id, organization_id, site_ids, joined_on::timestamp AT TIME ZONE 'Asia/Shanghai', 'migration'
                     FROM social_worker WHERE cardinality(site_ids) > 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE worker_assignment`);
  }
}
