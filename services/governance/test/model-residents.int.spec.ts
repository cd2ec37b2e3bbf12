import { provinceDate } from '@anju/kit';
import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { registerResidents, seedNeighbourhood, type Neighbourhood } from './helpers';

/** Rule of virtue (德治): model residents nominated and recognized; and building enthusiasts (热心人). */
describe('model residents and building enthusiasts (governance)', () => {
  let sys: TestSystem;
  let n: Neighbourhood;
  let ids: string[];
  let resident: string;
  /** This year in the province, by the test clock. */
  let year: number;
  const NOMINATE = `mutation($i: NominateModelResidentInput!) { nominateModelResident(input: $i) {
    id status title residentName } }`;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'gov-virtue', apis: ['governance'], workers: ['governance'] });
    year = Number(provinceDate(sys.clock.now()).slice(0, 4));
    n = await seedNeighbourhood(sys);
    ids = await registerResidents(sys, n.officer, [
      { householdId: n.householdIds[0], seq: 1 },
      { householdId: n.householdIds[0], seq: 2 },
      { householdId: n.householdIds[1], seq: 3 },
    ]);
    resident = await tokenFor({ role: 'resident', resident: ids[1], sites: [n.siteId] });
  });
  afterAll(() => sys?.stop());

  it('a grid worker nominates, a site officer recognizes; residents of the site see only recognized ones', async () => {
    const list = `query($s: ID!) { modelResidents(siteId: $s) { title status residentName } }`;
    // The officer's list holds the other tests' nominations too: it grows by this test's two.
    const before = dataOf(await sys.query(list, { s: n.siteId }, n.officer)).modelResidents.length;
    const nom = dataOf(
      await sys.query(
        NOMINATE,
        { i: { residentId: ids[0], title: '致富带头人', reason: '带动本楼栋8户进入扶贫车间就业', year } },
        n.workerTokens[0],
      ),
    ).nominateModelResident;
    expect(nom).toMatchObject({ status: 'NOMINATED', title: '致富带头人', residentName: '居民1' });
    const other = dataOf(
      await sys.query(
        NOMINATE,
        { i: { residentId: ids[2], title: '文明家庭', reason: '邻里和睦，热心公益', year } },
        n.officer,
      ),
    ).nominateModelResident;
    expect(dataOf(await sys.query(list, { s: n.siteId }, resident)).modelResidents).toEqual([]);
    dataOf(
      await sys.query(
        `mutation($id: ID!) { decideModelResident(id: $id, recognize: true, note: "经居民代表会议评议") { status } }`,
        { id: nom.id },
        n.officer,
      ),
    );
    dataOf(
      await sys.query(
        `mutation($id: ID!) { decideModelResident(id: $id, recognize: false) { status } }`,
        { id: other.id },
        n.officer,
      ),
    );
    expect(dataOf(await sys.query(list, { s: n.siteId }, resident)).modelResidents).toEqual([
      { title: '致富带头人', status: 'RECOGNIZED', residentName: '居民1' },
    ]);
    expect(dataOf(await sys.query(list, { s: n.siteId }, n.officer)).modelResidents).toHaveLength(before + 2);
    const again = await sys.query(
      `mutation($id: ID!) { decideModelResident(id: $id, recognize: false) { status } }`,
      { id: nom.id },
      n.officer,
    );
    expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'BAD_TRANSITION' });
    expect(await sys.audits('governance', nom.id)).toEqual([
      { action: 'model_resident.nominate', role: 'grid_worker' },
      { action: 'model_resident.recognize', role: 'site_officer' },
    ]);
    expect(await sys.audits('governance', other.id)).toEqual([
      { action: 'model_resident.nominate', role: 'site_officer' },
      { action: 'model_resident.reject', role: 'site_officer' },
    ]);
  });

  it('rejects duplicates, residents outside the grid worker’s grids, a short reason and a far year', async () => {
    // A nomination of its own, to be nominated again.
    const [nominee] = await registerResidents(sys, n.officer, [{ householdId: n.householdIds[0], seq: 4 }]);
    const NOMINATION = { residentId: nominee, title: '致富带头人', reason: '带头发展庭院经济', year };
    dataOf(await sys.query(NOMINATE, { i: NOMINATION }, n.officer));
    const dup = await sys.query(NOMINATE, { i: { ...NOMINATION, reason: '再次提名的理由' } }, n.officer);
    expect(dup.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE' });
    const outside = await sys.query(
      NOMINATE,
      { i: { residentId: ids[2], title: '好邻居', reason: '乐于助人的好邻居', year } },
      n.workerTokens[0],
    );
    expect(outside.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'input.residentId' });
    const short = await sys.query(
      NOMINATE,
      { i: { residentId: ids[1], title: '好邻居', reason: '好', year } },
      n.officer,
    );
    expect(short.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    const far = await sys.query(
      NOMINATE,
      { i: { residentId: ids[1], title: '好邻居', reason: '乐于助人的好邻居', year: year - 5 } },
      n.officer,
    );
    expect(far.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.year' });
    const byResident = await sys.query(
      NOMINATE,
      { i: { residentId: ids[1], title: '好邻居', reason: '乐于助人的好邻居', year } },
      resident,
    );
    expect(byResident.errors![0].extensions?.code).toBe('FORBIDDEN');
  });

  it('a building has its leader and community enthusiasts, who live in it', async () => {
    dataOf(
      await sys.query(
        `mutation($b: ID!, $r: ID!) { setBuildingLeader(buildingId: $b, residentId: $r) { id } }`,
        { b: n.buildingIds[0], r: ids[0] },
        n.officer,
      ),
    );
    dataOf(
      await sys.query(
        `mutation($b: ID!, $r: ID!) { addBuildingHelper(buildingId: $b, residentId: $r) { id } }`,
        { b: n.buildingIds[0], r: ids[1] },
        n.workerTokens[0],
      ),
    );
    const elsewhere = await sys.query(
      `mutation($b: ID!, $r: ID!) { addBuildingHelper(buildingId: $b, residentId: $r) { id } }`,
      { b: n.buildingIds[0], r: ids[2] },
      n.officer,
    );
    expect(elsewhere.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_IN_BUILDING' });
    const b = dataOf(
      await sys.query(
        `query($b: ID!) { building(id: $b) { name leader { name } helpers { name } } }`,
        { b: n.buildingIds[0] },
        n.officer,
      ),
    ).building;
    expect(b).toEqual({ name: '1栋', leader: { name: '居民1' }, helpers: [{ name: '居民2' }] });
  });
});
