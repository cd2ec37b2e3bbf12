import { REGISTER_RESIDENT, TestSystem, dataOf, residentInput, seedPlace, tokenFor } from '@anju/testing';

/**
 * Income-stability roll-ups reach down to the grid (网格): governance tells employment the grid of
 * a resident's household in resident.registered, and employment's monitoring groups by it.
 */
describe('monitoring rolled up by grid', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'grid', workers: ['governance', 'employment'] });
  });
  afterAll(() => sys?.stop());

  it('counts a household under the grid of its building', async () => {
    const place = await seedPlace(sys, 1);
    const token = place.provinceToken;
    const siteId = place.siteIds[0];
    const grid = dataOf(
      await sys.query(
        `mutation($i: RegisterGridInput!) { registerGrid(input: $i) { id } }`,
        { i: { siteId, name: '第一网格' } },
        token,
      ),
    ).registerGrid;
    const building = dataOf(
      await sys.query(
        `mutation($i: RegisterBuildingInput!) { registerBuilding(input: $i) { id } }`,
        { i: { siteId, name: '3栋', gridId: grid.id } },
        token,
      ),
    ).registerBuilding;
    const household = dataOf(
      await sys.query(
        `mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`,
        { i: { siteId, householdNumber: 'G-1', buildingId: building.id } },
        token,
      ),
    ).registerHousehold;
    dataOf(await sys.query(REGISTER_RESIDENT, { i: residentInput(household.id, 1) }, token));
    dataOf(
      await sys.query(
        REGISTER_RESIDENT,
        { i: residentInput(household.id, 2, { labourCapacity: 'NONE', wantsWork: false }) },
        token,
      ),
    );
    await sys.waitForIdle();

    const county = await tokenFor({ role: 'county', regions: ['530102'] });
    const rollup = dataOf(
      await sys.query(`{ monitoringRollup(level: GRID) { level code households passing } }`, {}, county),
    ).monitoringRollup;
    expect(rollup).toEqual([{ level: 'GRID', code: grid.id, households: 1, passing: 0 }]);
    const [place2] = await sys.sql(`SELECT grid_id FROM employment.household_place WHERE household_id = $1`, [
      household.id,
    ]);
    expect(place2.grid_id).toBe(grid.id);
  });
});
