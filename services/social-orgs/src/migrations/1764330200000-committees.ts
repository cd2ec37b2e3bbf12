import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Professional committees (专业委员会) with expert members, and consultations with the advice they gave. */
export class Committees1764330200000 implements MigrationInterface {
  name = 'Committees1764330200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE committee (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        name text NOT NULL,
        field text NOT NULL,
        region_code text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (region_code, name)
      )`);
    await q.query(`CREATE INDEX committee_region ON committee (region_code text_pattern_ops)`);
    await q.query(`
      CREATE TABLE committee_member (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        committee_id uuid NOT NULL REFERENCES committee(id),
        name text NOT NULL,
        expertise text NOT NULL,
        affiliation text,
        organization_id uuid REFERENCES organization(id),
        joined_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX committee_member_committee ON committee_member (committee_id, seq)`);
    await q.query(`
      CREATE TABLE consultation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        committee_id uuid NOT NULL REFERENCES committee(id),
        organization_id uuid REFERENCES organization(id),
        site_id uuid,
        topic text NOT NULL,
        problem text NOT NULL,
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'ADVISED')),
        advice text,
        advised_by uuid[] NOT NULL DEFAULT '{}',
        advised_at timestamptz,
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX consultation_committee ON consultation (committee_id, seq)`);
    await q.query(`CREATE INDEX consultation_org ON consultation (organization_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['consultation', 'committee_member', 'committee']) await q.query(`DROP TABLE ${t}`);
  }
}
