import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Rule of virtue (德治): model residents (先进典范) nominated and recognized, with the reason. */
export class ModelResidents1764300800000 implements MigrationInterface {
  name = 'ModelResidents1764300800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE model_resident (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        resident_id uuid NOT NULL REFERENCES resident (id),
        site_id uuid NOT NULL REFERENCES site (id),
        region_code varchar(6) NOT NULL,
        title text NOT NULL,
        reason text NOT NULL,
        year int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        status text NOT NULL DEFAULT 'nominated' CHECK (status IN ('nominated', 'recognized', 'rejected')),
        nominated_by text NOT NULL,
        nominated_at timestamptz NOT NULL DEFAULT now(),
        decided_by text,
        decided_at timestamptz,
        decision_note text,
        UNIQUE (resident_id, title, year)
      )`);
    await q.query(`CREATE INDEX model_resident_site ON model_resident (site_id, status, year DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE model_resident`);
  }
}
