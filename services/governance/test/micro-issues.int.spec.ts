import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { microIssueEscalationTask } from '../src/micro-issue/micro-issue-escalation.task';
import { governanceSql, registerResidents, seedNeighbourhood, type Neighbourhood } from './helpers';

/** Micro self-governance (楼宇自治): report, route, escalate (by hand and by the deadline job), resolve. */
describe('micro-issues (governance)', () => {
  let sys: TestSystem;
  let n: Neighbourhood;
  let leaderId: string;
  let reporterId: string;
  let neighbourId: string;
  let leader: string;
  let reporter: string;
  let neighbour: string;
  const FIELDS = `id kind status level levelDueAt overdue escalations outcome resolutionHours building {
    name } steps { level leftBecause }`;
  const REPORT = `mutation($i: ReportMicroIssueInput!) { reportMicroIssue(input: $i) { ${FIELDS} } }`;
  const DAY = 86_400_000;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'gov-micro', apis: ['governance'], workers: ['governance'] });
    n = await seedNeighbourhood(sys);
    [leaderId, reporterId, neighbourId] = await registerResidents(sys, n.officer, [
      { householdId: n.householdIds[0], seq: 1 },
      { householdId: n.householdIds[0], seq: 2 },
      { householdId: n.householdIds[1], seq: 3 },
    ]);
    dataOf(
      await sys.query(
        `mutation($b: ID!, $r: ID!) { setBuildingLeader(buildingId: $b, residentId: $r) { leader { id } } }`,
        { b: n.buildingIds[0], r: leaderId },
        n.officer,
      ),
    );
    const as = (id: string) =>
      tokenFor({ role: 'resident', resident: id, sites: [n.siteId], sub: `resident-${id.slice(0, 8)}` });
    [leader, reporter, neighbour] = await Promise.all([as(leaderId), as(reporterId), as(neighbourId)]);
  });
  afterAll(() => sys?.stop());

  it('a resident reports on their building: its leader resolves it; micro_issue.resolved is published', async () => {
    const issue = dataOf(
      await sys.query(REPORT, { i: { kind: 'ISSUE', title: '楼道灯坏了', description: '3楼楼道灯不亮' } }, reporter),
    ).reportMicroIssue;
    expect(issue).toMatchObject({
      kind: 'ISSUE',
      status: 'OPEN',
      level: 'BUILDING_LEADER',
      overdue: false,
      building: { name: '1栋' },
    });
    expect(new Date(issue.levelDueAt).getTime() - sys.clock.now().getTime()).toBe(3 * DAY);
    // Who sees it: the reporter, the building leader, the grid worker of the building's grid; not the other grid's
    // worker nor a neighbour.
    const seen = async (t: string) =>
      (await sys.query(`query($id: ID!) { microIssue(id: $id) { id } }`, { id: issue.id }, t)).data?.microIssue?.id ??
      null;
    expect(await seen(reporter)).toBe(issue.id);
    expect(await seen(leader)).toBe(issue.id);
    expect(await seen(n.workerTokens[0])).toBe(issue.id);
    expect(await seen(n.workerTokens[1])).toBeNull();
    expect(await seen(neighbour)).toBeNull();
    // The reporter cannot resolve their own report; the leader can.
    const self = await sys.query(
      `mutation($id: ID!) { resolveMicroIssue(id: $id, outcome: SOLVED, note: "好了") { id } }`,
      { id: issue.id },
      reporter,
    );
    expect(self.errors![0].extensions?.code).toBe('FORBIDDEN');
    const done = dataOf(
      await sys.query(
        `mutation($id: ID!) { resolveMicroIssue(id: $id, outcome: SOLVED, note: "已更换灯泡") { ${FIELDS} } }`,
        { id: issue.id },
        leader,
      ),
    ).resolveMicroIssue;
    expect(done).toMatchObject({
      status: 'RESOLVED',
      outcome: 'SOLVED',
      steps: [{ level: 'BUILDING_LEADER', leftBecause: 'resolved' }],
    });
    // Resolved moments after it was reported: rounded to a tenth of an hour, that is 0.
    expect(done.resolutionHours).toBe(0);
    const [ev] = await sys.sql(
      `SELECT payload FROM governance.outbox WHERE event = 'micro_issue.resolved' AND payload->>'microIssueId' = $1`,
      [issue.id],
    );
    expect(ev?.payload).toMatchObject({
      microIssueId: issue.id,
      siteId: n.siteId,
      regionCode: '530102',
      reportedByResidentId: reporterId,
      outcome: 'solved',
    });
    const again = await sys.query(
      `mutation($id: ID!) { resolveMicroIssue(id: $id, outcome: SOLVED, note: "再次") { id } }`,
      { id: issue.id },
      leader,
    );
    expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'BAD_TRANSITION' });
  });

  // Past mediation, only officers act on it.
  it('without a building leader it goes to the grid worker, who passes disputes to mediation', async () => {
    const dispute = dataOf(
      await sys.query(
        REPORT,
        {
          i: {
            kind: 'DISPUTE',
            title: '楼上漏水纠纷',
            description: '楼上漏水到楼下，双方协商不成',
            buildingId: n.buildingIds[1],
          },
        },
        n.workerTokens[1],
      ),
    ).reportMicroIssue;
    expect(dispute).toMatchObject({ kind: 'DISPUTE', level: 'GRID_WORKER' });
    const up = dataOf(
      await sys.query(
        `mutation($id: ID!) { escalateMicroIssue(id: $id, note: "双方分歧大") { ${FIELDS} } }`,
        { id: dispute.id },
        n.workerTokens[1],
      ),
    ).escalateMicroIssue;
    expect(up).toMatchObject({
      level: 'MEDIATION',
      escalations: 1,
      steps: [
        { level: 'GRID_WORKER', leftBecause: 'escalated' },
        { level: 'MEDIATION', leftBecause: null },
      ],
    });
    const gw = await sys.query(
      `mutation($id: ID!) { resolveMicroIssue(id: $id, outcome: AGREEMENT, note: "试图解决") { id } }`,
      { id: dispute.id },
      n.workerTokens[1],
    );
    expect(gw.errors![0].extensions?.code).toBe('FORBIDDEN');
    const ok = dataOf(
      await sys.query(
        `mutation($id: ID!) { resolveMicroIssue(id: $id, outcome: AGREEMENT, note: "达成调解协议，楼上赔偿维修费") {
          status outcome } }`,
        { id: dispute.id },
        n.officer,
      ),
    );
    expect(ok.resolveMicroIssue).toEqual({ status: 'RESOLVED', outcome: 'AGREEMENT' });
  });

  it('rejects bad reports with typed errors and writes nothing', async () => {
    const before = await sys.sql(`SELECT count(*)::int AS n FROM governance.micro_issue`);
    const other = await sys.query(
      REPORT,
      { i: { kind: 'ISSUE', title: '别的楼', description: 'x', buildingId: n.buildingIds[1] } },
      reporter,
    );
    expect(other.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.buildingId',
      reason: 'OTHER_BUILDING',
    });
    const short = await sys.query(REPORT, { i: { kind: 'ISSUE', title: 'x', description: 'x' } }, reporter);
    expect(short.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
    const outside = await sys.query(
      REPORT,
      { i: { kind: 'ISSUE', title: '外网格', description: 'x', buildingId: n.buildingIds[1] } },
      n.workerTokens[0],
    );
    expect(outside.errors![0].extensions?.code).toBe('FORBIDDEN');
    expect(await sys.sql(`SELECT count(*)::int AS n FROM governance.micro_issue`)).toEqual(before);
  });

  it('the escalation job moves overdue issues up a level per deadline, to the legal adviser (test clock)', async () => {
    const county = await tokenFor({ role: 'county', regions: ['530102'] });
    dataOf(
      await sys.query(
        `mutation($i: RegisterLegalAdviserInput!) { registerLegalAdviser(input: $i) { id } }`,
        { i: { regionCode: '530102', name: '陈律师', kind: 'LEGAL_ADVISER', siteIds: [n.siteId] } },
        county,
      ),
    );
    const issue = dataOf(
      await sys.query(REPORT, { i: { kind: 'ISSUE', title: '下水道堵塞', description: '一楼下水道堵塞' } }, reporter),
    ).reportMicroIssue;
    const db = governanceSql(sys);
    let clock = new Date(sys.clock.now().getTime() + 2 * DAY);
    const task = microIssueEscalationTask(db, { now: () => clock });
    expect(await task.run()).toEqual({ escalated: 0 });
    clock = new Date(sys.clock.now().getTime() + 4 * DAY);
    expect(await task.run()).toEqual({ escalated: 1 });
    expect(await task.run()).toEqual({ escalated: 0 }); // the grid worker now has 5 days from `clock`
    const level = async () =>
      dataOf(
        await sys.query(
          `query($id: ID!) { microIssue(id: $id) { level levelDueAt overdue legalAdvisers { name } steps {
            level leftBecause } } }`,
          { id: issue.id },
          n.officer,
        ),
      ).microIssue;
    const atGrid = await level();
    expect(atGrid).toMatchObject({ level: 'GRID_WORKER', legalAdvisers: [] });
    expect(new Date(atGrid.levelDueAt).getTime()).toBe(clock.getTime() + 5 * DAY);
    clock = new Date(clock.getTime() + 5 * DAY + 1);
    await task.run();
    clock = new Date(clock.getTime() + 10 * DAY + 1);
    await task.run();
    clock = new Date(clock.getTime() + 30 * DAY);
    expect(await task.run()).toEqual({ escalated: 0 }); // the legal adviser is the last level
    const top = await level();
    expect(top).toMatchObject({
      level: 'LEGAL_ADVISER',
      overdue: false,
      legalAdvisers: [{ name: '陈律师' }],
      steps: [
        { level: 'BUILDING_LEADER', leftBecause: 'deadline' },
        { level: 'GRID_WORKER', leftBecause: 'deadline' },
        { level: 'MEDIATION', leftBecause: 'deadline' },
        { level: 'LEGAL_ADVISER', leftBecause: null },
      ],
    });
    const audits = await sys.sql(
      `SELECT actor_role, detail->>'to' AS "to" FROM governance.audit_log WHERE entity_id = $1
        AND action = 'micro_issue.escalate' ORDER BY id`,
      [issue.id],
    );
    expect(audits).toEqual([
      { actor_role: 'system', to: 'grid_worker' },
      { actor_role: 'system', to: 'mediation' },
      { actor_role: 'system', to: 'legal_adviser' },
    ]);
    const esc = await sys.query(
      `mutation($id: ID!) { escalateMicroIssue(id: $id) { id } }`,
      { id: issue.id },
      n.officer,
    );
    expect(esc.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'BAD_TRANSITION' });
  });

  it('keeps statistics: counts, escalations, resolution time and where matters were settled', async () => {
    const stats = async () =>
      dataOf(
        await sys.query(
          `query($s: ID) { microIssueStats(siteId: $s) {
            reported resolved open overdue escalated averageResolutionHours resolvedAtLevel { level count } } }`,
          { s: n.siteId },
          n.officer,
        ),
      ).microIssueStats;
    const before = await stats();
    // Three matters of this test's own: an issue its building leader resolves; a dispute the grid worker passes to
    // mediation, settled there; another passed to mediation and still open.
    const report = async (i: Record<string, unknown>, token: string) =>
      dataOf(await sys.query(REPORT, { i }, token)).reportMicroIssue.id as string;
    const resolve = async (id: string, outcome: string, token: string) =>
      dataOf(
        await sys.query(
          `mutation($id: ID!, $o: MicroIssueOutcome!) { resolveMicroIssue(id: $id, outcome: $o, note: "已处理") { id } }`,
          { id, o: outcome },
          token,
        ),
      );
    const toMediation = async (id: string) =>
      dataOf(
        await sys.query(
          `mutation($id: ID!) { escalateMicroIssue(id: $id, note: "双方分歧大") { id } }`,
          { id },
          n.workerTokens[1],
        ),
      );
    await resolve(
      await report({ kind: 'ISSUE', title: '单元门锁坏了', description: '单元门锁打不开' }, reporter),
      'SOLVED',
      leader,
    );
    const dispute = { kind: 'DISPUTE', description: '双方协商不成', buildingId: n.buildingIds[1] };
    const settled = await report({ ...dispute, title: '停车位纠纷' }, n.workerTokens[1]);
    await toMediation(settled);
    await resolve(settled, 'AGREEMENT', n.officer);
    await toMediation(await report({ ...dispute, title: '噪音纠纷' }, n.workerTokens[1]));

    const s = await stats();
    const counts = (x: typeof s) => [x.reported, x.resolved, x.open, x.escalated];
    const [reported, resolved, open, escalated] = counts(s).map((v, i) => v - counts(before)[i]);
    expect({ reported, resolved, open, escalated }).toEqual({ reported: 3, resolved: 2, open: 1, escalated: 2 });
    expect(s.overdue).toBe(0);
    const settledAt = (x: typeof s, level: string) =>
      x.resolvedAtLevel.find((l: { level: string }) => l.level === level)?.count ?? 0;
    expect(['BUILDING_LEADER', 'MEDIATION'].map((level) => settledAt(s, level) - settledAt(before, level))).toEqual([
      1, 1,
    ]);
    const [{ avg }] = await sys.sql(
      `SELECT round((avg(extract(epoch FROM resolved_at - opened_at)) / 3600)::numeric, 1)::float AS avg
      FROM governance.micro_issue WHERE site_id = $1 AND status = 'resolved'`,
      [n.siteId],
    );
    expect(avg).not.toBeNull();
    expect(s.averageResolutionHours).toBe(avg);
    const other = await tokenFor({ role: 'site_officer', sites: [n.siteIds[1]] });
    expect(
      dataOf(await sys.query(`query($s: ID) { microIssueStats(siteId: $s) { reported } }`, { s: n.siteId }, other))
        .microIssueStats.reported,
    ).toBe(0);
  });
});
