import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Organizations1764201900000 implements MigrationInterface {
  name = 'Organizations1764201900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organization (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('professional', 'public_welfare', 'mutual_aid')),
        stage text NOT NULL DEFAULT 'applied' CHECK (stage IN ('applied', 'incubating', 'registered', 'graduated')),
        service_region_codes text[] NOT NULL CHECK (cardinality(service_region_codes) > 0),
        credit_code text UNIQUE,
        registered_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX organization_regions ON organization USING gin (service_region_codes)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE organization`);
  }
}
