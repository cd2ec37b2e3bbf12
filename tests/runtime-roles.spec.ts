import { randomUUID } from 'node:crypto';
import { createDataSource, loadConfig, platformSettings, type DataSourceOptions } from '@anju/kit';
import { TestSystem } from '@anju/testing';
import { governanceData } from '../services/governance/src/data-source';
import { employmentData } from '../services/employment/src/data-source';
import { socialOrgsData } from '../services/social-orgs/src/data-source';
import { matchingData } from '../services/matching/src/data-source';

/**
 * Each service runs as its own runtime role, not as the owner that migrated its schema: it reads
 * and writes its tables, cannot change their shape, and cannot alter its append-only tables.
 */
describe('runtime roles', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'roles', workers: [], gateway: false });
  });
  afterAll(() => sys?.stop());

  /** Per service: its data options and its append-only tables, each with a column to try to change. */
  const services: [string, Omit<DataSourceOptions, 'applicationName'> & { runtimeRole?: string }, [string, string][]][] = [
    ['governance', governanceData as never, [['audit_log', 'action'], ['points_entry', 'kind']]],
    ['employment', employmentData as never, []],
    ['social_orgs', socialOrgsData as never, [['audit_log', 'action']]],
    ['matching', matchingData as never, []],
  ];

  it.each(services)('%s runs as its own role: DML yes, DDL and history edits no', async (schema, data, appendOnly) => {
    const db = createDataSource(loadConfig(platformSettings, sys.env), { ...data, entities: [], applicationName: `roles-${schema}` });
    await db.initialize();
    try {
      expect(data.runtimeRole).toBe(`${schema}_app`);
      expect(await db.query('SELECT current_user AS "user"')).toEqual([{ user: `${schema}_app` }]);
      expect(await db.query(`SELECT count(*)::int AS n FROM inbox`)).toEqual([{ n: 0 }]);
      // DML on an ordinary table: insert, update, delete — each seen by the next read.
      const id = randomUUID();
      await db.query(`INSERT INTO inbox (event_id, event) VALUES ($1, 'role.probe')`, [id]);
      await db.query(`UPDATE inbox SET event = 'role.probed' WHERE event_id = $1`, [id]);
      expect(await db.query(`SELECT event FROM inbox WHERE event_id = $1`, [id])).toEqual([{ event: 'role.probed' }]);
      await db.query(`DELETE FROM inbox WHERE event_id = $1`, [id]);
      expect(await db.query(`SELECT count(*)::int AS n FROM inbox`)).toEqual([{ n: 0 }]);
      await expect(db.query(`CREATE TABLE ${schema}.sneaky (i int)`)).rejects.toThrow(/permission denied/);
      await expect(db.query(`ALTER TABLE outbox ADD COLUMN sneaky int`)).rejects.toThrow(/must be owner/);
      for (const [table, column] of appendOnly) {
        await expect(db.query(`UPDATE ${table} SET ${column} = ${column}`)).rejects.toThrow(/permission denied/);
        await expect(db.query(`DELETE FROM ${table}`)).rejects.toThrow(/permission denied/);
      }
    } finally {
      await db.destroy();
    }
  });
});
