import { randomUUID } from 'node:crypto';
import { addDays, provinceDate } from '@anju/kit';
import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { listItemReminderTask } from '../src/list-item/list-item-reminder.task';
import { governanceSql, seedNeighbourhood, type Neighbourhood } from './helpers';

/**
 * Party-led governance: 大党委 with concurrent members, joint meetings whose resolutions become list items, the three
 * lists, overdue reminders.
 */
describe('party organization, joint meetings and the three lists (governance)', () => {
  let sys: TestSystem;
  let n: Neighbourhood;
  const unitId = randomUUID();
  const DAY = 86_400_000;
  const today = () => provinceDate(sys.clock.now());
  const inDays = (d: number) => addDays(today(), d);
  const ITEM = `id kind title ownerName status overdue dueOn resolutionNo reminders lastRemindedOn completionNote`;

  /**
   * The joint meeting every list test reads: a grid item of gw-1's (due in 7 days) and a party-service item of the
   * regional unit's (due in 14).
   */
  let meeting: { id: string; attendees: unknown[]; resolutions: unknown[] };

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'gov-lists', apis: ['governance'], workers: ['governance'] });
    n = await seedNeighbourhood(sys);
    meeting = dataOf(
      await sys.query(
        `mutation($i: RecordJointMeetingInput!) { recordJointMeeting(input: $i) { id title agenda attendees {
          name unitName } resolutions { ${ITEM} resolutionOf { title } } } }`,
        {
          i: {
            siteId: n.siteId,
            heldOn: today(),
            title: '第三季度联席会议',
            agenda: ['楼道照明', '就业帮扶'],
            attendees: [{ name: '王书记' }, { name: '赵委员', unitName: '县供电局' }],
            minutes: '会议议定两项事项',
            resolutions: [
              {
                kind: 'GRID',
                title: '排查1栋楼道照明',
                ownerName: '第1网格网格员',
                ownerSubject: 'gw-1',
                dueOn: inDays(7),
              },
              {
                kind: 'PARTY_SERVICE',
                title: '开展用电安全宣传',
                ownerName: '县供电局',
                ownerUnitId: unitId,
                dueOn: inDays(14),
              },
            ],
          },
        },
        n.officer,
      ),
    ).recordJointMeeting;
  });
  afterAll(() => sys?.stop());

  it('sets up the community party organization with a concurrent member from a regional unit', async () => {
    const org = dataOf(
      await sys.query(
        `mutation($i: SetPartyOrganizationInput!) { setPartyOrganization(input: $i) { id name } }`,
        { i: { siteId: n.siteId, name: '安置点社区大党委', secretaryName: '王书记' } },
        n.officer,
      ),
    ).setPartyOrganization;
    dataOf(
      await sys.query(
        `mutation($i: AddPartyMemberInput!) { addPartyMember(input: $i) { id } }`,
        { i: { organizationId: org.id, name: '赵委员', position: '兼职委员', unitName: '县供电局', unitId } },
        n.officer,
      ),
    );
    const read = dataOf(
      await sys.query(
        `query($s: ID!) { partyOrganization(siteId: $s) { name secretaryName members {
          name position unitName concurrent } } }`,
        { s: n.siteId },
        n.workerTokens[0],
      ),
    );
    expect(read.partyOrganization).toEqual({
      name: '安置点社区大党委',
      secretaryName: '王书记',
      members: [{ name: '赵委员', position: '兼职委员', unitName: '县供电局', concurrent: true }],
    });
    const other = await tokenFor({ role: 'site_officer', sites: [n.siteIds[1]] });
    expect(
      dataOf(await sys.query(`query($s: ID!) { partyOrganization(siteId: $s) { name } }`, { s: n.siteId }, other))
        .partyOrganization,
    ).toBeNull();
  });

  it('records a joint meeting whose resolutions become tracked list items', async () => {
    // The meeting of beforeAll, as the mutation answered.
    expect(meeting.attendees).toEqual([
      { name: '王书记', unitName: null },
      { name: '赵委员', unitName: '县供电局' },
    ]);
    expect(meeting.resolutions).toMatchObject([
      {
        kind: 'GRID',
        title: '排查1栋楼道照明',
        status: 'OPEN',
        overdue: false,
        resolutionNo: 1,
        resolutionOf: { title: '第三季度联席会议' },
      },
      { kind: 'PARTY_SERVICE', ownerName: '县供电局', resolutionNo: 2 },
    ]);
    const page = dataOf(
      await sys.query(
        `query($s: ID!) { jointMeetings(siteId: $s) { totalCount nodes { title resolutions { title } } } }`,
        { s: n.siteId },
        n.officer,
      ),
    ).jointMeetings;
    expect(page.totalCount).toBe(1);
    expect(await sys.audits('governance', meeting.id)).toEqual([
      { action: 'joint_meeting.record', role: 'site_officer' },
    ]);
  });

  it('refuses a resolution due in the past (typed error with its path) and writes nothing at all', async () => {
    const before = await sys.sql(
      `SELECT (SELECT count(*) FROM governance.joint_meeting)::int AS m, (SELECT count(*)
        FROM governance.list_item)::int AS l`,
    );
    const res = await sys.query(
      `mutation($i: RecordJointMeetingInput!) { recordJointMeeting(input: $i) { id } }`,
      {
        i: {
          siteId: n.siteId,
          heldOn: today(),
          title: '临时会议',
          agenda: [],
          attendees: [{ name: '王书记' }],
          resolutions: [
            { kind: 'GRID', title: '事项一', ownerName: '甲', dueOn: inDays(3) },
            { kind: 'PROPERTY', title: '事项二', ownerName: '乙', dueOn: inDays(-2) },
          ],
        },
      },
      n.officer,
    );
    expect(res.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.resolutions.1.dueOn',
      reason: 'PAST',
    });
    const future = await sys.query(
      `mutation($i: RecordJointMeetingInput!) { recordJointMeeting(input: $i) { id } }`,
      {
        i: {
          siteId: n.siteId,
          heldOn: inDays(5),
          title: '未来会议',
          agenda: [],
          attendees: [{ name: '王书记' }],
          resolutions: [],
        },
      },
      n.officer,
    );
    expect(future.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.heldOn',
      reason: 'FUTURE',
    });
    expect(
      await sys.sql(
        `SELECT (SELECT count(*) FROM governance.joint_meeting)::int AS m, (SELECT count(*)
          FROM governance.list_item)::int AS l`,
      ),
    ).toEqual(before);
  });

  it('moves items through the allowed transitions only', async () => {
    const item = dataOf(
      await sys.query(
        `mutation($s: ID!, $i: ListItemInput!) { createListItem(siteId: $s, input: $i) { ${ITEM} } }`,
        { s: n.siteId, i: { kind: 'PROPERTY', title: '更换单元门禁', ownerName: '物业公司', dueOn: inDays(0) } },
        n.officer,
      ),
    ).createListItem;
    const set = (status: string, note?: string) =>
      sys.query(
        `mutation($id: ID!, $s: ListItemStatus!, $n: String) { setListItemStatus(id: $id, status: $s, note: $n) {
          status completionNote } }`,
        { id: item.id, s: status, n: note },
        n.officer,
      );
    expect(dataOf(await set('IN_PROGRESS')).setListItemStatus.status).toBe('IN_PROGRESS');
    expect((await set('OPEN')).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'status',
      reason: 'BAD_TRANSITION',
    });
    expect((await set('DONE')).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'note' });
    expect(dataOf(await set('DONE', '已更换并调试')).setListItemStatus).toEqual({
      status: 'DONE',
      completionNote: '已更换并调试',
    });
    expect((await set('CANCELLED', '取消')).errors![0].extensions).toMatchObject({ reason: 'BAD_TRANSITION' });
    // Audited: the creation and the two moves that happened, none of the refused ones.
    expect(await sys.audits('governance', item.id)).toEqual([
      { action: 'list_item.create', role: 'site_officer' },
      { action: 'list_item.status', role: 'site_officer' },
      { action: 'list_item.status', role: 'site_officer' },
    ]);
  });

  it("scopes the lists: the grid worker sees their site's grid items and what they own; the unit its own", async () => {
    const titles = async (t: string, q = 'listItems') =>
      dataOf(await sys.query(`{ ${q} { nodes { title } } }`, {}, t))
        [q].nodes.map((x: { title: string }) => x.title)
        .sort();
    expect(await titles(n.workerTokens[0])).toEqual(['排查1栋楼道照明']);
    const unit = await tokenFor({ role: 'unit_member', unit: unitId });
    expect(await titles(unit)).toEqual(['开展用电安全宣传']);
    // The officer sees every item of the site: the meeting's two and any the other tests created.
    const ofSite = await sys.sql(`SELECT title FROM governance.list_item WHERE site_id = $1`, [n.siteId]);
    expect(await titles(n.officer)).toEqual(ofSite.map((x: { title: string }) => x.title).sort());
    // The owner moves their own item on; another grid worker cannot.
    const [mine] = dataOf(await sys.query(`{ myListItems { nodes { id } } }`, {}, n.workerTokens[0])).myListItems.nodes;
    const other = await sys.query(
      `mutation($id: ID!) { setListItemStatus(id: $id, status: IN_PROGRESS) { status } }`,
      { id: mine.id },
      await tokenFor({ role: 'grid_worker', grids: [randomUUID()], sub: 'gw-x' }),
    );
    expect(other.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      dataOf(
        await sys.query(
          `mutation($id: ID!) { setListItemStatus(id: $id, status: IN_PROGRESS) { status } }`,
          { id: mine.id },
          n.workerTokens[0],
        ),
      ).setListItemStatus.status,
    ).toBe('IN_PROGRESS');
  });

  it('finds overdue items by query; the reminder job reminds their owners once a day (test clock)', async () => {
    const db = governanceSql(sys);
    // the grid item (due in 7 days) is a day late; the unit's (14) is not
    let clock = new Date(sys.clock.now().getTime() + 8 * DAY);
    const task = listItemReminderTask(db, { now: () => clock });
    expect(await task.run()).toEqual({ reminded: 1 });
    expect(await task.run()).toEqual({ reminded: 0 }); // once a day
    clock = new Date(sys.clock.now().getTime() + 16 * DAY);
    expect(await task.run()).toEqual({ reminded: 2 });
    const [reminder] = await sys.sql(
      `SELECT days_overdue, owner_subject FROM governance.list_item_reminder ORDER BY id LIMIT 1`,
    );
    expect(reminder).toEqual({ days_overdue: 1, owner_subject: 'gw-1' });
    const mine = dataOf(
      await sys.query(`{ myListItems { nodes { title reminders lastRemindedOn } } }`, {}, n.workerTokens[0]),
    ).myListItems.nodes;
    expect(mine).toEqual([{ title: '排查1栋楼道照明', reminders: 2, lastRemindedOn: provinceDate(clock) }]);
    // Through the gateway, overdue is judged against today: let ten days pass for the grid item.
    await sys.sql(`UPDATE governance.list_item SET due_on = $1 WHERE owner_subject = 'gw-1'`, [inDays(-10)]);
    const overdue = dataOf(
      await sys.query(
        `query($s: ID!) { listItems(siteId: $s, overdue: true) { totalCount nodes { title overdue } } }`,
        { s: n.siteId },
        n.officer,
      ),
    ).listItems;
    expect(overdue).toEqual({ totalCount: 1, nodes: [{ title: '排查1栋楼道照明', overdue: true }] });
  });
});
