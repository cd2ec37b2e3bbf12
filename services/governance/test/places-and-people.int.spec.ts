import path from 'node:path';
import { provinceDate, readServiceSchema } from '@anju/kit';
import {
  REGISTER_RESIDENT,
  TestSystem,
  dataOf,
  nationalId,
  residentInput,
  seedPlace,
  tokenFor,
  type Place,
} from '@anju/testing';

/**
 * Buildings, grids, households and residents through the gateway: filters, ID search, grid-worker
 * scope, updates and moving out with their events, the audit log and contact reveals.
 */
describe('places and people (governance)', () => {
  let sys: TestSystem;
  let place: Place;
  let officer: string;
  let siteId: string;
  let grid1: string;
  let grid2: string;
  let buildingA: string;
  let buildingB: string;
  let hhA: string;
  let hhB: string;
  let worker1: string;
  /** officer-zhang at the second site, where the tests that change a resident register one of their own. */
  let officer2: string;
  let seq = 200;
  const ids: Record<string, string> = {};
  /** The test clock's year in the province: birth dates are counted back from it. */
  let thisYear: number;

  /**
   * A resident of the second site's household (seedPlace's), registered for a test that changes them: the first
   * site's four residents stay as beforeAll registered them, for the tests that list and filter them.
   */
  const residentOfItsOwn = async () =>
    dataOf(await sys.query(REGISTER_RESIDENT, { i: residentInput(place.householdIds[1], ++seq) }, officer2))
      .registerResident.id as string;

  const RESIDENTS = `query($s: ID, $f: ResidentFilter, $q: String, $first: Int, $after: String) {
    residents(siteId: $s, filter: $f, search: $q, first: $first, after: $after) { totalCount endCursor nodes {
      id name age labourCapacity movedOutOn building { name grid { name } } } }
  }`;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'gov-places', apis: ['governance'], workers: ['governance'] });
    thisYear = Number(provinceDate(sys.clock.now()).slice(0, 4));
    place = await seedPlace(sys, 2);
    siteId = place.siteIds[0];
    officer = await tokenFor({ role: 'site_officer', sites: [siteId], sub: 'officer-zhang' });
    const mk = async (q: string, i: Record<string, unknown>) => dataOf(await sys.query(q, { i }, officer));
    grid1 = (
      await mk(`mutation($i: RegisterGridInput!) { registerGrid(input: $i) { id } }`, {
        siteId,
        name: '第一网格',
        gridWorkerSubject: 'gw-li',
        gridWorkerName: '李网格',
      })
    ).registerGrid.id;
    grid2 = (
      await mk(`mutation($i: RegisterGridInput!) { registerGrid(input: $i) { id } }`, { siteId, name: '第二网格' })
    ).registerGrid.id;
    buildingA = (
      await mk(`mutation($i: RegisterBuildingInput!) { registerBuilding(input: $i) { id } }`, {
        siteId,
        name: '1栋',
        gridId: grid1,
        floors: 6,
      })
    ).registerBuilding.id;
    buildingB = (
      await mk(`mutation($i: RegisterBuildingInput!) { registerBuilding(input: $i) { id } }`, {
        siteId,
        name: '2栋',
        gridId: grid2,
      })
    ).registerBuilding.id;
    hhA = (
      await mk(`mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`, {
        siteId,
        householdNumber: 'A-101',
        buildingId: buildingA,
      })
    ).registerHousehold.id;
    hhB = (
      await mk(`mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`, {
        siteId,
        householdNumber: 'B-101',
        buildingId: buildingB,
      })
    ).registerHousehold.id;
    const people: [string, string, number, string, Record<string, unknown>][] = [
      ['head', hhA, 101, `${thisYear - 40}0101`, { name: '张大山', labourCapacity: 'FULL', relationToHead: 'HEAD' }],
      [
        'child',
        hhA,
        102,
        `${thisYear - 10}0601`,
        { name: '张小花', labourCapacity: 'NONE', relationToHead: 'CHILD', phone: null },
      ],
      ['elder', hhB, 103, `${thisYear - 70}0301`, { name: '李老汉', labourCapacity: 'WEAK', relationToHead: 'HEAD' }],
      ['young', hhB, 104, `${thisYear - 25}0301`, { name: '李阿妹', labourCapacity: 'FULL', relationToHead: 'CHILD' }],
    ];
    for (const [key, hh, seq, born, o] of people) {
      const r = await sys.query(
        REGISTER_RESIDENT,
        { i: residentInput(hh, seq, { nationalId: nationalId('530102', born, seq), ...o }) },
        officer,
      );
      ids[key] = dataOf(r).registerResident.id;
    }
    worker1 = await tokenFor({ role: 'grid_worker', grids: [grid1], sub: 'gw-li' });
    officer2 = await tokenFor({ role: 'site_officer', sites: [place.siteIds[1]], sub: 'officer-zhang' });
  });
  afterAll(async () => {
    if (process.env.DUMP_LOGS)
      console.log(
        sys.logs
          .entries()
          .filter((e) => Number(e.level) >= 50)
          .map((e) => JSON.stringify(e).slice(0, 1500))
          .join('\n'),
      );
    await sys?.stop();
  });

  it('registers grids, buildings and households and publishes household.registered', async () => {
    const res = dataOf(
      await sys.query(
        `query($s: ID!) { grids(siteId: $s) { name gridWorkerName buildings { name } } households(siteId: $s) {
          totalCount nodes { householdNumber building { name grid { name } } } } }`,
        { s: siteId },
        officer,
      ),
    );
    expect(res.grids).toEqual([
      { name: '第一网格', gridWorkerName: '李网格', buildings: [{ name: '1栋' }] },
      { name: '第二网格', gridWorkerName: null, buildings: [{ name: '2栋' }] },
    ]);
    expect(res.households.nodes).toEqual(
      expect.arrayContaining([{ householdNumber: 'A-101', building: { name: '1栋', grid: { name: '第一网格' } } }]),
    );
    const events = await sys.sql(
      `SELECT payload FROM governance.outbox WHERE event = 'household.registered' AND payload->>'householdId' = $1`,
      [hhA],
    );
    expect(events).toEqual([{ payload: { householdId: hhA, siteId, regionCode: '530102' } }]);
  });

  it('rejects a building of another site and a duplicate building name, writing nothing', async () => {
    const otherSiteOfficer = place.provinceToken;
    const before = await sys.sql(
      `SELECT (SELECT count(*) FROM governance.household)::int AS h, (SELECT count(*)
        FROM governance.audit_log)::int AS a`,
    );
    const wrong = await sys.query(
      `mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`,
      { i: { siteId: place.siteIds[1], householdNumber: 'X-1', buildingId: buildingA } },
      otherSiteOfficer,
    );
    expect(wrong.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.buildingId',
      reason: 'OTHER_SITE',
    });
    const dup = await sys.query(
      `mutation($i: RegisterBuildingInput!) { registerBuilding(input: $i) { id } }`,
      { i: { siteId, name: '1栋' } },
      officer,
    );
    expect(dup.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.name' });
    const badGrid = await sys.query(
      `mutation($i: RegisterBuildingInput!) { registerBuilding(input: $i) { id } }`,
      { i: { siteId, name: '9栋', floors: 0 } },
      officer,
    );
    expect(badGrid.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.floors' });
    expect(
      await sys.sql(
        `SELECT (SELECT count(*) FROM governance.household)::int AS h, (SELECT count(*)
          FROM governance.audit_log)::int AS a`,
      ),
    ).toEqual(before);
  });

  it('filters residents by grid, building, labour capacity and age band', async () => {
    const names = async (f: Record<string, unknown>) =>
      dataOf(await sys.query(RESIDENTS, { s: siteId, f }, officer))
        .residents.nodes.map((n: { name: string }) => n.name)
        .sort();
    expect(await names({})).toEqual(['张大山', '张小花', '李老汉', '李阿妹'].sort());
    expect(await names({ gridId: grid1 })).toEqual(['张大山', '张小花'].sort());
    expect(await names({ buildingId: buildingB })).toEqual(['李老汉', '李阿妹'].sort());
    expect(await names({ labourCapacity: 'FULL' })).toEqual(['张大山', '李阿妹'].sort());
    expect(await names({ ageBand: 'UNDER_16' })).toEqual(['张小花']);
    expect(await names({ ageBand: 'FROM_16_TO_35' })).toEqual(['李阿妹']);
    expect(await names({ ageBand: 'FROM_36_TO_45', labourCapacity: 'FULL', gridId: grid1 })).toEqual(['张大山']);
    expect(await names({ ageBand: 'FROM_60' })).toEqual(['李老汉']);
    // Every site in scope when no site is named; the resident carries its building and grid.
    const all = dataOf(await sys.query(RESIDENTS, { f: { buildingId: buildingA } }, place.provinceToken)).residents;
    expect(all.totalCount).toBe(2);
    expect(all.nodes[0].building).toEqual({ name: '1栋', grid: { name: '第一网格' } });
  });

  it('finds by a full ID number through the keyed hash (a reveal), and searches by part of a name', async () => {
    const byId = dataOf(
      await sys.query(
        `mutation($n: String!) { findResidentByNationalId(nationalId: $n, reason: "核对低保申请") { id } }`,
        { n: nationalId('530102', `${thisYear - 70}0301`, 103) },
        officer,
      ),
    ).findResidentByNationalId;
    expect(byId).toEqual({ id: ids.elder });
    const byName = dataOf(await sys.query(RESIDENTS, { s: siteId, q: '张' }, officer)).residents;
    expect(byName.totalCount).toBe(2);
    // Paginates by keyset.
    const p1 = dataOf(await sys.query(RESIDENTS, { s: siteId, first: 3 }, officer)).residents;
    const p2 = dataOf(await sys.query(RESIDENTS, { s: siteId, first: 3, after: p1.endCursor }, officer)).residents;
    expect([...p1.nodes, ...p2.nodes].map((n: { id: string }) => n.id).sort()).toEqual(Object.values(ids).sort());
    expect(p2.endCursor).toBeNull();
  });

  describe('a grid worker sees residents of households in buildings of their grids', () => {
    it('by list, by id and by _entities straight to the subgraph', async () => {
      const list = dataOf(await sys.query(RESIDENTS, { s: siteId }, worker1)).residents;
      expect(list.nodes.map((n: { id: string }) => n.id).sort()).toEqual([ids.head, ids.child].sort());
      const other = await sys.query(
        `query($id: ID!) { resident(id: $id) { id } household(id: "${hhB}") { id } building(id: "${buildingB}") {
          id } }`,
        { id: ids.elder },
        worker1,
      );
      expect(other.data).toEqual({ resident: null, household: null, building: null });
      const ent = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Resident { id } } }`;
      const reps = [
        { __typename: 'Resident', id: ids.head },
        { __typename: 'Resident', id: ids.elder },
      ];
      expect(dataOf(await sys.direct('governance', ent, { r: reps }, worker1))._entities).toEqual([
        { id: ids.head },
        null,
      ]);
      expect(dataOf(await sys.query(`{ grids(siteId: "${siteId}") { name } }`, {}, worker1)).grids).toEqual([
        { name: '第一网格' },
      ]);
    });

    it('every @key type of the schema resolves through _entities in one batch, in scope only', async () => {
      // An issue of building A's grid, reported by the household head (straight in SQL: reporting is another file's
      // subject).
      const [issue] = await sys.sql(
        `INSERT INTO governance.micro_issue (site_id, region_code, building_id, grid_id, kind, title, description,
          reported_by_subject, reported_by_role, reported_by_resident_id, level, level_due_at, opened_at)
        VALUES ($1, '530102', $2, $3, 'issue', '楼道灯坏了', '3楼', 'r', 'resident', $4, 'building_leader',
          now() + interval '3 days', now()) RETURNING id`,
        [siteId, buildingA, grid1, ids.head],
      );
      const byType: Record<string, [Record<string, string>, Record<string, string>]> = {
        Region: [{ code: '530102' }, { code: '530103' }],
        Site: [{ id: siteId }, { id: place.siteIds[1] }],
        Grid: [{ id: grid1 }, { id: grid2 }],
        Building: [{ id: buildingA }, { id: buildingB }],
        Household: [{ id: hhA }, { id: hhB }],
        Resident: [{ id: ids.head }, { id: ids.elder }],
        MicroIssue: [{ id: issue.id }, { id: '00000000-0000-4000-8000-000000000000' }],
      };
      // The list is the schema's: a new @key type fails here until it is added above.
      const sdl = readServiceSchema(path.join(__dirname, '..', 'src'));
      expect(Object.keys(byType).sort()).toEqual([...sdl.matchAll(/^type (\w+) @key/gm)].map((m) => m[1]).sort());
      const q = `query($r: [_Any!]!) { _entities(representations: $r) { __typename ${Object.keys(byType)
        .map((t) => `... on ${t} { ${t === 'Region' ? 'code' : 'id'} }`)
        .join(' ')} } }`;
      const reps = [
        ...Object.entries(byType).flatMap(([t, [a, b]]) => [
          { __typename: t, ...a },
          { __typename: t, ...b },
        ]),
        { __typename: 'Household', id: 'not-a-uuid' },
      ];
      const typed = (t: string, key: Record<string, string>) => ({ __typename: t, ...key });
      // The grid worker of grid 1: what lies in grid 1, and the site and region it works in.
      expect(dataOf(await sys.direct('governance', q, { r: reps }, worker1))._entities).toEqual([
        typed('Region', { code: '530102' }),
        null,
        typed('Site', { id: siteId }),
        null,
        typed('Grid', { id: grid1 }),
        null,
        typed('Building', { id: buildingA }),
        null,
        typed('Household', { id: hhA }),
        null,
        typed('Resident', { id: ids.head }),
        null,
        typed('MicroIssue', { id: issue.id }),
        null,
        null,
      ]);
      // The site officer: every record of the site, nothing of the other site.
      expect(dataOf(await sys.direct('governance', q, { r: reps }, officer))._entities).toEqual([
        typed('Region', { code: '530102' }),
        null,
        typed('Site', { id: siteId }),
        null,
        typed('Grid', { id: grid1 }),
        typed('Grid', { id: grid2 }),
        typed('Building', { id: buildingA }),
        typed('Building', { id: buildingB }),
        typed('Household', { id: hhA }),
        typed('Household', { id: hhB }),
        typed('Resident', { id: ids.head }),
        typed('Resident', { id: ids.elder }),
        typed('MicroIssue', { id: issue.id }),
        null,
        null,
      ]);
      await sys.sql(`DELETE FROM governance.micro_issue WHERE id = $1`, [issue.id]);
    });

    it('cannot change a resident outside their grids, can within', async () => {
      const out = await sys.query(
        `mutation($id: ID!) { updateResident(id: $id, input: { wantsWork: false }) { id } }`,
        { id: ids.young },
        worker1,
      );
      expect(out.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
      const inside = dataOf(
        await sys.query(
          `mutation($id: ID!) { updateResident(id: $id, input: { canWorkAway: true }) { canWorkAway } }`,
          { id: ids.head },
          worker1,
        ),
      );
      expect(inside.updateResident).toEqual({ canWorkAway: true });
    });

    it('follows a building moved to another grid', async () => {
      dataOf(
        await sys.query(
          `mutation { assignBuildingToGrid(buildingId: "${buildingB}", gridId: "${grid1}") { id } }`,
          {},
          officer,
        ),
      );
      expect(dataOf(await sys.query(RESIDENTS, { s: siteId }, worker1)).residents.totalCount).toBe(4);
      dataOf(
        await sys.query(
          `mutation { assignBuildingToGrid(buildingId: "${buildingB}", gridId: "${grid2}") { id } }`,
          {},
          officer,
        ),
      );
      expect(dataOf(await sys.query(RESIDENTS, { s: siteId }, worker1)).residents.totalCount).toBe(2);
    });
  });

  it('updates a resident and publishes resident.updated with the changed fields', async () => {
    const id = await residentOfItsOwn();
    const res = await sys.query(
      `mutation($id: ID!, $i: UpdateResidentInput!) { updateResident(id: $id, input: $i) {
        labourCapacity wantsWork phoneMasked } }`,
      { id, i: { labourCapacity: 'WEAK', wantsWork: false, phone: '13900001111' } },
      officer2,
      'req-update-1',
    );
    expect(dataOf(res).updateResident).toEqual({
      labourCapacity: 'WEAK',
      wantsWork: false,
      phoneMasked: '139****1111',
    });
    const [ev] = await sys.sql(
      `SELECT payload FROM governance.outbox WHERE event = 'resident.updated' AND payload->>'residentId' = $1`,
      [id],
    );
    expect(ev.payload).toMatchObject({
      residentId: id,
      householdId: place.householdIds[1],
      siteId: place.siteIds[1],
      labourCapacity: 'weak',
      wantsWork: false,
      changed: ['phone', 'labourCapacity', 'wantsWork'],
    });
    expect(JSON.stringify(ev.payload)).not.toContain('13900001111');
    const [a] = await sys.sql(
      `SELECT actor_subject, actor_role, action, request_id, detail FROM governance.audit_log WHERE entity_id = $1
        AND action = 'resident.update'`,
      [id],
    );
    expect(a).toEqual({
      actor_subject: 'officer-zhang',
      actor_role: 'site_officer',
      action: 'resident.update',
      request_id: 'req-update-1',
      detail: { changed: ['phone', 'labourCapacity', 'wantsWork'] },
    });
    const bad = await sys.query(
      `mutation($id: ID!) { updateResident(id: $id, input: { phone: "12345" }) { id } }`,
      { id },
      officer2,
    );
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.phone' });
  });

  it('moves a resident out with a reason: resident.moved_out, out of the default list, record closed', async () => {
    const today = provinceDate(sys.clock.now());
    const id = await residentOfItsOwn();
    const other = place.siteIds[1];
    const listed = async (f: Record<string, unknown> = {}) =>
      dataOf(await sys.query(RESIDENTS, { s: other, f }, officer2)).residents.totalCount;
    const [before, everyone] = [await listed(), await listed({ includeMovedOut: true })];
    const moved = dataOf(
      await sys.query(
        `mutation($id: ID!, $i: MoveOutResidentInput!) { moveOutResident(id: $id, input: $i) {
          movedOutOn movedOutReason } }`,
        { id, i: { movedOutOn: today, reason: '投亲靠友' } },
        officer2,
      ),
    );
    expect(moved.moveOutResident).toEqual({ movedOutOn: today, movedOutReason: '投亲靠友' });
    const [ev] = await sys.sql(
      `SELECT payload FROM governance.outbox WHERE event = 'resident.moved_out' AND payload->>'residentId' = $1`,
      [id],
    );
    expect(ev.payload).toEqual({
      residentId: id,
      householdId: place.householdIds[1],
      siteId: other,
      regionCode: '530102',
      movedOutOn: today,
      reason: '投亲靠友',
    });
    expect(await listed()).toBe(before - 1);
    expect(await listed({ includeMovedOut: true })).toBe(everyone);
    const again = await sys.query(
      `mutation($id: ID!) { moveOutResident(id: $id, input: { movedOutOn: "${today}", reason: "x" }) { id } }`,
      { id },
      officer2,
    );
    expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_MOVED_OUT' });
    const upd = await sys.query(
      `mutation($id: ID!) { updateResident(id: $id, input: { wantsWork: true }) { id } }`,
      { id },
      officer2,
    );
    expect(upd.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'MOVED_OUT' });
    const future = await sys.query(
      `mutation($id: ID!) { moveOutResident(id: $id, input: { movedOutOn: "2999-01-01", reason: "务工" }) { id } }`,
      { id: ids.young },
      officer,
    );
    expect(future.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.movedOutOn' });
    const site = dataOf(await sys.query(`{ site(id: "${other}") { residentCount } }`, {}, officer2));
    expect(site.site.residentCount).toBe(before - 1);
  });

  describe('audit', () => {
    it('reveals the full ID number and phone to a site officer, audited with who, why and the request id', async () => {
      // A change of its own first, so that the trail holds an update beside the registration.
      dataOf(
        await sys.query(
          `mutation($id: ID!) { updateResident(id: $id, input: { wantsWork: false }) { id } }`,
          { id: ids.head },
          officer,
        ),
      );
      const res = await sys.query(
        `mutation($id: ID!) { revealResidentContact(id: $id, reason: "办理低保核对") { residentId nationalId phone } }`,
        { id: ids.head },
        officer,
        'req-reveal-1',
      );
      expect(dataOf(res).revealResidentContact).toEqual({
        residentId: ids.head,
        nationalId: nationalId('530102', `${thisYear - 40}0101`, 101),
        phone: '13812341234',
      });
      const trail = dataOf(
        await sys.query(
          `query($id: ID!) { auditTrail(entityType: "Resident", entityId: $id) {
            action actorSubject actorRole requestId detail } }`,
          { id: ids.head },
          officer,
        ),
      ).auditTrail;
      expect(trail[0]).toMatchObject({
        action: 'resident.reveal_contact',
        actorSubject: 'officer-zhang',
        actorRole: 'site_officer',
        requestId: 'req-reveal-1',
      });
      expect(JSON.parse(trail[0].detail)).toEqual({ fields: ['nationalId', 'phone'], reason: '办理低保核对' });
      expect(trail.map((t: { action: string }) => t.action)).toEqual(
        expect.arrayContaining(['resident.update', 'resident.register']),
      );
    });

    it('refuses reveals to grid workers and to officers of other sites, and needs a reason', async () => {
      const reveals = async () =>
        (
          await sys.sql(`SELECT count(*)::int AS n FROM governance.audit_log WHERE action = 'resident.reveal_contact'`)
        )[0].n;
      const before = await reveals();
      const gw = await sys.query(
        `mutation($id: ID!) { revealResidentContact(id: $id, reason: "核对") { nationalId } }`,
        { id: ids.head },
        worker1,
      );
      expect(gw.errors![0].extensions?.code).toBe('FORBIDDEN');
      const other = await tokenFor({ role: 'site_officer', sites: [place.siteIds[1]] });
      const o = await sys.query(
        `mutation($id: ID!) { revealResidentContact(id: $id, reason: "核对") { nationalId } }`,
        { id: ids.head },
        other,
      );
      expect(o.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
      const none = await sys.query(
        `mutation($id: ID!) { revealResidentContact(id: $id, reason: " ") { nationalId } }`,
        { id: ids.head },
        officer,
      );
      expect(none.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
      expect(await reveals()).toBe(before);
    });

    it('every write has its audit row: one per row registered or moved out, one per reassignment', async () => {
      const audited = async () =>
        Object.fromEntries(
          (await sys.sql(`SELECT action, count(*)::int AS n FROM governance.audit_log GROUP BY action`)).map((r) => [
            r.action,
            r.n,
          ]),
        ) as Record<string, number>;
      const before = await audited();
      // A reassignment of its own, there and back.
      for (const gridId of [grid1, grid2])
        dataOf(
          await sys.query(
            `mutation { assignBuildingToGrid(buildingId: "${buildingB}", gridId: "${gridId}") { id } }`,
            {},
            officer,
          ),
        );
      const by = await audited();
      const rows = async (table: string, where = 'true') =>
        (await sys.sql(`SELECT count(*)::int AS n FROM governance.${table} WHERE ${where}`))[0].n;
      // beforeAll's: 3 regions, 2 sites, 2 grids, 2 buildings, 4 households, 4 residents; and the other tests' rows.
      expect({
        'region.register': by['region.register'],
        'site.register': by['site.register'],
        'grid.register': by['grid.register'],
        'building.register': by['building.register'],
        'household.register': by['household.register'],
        'resident.register': by['resident.register'],
        'resident.move_out': by['resident.move_out'] ?? 0,
      }).toEqual({
        'region.register': await rows('region'),
        'site.register': await rows('site'),
        'grid.register': await rows('grid'),
        'building.register': await rows('building'),
        'household.register': await rows('household'),
        'resident.register': await rows('resident'),
        'resident.move_out': await rows('resident', 'moved_out_on IS NOT NULL'),
      });
      expect(by['building.assign_grid'] - (before['building.assign_grid'] ?? 0)).toBe(2);
    });

    it('cannot be changed: the runtime role lacks UPDATE/DELETE/TRUNCATE; a trigger refuses the owner', async () => {
      await expect(sys.sql(`UPDATE governance.audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
      await expect(sys.sql(`DELETE FROM governance.audit_log`)).rejects.toThrow(/append-only/);
      await expect(sys.sql(`TRUNCATE governance.audit_log`)).rejects.toThrow(/append-only/);
      for (const stmt of [
        `UPDATE governance.audit_log SET action = 'x'`,
        `DELETE FROM governance.audit_log`,
        `TRUNCATE governance.audit_log`,
      ]) {
        await expect(
          sys.sql(`DO $$ BEGIN SET LOCAL ROLE governance_app; EXECUTE $q$${stmt}$q$; END $$`),
        ).rejects.toThrow(/permission denied/);
      }
      // …while it may still read and append.
      await sys.sql(`DO $$ BEGIN SET LOCAL ROLE governance_app; PERFORM count(*) FROM governance.audit_log;
        INSERT INTO governance.audit_log (actor_subject, actor_role, action, entity_type, entity_id)
        VALUES ('t', 'site_officer', 'probe', 'Probe', '1'); END $$`);
      const privileges = await sys.sql(
        `SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = 'governance_app'
          AND table_schema = 'governance' AND table_name = 'audit_log' ORDER BY 1`,
      );
      expect(privileges.map((p) => p.privilege_type)).toEqual(['INSERT', 'SELECT']);
    });
  });
});
