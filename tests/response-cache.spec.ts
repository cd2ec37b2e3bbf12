import { REGISTER_RESIDENT, TestSystem, dataOf, residentInput, seedPlace, tokenFor, type Place } from '@anju/testing';

const CACHE = 'x-anju-cache';

const SITES = `query { sites { totalCount nodes { id name householdCount residentCount region { name parent {
  name } } } } }`;
const DASHBOARD = `query($id: ID!) {
  site(id: $id) { id name householdCount residentCount openDemandCount region { name } }
  labourProfiles(siteId: $id, first: 5) { totalCount nodes { labourCapacity resident { id name age } } }
}`;

/**
 * The gateway's response cache, through the gateway as portals use it: answers are reused only
 * for callers of the same role and scope (what names a person, only for the same caller), only
 * while every subgraph's cache hint allows, never for ID numbers or phones, never for mutations,
 * and they go when a mutation or an event changes what they came from.
 */
describe('the gateway response cache', () => {
  let sys: TestSystem;
  let place: Place;
  let wuhua: string;
  let otherCounty: string;
  let otherSiteId: string;

  beforeAll(async () => {
    // A long max-age, so that an answer that changes in these tests changed because of an invalidation.
    sys = await TestSystem.start({ label: 'cache', env: { GATEWAY_CACHE_MAX_AGE_S: '300' } });
    place = await seedPlace(sys, 1);
    wuhua = await tokenFor({ sub: 'wuhua-officer', role: 'county', regions: ['530102'] });
    otherCounty = await tokenFor({ sub: 'panlong-officer', role: 'county', regions: ['530103'] });
    dataOf(
      await sys.query(
        `mutation($i: RegisterRegionInput!) { registerRegion(input: $i) { code } }`,
        { i: { code: '530103', name: '盘龙区' } },
        place.provinceToken,
      ),
    );
    const other = dataOf(
      await sys.query<{ registerSite: { id: string } }>(
        `mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }`,
        {
          i: {
            regionCode: '530103',
            name: '盘龙安置点',
            address: '盘龙区安居路1号',
            latitude: 25.1,
            longitude: 102.72,
            plannedHouseholds: 100,
          },
        },
        place.provinceToken,
      ),
    );
    otherSiteId = other.registerSite.id;
    await sys.waitForIdle();
  }, 180_000);
  afterAll(() => sys?.stop());

  it('reuses an answer within a scope, never across: officers of two counties see their own sites', async () => {
    const first = await sys.query(SITES, {}, wuhua);
    expect(first.headers.get(CACHE)).toBe('stored');
    const again = await sys.query(SITES, {}, wuhua);
    expect(again.headers.get(CACHE)).toBe('hit');
    expect(again.data).toEqual(first.data);
    expect(dataOf(first).sites.nodes.map((s: { name: string }) => s.name)).toEqual(['安置点1']);

    // The same text and variables from another county: its own answer, made for it.
    const other = await sys.query(SITES, {}, otherCounty);
    expect(other.headers.get(CACHE)).toBe('stored');
    expect(dataOf(other).sites.nodes.map((s: { name: string }) => s.name)).toEqual(['盘龙安置点']);
    expect((await sys.query(SITES, {}, otherCounty)).data).toEqual(other.data);
    // Another officer of the same county shares the first answer; the province has its own.
    const colleague = await tokenFor({ sub: 'wuhua-officer-2', role: 'county', regions: ['530102'] });
    expect((await sys.query(SITES, {}, colleague)).headers.get(CACHE)).toBe('hit');
    const province = await sys.query(SITES, {}, place.provinceToken);
    expect(province.headers.get(CACHE)).not.toBe('hit');
    expect(dataOf(province).sites.totalCount).toBe(2);

    // A site of one county asked by the other county's officer: no site, whatever is cached.
    const dashOther = await sys.query(DASHBOARD, { id: otherSiteId }, otherCounty);
    expect(dataOf(dashOther).site.name).toBe('盘龙安置点');
    const asWuhua = await sys.query(DASHBOARD, { id: otherSiteId }, wuhua);
    expect(asWuhua.headers.get(CACHE)).not.toBe('hit');
    expect(asWuhua.data?.site).toBeNull();
  });

  it('keeps nothing that holds personal data, and nothing a subgraph gave no hint for', async () => {
    const reg = dataOf(await sys.query(REGISTER_RESIDENT, { i: residentInput(place.householdIds[0], 1) }, wuhua));
    await sys.waitForIdle();
    const masked = `query($id: ID!) { resident(id: $id) { id name nationalIdMasked phoneMasked } }`;
    for (let i = 0; i < 2; i++)
      expect((await sys.query(masked, { id: reg.registerResident.id }, wuhua)).headers.get(CACHE)).toBe('miss');
    const household = `query($id: ID!) { household(id: $id) { id householdNumber } }`;
    for (let i = 0; i < 2; i++)
      expect((await sys.query(household, { id: place.householdIds[0] }, wuhua)).headers.get(CACHE)).toBe('miss');
  });

  it('keeps an answer that names residents for its caller alone, and shares counts within the scope', async () => {
    // Texts of this test's own, so that no earlier test's answer is in the cache.
    const named = `query NamedResidents($id: ID!) {
      labourProfiles(siteId: $id, first: 5) { totalCount nodes { labourCapacity resident { id name age } } } }`;
    const counts = `query SiteCounts($id: ID!) { site(id: $id) { id householdCount residentCount } }`;
    const res = dataOf(await sys.query(REGISTER_RESIDENT, { i: residentInput(place.householdIds[0], 3) }, wuhua));
    await sys.waitForIdle();
    const colleague = await tokenFor({ sub: 'wuhua-officer-3', role: 'county', regions: ['530102'] });
    const vars = { id: place.siteIds[0] };

    const mine = await sys.query(named, vars, wuhua);
    const names = dataOf(mine).labourProfiles.nodes.map((n: { resident: { id: string } }) => n.resident.id);
    expect(names).toContain(res.registerResident.id);
    expect(mine.headers.get(CACHE)).toBe('stored');
    expect((await sys.query(named, vars, wuhua)).headers.get(CACHE)).toBe('hit');
    // A colleague of the same county and role is not given the first officer's copy: it is made again.
    const theirs = await sys.query(named, vars, colleague);
    expect(theirs.headers.get(CACHE)).toBe('stored');
    expect(theirs.data).toEqual(mine.data);
    expect((await sys.query(named, vars, colleague)).headers.get(CACHE)).toBe('hit');

    // Counts name no one: one copy serves the whole scope.
    expect((await sys.query(counts, vars, wuhua)).headers.get(CACHE)).toBe('stored');
    expect((await sys.query(counts, vars, colleague)).headers.get(CACHE)).toBe('hit');
  });

  it('is bypassed by a mutation, which drops what its subgraph had answered', async () => {
    const before = dataOf(await sys.query(DASHBOARD, { id: place.siteIds[0] }, wuhua));
    expect((await sys.query(DASHBOARD, { id: place.siteIds[0] }, wuhua)).headers.get(CACHE)).toBe('hit');

    const mutation = await sys.query(
      `mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`,
      { i: { siteId: place.siteIds[0], householdNumber: 'HH-CACHE-002', address: '2栋1单元101' } },
      wuhua,
    );
    dataOf(mutation);
    expect(mutation.headers.get(CACHE)).toBeNull();

    const after = await sys.query(DASHBOARD, { id: place.siteIds[0] }, wuhua);
    expect(after.headers.get(CACHE)).not.toBe('hit');
    expect(dataOf(after).site.householdCount).toBe(before.site.householdCount + 1);
  });

  it('drops an answer when an event changes what it came from', async () => {
    const before = dataOf(await sys.query(DASHBOARD, { id: place.siteIds[0] }, wuhua));
    expect((await sys.query(DASHBOARD, { id: place.siteIds[0] }, wuhua)).headers.get(CACHE)).toBe('hit');

    // Registered straight at governance (as a partner system could): the gateway sees no mutation,
    // only employment's worker applying resident.registered.
    dataOf(await sys.direct('governance', REGISTER_RESIDENT, { i: residentInput(place.householdIds[0], 2) }, wuhua));
    await sys.waitForIdle();
    const deadline = Date.now() + 10_000;
    let after = await sys.query(DASHBOARD, { id: place.siteIds[0] }, wuhua);
    while (after.headers.get(CACHE) === 'hit' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      after = await sys.query(DASHBOARD, { id: place.siteIds[0] }, wuhua);
    }
    expect(after.headers.get(CACHE)).not.toBe('hit');
    expect(dataOf(after).labourProfiles.totalCount).toBe(before.labourProfiles.totalCount + 1);
    expect(dataOf(after).site.residentCount).toBe(before.site.residentCount + 1);
  });
});
