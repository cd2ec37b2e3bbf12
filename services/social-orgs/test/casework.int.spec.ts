import { randomUUID } from 'node:crypto';
import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { dayIn, errorOf, knownResidents, knownSite, minutesFromNow, twoOrganizations, type Orgs } from './fixtures';

/**
 * Casework in full (issue 20): sessions with notes, group cases with members, closing summaries;
 * notes and members read only by the case's organization and the officers of the case's site.
 */
describe('casework: sessions, group members, closing (个案记录)', () => {
  let sys: TestSystem;
  let o: Orgs;
  let site: string;
  let otherSite: string;
  let siteOfficer: string;
  let otherSiteOfficer: string;
  const direct = (q: string, v: Record<string, unknown>, t: string) => sys.direct('social-orgs', q, v, t);
  const OPEN = `mutation($i: OpenCaseInput!) { openCase(input: $i) { id status } }`;
  const SESSION = `mutation($i: RecordCaseSessionInput!) { recordCaseSession(input: $i) {
    id heldAt whatWasDone nextStep nextStepDueOn attendeeResidentIds recordedBy worker { id } case { id } } }`;
  const ADD = `mutation($c: ID!, $m: [CaseMemberInput!]!) { addCaseMembers(caseId: $c, members: $m) { id members {
    residentId role leftAt } } }`;
  const READ = `query($id: ID!) { socialCase(id: $id) { id status closingSummary closingReason
    sessions { id whatWasDone nextStep attendeeResidentIds } members { residentId householdId role leftAt } } }`;
  const counts = () =>
    sys.sql(`SELECT (SELECT count(*) FROM social_orgs.case_session)::int AS s, (SELECT count(*)
      FROM social_orgs.case_member)::int AS m,
    (SELECT count(*) FROM social_orgs.audit_log)::int AS a, (SELECT json_agg(status ORDER BY seq)
      FROM social_orgs.social_case) AS st`);

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'so-casework', workers: [] });
    o = await twoOrganizations(sys);
    site = await knownSite(sys);
    otherSite = await knownSite(sys);
    siteOfficer = await tokenFor({ role: 'site_officer', regions: ['530102'], sites: [site] });
    otherSiteOfficer = await tokenFor({ role: 'site_officer', regions: ['530102'], sites: [otherSite] });
  });
  afterAll(() => sys?.stop());

  it('runs a mutual-aid group: members with a leader, sessions with notes and next steps, a summary', async () => {
    const [lead, m1, m2, m3] = await knownResidents(sys, site, 4);
    const worker = dataOf(
      await direct(
        `mutation { hireSocialWorker(input: { name: "杨社工", qualification: NONE, joinedOn: "2026-01-05" }) { id } }`,
        {},
        o.ngoA,
      ),
    ).hireSocialWorker;
    const kase = dataOf(
      await direct(
        OPEN,
        { i: { kind: 'MUTUAL_AID_GROUP', title: '5栋邻里互助小组', siteId: site, workerId: worker.id } },
        o.ngoA,
      ),
    ).openCase;
    // Partner path straight at the subgraph: members, then a session.
    const withMembers = dataOf(
      await direct(
        ADD,
        { c: kase.id, m: [{ residentId: lead, role: 'LEADER' }, { residentId: m1 }, { residentId: m2 }] },
        o.ngoA,
      ),
    ).addCaseMembers;
    expect(withMembers.members.map((x: { role: string }) => x.role)).toEqual(['LEADER', 'MEMBER', 'MEMBER']);
    const first = dataOf(
      await direct(
        SESSION,
        {
          i: {
            caseId: kase.id,
            workerId: worker.id,
            heldAt: minutesFromNow(sys.clock, -90),
            whatWasDone: '小组破冰，商定每周二互助照看老人',
            nextStep: '排出第一个月值班表',
            nextStepDueOn: dayIn(sys.clock, 7),
            attendeeResidentIds: [lead, m1, m2],
          },
        },
        o.ngoA,
      ),
    ).recordCaseSession;
    expect(first).toMatchObject({
      nextStepDueOn: dayIn(sys.clock, 7),
      recordedBy: 'ngo-a',
      worker: { id: worker.id },
      case: { id: kase.id },
    });
    expect(first.attendeeResidentIds.sort()).toEqual([lead, m1, m2].sort());
    // Through the gateway: a fourth member joins, one leaves, a second session.
    dataOf(await sys.query(ADD, { c: kase.id, m: [{ residentId: m3 }] }, o.ngoA));
    const left = dataOf(
      await sys.query(
        `mutation($c: ID!, $r: ID!) { removeCaseMember(caseId: $c, residentId: $r) { members { residentId leftAt } } }`,
        { c: kase.id, r: m2 },
        o.ngoA,
      ),
    ).removeCaseMember;
    expect(left.members.find((x: { residentId: string }) => x.residentId === m2).leftAt).toBe(
      sys.clock.now().toISOString(),
    );
    dataOf(
      await sys.query(
        SESSION,
        {
          i: {
            caseId: kase.id,
            heldAt: minutesFromNow(sys.clock, -10),
            whatWasDone: '复盘值班表执行情况',
            attendeeResidentIds: [lead, m3],
          },
        },
        o.ngoA,
      ),
    );
    // A member who left no longer attends.
    const gone = await sys.query(
      SESSION,
      { i: { caseId: kase.id, heldAt: minutesFromNow(sys.clock, -5), whatWasDone: 'x', attendeeResidentIds: [m2] } },
      o.ngoA,
    );
    expect(errorOf(gone)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.attendeeResidentIds',
      reason: 'NOT_A_MEMBER',
    });

    // The organization and the site's officer read the notes, oldest first.
    for (const token of [o.ngoA, siteOfficer]) {
      const seen = dataOf(await sys.query(READ, { id: kase.id }, token)).socialCase;
      expect(seen.sessions.map((x: { whatWasDone: string }) => x.whatWasDone)).toEqual([
        '小组破冰，商定每周二互助照看老人',
        '复盘值班表执行情况',
      ]);
      expect(seen.members).toHaveLength(4);
      expect(
        dataOf(await sys.query(`query($id: ID!) { caseSession(id: $id) { id } }`, { id: first.id }, token)).caseSession,
      ).toEqual({ id: first.id });
    }
    const listed = dataOf(
      await sys.query(
        `query($s: ID!) { socialCases(siteId: $s) { totalCount nodes { id } } }`,
        { s: site },
        siteOfficer,
      ),
    ).socialCases;
    expect(listed.nodes.map((n: { id: string }) => n.id)).toContain(kase.id);

    const closed = dataOf(
      await sys.query(
        `mutation($id: ID!) { closeCase(caseId: $id, summary: "小组已能自主运转，每周互助照看 6 位老人", reason: GOALS_MET) {
      status closingSummary closingReason } }`,
        { id: kase.id },
        o.ngoA,
      ),
    ).closeCase;
    expect(closed).toEqual({
      status: 'CLOSED',
      closingSummary: '小组已能自主运转，每周互助照看 6 位老人',
      closingReason: 'GOALS_MET',
    });
    const before = await counts();
    const late = await direct(
      SESSION,
      { i: { caseId: kase.id, heldAt: minutesFromNow(sys.clock, -1), whatWasDone: '结案后回访' } },
      o.ngoA,
    );
    expect(errorOf(late)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' });
    expect(errorOf(await direct(ADD, { c: kase.id, m: [{ residentId: m2 }] }, o.ngoA))).toMatchObject({
      reason: 'INVALID_TRANSITION',
    });
    expect(await counts()).toEqual(before);

    const trail = await sys.sql(`SELECT action FROM social_orgs.audit_log WHERE entity_id = $1 ORDER BY id`, [kase.id]);
    expect(trail.map((t) => t.action)).toEqual([
      'case.open',
      'case.add_members',
      'case.session',
      'case.add_members',
      'case.remove_member',
      'case.session',
      'case.close',
    ]);
  });

  it('keeps notes from other organizations, other sites and officers above the site; refuses writes', async () => {
    const [r] = await knownResidents(sys, site, 1);
    const kase = dataOf(
      await direct(OPEN, { i: { kind: 'INDIVIDUAL_SUPPORT', title: '独居老人个案', siteId: site } }, o.ngoA),
    ).openCase;
    dataOf(await direct(ADD, { c: kase.id, m: [{ residentId: r }] }, o.ngoA));
    const s = dataOf(
      await direct(
        SESSION,
        { i: { caseId: kase.id, heldAt: minutesFromNow(sys.clock, -30), whatWasDone: '入户评估：独居、慢性病' } },
        o.ngoA,
      ),
    ).recordCaseSession;
    const before = await counts();

    // Another organization: the case and its notes do not exist, through the gateway and straight at the subgraph.
    for (const ask of [sys.query.bind(sys), direct]) {
      expect(dataOf(await ask(READ, { id: kase.id }, o.ngoB)).socialCase).toBeNull();
      expect(
        dataOf(await ask(`query($id: ID!) { caseSession(id: $id) { id } }`, { id: s.id }, o.ngoB)).caseSession,
      ).toBeNull();
      expect(
        errorOf(
          await ask(
            SESSION,
            { i: { caseId: kase.id, heldAt: minutesFromNow(sys.clock, -5), whatWasDone: '越权' } },
            o.ngoB,
          ),
        ),
      ).toMatchObject({ code: 'NOT_FOUND', field: 'input.caseId' });
      expect(errorOf(await ask(ADD, { c: kase.id, m: [{ residentId: r }] }, o.ngoB))).toMatchObject({
        code: 'NOT_FOUND',
      });
    }
    // A site officer of another site: nothing.
    expect(dataOf(await sys.query(READ, { id: kase.id }, otherSiteOfficer)).socialCase).toBeNull();
    expect(
      dataOf(await sys.query(`query($id: ID!) { caseSession(id: $id) { id } }`, { id: s.id }, otherSiteOfficer))
        .caseSession,
    ).toBeNull();
    expect(dataOf(await sys.query(`{ socialCases { totalCount } }`, {}, otherSiteOfficer)).socialCases.totalCount).toBe(
      0,
    );
    // The county officer sees the case, not its notes or members.
    const county = dataOf(await sys.query(READ, { id: kase.id }, o.county)).socialCase;
    expect(county).toMatchObject({ id: kase.id, sessions: null, members: null });
    expect(
      dataOf(await sys.query(`query($id: ID!) { caseSession(id: $id) { id } }`, { id: s.id }, o.province)).caseSession,
    ).toBeNull();
    // Officers read; they do not write the organization's notes.
    for (const t of [siteOfficer, o.county]) {
      expect(
        errorOf(
          await sys.query(
            SESSION,
            { i: { caseId: kase.id, heldAt: minutesFromNow(sys.clock, -5), whatWasDone: '代写' } },
            t,
          ),
        ),
      ).toMatchObject({ code: 'FORBIDDEN' });
    }
    // A resident cannot read a case either.
    const resident = await tokenFor({ role: 'resident', resident: r, sites: [site] });
    expect(dataOf(await sys.query(READ, { id: kase.id }, resident)).socialCase).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it('refuses bad sessions and members, typed, writing nothing', async () => {
    const [a, b, c] = await knownResidents(sys, site, 3);
    const [elsewhere] = await knownResidents(sys, otherSite, 1);
    const [{ household_id: hhA }] = await sys.sql(
      `SELECT household_id FROM social_orgs.resident_directory WHERE resident_id = $1`,
      [a],
    );
    const group = dataOf(
      await direct(OPEN, { i: { kind: 'MUTUAL_AID_GROUP', title: '互助小组', siteId: site } }, o.ngoA),
    ).openCase;
    const single = dataOf(
      await direct(OPEN, { i: { kind: 'INDIVIDUAL_SUPPORT', title: '个案', siteId: site } }, o.ngoA),
    ).openCase;
    const family = dataOf(
      await direct(OPEN, { i: { kind: 'FAMILY_THERAPY', title: '家庭', siteId: site, householdId: hhA } }, o.ngoA),
    ).openCase;
    dataOf(await direct(ADD, { c: group.id, m: [{ residentId: a, role: 'LEADER' }] }, o.ngoA));
    const workerB = dataOf(
      await direct(
        `mutation { hireSocialWorker(input: { name: "B社工", qualification: NONE, joinedOn: "2026-01-05" }) { id } }`,
        {},
        o.ngoB,
      ),
    ).hireSocialWorker;
    const before = await counts();
    const session = (i: Record<string, unknown>) =>
      direct(
        SESSION,
        { i: { caseId: group.id, heldAt: minutesFromNow(sys.clock, -5), whatWasDone: '记录', ...i } },
        o.ngoA,
      );
    expect(errorOf(await session({ heldAt: minutesFromNow(sys.clock, 60) }))).toMatchObject({
      field: 'input.heldAt',
      reason: 'FUTURE',
    });
    expect(errorOf(await session({ heldAt: '昨天' }))).toMatchObject({ field: 'input.heldAt', reason: 'FORMAT' });
    expect(errorOf(await session({ whatWasDone: '  ' }))).toMatchObject({
      field: 'input.whatWasDone',
      reason: 'LENGTH',
    });
    expect(errorOf(await session({ nextStepDueOn: dayIn(sys.clock, 3) }))).toMatchObject({
      field: 'input.nextStepDueOn',
      reason: 'REQUIRED',
    });
    expect(errorOf(await session({ nextStep: '回访', nextStepDueOn: '2020-01-01' }))).toMatchObject({
      field: 'input.nextStepDueOn',
      reason: 'ORDER',
    });
    expect(errorOf(await session({ attendeeResidentIds: [b] }))).toMatchObject({ reason: 'NOT_A_MEMBER' });
    expect(errorOf(await session({ workerId: workerB.id }))).toMatchObject({
      field: 'input.workerId',
      reason: 'WRONG_WORKER',
    });
    const add = (caseId: string, m: unknown[]) => direct(ADD, { c: caseId, m }, o.ngoA);
    expect(errorOf(await add(group.id, [{ residentId: elsewhere }]))).toMatchObject({
      code: 'NOT_FOUND',
      field: 'members',
    });
    expect(errorOf(await add(group.id, [{ residentId: randomUUID() }]))).toMatchObject({ code: 'NOT_FOUND' });
    expect(errorOf(await add(group.id, [{ residentId: a }]))).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_MEMBER',
    });
    expect(errorOf(await add(group.id, [{ residentId: b, role: 'LEADER' }]))).toMatchObject({ reason: 'ROLE' });
    expect(errorOf(await add(group.id, [{ residentId: b }, { residentId: b }]))).toMatchObject({ reason: 'DUPLICATE' });
    expect(errorOf(await add(group.id, []))).toMatchObject({ reason: 'LENGTH' });
    expect(errorOf(await add(single.id, [{ residentId: b }, { residentId: c }]))).toMatchObject({
      reason: 'MEMBER_LIMIT',
    });
    expect(errorOf(await add(single.id, [{ residentId: b, role: 'LEADER' }]))).toMatchObject({ reason: 'ROLE' });
    expect(errorOf(await add(family.id, [{ residentId: b }]))).toMatchObject({ reason: 'OTHER_HOUSEHOLD' });
    expect(
      errorOf(
        await direct(
          `mutation($c: ID!, $r: ID!) { removeCaseMember(caseId: $c, residentId: $r) { id } }`,
          { c: group.id, r: b },
          o.ngoA,
        ),
      ),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'residentId' });
    expect(await counts()).toEqual(before);
  });
});
