import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables that shared migrations (the kit's, the contract's, TypeORM's) make in a service's schema. */
const SHARED_TABLES: Record<string, string> = {
  migrations: "TypeORM's record of the migrations run on this schema, one row each; never edited by hand.",
  outbox: 'Events committed with the change that caused them; the relay moves them to BullMQ (transactional outbox).',
  inbox: 'Events this service has applied, one row per event id: a redelivered event is skipped (exactly-once effect).',
  dead_letter: 'Events whose handling failed every attempt, kept for an operator to retry or discard (pnpm dlq).',
  audit_log:
    'Append-only trail of every write, export and reveal: who, in which role, what, on which record, by which request.',
  site_directory: 'The sites governance registered (site.registered), kept here for scope, roll-ups and distances.',
  site_counter: 'Counts per site kept up to date by triggers, so dashboards read one row per site instead of counting.',
  import_job:
    'A spreadsheet import: its kind, mode, progress, outcome and error report; the sealed file while it runs.',
};

/**
 * A migration that gives every table of a service's schema its description (COMMENT ON TABLE),
 * read by portal developers and operators in psql (`\dt+`) and checked by tests/table-descriptions.spec.ts.
 * `tables` describes the service's own tables; the shared ones present in the schema are described here.
 */
export function tableDescriptionsMigration(
  timestamp: number,
  tables: Record<string, string>,
): new () => MigrationInterface {
  const name = `TableDescriptions${timestamp}`;
  const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const migration = class implements MigrationInterface {
    name = name;

    async up(q: QueryRunner): Promise<void> {
      const present: { t: string }[] = await q.query(
        `SELECT t FROM unnest($1::text[]) t WHERE to_regclass(quote_ident(t)) IS NOT NULL`,
        [Object.keys(SHARED_TABLES)],
      );
      const all = { ...Object.fromEntries(present.map(({ t }) => [t, SHARED_TABLES[t]])), ...tables };
      for (const [table, text] of Object.entries(all)) await q.query(`COMMENT ON TABLE ${table} IS ${quote(text)}`);
    }

    async down(q: QueryRunner): Promise<void> {
      for (const table of Object.keys(tables)) await q.query(`COMMENT ON TABLE ${table} IS NULL`);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}
