import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A migration that gives a service its runtime role `<schema>_app`: read and write on every table
 * of the schema (now and later), nothing else — no DDL, and no UPDATE/DELETE/TRUNCATE on the
 * append-only tables named. The service then runs with `runtimeRole` set in its data options, so
 * what is revoked here it cannot do, whatever user it logs in as. Listed last in a service's
 * migrations; roles are cluster-wide, grants per database.
 */
export function runtimeRoleMigration(
  schema: string,
  timestamp: number,
  appendOnlyTables: string[] = [],
): new () => MigrationInterface {
  const role = `${schema}_app`;
  const name = `RuntimeRole${timestamp}`;
  const migration = class implements MigrationInterface {
    name = name;

    async up(q: QueryRunner): Promise<void> {
      await q.query(`DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} NOLOGIN; END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $$`);
      await q.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
      await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
      await q.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
      await q.query(
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`,
      );
      await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE ON SEQUENCES TO ${role}`);
      for (const table of appendOnlyTables)
        await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${schema}.${table} FROM ${role}`);
    }

    async down(q: QueryRunner): Promise<void> {
      await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${role}`);
      await q.query(`REVOKE USAGE ON SCHEMA ${schema} FROM ${role}`);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}
