import { randomUUID } from 'node:crypto';
import { TestSystem, dataOf, seedPlace, tokenFor, type Place } from '@anju/testing';

/**
 * No N+1: the SQL statements every subgraph sends for one gateway request (each operation's log
 * line counts them) do not grow with the length of a list. Each list query with nested fields is
 * asked for a short list and a long one; both cost the same number of statements.
 */
describe('SQL statements per request', () => {
  let sys: TestSystem;
  let place: Place;
  let officer: string;

  /** Statements sent on behalf of one gateway request, summed over the subgraphs it called. */
  async function statementsOf(query: string, variables: Record<string, unknown>) {
    const requestId = `sql-count-${randomUUID()}`;
    const data = dataOf(await sys.query(query, variables, officer, requestId));
    const operationLines = () =>
      sys.logs
        .entries()
        .filter((e) => e.requestId === requestId && e.msg === 'operation' && typeof e.sqlStatements === 'number');
    // A subgraph logs its operation as it answers; the line can reach the capture a moment after the gateway's answer.
    // Read once the count of lines has held still for 100 ms.
    const deadline = Date.now() + 5_000;
    let seen = -1;
    while (Date.now() < deadline && (operationLines().length === 0 || operationLines().length !== seen)) {
      seen = operationLines().length;
      await new Promise((r) => setTimeout(r, 100));
    }
    const lines = operationLines();
    expect(lines.length).toBeGreaterThan(0);
    return { data, statements: lines.reduce((n, e) => n + (e.sqlStatements as number), 0) };
  }

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'sqlcount', env: { GATEWAY_RESPONSE_CACHE: 'false' } });
    place = await seedPlace(sys, 2);
    officer = await tokenFor({ role: 'county', regions: ['530102'] });
    await sys.waitForIdle();
    const [siteA, siteB] = place.siteIds;
    // Site A gets 2 of everything, site B 6: grids with 3 buildings each, volunteers with 3 service records each.
    for (const [siteId, n] of [
      [siteA, 2],
      [siteB, 6],
    ] as const) {
      await sys.sql(
        `INSERT INTO governance.grid (site_id, name) SELECT $1, '网格' || i FROM generate_series(1, $2) i`,
        [siteId, n],
      );
      await sys.sql(
        `INSERT INTO governance.building (site_id, grid_id, name)
        SELECT g.site_id, g.id, g.name || '-' || j || '栋' FROM governance.grid g, generate_series(1, 3) j
          WHERE g.site_id = $1`,
        [siteId],
      );
      await sys.sql(
        `INSERT INTO matching.volunteer (display_name, home_site_id, region_code, weekly_hours)
        SELECT '志愿者' || i, $1, '530102', 4 FROM generate_series(1, $2) i`,
        [siteId, n],
      );
      await sys.sql(
        `INSERT INTO matching.service_record (volunteer_id, site_id, region_code, hours, served_on, recorded_by)
        SELECT v.id, v.home_site_id, v.region_code, 2, current_date - j, 'test' FROM matching.volunteer v,
          generate_series(1, 3) j WHERE v.home_site_id = $1`,
        [siteId],
      );
    }
    for (let i = 0; i < 6; i++) {
      dataOf(
        await sys.query(
          `mutation($i: RecordDemandInput!) { recordDemand(input: $i) { id } }`,
          { i: { siteId: siteA, category: 'ELDERLY_CARE', description: `探访 ${i}` } },
          officer,
        ),
      );
    }
    await sys.sql(
      `INSERT INTO matching.assignment (demand_id, volunteer_id, hours, score, explanation, source, status)
      SELECT d.id, v.id, 2, 0.5, '{}'::jsonb, 'batch', 'completed' FROM matching.demand d CROSS JOIN LATERAL
        (SELECT id FROM matching.volunteer ORDER BY id LIMIT 2) v WHERE d.site_id = $1`,
      [siteA],
    );
    await sys.waitForIdle();
  }, 180_000);
  afterAll(() => sys?.stop());

  it('a list of demands with their assignments and history', async () => {
    const q = `query($site: ID!, $first: Int!) { demands(siteId: $site, first: $first) { totalCount nodes {
      id status assignments { id status volunteerId hours } history { to } } } }`;
    const short = await statementsOf(q, { site: place.siteIds[0], first: 2 });
    const long = await statementsOf(q, { site: place.siteIds[0], first: 6 });
    expect(long.data.demands.nodes).toHaveLength(6);
    expect(long.data.demands.nodes.every((d: { assignments: unknown[] }) => d.assignments.length === 2)).toBe(true);
    expect(long.statements).toBe(short.statements);
  });

  it('the volunteers of a site with their service records', async () => {
    const q = `query($site: ID!) { volunteers(siteId: $site) { id displayName serviceRecords { id hours servedOn } } }`;
    const short = await statementsOf(q, { site: place.siteIds[0] });
    const long = await statementsOf(q, { site: place.siteIds[1] });
    expect(short.data.volunteers).toHaveLength(2);
    expect(long.data.volunteers).toHaveLength(6);
    expect(long.data.volunteers.every((v: { serviceRecords: unknown[] }) => v.serviceRecords.length === 3)).toBe(true);
    expect(long.statements).toBe(short.statements);
  });

  it('the grids of a site with their buildings', async () => {
    const q = `query($site: ID!) { grids(siteId: $site) { id name site { name } buildings { id name } } }`;
    const short = await statementsOf(q, { site: place.siteIds[0] });
    const long = await statementsOf(q, { site: place.siteIds[1] });
    expect(short.data.grids).toHaveLength(2);
    expect(long.data.grids).toHaveLength(6);
    expect(long.data.grids.every((g: { buildings: unknown[] }) => g.buildings.length === 3)).toBe(true);
    expect(long.statements).toBe(short.statements);
  });

  it('a site dashboard over four subgraphs: a few statements, the same for any site', async () => {
    const q = `query($id: ID!) {
      site(id: $id) { id name householdCount residentCount openDemandCount region { code name parent { code name } } }
      labourProfiles(siteId: $id, first: 20) { totalCount nodes { labourCapacity resident { id name age } } }
      organizations(first: 10) { totalCount nodes { id name kind stage } }
    }`;
    await statementsOf(q, { id: place.siteIds[0] }); // the first loads the regions into memory
    const a = await statementsOf(q, { id: place.siteIds[0] });
    const b = await statementsOf(q, { id: place.siteIds[1] });
    expect(a.statements).toBe(b.statements);
    // site, its counters (governance); open demands (matching); profiles and their count (employment);
    // organizations and their count (social-orgs). Regions come from memory, labour profiles' residents in one batch.
    expect(a.statements).toBeLessThanOrEqual(8);
  });

  it('a list of sites with every department’s figures: the same statements for one site or two', async () => {
    const q = `query($first: Int!) { sites(regionCode: "530102", first: $first) { nodes {
      id householdCount residentCount
      passRate openGapCount activePartnerCount activityCountThisMonth openDemandCount overdueDemandCount } } }`;
    await statementsOf(q, { first: 1 });
    const short = await statementsOf(q, { first: 1 });
    const long = await statementsOf(q, { first: 2 });
    expect(short.data.sites.nodes).toHaveLength(1);
    expect(long.data.sites.nodes).toHaveLength(2);
    expect(long.statements).toBe(short.statements);
  });
});
