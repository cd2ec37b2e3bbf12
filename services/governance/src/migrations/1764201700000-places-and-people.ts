import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PlacesAndPeople1764201700000 implements MigrationInterface {
  name = 'PlacesAndPeople1764201700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE region (
        code varchar(6) PRIMARY KEY CHECK (code ~ '^(\\d{2}|\\d{4}|\\d{6})$'),
        name text NOT NULL,
        level text NOT NULL CHECK (level IN ('province', 'prefecture', 'county')),
        parent_code varchar(6) REFERENCES region (code)
      )`);
    await q.query(`CREATE INDEX region_parent ON region (parent_code)`);
    await q.query(`
      CREATE TABLE site (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        region_code varchar(6) NOT NULL REFERENCES region (code),
        address text NOT NULL,
        latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
        longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
        planned_households int NOT NULL CHECK (planned_households >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (region_code, name)
      )`);
    await q.query(`CREATE INDEX site_region_code ON site (region_code text_pattern_ops, name)`);
    await q.query(`
      CREATE TABLE household (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES site (id),
        household_number text NOT NULL,
        address text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (site_id, household_number)
      )`);
    await q.query(`
      CREATE TABLE resident (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        household_id uuid NOT NULL REFERENCES household (id),
        site_id uuid NOT NULL REFERENCES site (id),
        region_code varchar(6) NOT NULL,
        name text NOT NULL,
        national_id_sealed bytea NOT NULL,
        national_id_hash bytea NOT NULL,
        national_id_masked text NOT NULL,
        phone_sealed bytea,
        phone_masked text,
        gender text NOT NULL CHECK (gender IN ('male', 'female')),
        birth_date date NOT NULL,
        ethnicity text NOT NULL,
        labour_capacity text NOT NULL CHECK (labour_capacity IN ('full', 'weak', 'none')),
        can_work_away boolean NOT NULL,
        wants_work boolean NOT NULL,
        relation_to_head text NOT NULL,
        moved_in_on date,
        registered_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `COMMENT
       ON COLUMN resident.national_id_hash IS 'HMAC-SHA256 of the ID number: uniqueness across the province ` +
        `and exact search, without decrypting'`,
    );
    // One person cannot be resettled twice, anywhere in the province.
    await q.query(`CREATE UNIQUE INDEX resident_national_id_hash ON resident (national_id_hash)`);
    await q.query(`CREATE INDEX resident_site_name ON resident (site_id, name, id)`);
    await q.query(`CREATE INDEX resident_household ON resident (household_id)`);
    await q.query(`CREATE INDEX resident_region ON resident (region_code text_pattern_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE resident; DROP TABLE household; DROP TABLE site; DROP TABLE region`);
  }
}
