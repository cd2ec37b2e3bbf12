import { randomUUID } from 'node:crypto';
import { addMonths, provinceMonth, startOfProvinceMonth } from '@anju/kit';
import { TestSystem, dataOf, seedPlace, tokenFor, type Place } from '@anju/testing';

/**
 * One query draws a site's whole picture across the four departments: governance's counts,
 * employment's pass rate and open gaps, social-orgs' active partners and this month's activities,
 * matching's open and overdue demands — each subgraph adding its fields to `Site` by its key,
 * every figure held to a fresh count and to the caller's scope.
 */
describe('a site dashboard across departments', () => {
  let sys: TestSystem;
  let place: Place;
  let county: string;
  let orgA: string;
  let orgB: string;

  const PICTURE = `householdCount passRate monitoredHouseholdCount openGapCount activePartnerCount
    activityCountThisMonth
    openDemandCount overdueDemandCount`;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'sitepic', env: { GATEWAY_RESPONSE_CACHE: 'false' } });
    place = await seedPlace(sys, 3);
    county = await tokenFor({ role: 'county', regions: ['530102'] });
    const reg = async (name: string) =>
      dataOf(
        await sys.query(
          `mutation($i: RegisterOrganizationInput!) { registerOrganization(input: $i) { id } }`,
          { i: { name, kind: 'PROFESSIONAL', serviceRegionCodes: ['530102'] } },
          place.provinceToken,
        ),
      ).registerOrganization.id as string;
    orgA = await reg('阳光社工服务中心');
    orgB = await reg('彩虹公益协会');
    await sys.waitForIdle();
  }, 180_000);
  afterAll(() => sys?.stop());

  /** Activities of an organization at a site starting at the given instants. */
  async function activities(org: string, siteId: string, starts: Date[]) {
    for (const s of starts) {
      dataOf(
        await sys.query(
          `mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }`,
          {
            i: {
              organizationId: org,
              siteId,
              title: '四点半课堂',
              kind: 'EDUCATION',
              startsAt: s.toISOString(),
              endsAt: new Date(s.getTime() + 3_600_000).toISOString(),
              capacity: 20,
            },
          },
          county,
        ),
      );
    }
  }

  /**
   * Monitoring's verdicts and one open gap at a site, as its set-based run writes them: 4 households checked,
   * the first failing (a pass rate of 0.75).
   */
  async function monitoring(siteId: string) {
    await sys.sql(
      `INSERT INTO employment.household_status (household_id, site_id, region_code, failed, members, able, untrained,
        employed,
        welfare_posts, income_sources)
      SELECT gen_random_uuid(), $1, '530102', CASE WHEN i = 1 THEN ARRAY['EMPLOYED_MEMBER'] ELSE '{}' END, 3, 2, 0, 1,
        0, 1
        FROM generate_series(1, 4) i`,
      [siteId],
    );
    await sys.sql(
      `INSERT INTO employment.household_gap (household_id, site_id, region_code, rules, needs_job_help, detected_on,
        closed_on)
      VALUES (gen_random_uuid(), $1, '530102', '{EMPLOYED_MEMBER}', true, '2026-11-01', NULL)`,
      [siteId],
    );
  }

  /** `n` open demands recorded by the county at a site; their ids. */
  async function demands(siteId: string, n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(
        dataOf(
          await sys.query(
            `mutation($i: RecordDemandInput!) { recordDemand(input: $i) { id } }`,
            { i: { siteId, category: 'ELDERLY_CARE', description: `独居老人探访${i}` } },
            county,
          ),
        ).recordDemand.id,
      );
    }
    return ids;
  }

  it('shows every department’s figures for one site and a list of sites, equal to fresh counts', async () => {
    const [siteA, siteB] = place.siteIds;
    const month = provinceMonth(sys.clock.now());
    const thisMonth = new Date(startOfProvinceMonth(month).getTime() + 3_600_000);
    const lastMonth = new Date(startOfProvinceMonth(month).getTime() - 86_400_000);
    const nextMonth = new Date(startOfProvinceMonth(addMonths(month, 1)).getTime() + 3_600_000);
    await activities(orgA, siteA, [thisMonth, thisMonth, lastMonth, nextMonth]);
    await activities(orgB, siteA, [lastMonth]);
    await activities(orgB, siteB, [thisMonth]);
    // orgB runs a micro-service at site A: active there though its only activity was last month.
    await sys.sql(
      `INSERT INTO social_orgs.micro_service (organization_id, site_id, kind, name, weekdays, start_time, end_time,
        capacity, runner_name)
      VALUES ($1, $2, 'ELDERLY_CARE', '老年食堂', '{1,3,5}', '11:00', '13:00', 30, '王社工')`,
      [orgB, siteA],
    );

    // Monitoring's verdicts and gaps: site A has 4 households checked, 3 passing, one gap open and one closed.
    await monitoring(siteA);
    await sys.sql(
      `INSERT INTO employment.household_gap (household_id, site_id, region_code, rules, needs_job_help, detected_on,
        closed_on)
      VALUES (gen_random_uuid(), $1, '530102', '{STABLE_INCOME}', false, '2026-10-01', '2026-11-01')`,
      [siteA],
    );

    // Demands: three at site A, one claimed with a promise already past, then flagged overdue by matching's task.
    const ids = await demands(siteA, 3);
    const unit = dataOf(
      await sys.query(
        `mutation($i: RegisterUnitInput!) { registerUnit(input: $i) { id } }`,
        { i: { name: '五华区卫健局', kind: 'DEPARTMENT', regions: ['530102'] } },
        place.provinceToken,
      ),
    ).registerUnit.id;
    const member = await tokenFor({ role: 'unit_member', unit });
    const promised = new Date(sys.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    dataOf(
      await sys.query(
        `mutation($d: ID!, $p: String!) { claimDemand(demandId: $d, promisedOn: $p) { id } }`,
        { d: ids[0], p: promised },
        member,
      ),
    );
    await sys.sql(`UPDATE matching.demand SET overdue_since = now() WHERE id = $1`, [ids[0]]);
    await sys.waitForIdle();

    const one = dataOf(
      await sys.query(`query($id: ID!) { site(id: $id) { id ${PICTURE} } }`, { id: siteA }, county),
    ).site;
    expect(one).toEqual({
      id: siteA,
      householdCount: 1,
      passRate: 0.75,
      monitoredHouseholdCount: 4,
      openGapCount: 1,
      activePartnerCount: 2,
      activityCountThisMonth: 2,
      openDemandCount: 2,
      overdueDemandCount: 1,
    });
    const list = dataOf(await sys.query(`{ sites(regionCode: "530102") { nodes { id ${PICTURE} } } }`, {}, county))
      .sites.nodes;
    expect(list.find((s: { id: string }) => s.id === siteB)).toEqual({
      id: siteB,
      householdCount: 1,
      passRate: null,
      monitoredHouseholdCount: 0,
      openGapCount: 0,
      activePartnerCount: 1,
      activityCountThisMonth: 1,
      openDemandCount: 0,
      overdueDemandCount: 0,
    });

    // The counters equal fresh counts after every change above.
    const [fresh] = await sys.sql(
      `SELECT
      (SELECT passing_households FROM employment.site_counter WHERE site_id = $1) AS passing,
      (SELECT count(*)::int FROM employment.household_status WHERE site_id = $1
        AND cardinality(failed) = 0) AS "passingFresh",
      (SELECT open_gaps FROM employment.site_counter WHERE site_id = $1) AS gaps,
      (SELECT count(*)::int FROM employment.household_gap WHERE site_id = $1 AND closed_on IS NULL) AS "gapsFresh",
      (SELECT overdue_demands FROM matching.site_counter WHERE site_id = $1) AS overdue,
      (SELECT count(*)::int FROM matching.demand WHERE site_id = $1 AND overdue_since IS NOT NULL
        AND status IN ('claimed', 'in_progress')) AS "overdueFresh"`,
      [siteA],
    );
    expect(fresh).toEqual({
      passing: fresh.passingFresh,
      gaps: fresh.gapsFresh,
      overdue: fresh.overdueFresh,
      passingFresh: 3,
      gapsFresh: 1,
      overdueFresh: 1,
    });

    // The overdue claim is fulfilled: it leaves the overdue count; a gap closes: it leaves the open gaps.
    dataOf(await sys.query(`mutation($d: ID!) { startDemand(demandId: $d) { id } }`, { d: ids[0] }, member));
    expect(
      dataOf(await sys.query(`query($id: ID!) { site(id: $id) { overdueDemandCount } }`, { id: siteA }, county)).site,
    ).toEqual({ overdueDemandCount: 1 });
    dataOf(await sys.query(`mutation($d: ID!) { fulfilDemand(demandId: $d) { id } }`, { d: ids[0] }, member));
    await sys.sql(`UPDATE employment.household_gap SET closed_on = '2026-11-30' WHERE site_id = $1`, [siteA]);
    const after = dataOf(
      await sys.query(`query($id: ID!) { site(id: $id) { overdueDemandCount openGapCount } }`, { id: siteA }, county),
    ).site;
    expect(after).toEqual({ overdueDemandCount: 0, openGapCount: 0 });
  });

  it('holds each caller’s scope: an NGO member counts its own organization, another county reads nothing', async () => {
    // A site of its own (the first test counts sites A and B): two partners active this month, monitoring's
    // verdicts with an open gap, and two open demands — figures its county reads and no other caller does.
    const siteC = place.siteIds[2];
    const thisMonth = new Date(startOfProvinceMonth(provinceMonth(sys.clock.now())).getTime() + 3_600_000);
    await activities(orgA, siteC, [thisMonth, thisMonth]);
    await activities(orgB, siteC, [thisMonth]);
    await monitoring(siteC);
    await demands(siteC, 2);
    await sys.waitForIdle();
    expect(
      dataOf(await sys.query(`query($id: ID!) { site(id: $id) { ${PICTURE} } }`, { id: siteC }, county)).site,
    ).toEqual({
      householdCount: 1,
      passRate: 0.75,
      monitoredHouseholdCount: 4,
      openGapCount: 1,
      activePartnerCount: 2,
      activityCountThisMonth: 3,
      openDemandCount: 2,
      overdueDemandCount: 0,
    });

    const ngoA = await tokenFor({ role: 'ngo_member', org: orgA });
    const asNgo = dataOf(
      await sys.direct(
        'social-orgs',
        `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Site { activePartnerCount activityCountThisMonth } } }`,
        { r: [{ __typename: 'Site', id: siteC }] },
        ngoA,
      ),
    )._entities;
    expect(asNgo).toEqual([{ activePartnerCount: 1, activityCountThisMonth: 2 }]);

    const other = await tokenFor({ role: 'county', regions: ['530103'] });
    expect(dataOf(await sys.query(`query($id: ID!) { site(id: $id) { id } }`, { id: siteC }, other)).site).toBeNull();
    const rep = { r: [{ __typename: 'Site', id: siteC }] };
    const direct = async (service: 'employment' | 'social-orgs' | 'matching', fields: string) =>
      dataOf(
        await sys.direct(
          service,
          `query($r: [_Any!]!) { _entities(representations: $r) { ... on Site { ${fields} } } }`,
          rep,
          other,
        ),
      )._entities;
    expect(await direct('employment', 'passRate monitoredHouseholdCount openGapCount')).toEqual([
      { passRate: null, monitoredHouseholdCount: 0, openGapCount: 0 },
    ]);
    expect(await direct('social-orgs', 'activePartnerCount activityCountThisMonth')).toEqual([
      { activePartnerCount: 0, activityCountThisMonth: 0 },
    ]);
    expect(await direct('matching', 'openDemandCount overdueDemandCount')).toEqual([
      { openDemandCount: 0, overdueDemandCount: 0 },
    ]);

    // A resident reads none of the site's figures in employment and social-orgs.
    const resident = await tokenFor({ role: 'resident', resident: randomUUID() });
    const asResident = dataOf(
      await sys.direct(
        'social-orgs',
        `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Site { activePartnerCount } } }`,
        rep,
        resident,
      ),
    )._entities;
    expect(asResident).toEqual([{ activePartnerCount: 0 }]);
  });
});
