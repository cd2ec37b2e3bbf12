import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A demand's assignments, every status, for a list of demands in one query (only active ones had an index). */
export class AssignmentsByDemand1764400100000 implements MigrationInterface {
  name = 'AssignmentsByDemand1764400100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX assignment_demand ON assignment (demand_id, proposed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX assignment_demand`);
  }
}
