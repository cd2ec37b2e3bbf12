import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { SERVICES } from '@anju/contracts';
import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { buildPortal, portalOperations } from '@anju/portal';
import { seed } from '@anju/devtools/src/seed/seed';
import { addDays, provinceDate } from '@anju/kit';
import { inkedPixels, launchBrowser, screenshot, signIn, tableValues } from './portal/browser';

/** The text of one of the portal's own operations, to ask the gateway what the page should show. */
const op = (name: string) => portalOperations().find((o) => o.name === name)!.text;
const COUNTY = '530627';
const DEMAND_STATUSES = ['open', 'claimed', 'inProgress', 'fulfilled', 'closed', 'cancelled'];
const rate = (x: number) => String(Number(x.toFixed(4)));

/**
 * The portal in a real browser (Debian's chromium, headless), served by the gateway of a real
 * system on the demo data (its own database and queue prefix), with the persisted-query
 * safelist on: every operation the pages send must be one of the portal's own.
 */
describe('the portal in a browser', () => {
  let sys: TestSystem;
  let browser: Browser;
  let base: string;
  let dist: string;
  let countyToken: string;

  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-portal-e2e-'));
    await buildPortal(dist);
    sys = await TestSystem.start({
      label: 'portal',
      apis: [],
      workers: [],
      gateway: false,
      env: { PORTAL_DIR: dist, PORTAL_SAFELIST: 'on' },
    });
    await seed({ scale: 'demo', seed: 1, databaseUrl: sys.db.url, env: sys.env });
    for (const s of SERVICES) await sys.startApi(s);
    for (const s of SERVICES) await sys.startWorker(s);
    // The first monitoring run's gaps become grid tasks and job-help demands through the workers.
    await sys.waitForIdle(90_000);
    // One claim of the county past its promised date, as matching's overdue task flags it: the county page lists it.
    await sys.sql(`UPDATE matching.demand SET overdue_since = now() WHERE id = (SELECT id FROM matching.demand
      WHERE status = 'claimed' AND region_code = '${COUNTY}' ORDER BY id LIMIT 1)`);
    base = new URL(await sys.startGateway()).origin;
    browser = await launchBrowser();
    countyToken = await tokenFor({ role: 'county', regions: [COUNTY] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  async function newPage(width = 1366, height = 768): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewport({ width, height });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    (page as Page & { problems: string[] }).problems = problems;
    return page;
  }
  const problemsOf = (page: Page) => (page as Page & { problems: string[] }).problems;

  /** Every chart on the page drew something, and its table holds `expected` (row by row). */
  async function expectChart(page: Page, name: string, expected: string[][]) {
    await page.waitForSelector(`[data-chart="${name}"] canvas`);
    expect(await inkedPixels(page, name)).toBeGreaterThan(200);
    expect(await tableValues(page, name)).toEqual(expected);
  }

  it("a county officer drills down to a site and a household, each chart drawn with the API's numbers", async () => {
    const page = await newPage();
    await signIn(page, base, 'county', '镇雄县');
    expect(await page.evaluate(() => location.hash)).toBe(`#/region/${COUNTY}`);

    // The county: its sites side by side.
    const sites = dataOf(await sys.query(op('RegionSites'), { regionCode: COUNTY }, countyToken)).sites.nodes as {
      id: string;
      name: string;
    }[];
    const siteName = new Map(sites.map((s) => [s.id, s.name]));
    const rollup = dataOf(await sys.query(op('MonitoringRollup'), { level: 'SITE', under: COUNTY }, countyToken))
      .monitoringRollup as Record<string, any>[];
    expect(rollup.length).toBeGreaterThan(0);
    await page.waitForSelector('[data-chart="pass-rate"] canvas');
    await expectChart(
      page,
      'pass-rate',
      rollup.map((r) => [siteName.get(r.code)!, rate(r.passRate)]),
    );
    await expectChart(
      page,
      'rule-failures',
      rollup.map((r) => [
        siteName.get(r.code)!,
        ...[r.failingTraining, r.failingWelfarePost, r.failingEmployed, r.failingIncome].map(String),
      ]),
    );
    const demands = dataOf(await sys.query(op('DemandsByStatus'), { regionCode: COUNTY }, countyToken)) as Record<
      string,
      { totalCount: number }
    >;
    expect(demands.open.totalCount).toBeGreaterThan(0);
    await expectChart(
      page,
      'demands',
      DEMAND_STATUSES.map((s, i) => [
        ['待认领', '已认领', '办理中', '已完成', '已关闭', '已取消'][i],
        String(demands[s].totalCount),
      ]),
    );
    const activities = dataOf(await sys.query(op('Activities'), {}, countyToken)).activities.nodes as Record<
      string,
      any
    >[];
    await expectChart(
      page,
      'activities',
      activities
        .filter((a) => siteName.has(a.siteId))
        .slice(0, 12)
        .map((a) => [a.title, String(a.registeredCount), String(a.attendedCount)]),
    );
    // Gaps opened and closed over the page's 30 days: the first monitoring run opened the demo's gaps.
    await page.waitForSelector('[data-chart="gap-flow"] canvas');
    const flowDays = (await tableValues(page, 'gap-flow')).map((r) => r[0]);
    expect(flowDays).toHaveLength(30);
    const flow = dataOf(
      await sys.query(
        op('GapFlow'),
        { level: 'COUNTY', code: COUNTY, from: flowDays[0], to: flowDays[29] },
        countyToken,
      ),
    ).gapFlow as { day: string; opened: number; closed: number }[];
    expect(flow.reduce((n, d) => n + d.opened, 0)).toBeGreaterThan(0);
    await expectChart(
      page,
      'gap-flow',
      flow.map((d) => [d.day, String(d.opened), String(d.closed)]),
    );
    // Claims past their promised date, in the county: the count and the rows the API gives.
    const overdue = dataOf(await sys.query(op('OverdueClaims'), { regionCode: COUNTY }, countyToken)).demands;
    await page.waitForSelector('[data-count="overdue"]');
    expect(overdue.totalCount).toBe(1);
    expect(await page.$eval('[data-count="overdue"]', (e) => e.textContent)).toBe('1');
    expect((await tableValues(page, 'overdue-claims')).map((r) => r[4])).toEqual(
      overdue.nodes.map((d: { promisedOn: string }) => d.promisedOn),
    );
    await page.waitForSelector('[data-chart="trend"] canvas, [data-chart="trend"] .empty');
    await page.waitForSelector('[data-chart="points"] canvas, [data-chart="points"] .empty');
    expect(await tableValues(page, 'sites')).toEqual(
      (
        dataOf(await sys.query(op('RegionSites'), { regionCode: COUNTY }, countyToken)).sites.nodes as Record<
          string,
          any
        >[]
      ).map((s) => [s.name, s.householdCount, s.residentCount, s.openDemandCount].map(String)),
    );
    await screenshot(page, 'portal-county');

    // A site: its grids' charts, masked residents with filters and paging, lists, notices, demands.
    const busiest = sites.find((s) => s.name === '靖安家园') ?? sites[0];
    await Promise.all([
      page.waitForSelector('[data-table="residents"]'),
      page.click(`[data-table="sites"] a[href="#/site/${busiest.id}"]`),
    ]);
    const site = dataOf(await sys.query(op('SitePage'), { id: busiest.id }, countyToken));
    expect(await page.$eval('[data-fact="residents"]', (e) => e.textContent)).toBe(String(site.site.residentCount));
    const gridName = new Map((site.grids as { id: string; name: string }[]).map((g) => [g.id, g.name]));
    const grids = (
      dataOf(await sys.query(op('MonitoringRollup'), { level: 'GRID', under: COUNTY }, countyToken))
        .monitoringRollup as Record<string, any>[]
    ).filter((r) => gridName.has(r.code));
    await expectChart(
      page,
      'pass-rate',
      grids.map((r) => [gridName.get(r.code)!, rate(r.passRate)]),
    );
    const siteDemands = dataOf(await sys.query(op('DemandsByStatus'), { siteId: busiest.id }, countyToken)) as Record<
      string,
      { totalCount: number }
    >;
    expect((await tableValues(page, 'demands')).map((r) => r[1])).toEqual(
      DEMAND_STATUSES.map((s) => String(siteDemands[s].totalCount)),
    );
    expect(await inkedPixels(page, 'demands')).toBeGreaterThan(200);

    const residents = dataOf(await sys.query(op('SiteResidents'), { siteId: busiest.id }, countyToken)).residents;
    const shown = await tableValues(page, 'residents');
    expect(shown).toHaveLength(20);
    expect(shown.map((r) => r[1])).toEqual(
      residents.nodes.map((r: { nationalIdMasked: string }) => r.nationalIdMasked),
    );
    for (const row of shown) expect(row[1]).toMatch(/^\d{6}\*{12}$/); // the county code only
    expect(await page.$eval('.pager', (e) => e.textContent)).toContain(`共 ${residents.totalCount} 条`);
    // Filter by labour capacity: the table follows the API's answer.
    const weak = dataOf(
      await sys.query(op('SiteResidents'), { siteId: busiest.id, filter: { labourCapacity: 'WEAK' } }, countyToken),
    ).residents;
    await page.select('select[name=labourCapacity]', 'WEAK');
    await page.waitForFunction(
      (n) => document.querySelector('#residents .pager')?.textContent?.includes(`共 ${n} 条`),
      {},
      weak.totalCount,
    );
    expect(new Set((await tableValues(page, 'residents')).map((r) => r[6]))).toEqual(new Set(['弱劳动力']));
    await page.select('select[name=labourCapacity]', '');
    await page.waitForFunction(
      (n) => document.querySelector('#residents .pager')?.textContent?.includes(`共 ${n} 条`),
      {},
      residents.totalCount,
    );
    await page.waitForFunction(() =>
      [...document.querySelectorAll('h2')].some((h) => h.textContent!.startsWith('网格任务')),
    );
    await screenshot(page, 'portal-site');
    // 导出全部: the whole register as the service exports it (every page, not the 20 rows on screen), audited.
    await page.evaluate(() => {
      const w = window as unknown as { downloads: { name: string; bytes: number }[] };
      w.downloads = [];
      HTMLAnchorElement.prototype.click = function click(this: HTMLAnchorElement) {
        fetch(this.href)
          .then((r) => r.blob())
          .then((b) => w.downloads.push({ name: this.download, bytes: b.size }));
      };
    });
    await page.click('[data-table="residents"] [data-export-whole="/files/governance/exports/residents"]');
    await page.waitForFunction(() => (window as unknown as { downloads: unknown[] }).downloads.length === 1);
    const [download] = await page.evaluate(
      () => (window as unknown as { downloads: { name: string; bytes: number }[] }).downloads,
    );
    expect(download.name).toBe('居民名单（脱敏）.xlsx');
    expect(download.bytes).toBeGreaterThan(1_000);
    expect(await sys.sql(`SELECT site_id FROM governance.audit_log WHERE action = 'export.residents'`)).toEqual([
      { site_id: busiest.id },
    ]);

    // A household: members masked, the four rules with reasons, gaps, and a reveal that asks why.
    const householdId = residents.nodes[0].household.id as string;
    await Promise.all([
      page.waitForSelector('[data-table="members"]'),
      page.click(`[data-table="residents"] a[href="#/household/${householdId}"]`),
    ]);
    const household = dataOf(await sys.query(op('HouseholdPage'), { id: householdId }, countyToken)).household;
    expect((await tableValues(page, 'members')).map((r) => r[2])).toEqual(
      household.residents.map((m: { nationalIdMasked: string }) => m.nationalIdMasked),
    );
    const ruleStates = await page.$$eval('[data-rule]', (els) =>
      els.map((e) => [e.getAttribute('data-rule'), e.className]),
    );
    expect(ruleStates).toHaveLength(4);
    for (const [rule, state] of ruleStates)
      expect(state).toBe(household.incomeStability.failedRules.includes(rule) ? 'fail' : 'pass');

    // What is being done about its gaps: its own grid tasks and demands, as the API lists them.
    const followUp = dataOf(await sys.query(op('HouseholdFollowUp'), { siteId: busiest.id, householdId }, countyToken));
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('h2')].some((h) => h.textContent === '正在做的帮扶') &&
        !document.querySelector('.loading'),
    );
    const titles = async (table: string) =>
      (await page.$(`[data-table="${table}"]`)) ? (await tableValues(page, table)).map((r) => r[0]) : [];
    expect(await titles('household-tasks')).toEqual(followUp.gridTasks.nodes.map((t: { title: string }) => t.title));
    expect((await titles('household-demands')).length).toBe(followUp.demands.nodes.length);

    const member = household.residents[0] as { id: string };
    await page.click(`button[data-reveal="${member.id}"]`);
    await page.type('form.reveal input[name=reason]', '看');
    await page.click('form.reveal button[type=submit]');
    await page.waitForSelector('[data-field-error="reason"]');
    expect(await page.$eval('[data-field-error="reason"]', (e) => e.textContent)).toBe(
      '请说明查看原因（2到200个字）。',
    );
    expect(await sys.sql(`SELECT 1 FROM governance.audit_log WHERE entity_id = $1`, [member.id])).toHaveLength(0);
    await page.type('form.reveal input[name=reason]', '电话回访就业情况');
    await page.click('form.reveal button[type=submit]');
    await page.waitForSelector(`[data-revealed="${member.id}"]`);
    const revealed = await page.$eval(`[data-revealed="${member.id}"]`, (e) => e.textContent!);
    expect(revealed).not.toContain('*');
    expect(revealed).toMatch(/\d{17}[\dX]/);
    const audit = await sys.sql(
      `SELECT actor_role, action, detail FROM governance.audit_log WHERE entity_type = 'Resident' AND entity_id = $1`,
      [member.id],
    );
    expect(audit).toEqual([
      {
        actor_role: 'county',
        action: 'resident.reveal_contact',
        detail: { fields: ['nationalId', 'phone'], reason: '看电话回访就业情况' },
      },
    ]);
    await screenshot(page, 'portal-household');
    expect(problemsOf(page)).toEqual([]);
  });

  it('an NGO sees its own activities, social workers, cases and contracts, and none of another NGO', async () => {
    const orgs = await sys.sql<{ id: string; name: string }>(
      `SELECT o.id, o.name FROM social_orgs.organization o WHERE EXISTS (SELECT 1 FROM social_orgs.activity a
        WHERE a.organization_id = o.id) ORDER BY o.name LIMIT 2`,
    );
    expect(orgs).toHaveLength(2);
    const [a, b] = orgs;
    const bActivities = await sys.sql<{ title: string }>(
      `SELECT title FROM social_orgs.activity WHERE organization_id = $1`,
      [b.id],
    );
    const aCount = await sys.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM social_orgs.activity WHERE organization_id = $1`,
      [a.id],
    );
    const page = await newPage();
    await signIn(page, base, 'ngo_member', a.name);
    await page.waitForSelector('[data-table="ngo-activities"]');
    expect(await page.$eval('h1', (e) => e.textContent)).toContain(a.name);
    const rows = await tableValues(page, 'ngo-activities');
    expect(rows).toHaveLength(Math.min(aCount[0].n, 50));
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set([a.name]));
    const text = await page.$eval('main', (e) => e.textContent!);
    expect(text).not.toContain(b.name);
    for (const act of bActivities) if (!rows.some((r) => r[0] === act.title)) expect(text).not.toContain(act.title);
    // The roster of one of its activities (registrations, waiting list), and a check-in (签到).
    const [act] = await sys.sql<{ id: string; title: string; registration: string }>(
      `SELECT a.id, a.title, min(r.id::text) AS registration FROM social_orgs.activity a
         JOIN social_orgs.activity_registration r ON r.activity_id = a.id AND r.status = 'REGISTERED'
        WHERE a.organization_id = $1 GROUP BY a.id, a.title, a.created_at ORDER BY a.created_at LIMIT 1`,
      [a.id],
    );
    expect(act).toBeDefined();
    // Check-in is open only around the activity's time: hold this one now, on the system's clock.
    const now = sys.clock.now().getTime();
    await sys.sql(`UPDATE social_orgs.activity SET starts_at = $2, ends_at = $3 WHERE id = $1`, [
      act.id,
      new Date(now - 3_600_000).toISOString(),
      new Date(now + 86_400_000).toISOString(),
    ]);
    await page.evaluate((title) => {
      [...document.querySelectorAll<HTMLButtonElement>('[data-table="ngo-activities"] tbody tr button.link')]
        .find((b) => b.textContent === title)!
        .click();
    }, act.title);
    await page.waitForSelector(`[data-roster="${act.id}"] button[data-check-in]`);
    const registered = await page.$$eval(`[data-roster="${act.id}"] button[data-check-in]`, (bs) => bs.length);
    const id = await page.$eval(`[data-roster="${act.id}"] button[data-check-in]`, (b) =>
      b.getAttribute('data-check-in')!,
    );
    await page.click(`[data-roster="${act.id}"] button[data-check-in="${id}"]`);
    await page.waitForFunction(
      (sel, n) => document.querySelectorAll(sel).length === n - 1,
      {},
      `[data-roster="${act.id}"] button[data-check-in]`,
      registered,
    );
    expect(await sys.sql(`SELECT status FROM social_orgs.activity_registration WHERE id = $1`, [id])).toEqual([
      { status: 'ATTENDED' },
    ]);
    await screenshot(page, 'portal-ngo');
    expect(problemsOf(page)).toEqual([]);
  });

  it('a grid worker sees today’s tasks, overdue items and the households of the grid on a phone', async () => {
    const [grid] = await sys.sql<{ id: string; site_id: string; name: string; site: string }>(
      `SELECT g.id, g.site_id, g.name, s.name AS site FROM governance.grid g JOIN governance.site s ON s.id = g.site_id
        WHERE EXISTS (SELECT 1 FROM governance.grid_task t WHERE t.grid_id = g.id AND t.status = 'open')
          ORDER BY s.name, g.name LIMIT 1`,
    );
    const page = await newPage(390, 844);
    await signIn(page, base, 'grid_worker', grid.site, grid.id);
    expect(await page.evaluate(() => location.hash)).toBe('#/grid');
    await page.waitForSelector('[data-list="households"]');
    const token = await tokenFor({ role: 'grid_worker', sites: [grid.site_id], grids: [grid.id] });
    const today = dataOf(await sys.query(op('GridWorkerToday'), {}, token));
    expect(today.gridTasks.totalCount).toBeGreaterThan(0);
    expect(await page.$$eval('[data-list="tasks"] li', (els) => els.length)).toBe(today.gridTasks.nodes.length);
    const households = dataOf(
      await sys.query(op('GridHouseholds'), { siteId: grid.site_id, gridId: grid.id }, token),
    ).households;
    expect(await page.$$eval('[data-list="households"] li', (els) => els.length)).toBe(households.nodes.length);
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'portal-grid-worker');

    // Complete the first task: without a note the note's error shows beside it; with one, it is done.
    const task = today.gridTasks.nodes[0] as { id: string };
    await page.click(`button[data-complete="${task.id}"]`);
    await page.type('form.complete textarea[name=note]', '好');
    await page.click('form.complete button[type=submit]');
    await page.waitForSelector('[data-field-error="note"]');
    expect(await page.$eval('[data-field-error="note"]', (e) => e.textContent)).toBe('请写明做了什么（2到1000个字）。');
    await page.type('form.complete textarea[name=note]', '，已上门登记参加技能培训');
    await page.click('form.complete button[type=submit]');
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-list="tasks"] li').length === n - 1,
      {},
      today.gridTasks.nodes.length,
    );
    expect(await sys.sql(`SELECT status, note FROM governance.grid_task WHERE id = $1`, [task.id])).toEqual([
      { status: 'done', note: '好，已上门登记参加技能培训' },
    ]);
    expect(problemsOf(page)).toEqual([]);
  });

  it('a regional unit claims a demand; a date in the past is refused beside the date field', async () => {
    const [unit] = await sys.sql<{ name: string }>(`SELECT name FROM matching.unit ORDER BY name LIMIT 1`);
    const page = await newPage();
    await signIn(page, base, 'unit_member', unit.name);
    await page.waitForSelector('[data-table="unit-demands"] form');
    const demandRows = await tableValues(page, 'unit-demands');
    expect(demandRows.length).toBeGreaterThan(0);
    const form = (await page.$('[data-table="unit-demands"] form'))!;
    await form.$eval('input[name=promisedOn]', (el) => {
      const input = el as HTMLInputElement;
      input.value = '2020-01-01';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await form.$eval('button[type=submit]', (el) => (el as HTMLButtonElement).click());
    await page.waitForSelector('[data-field-error="promisedOn"]');
    expect(await page.$eval('[data-field-error="promisedOn"]', (e) => e.textContent)).toBe(
      '承诺完成日期不能早于今天。',
    );
    const before = (await tableValues(page, 'unit-demands')).length;
    const claimedBefore = (
      await sys.sql<{ id: string }>(`SELECT id FROM matching.demand WHERE status = 'claimed'`)
    ).map((d) => d.id);
    await form.$eval(
      'input[name=promisedOn]',
      (el, date) => {
        const input = el as HTMLInputElement;
        input.value = date;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      },
      addDays(provinceDate(sys.clock.now()), 7),
    );
    await form.$eval('button[type=submit]', (el) => (el as HTMLButtonElement).click());
    // Claimed: it leaves the list of open demands — or the page says why not, and the test says it too.
    const outcome = await page.waitForFunction(
      (n) => {
        const table = document.querySelector('[data-table="unit-demands"]');
        if (!table || table.querySelectorAll('tbody tr').length === n - 1) return 'claimed';
        const said = table.querySelector('[data-field-error], .state.error');
        return said ? `refused: ${said.textContent}` : false;
      },
      {},
      before,
    );
    expect(await outcome.jsonValue()).toBe('claimed');
    expect(
      await sys.sql(`SELECT promised_on::text FROM matching.demand WHERE status = 'claimed' AND NOT id = ANY($1)`, [
        claimedBefore,
      ]),
    ).toEqual([{ promised_on: addDays(provinceDate(sys.clock.now()), 7) }]);
    await screenshot(page, 'portal-unit');
    expect(problemsOf(page)).toEqual([]);
  });

  it('a site officer lands on the site; an expired sign-in sends the clerk back to sign in, in words', async () => {
    const [site] = await sys.sql<{ id: string; name: string }>(
      `SELECT id, name FROM governance.site ORDER BY name LIMIT 1`,
    );
    const page = await newPage();
    await signIn(page, base, 'site_officer', site.name);
    expect(await page.evaluate(() => location.hash)).toBe(`#/site/${site.id}`);
    await page.waitForSelector('[data-table="residents"]');
    // The token goes bad (expired, or signed by a retired key): the page says so and forgets it.
    await page.evaluate(() => {
      const s = JSON.parse(sessionStorage.getItem('anju.session')!);
      sessionStorage.setItem('anju.session', JSON.stringify({ ...s, token: `${s.token.slice(0, -4)}AAAA` }));
      location.reload();
    });
    await page.waitForSelector('.state.error');
    expect(await page.$eval('.state.error p', (e) => e.textContent)).toBe('登录已过期或无效，请重新登录。');
    expect(await page.evaluate(() => sessionStorage.getItem('anju.session'))).toBeNull();
    await Promise.all([page.waitForSelector('form.sign-in'), page.click('.state.error a[href="#/sign-in"]')]);
    expect(problemsOf(page)).toEqual([]);
  });

  it('refuses a free-form query from a browser on the portal', async () => {
    const page = await newPage();
    await signIn(page, base, 'county', '镇雄县');
    const answer = await page.evaluate(async () => {
      const s = JSON.parse(sessionStorage.getItem('anju.session')!);
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
        body: JSON.stringify({ query: '{ residents(first: 50) { nodes { name } } }' }),
      });
      return { status: res.status, body: await res.json() };
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
  });
});
