import { randomUUID } from 'node:crypto';
import {
  createDataSource,
  generateSigningKeys,
  loadConfig,
  platformSettings,
  serviceLoginUrl,
  type DataSourceOptions,
} from '@anju/kit';
import { startWorker } from '@anju/contracts';
import { service as matching } from '@anju/matching';
import { service as governance } from '@anju/governance';
import { service as employment } from '@anju/employment';
import { service as socialOrgs } from '@anju/social-orgs';
import { REGISTER_RESIDENT, TestSystem, dataOf, residentInput, tokenFor, withClient } from '@anju/testing';

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
  const services: [
    string,
    Omit<DataSourceOptions, 'applicationName'> & { runtimeRole?: string },
    [string, string][],
  ][] = [
    [
      'governance',
      governance.data,
      [
        ['audit_log', 'action'],
        ['points_entry', 'kind'],
      ],
    ],
    ['employment', employment.data, [['audit_log', 'action']]],
    ['social_orgs', socialOrgs.data, [['audit_log', 'action']]],
    ['matching', matching.data, [['audit_log', 'action']]],
  ];

  it.each(services)('%s runs as its own role: DML yes, DDL and history edits no', async (schema, data, appendOnly) => {
    const db = createDataSource(loadConfig(platformSettings, sys.env), {
      ...data,
      applicationName: `roles-${schema}`,
    });
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

  /** Per service: a table with a trigger to try to disable, and another service's schema to try to read. */
  const logins: [string, string, string][] = [
    ['governance', 'audit_log', 'employment'],
    ['employment', 'outbox', 'governance'],
    ['social_orgs', 'audit_log', 'governance'],
    ['matching', 'outbox', 'social_orgs'],
  ];

  it.each(logins)(
    "attack: %s's own login cannot become the owner, alter or un-trigger its tables, or read another schema",
    async (schema, table, other) => {
      const role = `${schema}_app`;
      const outcome = await withClient(serviceLoginUrl(sys.db.url, role), async (c) => {
        const tryIt = (sql: string) =>
          c.query(sql).then(
            () => 'done',
            (e: Error) => e.message,
          );
        const who = async () => (await c.query('SELECT session_user AS s, current_user AS u')).rows[0];
        const before = await who();
        const reset = await tryIt('RESET ROLE');
        const afterReset = await who();
        return {
          before,
          reset,
          afterReset,
          setOwner: await tryIt('SET ROLE postgres'),
          alter: await tryIt(`ALTER TABLE ${schema}.${table} ADD COLUMN sneaky int`),
          disableTrigger: await tryIt(`ALTER TABLE ${schema}.${table} DISABLE TRIGGER ALL`),
          replicationRole: await tryIt(`SET session_replication_role = replica`),
          otherSchema: await tryIt(`SELECT count(*) FROM ${other}.outbox`),
        };
      });
      expect(outcome).toEqual({
        before: { s: role, u: role },
        reset: 'done',
        afterReset: { s: role, u: role },
        setOwner: expect.stringMatching(/permission denied/),
        alter: expect.stringMatching(/must be owner/),
        disableTrigger: expect.stringMatching(/must be owner/),
        replicationRole: expect.stringMatching(/permission denied/),
        otherSchema: expect.stringMatching(/permission denied for schema/),
      });
      // Nothing changed: the column is not there, the triggers are enabled.
      expect(
        await sys.sql(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2
            AND column_name = 'sneaky'`,
          [schema, table],
        ),
      ).toEqual([]);
      expect(
        await sys.sql(`SELECT tgname FROM pg_trigger WHERE tgrelid = $1::regclass AND tgenabled = 'D'`, [
          `${schema}.${table}`,
        ]),
      ).toEqual([]);
    },
  );

  it("attack: governance's login can't change a points balance with no ledger entry (refused at commit)", async () => {
    // A resident with 10 points, straight through governance (this file runs no gateway).
    const province = await tokenFor({ role: 'province', regions: ['53'] });
    const gov = (q: string, i: Record<string, unknown>, token = province) =>
      sys.direct('governance', q, { i }, token).then(dataOf);
    for (const [code, name] of [
      ['53', '云南省'],
      ['5301', '昆明市'],
      ['530102', '五华区'],
    ]) {
      await gov(`mutation($i: RegisterRegionInput!) { registerRegion(input: $i) { code } }`, { code, name });
    }
    const site = (
      await gov(`mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }`, {
        regionCode: '530102',
        name: '安置点1',
        address: '五华区安居路1号',
        latitude: 25.05,
        longitude: 102.7,
        plannedHouseholds: 300,
      })
    ).registerSite;
    const household = (
      await gov(`mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`, {
        siteId: site.id,
        householdNumber: 'HH-1-001',
        address: '1栋1单元101',
      })
    ).registerHousehold;
    const resident = (await gov(REGISTER_RESIDENT, residentInput(household.id, 901))).registerResident;
    const noAccount = (await gov(REGISTER_RESIDENT, residentInput(household.id, 903))).registerResident;
    const officer = await tokenFor({ role: 'site_officer', sites: [site.id] });
    await gov(
      `mutation($i: AdjustPointsInput!) { adjustPoints(input: $i) { balanceAfter } }`,
      { residentId: resident.id, points: 10, reason: '清理楼道' },
      officer,
    );
    const state = () =>
      sys.sql(
        `SELECT a.balance, (SELECT count(*)::int FROM governance.points_entry e
          WHERE e.resident_id = a.resident_id) AS entries
      FROM governance.points_account a WHERE a.resident_id = $1`,
        [resident.id],
      );
    expect(await state()).toEqual([{ balance: 10, entries: 1 }]);
    const outcome = await withClient(serviceLoginUrl(sys.db.url, 'governance_app'), async (c) => {
      const tryIt = (sql: string, params: unknown[] = []) =>
        c.query(sql, params).then(
          () => 'done',
          (e: Error) => e.message,
        );
      const tryTx = async (...sqls: string[]) => {
        await c.query('BEGIN');
        for (const sql of sqls) {
          const r = await tryIt(sql);
          if (r !== 'done') {
            await c.query('ROLLBACK');
            return r;
          }
        }
        return tryIt('COMMIT');
      };
      const set = `UPDATE governance.points_account SET balance = balance + 1000 WHERE resident_id = '${resident.id}'`;
      return {
        direct: await tryIt(set),
        inTransaction: await tryTx(set),
        checkedAtOnce: await tryTx('SET CONSTRAINTS ALL IMMEDIATE', set),
        deferredAgain: await tryTx('SET CONSTRAINTS ALL DEFERRED', set),
        newAccount: await tryIt(
          `INSERT INTO governance.points_account (resident_id, balance) VALUES ('${noAccount.id}', 500)`,
        ),
        // With an entry of a different amount: still refused.
        mismatched: await tryTx(
          `INSERT INTO governance.points_entry (resident_id, site_id, region_code, kind, points, balance_after,
            reason, actor, occurred_at)
            SELECT a.resident_id, r.site_id, r.region_code, 'grant', 1, a.balance + 1, 'probe', 'probe', now()
              FROM governance.points_account a JOIN governance.resident r ON r.id = a.resident_id
                WHERE a.resident_id = '${resident.id}'`,
          set,
        ),
      };
    });
    const refused = expect.stringMatching(/does not match its ledger/);
    expect(outcome).toEqual({
      direct: refused,
      inTransaction: refused,
      checkedAtOnce: refused,
      deferredAgain: refused,
      newAccount: refused,
      mismatched: refused,
    });
    // Nothing changed: the balance still equals its one ledger entry.
    expect(await state()).toEqual([{ balance: 10, entries: 1 }]);
    expect(
      await sys.sql(`SELECT count(*)::int AS n FROM governance.points_account WHERE resident_id = $1`, [noAccount.id]),
    ).toEqual([{ n: 0 }]);
  });

  it('the running services log in as their own logins, not as the owner', async () => {
    // /ready runs a query on each subgraph's pool, so each has a session open.
    for (const url of Object.values(sys.urls)) expect((await fetch(new URL('/ready', url!))).status).toBe(200);
    const sessions = await sys.sql<{ usename: string }>(
      `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database()
        AND application_name LIKE '%-api'`,
    );
    expect(sessions.map((s) => s.usename).sort()).toEqual([
      'employment_app',
      'governance_app',
      'matching_app',
      'social_orgs_app',
    ]);
  });

  it('in production a service refuses to run as the owner; it runs as its own login, no owner URL', async () => {
    // Matching's volunteer import: the hash key and the upload key (without them it would not start, as employment's).
    const production = {
      ...sys.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      MATCHING_PORT: '0',
      ...(await generateSigningKeys('roles')),
      PII_HASH_KEY: 'cd'.repeat(32),
      UPLOAD_SEALING_KEY: 'ef'.repeat(32),
    };
    delete (production as Record<string, string>).AUTH_PRIVATE_KEY;
    await expect(matching.startApi(matching.loadConfig({ ...production, DATABASE_URL: sys.db.url }))).rejects.toThrow(
      /must log in as its own login \(matching_app\)/,
    );
    const api = await matching.startApi(
      matching.loadConfig({ ...production, DATABASE_URL: serviceLoginUrl(sys.db.url, 'matching_app') }),
    );
    try {
      expect(await api.db.query('SELECT session_user AS s')).toEqual([{ s: 'matching_app' }]);
    } finally {
      await api.lifecycle.stop('test');
    }
  });

  it("in production only governance's subgraph needs the PII keys: its worker runs without them", async () => {
    const { AUTH_PUBLIC_KEYS } = await generateSigningKeys('pii');
    const env = {
      ...sys.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      AUTH_PUBLIC_KEYS,
      GOVERNANCE_PORT: '0',
      GOVERNANCE_WORKER_HEALTH_PORT: '0',
      DATABASE_URL: serviceLoginUrl(sys.db.url, 'governance_app'),
    };
    await expect(governance.startApi(governance.loadConfig(env))).rejects.toThrow(/PII_ENCRYPTION_KEY: required/);
    const worker = await startWorker(governance, governance.loadConfig(env));
    await worker.lifecycle.stop('test');
  });

  it("in production employment's subgraph imports without the ID-number key: hash and upload keys only", async () => {
    const { AUTH_PUBLIC_KEYS } = await generateSigningKeys('uploads');
    const env = {
      ...sys.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      AUTH_PUBLIC_KEYS,
      EMPLOYMENT_PORT: '0',
      DATABASE_URL: serviceLoginUrl(sys.db.url, 'employment_app'),
      PII_HASH_KEY: 'cd'.repeat(32),
    };
    await expect(employment.startApi(employment.loadConfig(env))).rejects.toThrow(/UPLOAD_SEALING_KEY: required/);
    // PII_ENCRYPTION_KEY is not one of its settings: given, it is not read.
    expect(Object.keys(employment.loadConfig(env))).not.toContain('PII_ENCRYPTION_KEY');
    const api = await employment.startApi(employment.loadConfig({ ...env, UPLOAD_SEALING_KEY: 'ef'.repeat(32) }));
    try {
      expect(await api.db.query('SELECT session_user AS s')).toEqual([{ s: 'employment_app' }]);
    } finally {
      await api.lifecycle.stop('test');
    }
  });
});
