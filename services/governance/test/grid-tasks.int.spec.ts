import { randomUUID } from 'node:crypto';
import { TestSystem, dataOf } from '@anju/testing';
import { deliver, seedNeighbourhood, type Neighbourhood } from './helpers';

/** Grid-worker tasks fed by employment's household.gap.detected / household.gap.closed. */
describe('grid-worker tasks from events (governance)', () => {
  let sys: TestSystem;
  let n: Neighbourhood;
  const TASKS = `query($s: GridTaskStatus) { gridTasks(status: $s) { totalCount nodes {
    id kind title status rules sourceEvent sourceEventId dueOn note closedAt grid { name } household { id } } } }`;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'gov-tasks', apis: ['governance'], workers: ['governance'] });
    n = await seedNeighbourhood(sys);
  });
  afterAll(() => sys?.stop());

  let households = 0;
  /** A household of grid 2's building of its own (grid 1's, and grid 2's first household, stay test 1's). */
  const householdOfGrid2 = async () =>
    dataOf(
      await sys.query(
        `mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`,
        { i: { siteId: n.siteId, householdNumber: `2-${201 + households++}`, buildingId: n.buildingIds[1] } },
        n.officer,
      ),
    ).registerHousehold.id as string;
  const total = async (token: string, status?: string) =>
    dataOf(await sys.query(TASKS, { s: status ?? null }, token)).gridTasks.totalCount as number;
  const gap = (gapId: string, householdId: string) => ({
    gapId,
    householdId,
    siteId: n.siteId,
    regionCode: '530102',
    rules: ['EMPLOYED_MEMBER', 'STABLE_INCOME'],
    needsJobHelp: true,
    detectedOn: '2026-11-01',
  });

  it("a detected gap becomes a task for the household's grid worker, with its source; duplicates: no-ops", async () => {
    // Grid 2's tasks are the other tests' too: its worker and the officer are counted before and after.
    const before = { theirs: await total(n.workerTokens[1]), officer: await total(n.officer) };
    const unreadCount = async () =>
      dataOf(await sys.query(`{ myUnreadNotificationCount }`, {}, n.workerTokens[1])).myUnreadNotificationCount;
    const theirUnread = await unreadCount();
    const gapId = randomUUID();
    const eventId = await deliver(sys, 'household.gap.detected', gap(gapId, n.householdIds[0]));
    await deliver(sys, 'household.gap.detected', gap(gapId, n.householdIds[0]), {
      id: eventId,
      jobId: `${eventId}-again`,
    });
    await sys.waitForIdle();
    const mine = dataOf(await sys.query(TASKS, {}, n.workerTokens[0])).gridTasks;
    expect(mine.totalCount).toBe(1);
    expect(mine.nodes[0]).toMatchObject({
      kind: 'household_gap',
      status: 'OPEN',
      rules: ['EMPLOYED_MEMBER', 'STABLE_INCOME'],
      sourceEvent: 'household.gap.detected',
      sourceEventId: eventId,
      dueOn: '2026-11-15',
      grid: { name: '第1网格' },
      household: { id: n.householdIds[0] },
    });
    expect(mine.nodes[0].title).toMatch(/有就业意愿的家庭尚无人就业/);
    // The other grid's worker does not see it; the site officer does.
    expect(await total(n.workerTokens[1])).toBe(before.theirs);
    expect(await total(n.officer)).toBe(before.officer + 1);
    // One household's tasks (its page in the portal): this one has it, the next has none.
    const OF_HOUSEHOLD = `query($h: ID!) { gridTasks(householdId: $h) { totalCount nodes { id } } }`;
    expect(dataOf(await sys.query(OF_HOUSEHOLD, { h: n.householdIds[0] }, n.officer)).gridTasks.nodes).toEqual([
      { id: mine.nodes[0].id },
    ]);
    expect(dataOf(await sys.query(OF_HOUSEHOLD, { h: n.householdIds[1] }, n.officer)).gridTasks.totalCount).toBe(0);
    // A second gap for the same household (say, a new one after it closed) is a new task; the same gap again is not.
    await deliver(sys, 'household.gap.detected', gap(gapId, n.householdIds[0]));
    await sys.waitForIdle();
    expect(dataOf(await sys.query(TASKS, {}, n.workerTokens[0])).gridTasks.totalCount).toBe(1);
    // 网格任务: the grid worker in charge was told once; the other grid's worker not at all.
    const told = dataOf(
      await sys.query(`{ myNotifications { nodes { kind entityId details { what when } } } }`, {}, n.workerTokens[0]),
    ).myNotifications.nodes;
    expect(told).toEqual([
      {
        kind: 'GRID_TASK_ASSIGNED',
        entityId: mine.nodes[0].id,
        details: { what: mine.nodes[0].title, when: '2026-11-15' },
      },
    ]);
    expect(await unreadCount()).toBe(theirUnread);
  });

  it('the grid worker completes it with a note; the gap closing closes it', async () => {
    const gapId = randomUUID();
    const householdId = await householdOfGrid2();
    await deliver(sys, 'household.gap.detected', gap(gapId, householdId));
    await sys.waitForIdle();
    const ofHousehold = (nodes: { id: string; closedAt: string | null; household: { id: string } }[]) =>
      nodes.filter((t) => t.household.id === householdId);
    const [task] = ofHousehold(dataOf(await sys.query(TASKS, {}, n.workerTokens[1])).gridTasks.nodes);
    const other = await sys.query(
      `mutation($id: ID!) { completeGridTask(id: $id, note: "入户走访") { id } }`,
      { id: task.id },
      n.workerTokens[0],
    );
    expect(other.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const done = dataOf(
      await sys.query(
        `mutation($id: ID!) { completeGridTask(id: $id, note: "入户走访，推荐到扶贫车间") { status note } }`,
        { id: task.id },
        n.workerTokens[1],
      ),
    );
    expect(done.completeGridTask).toEqual({ status: 'DONE', note: '入户走访，推荐到扶贫车间' });
    const again = await sys.query(
      `mutation($id: ID!) { completeGridTask(id: $id, note: "再次") { id } }`,
      { id: task.id },
      n.workerTokens[1],
    );
    expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'BAD_TRANSITION' });
    expect(await sys.audits('governance', task.id)).toEqual([{ action: 'grid_task.complete', role: 'grid_worker' }]);

    const closedBy = await deliver(sys, 'household.gap.closed', {
      gapId,
      householdId,
      siteId: n.siteId,
      regionCode: '530102',
      closedOn: '2026-11-20',
    });
    await sys.waitForIdle();
    const closed = ofHousehold(dataOf(await sys.query(TASKS, { s: 'CLOSED' }, n.workerTokens[1])).gridTasks.nodes);
    expect(closed).toHaveLength(1);
    expect(closed[0].closedAt).toBeTruthy();
    const [row] = await sys.sql(`SELECT closed_by_event_id FROM governance.grid_task WHERE id = $1`, [task.id]);
    expect(row.closed_by_event_id).toBe(closedBy);
  });

  it('an open task also closes when its gap closes, and residents or volunteers see no tasks', async () => {
    // An open task of its own.
    const gapId = randomUUID();
    const householdId = await householdOfGrid2();
    await deliver(sys, 'household.gap.detected', gap(gapId, householdId));
    await sys.waitForIdle();
    const open = await total(n.officer, 'OPEN');
    await deliver(sys, 'household.gap.closed', {
      gapId,
      householdId,
      siteId: n.siteId,
      regionCode: '530102',
      closedOn: '2026-11-20',
    });
    await sys.waitForIdle();
    expect(await total(n.officer, 'OPEN')).toBe(open - 1);
    expect(await sys.sql(`SELECT status FROM governance.grid_task WHERE household_id = $1`, [householdId])).toEqual([
      { status: 'closed' },
    ]);
    const { tokenFor } = await import('@anju/testing');
    const resident = await tokenFor({ role: 'resident', resident: randomUUID(), sites: [n.siteId] });
    expect((await sys.query(TASKS, {}, resident)).errors![0].extensions?.code).toBe('FORBIDDEN');
  });
});
