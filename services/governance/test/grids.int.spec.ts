import { randomUUID } from 'node:crypto';
import { addDays, provinceDate } from '@anju/kit';
import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { deliver, registerResidents, seedNeighbourhood, type Neighbourhood } from './helpers';

/**
 * Grids (网格化管理): each grid's duties, household visits, and grid tasks from every cause — overdue
 * referrals and claims (other services' events), escalated micro-issues and households not visited
 * for GRID_VISIT_EVERY_DAYS (governance's hourly pass, run here with the system's clock).
 */
describe('grids: duties, visits and tasks from every cause (governance)', () => {
  let sys: TestSystem;
  let n: Neighbourhood;
  const PASS = 'grid-tasks.open-from-causes';
  const TASKS = `query($h: ID) { gridTasks(householdId: $h) { totalCount nodes {
    id kind title status dueOn sourceEvent grid { id } household { id } } } }`;
  const today = () => provinceDate(sys.clock.now());
  /** A grid of the site of its own, with its worker's token. */
  const newGrid = async (n3: number) => {
    const gridId = dataOf(
      await sys.query(
        `mutation($i: RegisterGridInput!) { registerGrid(input: $i) { id } }`,
        { i: { siteId: n.siteId, name: `第${n3}网格`, gridWorkerSubject: `gw-${n3}` } },
        n.officer,
      ),
    ).registerGrid.id as string;
    return { gridId, worker: await tokenFor({ role: 'grid_worker', grids: [gridId], sub: `gw-${n3}` }) };
  };
  const tasksOf = async (token: string, kind: string, householdId?: string) =>
    dataOf(await sys.query(TASKS, { h: householdId ?? null }, token)).gridTasks.nodes.filter(
      (t: { kind: string }) => t.kind === kind,
    );

  beforeAll(async () => {
    sys = await TestSystem.start({
      label: 'gov-grids',
      apis: ['governance'],
      workers: ['governance'],
      env: { GRID_VISIT_EVERY_DAYS: '60' },
    });
    n = await seedNeighbourhood(sys);
  });
  afterAll(() => sys?.stop());

  describe('duties (网格职责)', () => {
    const SET = `mutation($g: ID!, $d: [GridDutyInput!]!) { setGridDuties(gridId: $g, duties: $d) { id duties {
      position title detail } } }`;
    const READ = `query($g: ID!) { grid(id: $g) { duties { position title detail } } }`;

    it("the site officer sets a grid's duties in order, replaces them whole; its grid worker reads them", async () => {
      const first = dataOf(
        await sys.query(
          SET,
          {
            g: n.gridIds[0],
            d: [
              { title: '人口信息采集', detail: '新搬入户一周内登记' },
              { title: '矛盾纠纷排查' },
              { title: '安全隐患巡查', detail: '每周巡查楼道消防通道' },
            ],
          },
          n.officer,
        ),
      ).setGridDuties;
      expect(first.duties.map((d: { position: number; title: string }) => [d.position, d.title])).toEqual([
        [1, '人口信息采集'],
        [2, '矛盾纠纷排查'],
        [3, '安全隐患巡查'],
      ]);
      dataOf(
        await sys.query(
          SET,
          { g: n.gridIds[0], d: [{ title: '政策宣传' }, { title: '人口信息采集', detail: '每月核对' }] },
          n.officer,
        ),
      );
      expect(dataOf(await sys.query(READ, { g: n.gridIds[0] }, n.workerTokens[0])).grid.duties).toEqual([
        { position: 1, title: '政策宣传', detail: null },
        { position: 2, title: '人口信息采集', detail: '每月核对' },
      ]);
      // The other grid has none, and its worker does not read this grid at all.
      expect(dataOf(await sys.query(READ, { g: n.gridIds[1] }, n.officer)).grid.duties).toEqual([]);
      expect(dataOf(await sys.query(READ, { g: n.gridIds[0] }, n.workerTokens[1])).grid).toBeNull();
      expect(await sys.audits('governance', n.gridIds[0])).toEqual([
        { action: 'grid.register', role: 'site_officer' },
        { action: 'grid.set_duties', role: 'site_officer' },
        { action: 'grid.set_duties', role: 'site_officer' },
      ]);
    });

    it('refuses bad lists, a grid worker and an officer of another site, changing nothing', async () => {
      // A grid of its own with two duties.
      const { gridId: grid, worker } = await newGrid(3);
      dataOf(await sys.query(SET, { g: grid, d: [{ title: '政策宣传' }, { title: '人口信息采集' }] }, n.officer));
      const before = await sys.sql(`SELECT title FROM governance.grid_duty WHERE grid_id = $1 ORDER BY position`, [
        grid,
      ]);
      expect(before).toHaveLength(2);
      const errorOf = async (d: unknown[], token = n.officer, g = grid) =>
        (await sys.query(SET, { g, d }, token)).errors![0].extensions;
      expect(await errorOf([{ title: '走访' }, { title: '走访' }])).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'duties.1.title',
        reason: 'DUPLICATE',
      });
      expect(await errorOf([{ title: '访' }])).toMatchObject({ code: 'BAD_USER_INPUT', field: 'duties.0.title' });
      expect(await errorOf([{ title: '走访', detail: '长'.repeat(501) }])).toMatchObject({ field: 'duties.0.detail' });
      expect(await errorOf(Array.from({ length: 31 }, (_, i) => ({ title: `职责${i}` })))).toMatchObject({
        field: 'duties',
        reason: 'TOO_MANY',
      });
      expect(await errorOf([{ title: '自己定' }], worker)).toMatchObject({ code: 'FORBIDDEN' });
      const elsewhere = await tokenFor({ role: 'site_officer', sites: [n.siteIds[1]] });
      expect(await errorOf([{ title: '别处' }], elsewhere)).toMatchObject({ code: 'NOT_FOUND', field: 'gridId' });
      expect(await errorOf([{ title: '格式' }], n.officer, 'not-a-grid')).toMatchObject({
        field: 'gridId',
        reason: 'FORMAT',
      });
      expect(
        await sys.sql(`SELECT title FROM governance.grid_duty WHERE grid_id = $1 ORDER BY position`, [grid]),
      ).toEqual(before);
    });
  });

  describe('households not visited for too long (入户走访)', () => {
    let seq = 300;
    /** A household (by default in grid 1's building) whose one resident moved in `daysAgo` days ago, never visited. */
    const householdMovedIn = async (daysAgo: number, buildingId = n.buildingIds[0]) => {
      seq += 1;
      const householdId = dataOf(
        await sys.query(
          `mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`,
          { i: { siteId: n.siteId, householdNumber: `${seq}`, buildingId } },
          n.officer,
        ),
      ).registerHousehold.id as string;
      await registerResidents(sys, n.officer, [
        { householdId, seq, overrides: { movedInOn: addDays(today(), -daysAgo) } },
      ]);
      return householdId;
    };

    it('the pass opens one task per lapsed household for its grid worker, tells them once, does it once', async () => {
      // In a grid of its own, whose worker has heard nothing yet today (each worker hears one digest a day):
      // moved in 61 days ago, never visited, lapsed. A household of grid 2 moved in yesterday is not.
      const { gridId, worker } = await newGrid(4);
      const buildingId = dataOf(
        await sys.query(
          `mutation($i: RegisterBuildingInput!) { registerBuilding(input: $i) { id } }`,
          { i: { siteId: n.siteId, name: '4栋', gridId } },
          n.officer,
        ),
      ).registerBuilding.id;
      const householdId = await householdMovedIn(61, buildingId);
      await householdMovedIn(1, n.buildingIds[1]);
      expect(await sys.runTask('governance', PASS)).toEqual({ opened: 1, closed: 0 });
      expect(await sys.runTask('governance', PASS)).toEqual({ opened: 0, closed: 0 });
      const [task] = await tasksOf(worker, 'household_unvisited', householdId);
      expect(task).toMatchObject({
        status: 'OPEN',
        dueOn: addDays(today(), 7),
        grid: { id: gridId },
        household: { id: householdId },
        sourceEvent: 'scheduler:grid-tasks.open-from-causes',
      });
      expect(task.title).toContain(`自${addDays(today(), -61).slice(0, 4)}年`);
      expect(await tasksOf(n.workerTokens[1], 'household_unvisited')).toEqual([]);
      const told = dataOf(await sys.query(`{ myNotifications { nodes { kind title entityId } } }`, {}, worker))
        .myNotifications.nodes;
      expect(told).toEqual([{ kind: 'GRID_TASK_ASSIGNED', title: '1户居民超过60天未入户走访', entityId: gridId }]);
    });

    it("a recorded visit completes it, shows as the household's latest; the next lapse counts from it", async () => {
      const VISIT = `mutation($i: RecordHouseholdVisitInput!) { recordHouseholdVisit(input: $i) {
        visitedOn visitedBy note household { id lastVisitedOn } } }`;
      const householdId = await householdMovedIn(61);
      expect(await sys.runTask('governance', PASS)).toEqual({ opened: 1, closed: 0 });
      const visit = dataOf(
        await sys.query(
          VISIT,
          { i: { householdId, visitedOn: today(), note: '入户走访，家中老人身体好' } },
          n.workerTokens[0],
        ),
      ).recordHouseholdVisit;
      expect(visit).toEqual({
        visitedOn: today(),
        visitedBy: 'gw-1',
        note: '入户走访，家中老人身体好',
        household: { id: householdId, lastVisitedOn: today() },
      });
      expect(
        (await tasksOf(n.officer, 'household_unvisited', householdId)).map((t: { status: string }) => t.status),
      ).toEqual(['DONE']);
      expect(await sys.runTask('governance', PASS)).toEqual({ opened: 0, closed: 0 });
      const visits = dataOf(
        await sys.query(
          `query($h: ID!) { householdVisits(householdId: $h) { visitedOn note } }`,
          { h: householdId },
          n.officer,
        ),
      ).householdVisits;
      expect(visits).toEqual([{ visitedOn: today(), note: '入户走访，家中老人身体好' }]);
      expect(
        dataOf(
          await sys.query(
            `query($h: ID!) { householdVisits(householdId: $h) { id } }`,
            { h: householdId },
            n.workerTokens[1],
          ),
        ).householdVisits,
      ).toBeNull();
      expect(await sys.audits('governance', householdId)).toContainEqual({
        action: 'household.visit',
        role: 'grid_worker',
      });
      // Had that visit been 62 days ago, it lapses again: a new cause (not visited since then), a new task.
      await sys.sql(`UPDATE governance.household SET last_visited_on = $2 WHERE id = $1`, [
        householdId,
        addDays(today(), -62),
      ]);
      expect(await sys.runTask('governance', PASS)).toEqual({ opened: 1, closed: 0 });
      const [again] = (await tasksOf(n.officer, 'household_unvisited', householdId)).filter(
        (t: { status: string }) => t.status === 'OPEN',
      );
      // Completing that task is a visit too: the household is visited today.
      dataOf(
        await sys.query(
          `mutation($id: ID!) { completeGridTask(id: $id, note: "电话联系后入户") { status } }`,
          { id: again.id },
          n.workerTokens[0],
        ),
      );
      expect(
        await sys.sql(`SELECT to_char(last_visited_on, 'YYYY-MM-DD') AS d FROM governance.household WHERE id = $1`, [
          householdId,
        ]),
      ).toEqual([{ d: today() }]);
    });

    it("refuses a visit in the future, too long ago, bad, or outside the worker's grid, recording none", async () => {
      const VISIT = `mutation($i: RecordHouseholdVisitInput!) { recordHouseholdVisit(input: $i) { visitedOn } }`;
      const count = async () => (await sys.sql(`SELECT count(*)::int AS c FROM governance.household_visit`))[0].c;
      const householdId = n.householdIds[0]; // grid 1's
      const before = await count();
      const errorOf = async (i: Record<string, unknown>, token = n.workerTokens[0]) =>
        (await sys.query(VISIT, { i: { householdId, visitedOn: today(), note: '走访', ...i } }, token)).errors![0]
          .extensions;
      expect(await errorOf({ visitedOn: addDays(today(), 1) })).toMatchObject({
        field: 'input.visitedOn',
        reason: 'FUTURE',
      });
      expect(await errorOf({ visitedOn: addDays(today(), -31) })).toMatchObject({
        field: 'input.visitedOn',
        reason: 'TOO_OLD',
      });
      expect(await errorOf({ visitedOn: '2026-02-30' })).toMatchObject({ field: 'input.visitedOn', reason: 'FORMAT' });
      expect(await errorOf({ note: ' ' })).toMatchObject({ field: 'input.note' });
      expect(await errorOf({}, n.workerTokens[1])).toMatchObject({ code: 'NOT_FOUND', field: 'input.householdId' });
      const resident = await tokenFor({ role: 'resident', resident: randomUUID(), sites: [n.siteId] });
      expect(await errorOf({}, resident)).toMatchObject({ code: 'FORBIDDEN' });
      expect(await count()).toBe(before);
    });

    it('a household nobody lives in any more has its open task closed', async () => {
      const householdId = await householdMovedIn(30);
      const [{ id }] = await sys.sql(`SELECT id FROM governance.resident WHERE household_id = $1`, [householdId]);
      await sys.sql(`UPDATE governance.household SET last_visited_on = $2 WHERE id = $1`, [
        householdId,
        addDays(today(), -100),
      ]);
      expect(await sys.runTask('governance', PASS)).toEqual({ opened: 1, closed: 0 });
      dataOf(
        await sys.query(
          `mutation($id: ID!, $i: MoveOutResidentInput!) { moveOutResident(id: $id, input: $i) { id } }`,
          { id, i: { movedOutOn: today(), reason: '随子女迁往昆明' } },
          n.officer,
        ),
      );
      expect(await sys.runTask('governance', PASS)).toEqual({ opened: 0, closed: 1 });
      expect(
        (await tasksOf(n.officer, 'household_unvisited', householdId)).filter(
          (t: { status: string }) => t.status === 'OPEN',
        ),
      ).toEqual([]);
    });
  });

  it('an escalated micro-issue is followed up by its grid worker until it is resolved', async () => {
    const reporter = await tokenFor({ role: 'grid_worker', grids: [n.gridIds[1]], sub: 'gw-2' });
    const issue = dataOf(
      await sys.query(
        `mutation($i: ReportMicroIssueInput!) { reportMicroIssue(input: $i) { id } }`,
        { i: { kind: 'DISPUTE', title: '停车位纠纷', description: '两户争一个车位', buildingId: n.buildingIds[1] } },
        reporter,
      ),
    ).reportMicroIssue;
    expect(await sys.runTask('governance', PASS)).toMatchObject({ opened: 0 }); // not escalated yet
    dataOf(
      await sys.query(
        `mutation($id: ID!) { escalateMicroIssue(id: $id, note: "协商不成") { level } }`,
        { id: issue.id },
        reporter,
      ),
    );
    expect(await sys.runTask('governance', PASS)).toMatchObject({ opened: 1 });
    expect(await sys.runTask('governance', PASS)).toMatchObject({ opened: 0 });
    const [task] = await tasksOf(n.workerTokens[1], 'micro_issue_escalated');
    expect(task).toMatchObject({
      status: 'OPEN',
      title: '跟进已升级的微矛盾：停车位纠纷',
      grid: { id: n.gridIds[1] },
      household: null,
    });
    dataOf(
      await sys.query(
        `mutation($id: ID!) { resolveMicroIssue(id: $id, outcome: AGREEMENT, note: "调解达成协议") { status } }`,
        { id: issue.id },
        n.officer,
      ),
    );
    expect(await sys.runTask('governance', PASS)).toEqual({ opened: 0, closed: 1 });
    expect(
      (await tasksOf(n.workerTokens[1], 'micro_issue_escalated')).map((t: { status: string }) => t.status),
    ).toEqual(['CLOSED']);
  });

  it("an overdue referral or claim of a household becomes its grid worker's task, once per cause", async () => {
    const referralId = randomUUID();
    const demandId = randomUUID();
    const referral = {
      referralId,
      caseId: randomUUID(),
      organizationId: randomUUID(),
      siteId: n.siteId,
      regionCode: '530102',
      householdId: n.householdIds[1],
      agency: 'CIVIL_AFFAIRS',
      dueOn: addDays(today(), -1),
      overdueSince: sys.clock.now().toISOString(),
    };
    const claim = {
      demandId,
      siteId: n.siteId,
      regionCode: '530102',
      householdId: n.householdIds[1],
      unitId: randomUUID(),
      category: 'elderly_care',
      promisedOn: addDays(today(), -2),
      overdueSince: sys.clock.now().toISOString(),
    };
    const referralEvent = await deliver(sys, 'referral.overdue', referral, { producer: 'social-orgs' });
    // The same cause again, once the first is applied (two at once may land in either order): no second task.
    await sys.waitForIdle();
    await deliver(sys, 'referral.overdue', referral, { producer: 'social-orgs' });
    const claimEvent = await deliver(sys, 'demand.claim_overdue', claim, { producer: 'matching' });
    await sys.waitForIdle();
    const mine = await tasksOf(n.workerTokens[1], 'referral_overdue', n.householdIds[1]);
    expect(mine).toEqual([
      expect.objectContaining({
        status: 'OPEN',
        sourceEvent: 'referral.overdue',
        dueOn: addDays(today(), 7),
        grid: { id: n.gridIds[1] },
      }),
    ]);
    expect(mine[0].title).toContain('民政部门');
    expect(
      await sys.sql(
        `SELECT source_event_id AS e FROM governance.grid_task WHERE kind = 'referral_overdue'
        AND source_key = $1`,
        [referralId],
      ),
    ).toEqual([{ e: referralEvent }]);
    const claims = await tasksOf(n.workerTokens[1], 'claim_overdue', n.householdIds[1]);
    expect(claims).toEqual([
      expect.objectContaining({
        status: 'OPEN',
        sourceEvent: 'demand.claim_overdue',
        household: { id: n.householdIds[1] },
      }),
    ]);
    expect(await sys.sql(`SELECT source_event_id AS e FROM governance.grid_task WHERE kind = 'claim_overdue'`)).toEqual(
      [{ e: claimEvent }],
    );
    // The other grid's worker sees neither; the grid worker in charge was told of each.
    expect(await tasksOf(n.workerTokens[0], 'referral_overdue')).toEqual([]);
    const told = await sys.sql(
      `SELECT entity_id FROM governance.notification WHERE recipient = 'subject:gw-2' AND kind = 'grid_task_assigned'`,
    );
    expect(told.map((t) => t.entity_id).sort()).toEqual([mine[0].id, claims[0].id].sort());

    // The referral gets its outcome and the demand is fulfilled: both follow-ups close, by those events.
    const resolved = await deliver(
      sys,
      'referral.resolved',
      {
        referralId,
        caseId: referral.caseId,
        organizationId: referral.organizationId,
        resolvedAt: sys.clock.now().toISOString(),
      },
      { producer: 'social-orgs' },
    );
    const fulfilled = await deliver(
      sys,
      'demand.fulfilled',
      {
        demandId,
        siteId: n.siteId,
        householdId: n.householdIds[1],
        unitId: claim.unitId,
        fulfilledAt: sys.clock.now().toISOString(),
      },
      { producer: 'matching' },
    );
    await sys.waitForIdle();
    expect(
      await sys.sql(
        `SELECT kind, status, closed_by_event_id AS e FROM governance.grid_task
      WHERE kind IN ('referral_overdue', 'claim_overdue') AND source_key = ANY($1) ORDER BY kind`,
        [[referralId, demandId]],
      ),
    ).toEqual([
      { kind: 'claim_overdue', status: 'closed', e: fulfilled },
      { kind: 'referral_overdue', status: 'closed', e: resolved },
    ]);
  });

  it('a follow-up whose cause went away before its overdue event arrived is born closed', async () => {
    const referral = {
      referralId: randomUUID(),
      caseId: randomUUID(),
      organizationId: randomUUID(),
      siteId: n.siteId,
      regionCode: '530102',
      householdId: n.householdIds[0],
      agency: 'JUSTICE',
      dueOn: addDays(today(), -1),
      overdueSince: sys.clock.now().toISOString(),
    };
    const resolved = await deliver(
      sys,
      'referral.resolved',
      {
        referralId: referral.referralId,
        caseId: referral.caseId,
        organizationId: referral.organizationId,
        resolvedAt: sys.clock.now().toISOString(),
      },
      { producer: 'social-orgs' },
    );
    await sys.waitForIdle();
    await deliver(sys, 'referral.overdue', referral, { producer: 'social-orgs' });
    await sys.waitForIdle();
    expect(
      await sys.sql(`SELECT status, closed_by_event_id AS e FROM governance.grid_task WHERE source_key = $1`, [
        referral.referralId,
      ]),
    ).toEqual([{ status: 'closed', e: resolved }]);
  });
});
