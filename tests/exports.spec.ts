import { SERVICES } from '@anju/contracts';
import { seed } from '@anju/devtools/src/seed/seed';
import { TestSystem, fileRequest, rootOf, sheetRows, tokenFor } from '@anju/testing';

/**
 * Exports (导出) of every service on the demo data (镇雄县), through the gateway: the file holds
 * what the caller's scope holds (counted against SQL), in Chinese headers, audited in the owning
 * service's audit log; another county gets nothing of it; the expensive-operations rate applies;
 * a partner calls social-orgs' /files directly.
 */
const COUNTY = '530627';

describe('exports to .xlsx', () => {
  let sys: TestSystem;
  let root: string;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'exports', apis: [], workers: [], gateway: false });
    await seed({ scale: 'demo', seed: 1, databaseUrl: sys.db.url, env: sys.env });
    for (const s of SERVICES) await sys.startApi(s);
    for (const s of SERVICES) await sys.startWorker(s);
    await sys.waitForIdle(90_000);
    root = rootOf(await sys.startGateway());
  }, 180_000);
  afterAll(() => sys?.stop());

  const county = (sub: string, region = COUNTY) => tokenFor({ role: 'county', regions: [region], sub });
  const count = async (sql: string) => Number((await sys.sql(sql))[0].n);

  it('gives each list of the county in scope, in Chinese headers, every row, audited where it lives', async () => {
    const cases: [string, string, string, string][] = [
      [
        'governance/exports/residents',
        '身份证号',
        `SELECT count(*) AS n FROM governance.resident WHERE region_code = '${COUNTY}' AND moved_out_on IS NULL`,
        'governance',
      ],
      [
        'governance/exports/households',
        '户编号',
        `SELECT count(*) AS n FROM governance.household h JOIN governance.site s ON s.id = h.site_id
          WHERE s.region_code = '${COUNTY}'`,
        'governance',
      ],
      [
        'governance/exports/grid-tasks',
        '任务',
        `SELECT count(*) AS n FROM governance.grid_task WHERE region_code = '${COUNTY}'`,
        'governance',
      ],
      [
        'employment/exports/gaps',
        '未通过的规则',
        `SELECT count(*) AS n FROM employment.household_status WHERE region_code = '${COUNTY}'
          AND cardinality(failed) > 0`,
        'employment',
      ],
      [
        'matching/exports/demands',
        '认领单位',
        `SELECT count(*) AS n FROM matching.demand WHERE region_code = '${COUNTY}'`,
        'matching',
      ],
      [
        'social-orgs/exports/activity-roster',
        '姓名',
        `SELECT count(*) AS n FROM social_orgs.activity_registration r JOIN social_orgs.organization o
          ON o.id = r.organization_id
        WHERE EXISTS (SELECT 1 FROM unnest(o.service_region_codes) c WHERE c LIKE '${COUNTY}%')`,
        'social_orgs',
      ],
      ['governance/exports/points-monthly', '获积分人数', '', 'governance'],
    ];
    for (const [path, header, sql, schema] of cases) {
      const sub = `clerk-${path.split('/').pop()}`;
      const res = await fileRequest(root, `/files/${path}`, { token: await county(sub) });
      expect(`${path} ${res.status} ${JSON.stringify(res.json ?? '')}`).toBe(`${path} 200 ""`);
      const sheet = await sheetRows(res.bytes!);
      expect(sheet[0]).toContain(header);
      if (sql) {
        const n = await count(sql);
        expect(n).toBeGreaterThan(0);
        expect(`${path} ${sheet.length - 1}`).toBe(`${path} ${n}`);
      }
      const audited = await count(
        `SELECT count(*) AS n FROM ${schema}.audit_log WHERE actor_subject = '${sub}' AND action LIKE 'export.%'`,
      );
      expect(`${path} ${audited}`).toBe(`${path} 1`);
    }
  });

  it('keeps other counties out, refuses roles without the right, and rate-limits exports as expensive', async () => {
    const [site] = await sys.sql(`SELECT id FROM governance.site WHERE region_code = $1 LIMIT 1`, [COUNTY]);
    const other = await county('clerk-elsewhere', '530102');
    for (const path of ['governance/exports/residents', 'employment/exports/gaps', 'matching/exports/demands']) {
      const res = await fileRequest(root, `/files/${path}?siteId=${site.id}`, { token: other });
      expect(`${path} ${res.status} ${res.json?.errors?.[0]?.extensions?.code}`).toBe(`${path} 403 FORBIDDEN`);
      const all = await fileRequest(root, `/files/${path}`, {
        token: await county(`clerk-elsewhere-${path}`, '530102'),
      });
      expect(`${path} ${(await sheetRows(all.bytes!)).length}`).toBe(`${path} 1`);
    }
    const resident = await tokenFor({
      role: 'resident',
      resident: '00000000-0000-4000-8000-000000000001',
      sites: [site.id],
    });
    expect((await fileRequest(root, '/files/governance/exports/residents', { token: resident })).status).toBe(403);
    // EXPENSIVE_RATE_LIMIT_BURST (3) exports at once, then RATE_LIMITED with Retry-After.
    const token = await county('clerk-busy');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await fileRequest(root, '/files/governance/exports/households', { token })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await fileRequest(root, '/files/governance/exports/households', { token });
    expect(limited.json?.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it("gives a partner NGO its own activities' rosters, straight from social-orgs", async () => {
    const [org] = await sys.sql(
      `SELECT organization_id AS id, count(*)::int AS n FROM social_orgs.activity_registration GROUP BY 1
        ORDER BY 2 DESC LIMIT 1`,
    );
    const ngo = await tokenFor({ role: 'ngo_member', org: org.id, sub: 'ngo-clerk' });
    const res = await fileRequest(rootOf(sys.urls['social-orgs']!), '/files/exports/activity-roster', { token: ngo });
    expect(res.status).toBe(200);
    const sheet = await sheetRows(res.bytes!);
    expect(sheet[0]).toEqual(['活动', '开始时间', '姓名', '联系方式', '状态', '报名时间', '签到时间']);
    expect(sheet.length - 1).toBe(org.n);
    // Contacts are masked on the roster; no phone number leaves whole.
    expect(sheet.flat().some((c) => /1[3-9]\d{9}/.test(c))).toBe(false);
  });
});
