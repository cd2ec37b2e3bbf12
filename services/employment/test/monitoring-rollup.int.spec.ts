import { TestSystem, dataOf, tokenFor, type Place } from '@anju/testing';
import type { DataSource } from 'typeorm';
import { monitoringNightlyTask } from '../src/monitoring/monitoring.task';
import { startMonitoringWorld } from './helpers';

/**
 * The gap list, the roll-ups and the nightly run over a world of their own (employment.int.spec.ts's tests add
 * households and change them): households A and B as registered, both failing, and nothing else in the province.
 */
describe('employment monitoring: the gap list, roll-ups and the nightly run', () => {
  let sys: TestSystem;
  let place: Place;
  let province: string;
  let officerA: string;
  let officerB: string;
  let hhA: string;
  let r1: string;

  const q = (query: string, vars: Record<string, unknown> = {}, token = province) => sys.query(query, vars, token);
  const ok = async (query: string, vars: Record<string, unknown> = {}, token = province) =>
    dataOf(await q(query, vars, token));

  beforeAll(async () => {
    ({ sys, place, province, officerA, officerB, hhA, r1 } = await startMonitoringWorld('employment-rollup'));
  }, 120_000);
  afterAll(() => sys?.stop(), 60_000);

  it('lists failing households in scope, filters them, and exports CSV', async () => {
    const GAPS = `query($f: GapFilter) { householdGaps(filter: $f) { totalCount nodes { household {
      id } failedRules } } }`;
    const all = (await ok(GAPS, {})).householdGaps;
    expect(all.totalCount).toBeGreaterThanOrEqual(1);
    const onlyB = (await ok(GAPS, {}, officerB)).householdGaps;
    // Site B's officer sees site B's one household (failing: nobody trained) and nothing of site A.
    expect(onlyB.nodes.map((n: { household: { id: string } }) => n.household.id)).toEqual([place.householdIds[1]]);
    const job = (await ok(GAPS, { f: { rules: ['EMPLOYED_MEMBER'], siteId: place.siteIds[0] } })).householdGaps;
    expect(job.nodes.map((n: { household: { id: string } }) => n.household.id)).toEqual([hhA]);
    const csv = (await ok(`query($f: GapFilter) { householdGapsCsv(filter: $f) }`, { f: { regionCode: '5301' } }))
      .householdGapsCsv as string;
    const lines = csv.trim().split('\n');
    expect(lines[0]).toMatch(/^household_id,site_id,region_code,grid_id,failed_rules/);
    expect(lines.length - 1).toBe(all.totalCount);
    expect(csv).toContain(`${hhA},${place.siteIds[0]},530102`);
    const resident = await tokenFor({ role: 'resident', resident: r1 });
    expect((await q(GAPS, {}, resident)).errors![0].extensions?.code).toBe('FORBIDDEN');
  });

  it('rolls rates up by site, county, prefecture and province; the nightly run keeps a trend snapshot', async () => {
    const ROLLUP = `query($l: MonitoringLevel!) { monitoringRollup(level: $l) {
      code households passing passRate failingEmployed } }`;
    const county = (await ok(ROLLUP, { l: 'COUNTY' })).monitoringRollup;
    expect(county).toEqual([expect.objectContaining({ code: '530102', households: 2 })]);
    expect((await ok(ROLLUP, { l: 'PREFECTURE' })).monitoringRollup[0]).toMatchObject({
      code: '5301',
      households: 2,
    });
    expect((await ok(ROLLUP, { l: 'PROVINCE' })).monitoringRollup[0]).toMatchObject({ code: '53', households: 2 });
    expect((await ok(ROLLUP, { l: 'SITE' }, officerA)).monitoringRollup).toEqual([
      expect.objectContaining({ code: place.siteIds[0], households: 1 }),
    ]);

    // The scheduled task, run with a controlled clock (02:00 in the province on 2026-06-01).
    const db = { query: undefined } as unknown as DataSource;
    expect(monitoringNightlyTask(db, sys.clock).cron).toBe('30 1 * * *');
    const { DataSource: DS } = await import('typeorm');
    const ds = new DS({
      type: 'postgres',
      url: sys.db.url,
      extra: { options: '-c search_path=employment,public', max: 1 },
    });
    await ds.initialize();
    try {
      const result = (await monitoringNightlyTask(ds, { now: () => new Date('2026-05-31T18:00:00Z') }).run()) as {
        day: string;
        households: number;
      };
      expect(result).toMatchObject({ day: '2026-06-01', households: 2 });
    } finally {
      await ds.destroy();
    }
    const trend = (
      await ok(
        `query { monitoringTrend(level: COUNTY, code: "530102", from: "2026-05-01", to: "2026-06-30") {
          day households passing passRate } }`,
      )
    ).monitoringTrend;
    expect(trend).toEqual([expect.objectContaining({ day: '2026-06-01', households: 2 })]);
    expect(
      (
        await q(
          `query { monitoringTrend(level: COUNTY, code: "530102", from: "2026-05-01", to: "2026-06-30") { day } }`,
          {},
          await tokenFor({ role: 'county', regions: ['530103'] }),
        )
      ).errors![0].extensions?.code,
    ).toBe('FORBIDDEN');
  });
});
