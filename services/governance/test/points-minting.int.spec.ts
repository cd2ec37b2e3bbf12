import { randomUUID } from 'node:crypto';
import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { deliver, registerResidents, seedNeighbourhood, type Neighbourhood } from './helpers';

/**
 * Issue 14, item 2 (governance's side): partners and residents cannot mint points. Attendance
 * from another site earns nothing; a building leader cannot resolve, for points, a micro-issue
 * they reported — through the gateway and straight at the subgraph, nothing changed.
 */
describe('nobody mints points (governance)', () => {
  let sys: TestSystem;
  let n: Neighbourhood;
  let leaderId: string;
  let residentId: string;
  let leader: string;
  const ledgerOf = (id: string) =>
    sys.sql(`SELECT source_event_id AS e, points FROM governance.points_entry WHERE resident_id = $1 ORDER BY id`, [
      id,
    ]);
  const attended = (resident: string, siteId: string) => ({
    attendanceId: randomUUID(),
    activityId: randomUUID(),
    organizationId: randomUUID(),
    residentId: resident,
    siteId,
    attendedAt: sys.clock.now().toISOString(),
    activityKind: 'CULTURAL',
  });

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'gov-mint', apis: ['governance'], workers: ['governance'] });
    n = await seedNeighbourhood(sys);
    [leaderId, residentId] = await registerResidents(sys, n.officer, [
      { householdId: n.householdIds[0], seq: 1 },
      { householdId: n.householdIds[0], seq: 2 },
    ]);
    dataOf(
      await sys.query(
        `mutation($b: ID!, $r: ID!) { setBuildingLeader(buildingId: $b, residentId: $r) { id } }`,
        { b: n.buildingIds[0], r: leaderId },
        n.officer,
      ),
    );
    leader = await tokenFor({ role: 'resident', resident: leaderId, sites: [n.siteId], sub: 'leader' });
    const county = await tokenFor({ role: 'county', regions: ['530102'] });
    for (const event of ['ACTIVITY_ATTENDED', 'MICRO_ISSUE_RESOLVED']) {
      dataOf(
        await sys.query(
          `mutation($i: DefinePointsRuleInput!) { definePointsRule(input: $i) { id } }`,
          { i: { regionCode: '530102', action: event, event, points: 10 } },
          county,
        ),
      );
    }
  });
  afterAll(() => sys?.stop());

  it('credits an attendance only to a resident of the activity’s site', async () => {
    const elsewhere = await deliver(sys, 'activity.attended', attended(residentId, n.siteIds[1]), {
      producer: 'social-orgs',
    });
    const unknownSite = await deliver(sys, 'activity.attended', attended(residentId, randomUUID()), {
      producer: 'social-orgs',
    });
    await sys.waitForIdle();
    expect(await ledgerOf(residentId)).toEqual([]);
    const [done] = await sys.sql(`SELECT count(*)::int AS n FROM governance.inbox WHERE event_id = ANY($1::uuid[])`, [
      [elsewhere, unknownSite],
    ]);
    expect(done.n).toBe(2); // consumed, not retried or dead-lettered: the answer is "nothing to credit"
    // The same attendance at the resident's own site earns the rule's points.
    const here = await deliver(sys, 'activity.attended', attended(residentId, n.siteId), { producer: 'social-orgs' });
    await sys.waitForIdle();
    expect(await ledgerOf(residentId)).toEqual([{ e: here, points: 10 }]);
  });

  it('sends a building leader’s own report to the grid worker, and never lets them resolve it', async () => {
    const REPORT = `mutation($i: ReportMicroIssueInput!) { reportMicroIssue(input: $i) { id level } }`;
    const own = dataOf(
      await sys.query(REPORT, { i: { kind: 'ISSUE', title: '楼道堆放杂物', description: '2楼楼道堆满纸箱' } }, leader),
    ).reportMicroIssue;
    expect(own.level).toBe('GRID_WORKER');
    // Even when the issue sits at the leader's level (reported before they became leader), resolving one's own report
    // is refused.
    const resident = await tokenFor({ role: 'resident', resident: residentId, sites: [n.siteId], sub: 'resident-2' });
    const early = dataOf(
      await sys.query(REPORT, { i: { kind: 'ISSUE', title: '电梯异响', description: '电梯运行有异响' } }, resident),
    ).reportMicroIssue;
    expect(early.level).toBe('BUILDING_LEADER');
    dataOf(
      await sys.query(
        `mutation($b: ID!, $r: ID!) { setBuildingLeader(buildingId: $b, residentId: $r) { id } }`,
        { b: n.buildingIds[0], r: residentId },
        n.officer,
      ),
    );
    const before =
      await sys.sql(`SELECT (SELECT json_agg(m ORDER BY m.id) FROM governance.micro_issue m) AS m, (SELECT count(*)
        FROM governance.outbox)::int AS o,
      (SELECT count(*) FROM governance.points_entry)::int AS p`);
    const RESOLVE = `mutation($id: ID!) { resolveMicroIssue(id: $id, outcome: SOLVED, note: "已处理") { id } }`;
    for (const res of [
      await sys.query(RESOLVE, { id: early.id }, resident),
      await sys.direct('governance', RESOLVE, { id: early.id }, resident),
    ]) {
      expect(res.data ?? null).toBeNull();
      expect(res.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(
      await sys.sql(`SELECT (SELECT json_agg(m ORDER BY m.id) FROM governance.micro_issue m) AS m, (SELECT count(*)
        FROM governance.outbox)::int AS o,
      (SELECT count(*) FROM governance.points_entry)::int AS p`),
    ).toEqual(before);
  });
});
