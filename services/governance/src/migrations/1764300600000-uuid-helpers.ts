import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Safe casts for ids that arrive as text from the API: `x = as_uuid($1)` and `x = ANY(as_uuids($1))`
 * keep the primary-key and foreign-key indexes usable (a `x::text = $1` comparison cannot use
 * them), and a malformed id simply matches nothing instead of raising a cast error.
 */
export class UuidHelpers1764300600000 implements MigrationInterface {
  name = 'UuidHelpers1764300600000';

  async up(q: QueryRunner): Promise<void> {
    const re = `'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'`;
    await q.query(`CREATE FUNCTION as_uuid(t text) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT CASE WHEN t ~ ${re} THEN t::uuid END $$`);
    await q.query(`CREATE FUNCTION as_uuids(t text[]) RETURNS uuid[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT coalesce(array_agg(x::uuid), '{}') FROM unnest(t) x WHERE x ~ ${re} $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION as_uuids(text[]); DROP FUNCTION as_uuid(text)`);
  }
}
