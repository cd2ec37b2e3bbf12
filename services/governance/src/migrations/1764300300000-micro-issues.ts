import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Micro self-governance (楼宇自治): micro-issues and micro-disputes (微难题/微矛盾) routed
 * building leader → grid worker → community mediation → legal adviser, each level with a
 * deadline; every level an issue passes through is kept as a step (for statistics).
 * Community enthusiasts (热心人) of a building are kept beside the building leader.
 */
export class MicroIssues1764300300000 implements MigrationInterface {
  name = 'MicroIssues1764300300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE micro_issue (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES site (id),
        region_code varchar(6) NOT NULL,
        building_id uuid REFERENCES building (id),
        grid_id uuid REFERENCES grid (id),
        kind text NOT NULL CHECK (kind IN ('issue', 'dispute')),
        title text NOT NULL,
        description text NOT NULL,
        reported_by_subject text NOT NULL,
        reported_by_role text NOT NULL,
        reported_by_resident_id uuid REFERENCES resident (id),
        level text NOT NULL CHECK (level IN ('building_leader', 'grid_worker', 'mediation', 'legal_adviser')),
        level_due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
        escalations int NOT NULL DEFAULT 0,
        opened_at timestamptz NOT NULL,
        resolved_at timestamptz,
        resolved_by text,
        outcome text CHECK (outcome IN ('solved', 'agreement', 'referred', 'withdrawn')),
        outcome_note text,
        CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX micro_issue_site ON micro_issue (site_id, status, opened_at, id)`);
    await q.query(`CREATE INDEX micro_issue_grid ON micro_issue (grid_id, status)`);
    await q.query(`CREATE INDEX micro_issue_due ON micro_issue (level_due_at) WHERE status = 'open'`);
    await q.query(`CREATE INDEX micro_issue_reporter ON micro_issue (reported_by_resident_id)`);
    await q.query(`
      CREATE TABLE micro_issue_step (
        id bigserial PRIMARY KEY,
        micro_issue_id uuid NOT NULL REFERENCES micro_issue (id),
        level text NOT NULL,
        entered_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        left_at timestamptz,
        left_because text CHECK (left_because IN ('escalated', 'deadline', 'resolved')),
        note text
      )`);
    await q.query(`CREATE INDEX micro_issue_step_issue ON micro_issue_step (micro_issue_id, id)`);
    await q.query(`
      CREATE TABLE building_helper (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        building_id uuid NOT NULL REFERENCES building (id),
        resident_id uuid NOT NULL REFERENCES resident (id),
        since date NOT NULL DEFAULT current_date,
        UNIQUE (building_id, resident_id)
      )`);
    await q.query(`COMMENT ON TABLE building_helper IS 'Community enthusiasts (热心人) who help the building leader'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE building_helper; DROP TABLE micro_issue_step; DROP TABLE micro_issue`);
  }
}
