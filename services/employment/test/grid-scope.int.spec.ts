import { REGISTER_RESIDENT, TestSystem, dataOf, residentInput, seedPlace, tokenFor } from '@anju/testing';

/**
 * Issue 14, item 3: employment limits a grid worker (网格员) to the households of their grids, as
 * governance does — not the whole site. Reads and writes, through the gateway and straight at the
 * subgraph; refused writes change nothing.
 */
describe('a grid worker reaches only their grids in employment', () => {
  let sys: TestSystem;
  let worker: string;
  let mine: { household: string; resident: string };
  let theirs: { household: string; resident: string };
  let siteId: string;
  let officer: string;

  const snapshot = () =>
    sys.sql(`SELECT (SELECT count(*) FROM employment.land_asset)::int AS land, (SELECT count(*)
      FROM employment.employment_record)::int AS jobs,
    (SELECT count(*) FROM employment.outbox)::int AS outbox`);

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'emp-grid', workers: ['governance', 'employment'] });
    const place = await seedPlace(sys, 1);
    siteId = place.siteIds[0];
    officer = await tokenFor({ role: 'site_officer', sites: [siteId] });
    const mk = async (q: string, i: Record<string, unknown>) =>
      Object.values(dataOf(await sys.query(q, { i }, officer)))[0] as { id: string };
    const inGrid = async (name: string, worker: string | null, seq: number) => {
      const grid = await mk(`mutation($i: RegisterGridInput!) { registerGrid(input: $i) { id } }`, {
        siteId,
        name,
        ...(worker ? { gridWorkerSubject: worker } : {}),
      });
      const building = await mk(`mutation($i: RegisterBuildingInput!) { registerBuilding(input: $i) { id } }`, {
        siteId,
        name: `${name}楼`,
        gridId: grid.id,
      });
      const household = await mk(`mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`, {
        siteId,
        householdNumber: `G-${seq}`,
        buildingId: building.id,
      });
      const resident = (await mk(REGISTER_RESIDENT, residentInput(household.id, seq))).id;
      return { grid: grid.id, household: household.id, resident };
    };
    const a = await inGrid('一网格', 'gw-1', 1);
    const b = await inGrid('二网格', null, 2);
    mine = a;
    theirs = b;
    worker = await tokenFor({ role: 'grid_worker', grids: [a.grid], sites: [siteId], sub: 'gw-1' });
    await sys.waitForIdle();
    dataOf(
      await sys.query(
        `mutation($i: RecordLandAssetInput!) { recordLandAsset(input: $i) { id } }`,
        { i: { householdId: b.household, kind: 'FOREST', areaMu: 5, state: 'IDLE', annualIncome: 0 } },
        officer,
      ),
    );
  }, 120_000);
  afterAll(() => sys?.stop(), 60_000);

  it('lists and resolves only the households and residents of their grids', async () => {
    const q = `query($s: ID!) { labourProfiles(siteId: $s) { totalCount nodes { resident { id } } } }`;
    for (const res of [
      await sys.query(q, { s: siteId }, worker),
      await sys.direct('employment', q, { s: siteId }, worker),
    ]) {
      expect(dataOf(res).labourProfiles).toEqual({ totalCount: 1, nodes: [{ resident: { id: mine.resident } }] });
    }
    // The other grid's household has land on record (entered by the site officer): the worker sees none of it.
    const ent = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Household { id landAssets { id } } } }`;
    const reps = [
      { __typename: 'Household', id: theirs.household },
      { __typename: 'Household', id: mine.household },
    ];
    const asWorker = dataOf(await sys.direct('employment', ent, { r: reps }, worker))._entities;
    expect(asWorker[0].landAssets).toEqual([]);
    const asOfficer = dataOf(await sys.direct('employment', ent, { r: reps }, officer))._entities;
    expect(asOfficer[0].landAssets).toHaveLength(1);
  });

  it('cannot write for a household or resident of another grid of the same site; can in their own', async () => {
    const before = await snapshot();
    const land = `mutation($i: RecordLandAssetInput!) { recordLandAsset(input: $i) { id } }`;
    const job = `mutation($i: StartEmploymentInput!) { startEmployment(input: $i) { id } }`;
    const landIn = (h: string) => ({
      i: { householdId: h, kind: 'CONTRACTED', areaMu: 2, state: 'LEASED', annualIncome: 800 },
    });
    const jobIn = (r: string) => ({
      i: { residentId: r, kind: 'MIGRANT_WORK', destination: '广东东莞', startedOn: '2026-03-01', monthlyIncome: 4200 },
    });
    for (const [q, v] of [
      [land, landIn(theirs.household)],
      [job, jobIn(theirs.resident)],
    ] as const) {
      for (const res of [await sys.query(q, v, worker), await sys.direct('employment', q, v, worker)]) {
        expect(res.data ?? null).toBeNull();
        expect(res.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
      }
    }
    expect(await snapshot()).toEqual(before);
    dataOf(await sys.query(land, landIn(mine.household), worker));
    dataOf(await sys.query(job, jobIn(mine.resident), worker));
  });
});
