import { addDays, provinceDate } from '@anju/kit';
import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { governanceSql, seedNeighbourhood, type Neighbourhood } from './helpers';
import { remindCoBuildingMeetings } from '../src/co-building/co-building-reminder.task';

/** The co-building council (共建理事会): member units, scheduled and reminded meetings, resolutions as list items. */
describe('co-building council (governance)', () => {
  let sys: TestSystem;
  let n: Neighbourhood;
  let councilId: string;
  const members: Record<string, string> = {};
  const COUNCIL = `query($s: ID!) { coBuildingCouncil(siteId: $s) { id name meetsEveryMonths nextMeetingDueOn
    members { id unitName role representativeName } meetings { id status place agenda remindedAt attendingMemberIds
    resolutions { title ownerName dueOn status } } } }`;
  const SCHEDULE = `mutation($i: ScheduleCoBuildingMeetingInput!) { scheduleCoBuildingMeeting(input: $i) {
    id status startsAt } }`;
  const RECORD = `mutation($i: RecordCoBuildingMeetingInput!) { recordCoBuildingMeeting(input: $i) {
    id status minutes attendingMemberIds resolutions { title } } }`;
  const today = () => provinceDate(sys.clock.now());
  const hoursFromNow = (h: number) => new Date(sys.clock.now().getTime() + h * 3_600_000).toISOString();
  const remindAt = (h: number) =>
    remindCoBuildingMeetings(governanceSql(sys), new Date(sys.clock.now().getTime() + h * 3_600_000));

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'gov-cobuild', apis: ['governance'] });
    n = await seedNeighbourhood(sys);
    councilId = dataOf(
      await sys.query(
        `mutation($i: SetCoBuildingCouncilInput!) { setCoBuildingCouncil(input: $i) { id } }`,
        { i: { siteId: n.siteId, name: '幸福社区共建理事会', meetsEveryMonths: 3 } },
        n.officer,
      ),
    ).setCoBuildingCouncil.id;
    const ADD = `mutation($i: AddCoBuildingMemberInput!) { addCoBuildingMember(input: $i) { id } }`;
    for (const [unitName, role, sub] of [
      ['县人社局', 'CHAIR', 'rep-hr'],
      ['扶贫车间', 'MEMBER', 'rep-shop'],
      ['县卫健局', 'VICE_CHAIR', null],
    ] as const) {
      members[unitName] = dataOf(
        await sys.query(
          ADD,
          { i: { councilId, unitName, representativeName: `${unitName}代表`, representativeSubject: sub, role } },
          n.officer,
        ),
      ).addCoBuildingMember.id;
    }
  });
  afterAll(() => sys?.stop());

  it('a council with member units, the chair first, and its next meeting due a period after set-up', async () => {
    const c = dataOf(await sys.query(COUNCIL, { s: n.siteId }, n.workerTokens[0])).coBuildingCouncil;
    expect(c).toMatchObject({ id: councilId, name: '幸福社区共建理事会', meetsEveryMonths: 3 });
    expect(c.members.map((m: { unitName: string; role: string }) => [m.unitName, m.role])).toEqual([
      ['县人社局', 'CHAIR'],
      ['县卫健局', 'VICE_CHAIR'],
      ['扶贫车间', 'MEMBER'],
    ]);
    expect(c.nextMeetingDueOn.slice(0, 7)).toBe(
      new Date(Date.UTC(Number(today().slice(0, 4)), Number(today().slice(5, 7)) - 1 + 3, 1)).toISOString().slice(0, 7),
    );
    // A resident, and an officer of another site, do not read it.
    expect(
      dataOf(await sys.query(COUNCIL, { s: n.siteId }, await tokenFor({ role: 'site_officer', sites: [n.siteIds[1]] })))
        .coBuildingCouncil,
    ).toBeNull();
    // A second chair, or the same unit twice, is refused.
    const dup = await sys.query(
      `mutation($i: AddCoBuildingMemberInput!) { addCoBuildingMember(input: $i) { id } }`,
      { i: { councilId, unitName: '县民政局', representativeName: '民政代表', role: 'CHAIR' } },
      n.officer,
    );
    expect(dup.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE' });
    expect(await sys.audits('governance', councilId)).toEqual([
      { action: 'co_building_council.set', role: 'site_officer' },
    ]);
  });

  it('a scheduled meeting is reminded once, the day before, to representatives and the secretary', async () => {
    const meeting = dataOf(
      await sys.query(
        SCHEDULE,
        {
          i: { councilId, startsAt: hoursFromNow(30), place: '社区党群服务中心', agenda: ['扶贫车间用工', '老年食堂'] },
        },
        n.officer,
      ),
    ).scheduleCoBuildingMeeting;
    expect(await remindAt(0)).toMatchObject({ reminded: 0 }); // 30 hours ahead: not yet
    expect(await remindAt(7)).toMatchObject({ reminded: 1 });
    expect(await remindAt(8)).toMatchObject({ reminded: 0 });
    const told = await sys.sql(
      `SELECT recipient FROM governance.notification WHERE kind = 'co_building_meeting' AND entity_id = $1
        ORDER BY recipient`,
      [meeting.id],
    );
    expect(told.map((t) => t.recipient)).toEqual(['subject:officer-zhang', 'subject:rep-hr', 'subject:rep-shop']);
    const c = dataOf(await sys.query(COUNCIL, { s: n.siteId }, n.officer)).coBuildingCouncil;
    expect(c.meetings.find((m: { id: string }) => m.id === meeting.id).remindedAt).not.toBeNull();
  });

  it('records a meeting once it has begun: attendance and resolutions as tracked list items', async () => {
    const meeting = dataOf(
      await sys.query(
        SCHEDULE,
        { i: { councilId, startsAt: hoursFromNow(1), place: '社区会议室', agenda: ['就业帮扶'] } },
        n.officer,
      ),
    ).scheduleCoBuildingMeeting;
    const input = {
      meetingId: meeting.id,
      minutes: '各成员单位通报了帮扶进展。',
      attendingMemberIds: [members['县人社局'], members['扶贫车间']],
      resolutions: [
        { kind: 'PARTY_SERVICE', title: '扶贫车间新增30个岗位', ownerName: '扶贫车间', dueOn: addDays(today(), 30) },
        { kind: 'PARTY_SERVICE', title: '开展一次技能培训', ownerName: '县人社局', dueOn: addDays(today(), 45) },
      ],
    };
    // Not begun yet: refused.
    expect((await sys.query(RECORD, { i: input }, n.officer)).errors![0].extensions).toMatchObject({
      field: 'input.meetingId',
      reason: 'FUTURE',
    });
    await sys.sql(`UPDATE governance.co_building_meeting SET starts_at = $2 WHERE id = $1`, [
      meeting.id,
      hoursFromNow(-1),
    ]);
    const held = dataOf(await sys.query(RECORD, { i: input }, n.officer)).recordCoBuildingMeeting;
    expect(held).toMatchObject({
      status: 'HELD',
      resolutions: [{ title: '扶贫车间新增30个岗位' }, { title: '开展一次技能培训' }],
    });
    expect(held.attendingMemberIds.sort()).toEqual(input.attendingMemberIds.sort());
    const items = dataOf(
      await sys.query(`{ listItems(kind: PARTY_SERVICE) { nodes { title status } } }`, {}, n.officer),
    ).listItems.nodes;
    expect(items.map((i: { title: string }) => i.title)).toEqual(
      expect.arrayContaining(['扶贫车间新增30个岗位', '开展一次技能培训']),
    );
    // Recorded once only.
    expect((await sys.query(RECORD, { i: input }, n.officer)).errors![0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'BAD_TRANSITION',
    });
    expect(await sys.audits('governance', meeting.id)).toEqual([
      { action: 'co_building_meeting.schedule', role: 'site_officer' },
      { action: 'co_building_meeting.record', role: 'site_officer' },
    ]);
    // The next regular meeting is now due a period after this one.
    const c = dataOf(await sys.query(COUNCIL, { s: n.siteId }, n.officer)).coBuildingCouncil;
    expect(c.nextMeetingDueOn > addDays(today(), 80)).toBe(true);
  });

  it('reminds the secretary to schedule a regular meeting falling due, once per due date', async () => {
    // Arranged: a council of its own (the other site's), set up over 3 months ago, that never met.
    const own = dataOf(
      await sys.query(
        `mutation($i: SetCoBuildingCouncilInput!) { setCoBuildingCouncil(input: $i) { id } }`,
        { i: { siteId: n.siteIds[1], name: '幸福社区共建理事会', meetsEveryMonths: 3 } },
        await tokenFor({ role: 'site_officer', sites: [n.siteIds[1]], sub: 'officer-li' }),
      ),
    ).setCoBuildingCouncil.id;
    await sys.sql(`UPDATE governance.co_building_council SET set_at = set_at - interval '100 days' WHERE id = $1`, [
      own,
    ]);
    expect(await remindAt(0)).toMatchObject({ due: 1 });
    expect(await remindAt(1)).toMatchObject({ due: 0 });
    const told = await sys.sql(
      `SELECT title FROM governance.notification WHERE kind = 'co_building_meeting' AND entity_id = $1`,
      [own],
    );
    expect(told).toHaveLength(1);
    expect(told[0].title).toMatch(/^幸福社区共建理事会应于.+前召开例会$/);
  });

  it('refuses bad input, other roles and other sites, changing nothing', async () => {
    const count = async () => (await sys.sql(`SELECT count(*)::int AS c FROM governance.co_building_meeting`))[0].c;
    const before = await count();
    const errorOf = async (i: Record<string, unknown>, token = n.officer) =>
      (
        await sys.query(
          SCHEDULE,
          { i: { councilId, startsAt: hoursFromNow(48), place: '会议室', agenda: ['议题'], ...i } },
          token,
        )
      ).errors![0].extensions;
    expect(await errorOf({ startsAt: hoursFromNow(-1) })).toMatchObject({ field: 'input.startsAt', reason: 'PAST' });
    expect(await errorOf({ startsAt: '明天' })).toMatchObject({ field: 'input.startsAt', reason: 'FORMAT' });
    expect(await errorOf({ agenda: [] })).toMatchObject({ field: 'input.agenda' });
    expect(await errorOf({ place: ' ' })).toMatchObject({ field: 'input.place' });
    expect(await errorOf({}, n.workerTokens[0])).toMatchObject({ code: 'FORBIDDEN' });
    expect(await errorOf({}, await tokenFor({ role: 'site_officer', sites: [n.siteIds[1]] }))).toMatchObject({
      code: 'NOT_FOUND',
      field: 'input.councilId',
    });
    const period = await sys.query(
      `mutation($i: SetCoBuildingCouncilInput!) { setCoBuildingCouncil(input: $i) { id } }`,
      { i: { siteId: n.siteId, name: '理事会', meetsEveryMonths: 13 } },
      n.officer,
    );
    expect(period.errors![0].extensions).toMatchObject({ field: 'input.meetsEveryMonths', reason: 'RANGE' });
    expect(await count()).toBe(before);
  });
});
