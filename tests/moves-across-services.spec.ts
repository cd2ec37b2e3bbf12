import { randomUUID } from 'node:crypto';
import { provinceDate } from '@anju/kit';
import {
  REGISTER_RESIDENT,
  TestSystem,
  until,
  dataOf,
  residentInput,
  seedPlace,
  tokenFor,
  type Place,
} from '@anju/testing';

/**
 * Services agree on where people live: when a resident moves out, matching's directory and the
 * household's open demands follow; when a building moves to another grid (an event), employment's
 * roll-ups by grid and governance's open grid tasks follow it.
 */
describe('moves seen by every service', () => {
  let sys: TestSystem;
  let place: Place;
  let county: string;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'moves', env: { GATEWAY_RESPONSE_CACHE: 'false' } });
    place = await seedPlace(sys, 1);
    county = await tokenFor({ role: 'county', regions: ['530102'] });
    await sys.waitForIdle();
  }, 180_000);
  afterAll(() => sys?.stop());

  const moveOut = async (id: string) =>
    dataOf(
      await sys.query(
        `mutation($id: ID!, $i: MoveOutResidentInput!) { moveOutResident(id: $id, input: $i) { id } }`,
        { id, i: { movedOutOn: provinceDate(sys.clock.now()), reason: '投亲迁出' } },
        county,
      ),
    );

  it('matching cancels a household’s demands when its last member moves out, not before', async () => {
    const hh = place.householdIds[0];
    const a = dataOf(await sys.query(REGISTER_RESIDENT, { i: residentInput(hh, 1) }, county)).registerResident.id;
    const b = dataOf(await sys.query(REGISTER_RESIDENT, { i: residentInput(hh, 2) }, county)).registerResident.id;
    await sys.waitForIdle();
    const demand = dataOf(
      await sys.query(
        `mutation($i: RecordDemandInput!) { recordDemand(input: $i) { id } }`,
        { i: { siteId: place.siteIds[0], householdId: hh, category: 'DAILY_LIFE', description: '代购生活用品' } },
        county,
      ),
    ).recordDemand.id;
    const status = async () =>
      dataOf(
        await sys.query(`query($id: ID!) { demand(id: $id) { status history { to note } } }`, { id: demand }, county),
      ).demand;

    await moveOut(a);
    await sys.waitForIdle();
    expect((await status()).status).toBe('OPEN');
    await moveOut(b);
    await sys.waitForIdle();
    const after = await status();
    expect(after.status).toBe('CANCELLED');
    expect(after.history.at(-1)).toEqual({ to: 'CANCELLED', note: '住户已全部迁出' });
    const dir = await sys.sql(
      `SELECT resident_id, moved_out_on IS NOT NULL AS gone FROM matching.resident_directory WHERE household_id = $1`,
      [hh],
    );
    expect(dir).toHaveLength(2);
    expect(dir.every((r) => r.gone)).toBe(true);

    // The moved-out resident no longer reads the household's demands.
    const self = await tokenFor({ role: 'resident', resident: a });
    const mine = await sys.direct('matching', `query($id: ID!) { demand(id: $id) { id } }`, { id: demand }, self);
    expect(mine.data?.demand ?? null).toBeNull();
  });

  it('a move-out delivered before the registration stays: the late registration does not bring them back', async () => {
    const residentId = randomUUID();
    const householdId = randomUUID();
    const facts = { residentId, householdId, siteId: place.siteIds[0], regionCode: '530102' };
    await sys.sql(
      `INSERT INTO governance.outbox (id, event, version, payload) VALUES ($1, 'resident.moved_out', 1, $2)`,
      [randomUUID(), JSON.stringify({ ...facts, movedOutOn: '2026-11-01', reason: '迁出' })],
    );
    await sys.waitForIdle();
    await sys.sql(
      `INSERT INTO governance.outbox (id, event, version, payload) VALUES ($1, 'resident.registered', 1, $2)`,
      [
        randomUUID(),
        JSON.stringify({ ...facts, labourCapacity: 'full', canWorkAway: true, wantsWork: true, birthYear: 1990 }),
      ],
    );
    await sys.waitForIdle();
    const [row] = await sys.sql(
      `SELECT to_char(moved_out_on, 'YYYY-MM-DD') AS d FROM matching.resident_directory WHERE resident_id = $1`,
      [residentId],
    );
    expect(row).toEqual({ d: '2026-11-01' });
  });

  it('a building put in another grid takes its households’ roll-ups and open grid tasks with it', async () => {
    const siteId = place.siteIds[0];
    const grid = async (name: string) =>
      dataOf(
        await sys.query(
          `mutation($i: RegisterGridInput!) { registerGrid(input: $i) { id } }`,
          { i: { siteId, name } },
          county,
        ),
      ).registerGrid.id as string;
    const [east, west] = [await grid('东区网格'), await grid('西区网格')];
    const building = dataOf(
      await sys.query(
        `mutation($i: RegisterBuildingInput!) { registerBuilding(input: $i) { id } }`,
        { i: { siteId, name: '8栋', gridId: east } },
        county,
      ),
    ).registerBuilding.id;
    const hh = dataOf(
      await sys.query(
        `mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`,
        { i: { siteId, householdNumber: 'HH-8-101', address: '8栋1单元101', buildingId: building } },
        county,
      ),
    ).registerHousehold.id;
    dataOf(await sys.query(REGISTER_RESIDENT, { i: residentInput(hh, 3) }, county));
    await sys.waitForIdle();
    // Employment checks the household on registration (its verdict, in the east grid) and finds a gap: a grid task.
    await until(
      async () => (await sys.sql(`SELECT 1 FROM governance.grid_task WHERE household_id = $1`, [hh])).length > 0,
      'the gap task',
    );
    await sys.waitForIdle();

    const workerOf = (g: string) => tokenFor({ role: 'grid_worker', sites: [siteId], grids: [g] });
    const tasksOf = async (g: string) =>
      dataOf(
        await sys.query(
          `query($h: ID!) { gridTasks(householdId: $h) { nodes { kind status } } }`,
          { h: hh },
          await workerOf(g),
        ),
      ).gridTasks.nodes;
    const rollup = async () =>
      dataOf(await sys.query(`{ monitoringRollup(level: GRID, under: "530102") { code households } }`, {}, county))
        .monitoringRollup as { code: string; households: number }[];
    expect(await tasksOf(east)).toEqual([{ kind: 'household_gap', status: 'OPEN' }]);
    expect(await tasksOf(west)).toEqual([]);
    expect(await rollup()).toEqual([{ code: east, households: 1 }]);

    dataOf(
      await sys.query(
        `mutation($b: ID!, $g: ID) { assignBuildingToGrid(buildingId: $b, gridId: $g) { id } }`,
        { b: building, g: west },
        county,
      ),
    );
    await sys.waitForIdle();
    expect(await tasksOf(west)).toEqual([{ kind: 'household_gap', status: 'OPEN' }]);
    expect(await tasksOf(east)).toEqual([]);
    expect(await rollup()).toEqual([{ code: west, households: 1 }]);
    const [placed] = await sys.sql(`SELECT grid_id FROM employment.household_place WHERE household_id = $1`, [hh]);
    expect(placed.grid_id).toBe(west);

    // The event is in the contract's outbox once, with the building's households; assigning the same grid again
    // publishes nothing.
    dataOf(
      await sys.query(
        `mutation($b: ID!, $g: ID) { assignBuildingToGrid(buildingId: $b, gridId: $g) { id } }`,
        { b: building, g: west },
        county,
      ),
    );
    const events = await sys.sql(`SELECT payload FROM governance.outbox WHERE event = 'building.grid_changed'`);
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({ buildingId: building, gridId: west, previousGridId: east, householdIds: [hh] }),
    ]);

    // A grid worker of another grid cannot move the building.
    const moved = await sys.query(
      `mutation($b: ID!, $g: ID) { assignBuildingToGrid(buildingId: $b, gridId: $g) { id } }`,
      { b: building, g: east },
      await workerOf(west),
    );
    expect(moved.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
