import { randomUUID } from 'node:crypto';
import { REGISTER_RESIDENT, TestSystem, dataOf, residentInput, seedPlace, tokenFor, type Place } from '@anju/testing';

/**
 * The counts a site dashboard shows — households and residents (governance), labour profiles
 * (employment), open demands (matching) — are counters kept by triggers in the transaction of
 * each change. After every kind of change, by a mutation, an event, a batch of rows in one
 * statement, or events delivered again, every counter equals a fresh COUNT.
 */
describe('site counters', () => {
  let sys: TestSystem;
  let place: Place;
  let officer: string;

  /** Every site whose counter differs from a fresh count, in any of the three services (none expected). */
  async function staleCounters() {
    return sys
      .sql(
        `
      SELECT 'governance' AS service, s.id, coalesce(c.households, 0) AS counter, (SELECT count(*)::int
        FROM governance.household h WHERE h.site_id = s.id) AS fresh, 'households' AS what
        FROM governance.site s LEFT JOIN governance.site_counter c ON c.site_id = s.id
      UNION ALL
      SELECT 'governance', s.id, coalesce(c.residents, 0), (SELECT count(*)::int FROM governance.resident r
        WHERE r.site_id = s.id AND r.moved_out_on IS NULL), 'residents'
        FROM governance.site s LEFT JOIN governance.site_counter c ON c.site_id = s.id
      UNION ALL
      SELECT 'employment', s.id, coalesce(c.labour_profiles, 0), (SELECT count(*)::int
        FROM employment.labour_profile p WHERE p.site_id = s.id), 'labour profiles'
        FROM governance.site s LEFT JOIN employment.site_counter c ON c.site_id = s.id
      UNION ALL
      SELECT 'matching', s.id, coalesce(c.open_demands, 0), (SELECT count(*)::int FROM matching.demand d
        WHERE d.site_id = s.id AND d.status = 'open'), 'open demands'
        FROM governance.site s LEFT JOIN matching.site_counter c ON c.site_id = s.id
    `,
      )
      .then((rows) => rows.filter((r) => r.counter !== r.fresh));
  }

  async function totals() {
    const [row] = await sys.sql(`SELECT
        (SELECT coalesce(sum(households), 0)::int FROM governance.site_counter) AS households,
        (SELECT coalesce(sum(residents), 0)::int FROM governance.site_counter) AS residents,
        (SELECT coalesce(sum(labour_profiles), 0)::int FROM employment.site_counter) AS profiles,
        (SELECT coalesce(sum(open_demands), 0)::int FROM matching.site_counter) AS "openDemands"`);
    return row;
  }

  /** A dashboard's counts through the gateway, as the county officer sees them. */
  async function dashboard(siteId: string) {
    const d = dataOf(
      await sys.query(
        `query($id: ID!) { site(id: $id) { householdCount residentCount openDemandCount } labourProfiles(siteId: $id,
          first: 1) { totalCount } }`,
        { id: siteId },
        officer,
      ),
    );
    return { ...d.site, profiles: d.labourProfiles.totalCount };
  }

  const openDemands = async (siteId: string) =>
    (
      await sys.sql(`SELECT count(*)::int AS n FROM matching.demand WHERE site_id = $1 AND status = 'open'`, [siteId])
    )[0].n as number;

  async function publishFromEmployment(event: string, payload: Record<string, unknown>) {
    await sys.sql(`INSERT INTO employment.outbox (id, event, version, payload) VALUES ($1, $2, 1, $3)`, [
      randomUUID(),
      event,
      JSON.stringify(payload),
    ]);
  }

  /** A demand recorded by the county officer at a site; its id. */
  const record = async (siteId: string) =>
    dataOf(
      await sys.query(
        `mutation($i: RecordDemandInput!) { recordDemand(input: $i) { id } }`,
        { i: { siteId, category: 'ELDERLY_CARE', description: '独居老人每周探访' } },
        officer,
      ),
    ).recordDemand.id as string;
  const step = async (name: string, id: string) =>
    dataOf(await sys.query(`mutation($d: ID!) { ${name}(demandId: $d) { status } }`, { d: id }, officer));
  /** A resident registered in a household (sequence n of the ID numbers); their id. */
  const register = async (household: string, n: number) =>
    dataOf(await sys.query(REGISTER_RESIDENT, { i: residentInput(household, n) }, officer)).registerResident
      .id as string;
  const moveOut = async (id: string) =>
    dataOf(
      await sys.query(
        `mutation($id: ID!, $i: MoveOutResidentInput!) { moveOutResident(id: $id, input: $i) { id } }`,
        { id, i: { movedOutOn: new Date().toISOString().slice(0, 10), reason: '务工迁出' } },
        officer,
      ),
    );

  beforeAll(async () => {
    // No response cache: the dashboard read after each change shows what the counters hold now.
    sys = await TestSystem.start({ label: 'counters', env: { GATEWAY_RESPONSE_CACHE: 'false' } });
    place = await seedPlace(sys, 2);
    officer = await tokenFor({ role: 'county', regions: ['530102'] });
    await sys.waitForIdle();
  }, 180_000);
  afterAll(() => sys?.stop());

  it('hold after households and residents are registered, updated, moved out (by mutations and events)', async () => {
    const [siteA, siteB] = place.siteIds;
    // Counted from what the site holds before (the other tests add to it too).
    const before = await totals();
    const [beforeA, beforeB] = [await dashboard(siteA), await dashboard(siteB)];
    const hh = dataOf(
      await sys.query(
        `mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`,
        { i: { siteId: siteB, householdNumber: 'HH-2-002', address: '2栋1单元101' } },
        officer,
      ),
    ).registerHousehold;
    const ids: string[] = [];
    for (const [n, household] of [
      [1, place.householdIds[0]],
      [2, place.householdIds[0]],
      [3, place.householdIds[1]],
      [4, hh.id],
    ] as const) {
      ids.push(await register(household, n));
    }
    dataOf(
      await sys.query(
        `mutation($id: ID!) { updateResident(id: $id, input: { labourCapacity: WEAK, wantsWork: false }) { id } }`,
        { id: ids[1] },
        officer,
      ),
    );
    await moveOut(ids[2]);
    await sys.waitForIdle();

    expect(await staleCounters()).toEqual([]);
    expect(await totals()).toMatchObject({
      households: before.households + 1,
      residents: before.residents + 3,
      profiles: before.profiles + 4,
    });
    expect(await dashboard(siteA)).toEqual({
      householdCount: beforeA.householdCount,
      residentCount: beforeA.residentCount + 2,
      openDemandCount: await openDemands(siteA),
      profiles: beforeA.profiles + 2,
    });
    expect(await dashboard(siteB)).toEqual({
      householdCount: beforeB.householdCount + 1,
      residentCount: beforeB.residentCount + 1,
      openDemandCount: await openDemands(siteB),
      profiles: beforeB.profiles + 2,
    });
  });

  it('hold as demands are recorded and cancelled, and as gap events open and close them', async () => {
    const [siteA, siteB] = place.siteIds;
    const d1 = await record(siteA);
    const d2 = await record(siteA);
    const d3 = await record(siteB);
    const openA = await openDemands(siteA);
    await step('cancelDemand', d1);
    await step('cancelDemand', d2);
    expect(await staleCounters()).toEqual([]);
    expect(await dashboard(siteA)).toMatchObject({ openDemandCount: openA - 2 });

    // Employment's monitoring finds a job gap (matching raises a demand), then sees it closed.
    const openB = await openDemands(siteB);
    const gapId = randomUUID();
    const gap = { gapId, householdId: place.householdIds[1], siteId: siteB, regionCode: '530102' };
    await publishFromEmployment('household.gap.detected', {
      ...gap,
      rules: ['EMPLOYED_MEMBER'],
      needsJobHelp: true,
      detectedOn: '2026-11-30',
    });
    await sys.waitForIdle();
    expect(await staleCounters()).toEqual([]);
    expect(await dashboard(siteB)).toMatchObject({ openDemandCount: openB + 1 });
    await publishFromEmployment('household.gap.closed', { ...gap, closedOn: '2026-11-30' });
    await sys.waitForIdle();
    expect(await staleCounters()).toEqual([]);
    expect(await dashboard(siteB)).toMatchObject({ openDemandCount: openB });
    await step('cancelDemand', d3);
    expect(await staleCounters()).toEqual([]);
  });

  it('hold when many rows of several sites change in one statement, as batched handlers and imports do', async () => {
    const [siteA, siteB] = place.siteIds;
    // Rows for each statement below to change: a resident of site A moved out (their labour profile at site A),
    // a cancelled demand there.
    await moveOut(await register(place.householdIds[0], 5));
    await step('cancelDemand', await record(siteA));
    await sys.waitForIdle();
    const before = await totals();
    const [{ n: movedOut }] = await sys.sql(
      `SELECT count(*)::int AS n FROM governance.resident WHERE moved_out_on IS NOT NULL`,
    );
    await sys.sql(
      `INSERT INTO governance.household (site_id, household_number, address)
      SELECT s, 'BATCH-' || i || '-' || left(s::text, 4), '9栋' || i FROM unnest($1::uuid[]) s, generate_series(1, 5) i`,
      [[siteA, siteB]],
    );
    await sys.sql(
      `UPDATE governance.household SET site_id = $2 WHERE household_number LIKE 'BATCH-1-%' AND site_id = $1`,
      [siteA, siteB],
    );
    await sys.sql(`DELETE FROM governance.household WHERE household_number LIKE 'BATCH-5-%'`);
    await sys.sql(`UPDATE governance.resident SET moved_out_on = NULL WHERE moved_out_on IS NOT NULL`);
    await sys.sql(`UPDATE matching.demand SET status = 'open' WHERE status IN ('closed', 'cancelled')`);
    await sys.sql(`UPDATE employment.labour_profile SET site_id = $2 WHERE site_id = $1`, [siteA, siteB]);
    expect(await staleCounters()).toEqual([]);
    // Ten households in, two deleted; every resident moved out is back; the profiles only moved.
    expect(await totals()).toMatchObject({
      households: before.households + 8,
      residents: before.residents + movedOut,
      profiles: before.profiles,
    });
  });

  it('hold when every event is delivered again', async () => {
    // Events of its own to deliver again: two residents registered (employment counts their profiles), one moved
    // out; a demand recorded.
    await register(place.householdIds[1], 6);
    await moveOut(await register(place.householdIds[1], 7));
    await record(place.siteIds[1]);
    await sys.waitForIdle();
    const before = await totals();
    const [{ n: events }] = await sys.sql(
      `SELECT (SELECT count(*) FROM governance.outbox) + (SELECT count(*) FROM employment.outbox) + (SELECT count(*)
        FROM matching.outbox) AS n`,
    );
    expect(Number(events)).toBeGreaterThan(5);
    // Forget the finished jobs (this run's own queues), so the outboxes' re-send reaches the consumers again.
    for (const service of ['governance', 'employment', 'social-orgs', 'matching'] as const) {
      const q = sys.queue(service);
      try {
        await q.clean(0, 1_000_000, 'completed');
      } finally {
        await q.close();
      }
    }
    for (const schema of ['governance', 'employment', 'social_orgs', 'matching'])
      await sys.sql(`UPDATE ${schema}.outbox SET sent_at = NULL`);
    await sys.sql(
      `SELECT pg_notify('anju_outbox', s) FROM unnest(ARRAY['governance', 'employment', 'social-orgs', 'matching']) s`,
    );
    await sys.waitForIdle();
    expect(await staleCounters()).toEqual([]);
    expect(await totals()).toEqual(before);
  });
});
