import { SERVICE_DECLARATIONS } from '@anju/contracts';
import { TestSystem } from '@anju/testing';

/**
 * Every table of every service says what it holds (COMMENT ON TABLE, in the migration that makes it
 * or a later one), read from the migrated database, so a new table without one fails here.
 */
describe('table descriptions', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'tables', workers: [], gateway: false });
  }, 120_000);
  afterAll(() => sys?.stop());

  it('has a description for every table of every service', async () => {
    const tables = await sys.sql<{ table: string; description: string | null }>(
      `SELECT n.nspname || '.' || c.relname AS table, obj_description(c.oid, 'pg_class') AS description
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY($1)
        ORDER BY 1`,
      [SERVICE_DECLARATIONS.map((d) => d.pgSchema)],
    );
    expect(new Set(tables.map((t) => t.table.split('.')[0])).size).toBe(SERVICE_DECLARATIONS.length);
    expect(tables.filter((t) => !t.description?.trim()).map((t) => t.table)).toEqual([]);
  });
});
