import { addDays, provinceDate } from '@anju/kit';
import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { listItemReminderTask } from '../src/list-item/list-item-reminder.task';
import { microIssueEscalationTask } from '../src/micro-issue/micro-issue-escalation.task';
import { noticePublishTask } from '../src/notice/notice-publish.task';
import { proposalVoteCloseTask } from '../src/proposal/proposal-close';
import { governanceSql, registerResidents, seedNeighbourhood, type Neighbourhood } from './helpers';

/** Notifications (消息通知): each person's own inbox, fed by governance's own changes, and its typed errors. */
describe('notification inbox (governance)', () => {
  let sys: TestSystem;
  let n: Neighbourhood;
  let residents: string[];
  let tokens: string[];
  const DAY = 86_400_000;
  const INBOX = `query($first: Int, $after: String, $unread: Boolean) { myNotifications(first: $first, after: $after,
    unreadOnly: $unread) {
    totalCount unreadCount endCursor nodes { id kind title body details {
      what when where bring contact } entityType entityId readAt
    deliveries { channel status } } } }`;
  const CREATE_NOTICE = `mutation($i: CreateNoticeInput!) { createNotice(input: $i) { id } }`;
  const inbox = async (token: string, vars: Record<string, unknown> = {}) =>
    dataOf(await sys.query(INBOX, vars, token)).myNotifications;
  /** Residents of the site's two households (by `seq`, alternating), with their tokens. */
  const newResidents = async (seqs: number[]) => {
    const ids = await registerResidents(
      sys,
      n.officer,
      seqs.map((seq) => ({ householdId: n.householdIds[seq % 2], seq })),
    );
    const idTokens = await Promise.all(
      ids.map((r) => tokenFor({ role: 'resident', resident: r, sites: [n.siteId], sub: `resident-${r.slice(0, 8)}` })),
    );
    return { ids, tokens: idTokens };
  };

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'gov-notify', apis: ['governance'], workers: ['governance'] });
    n = await seedNeighbourhood(sys);
    ({ ids: residents, tokens } = await newResidents([1, 2, 3]));
  });
  afterAll(() => sys?.stop());

  // Each resident sees only their own notifications.
  it("a published notice reaches each resident of its sites once, on its category's channels", async () => {
    // Three residents of its own, with empty inboxes whatever the other tests told the site.
    const { tokens } = await newResidents([11, 12, 13]);
    // One resident bound WeChat; SUBSIDY goes out on SMS and WeChat by default.
    dataOf(
      await sys.query(
        `mutation($i: NotificationPreferencesInput!) { setMyNotificationPreferences(input: $i) { wechatBound } }`,
        { i: { wechatOpenId: 'oAbCdEfGhIjKlMnOpQrStUvWx01' } },
        tokens[0],
      ),
    );
    const { createNotice } = dataOf(
      await sys.query(
        CREATE_NOTICE,
        { i: { siteIds: [n.siteId], category: 'SUBSIDY', title: '十二月补贴发放名单', body: '名单见公示栏。' } },
        n.officer,
      ),
    );
    const mine = await inbox(tokens[0]);
    expect(mine).toMatchObject({ totalCount: 1, unreadCount: 1 });
    expect(mine.nodes[0]).toMatchObject({
      kind: 'NOTICE_PUBLISHED',
      title: '居务公开：十二月补贴发放名单',
      body: '名单见公示栏。',
      entityType: 'Notice',
      entityId: createNotice.id,
      details: { what: '十二月补贴发放名单' },
      readAt: null,
      deliveries: [
        { channel: 'SMS', status: 'PENDING' },
        { channel: 'WECHAT', status: 'PENDING' },
      ],
    });
    // Without WeChat bound, only SMS (their phone is on their resident record).
    expect((await inbox(tokens[1])).nodes[0].deliveries).toEqual([{ channel: 'SMS', status: 'PENDING' }]);
    // Another person's notification: not found by id, cannot be marked read, and nothing changes.
    const theirs = (await inbox(tokens[1])).nodes[0].id;
    expect(
      dataOf(await sys.query(`query($id: ID!) { myNotification(id: $id) { id } }`, { id: theirs }, tokens[0]))
        .myNotification,
    ).toBeNull();
    const steal = await sys.query(
      `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`,
      { ids: [mine.nodes[0].id, theirs] },
      tokens[0],
    );
    expect(steal.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'ids' });
    expect((await inbox(tokens[0])).unreadCount).toBe(1);
    expect((await inbox(tokens[1])).unreadCount).toBe(1);
    // An officer's inbox is their own (empty): a notice to residents is not in it.
    expect((await inbox(n.officer)).totalCount).toBe(0);
    // OTHER goes out on no push channel: inbox only.
    await sys.query(
      CREATE_NOTICE,
      { i: { siteIds: [n.siteId], category: 'OTHER', title: '失物招领', body: '一把钥匙' } },
      n.officer,
    );
    // (The clock holds still, so both notices were published at one instant: find it by title.)
    expect(
      (await inbox(tokens[2])).nodes.find((x: { title: string }) => x.title === '居务公开：失物招领'),
    ).toMatchObject({ deliveries: [] });
    // Marking read: own ids, then all; the count follows.
    expect(
      dataOf(
        await sys.query(
          `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`,
          { ids: [mine.nodes[0].id] },
          tokens[0],
        ),
      ).markNotificationsRead,
    ).toBe(1);
    expect(
      dataOf(await sys.query(`mutation { markNotificationsRead(all: true) }`, {}, tokens[0])).markNotificationsRead,
    ).toBe(0);
    expect(dataOf(await sys.query(`{ myUnreadNotificationCount }`, {}, tokens[0])).myUnreadNotificationCount).toBe(0);
    expect(await sys.audits('governance', 'all')).toEqual([{ action: 'notification.read', role: 'resident' }]);
  });

  it('a scheduled notice notifies when the publish job publishes it, and once however often the job runs', async () => {
    const at = new Date(sys.clock.now().getTime() + 3_600_000);
    await sys.query(
      CREATE_NOTICE,
      {
        i: {
          siteIds: [n.siteId],
          category: 'FINANCE',
          title: '第四季度财务公开',
          body: '收支明细',
          publishAt: at.toISOString(),
        },
      },
      n.officer,
    );
    const before = (await inbox(tokens[1])).totalCount;
    const task = noticePublishTask(governanceSql(sys), { now: () => new Date(at.getTime() + 60_000) });
    expect(await task.run()).toEqual({ published: 1 });
    expect(await task.run()).toEqual({ published: 0 });
    const after = await inbox(tokens[1], { first: 100 });
    expect(after.totalCount).toBe(before + 1);
    // FINANCE: WeChat only, and this resident has none bound: inbox only.
    expect(after.nodes.filter((x: { title: string }) => x.title === '居务公开：第四季度财务公开')).toEqual([
      expect.objectContaining({ deliveries: [] }),
    ]);
  });

  it('pages the inbox by cursor, newest first; a cursor that is not one of ours is a typed error', async () => {
    // At least two notifications to page through (OTHER: inbox only).
    for (const title of ['停水通知', '停电通知'])
      dataOf(
        await sys.query(
          CREATE_NOTICE,
          { i: { siteIds: [n.siteId], category: 'OTHER', title, body: '请提前储水。' } },
          n.officer,
        ),
      );
    const first = await inbox(tokens[1], { first: 1 });
    expect(first.nodes).toHaveLength(1);
    const second = await inbox(tokens[1], { first: 1, after: first.endCursor });
    expect(second.nodes[0].id).not.toBe(first.nodes[0].id);
    expect((await inbox(tokens[1], { unread: true })).totalCount).toBe(first.unreadCount);
    const bad = await sys.query(INBOX, { after: 'not-a-cursor' }, tokens[1]);
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('an overdue list item notifies its owner daily; an escalated micro-issue its grid worker, reporter', async () => {
    const inDays = (d: number) => new Date(sys.clock.now().getTime() + d * DAY).toISOString().slice(0, 10);
    dataOf(
      await sys.query(
        `mutation($s: ID!, $i: ListItemInput!) { createListItem(siteId: $s, input: $i) { id } }`,
        {
          s: n.siteId,
          i: {
            kind: 'GRID',
            title: '排查2栋消防通道',
            ownerName: '第2网格网格员',
            ownerSubject: 'gw-2',
            dueOn: inDays(2),
          },
        },
        n.officer,
      ),
    );
    const remind = (days: number) =>
      listItemReminderTask(governanceSql(sys), { now: () => new Date(sys.clock.now().getTime() + days * DAY) }).run();
    expect(await remind(4)).toEqual({ reminded: 1 });
    expect(await remind(4)).toEqual({ reminded: 0 });
    const gw2 = await inbox(n.workerTokens[1]);
    expect(gw2.nodes).toHaveLength(1);
    expect(gw2.nodes[0]).toMatchObject({
      kind: 'LIST_ITEM_OVERDUE',
      title: expect.stringContaining('排查2栋消防通道'),
      entityType: 'ListItem',
      details: { what: '排查2栋消防通道', when: inDays(2) },
    });
    const overdue = async (t: string) =>
      (await inbox(t)).nodes.filter((x: { kind: string }) => x.kind === 'LIST_ITEM_OVERDUE');
    expect(await overdue(n.workerTokens[0])).toEqual([]);

    // A resident of building 1 (grid 1) reports; nobody leads the building, so the grid worker has it; three days on it
    // escalates. Issues the other tests left open are escalated first, so that the run counts this one only.
    const escalate = microIssueEscalationTask(governanceSql(sys), {
      now: () => new Date(sys.clock.now().getTime() + 30 * DAY),
    });
    await escalate.run();
    const issue = dataOf(
      await sys.query(
        `mutation($i: ReportMicroIssueInput!) { reportMicroIssue(input: $i) { id level } }`,
        { i: { kind: 'ISSUE', title: '楼道灯坏了', description: '3楼楼道灯不亮', buildingId: n.buildingIds[0] } },
        tokens[1],
      ),
    ).reportMicroIssue;
    expect(await escalate.run()).toEqual({ escalated: 1 });
    const told = async (t: string) =>
      (await inbox(t, { first: 100 })).nodes.filter(
        (x: { kind: string; entityId: string }) => x.kind === 'MICRO_ISSUE_ESCALATED' && x.entityId === issue.id,
      );
    expect(await told(n.workerTokens[0])).toEqual([
      expect.objectContaining({ entityId: issue.id, title: expect.stringContaining('楼道灯坏了') }),
    ]);
    expect(await told(tokens[1])).toHaveLength(1);
    expect(await told(tokens[0])).toHaveLength(0);
  });

  it('preferences: typed errors for bad input change nothing; a resident cannot set a phone here', async () => {
    const SET = `mutation($i: NotificationPreferencesInput!) { setMyNotificationPreferences(input: $i) {
      smsEnabled quietHours { start end } mutedKinds phoneMasked } }`;
    const errorOf = async (i: Record<string, unknown>, t = tokens[2]) =>
      (await sys.query(SET, { i }, t)).errors![0].extensions;
    expect(await errorOf({ quietHours: { start: '25:00', end: '07:00' } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.quietHours.start',
    });
    expect(await errorOf({ quietHours: { start: '22:00', end: '22:00' } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.quietHours.end',
    });
    expect(await errorOf({ phone: '13800000000' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.phone',
      reason: 'RESIDENT_RECORD',
    });
    expect(await errorOf({ phone: '12345' }, n.officer)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.phone',
    });
    expect(await errorOf({ wechatOpenId: 'x y' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.wechatOpenId',
    });
    expect(await errorOf({})).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
    expect(
      await sys.sql(`SELECT recipient FROM governance.notification_preference WHERE recipient = $1`, [
        `resident:${residents[2]}`,
      ]),
    ).toEqual([]);
    const set = dataOf(
      await sys.query(
        SET,
        { i: { smsEnabled: false, quietHours: { start: '21:30', end: '06:45' }, mutedKinds: ['POINTS_CREDITED'] } },
        tokens[2],
      ),
    );
    expect(set.setMyNotificationPreferences).toEqual({
      smsEnabled: false,
      quietHours: { start: '21:30', end: '06:45' },
      mutedKinds: ['POINTS_CREDITED'],
      phoneMasked: null,
    });
    const officer = dataOf(
      await sys.query(SET, { i: { phone: '139 1234 5678' } }, n.officer),
    ).setMyNotificationPreferences;
    expect(officer.phoneMasked).toBe('139****5678');
    const [stored] = await sys.sql(
      `SELECT phone_sealed::text AS sealed FROM governance.notification_preference
        WHERE recipient = 'subject:officer-zhang'`,
    );
    expect(stored.sealed).not.toContain('13912345678');
    // Only the province chooses a category's channels.
    const CHANNELS = `mutation { setNoticeCategoryChannels(category: OTHER, channels: [WECHAT]) {
      category channels } }`;
    expect((await sys.query(CHANNELS, {}, n.officer)).errors![0].extensions?.code).toBe('FORBIDDEN');
    expect(dataOf(await sys.query(CHANNELS, {}, n.provinceToken)).setNoticeCategoryChannels).toEqual({
      category: 'OTHER',
      channels: ['WECHAT'],
    });
  });
  // A hand escalation tells all but who escalated.
  it('a booked lawyer visit tells the resident when, where, whom, what to bring', async () => {
    const county = await tokenFor({ role: 'county', regions: ['530102'] });
    const adviserId = dataOf(
      await sys.query(
        `mutation($i: RegisterLegalAdviserInput!) { registerLegalAdviser(input: $i) { id } }`,
        {
          i: {
            regionCode: '530102',
            name: '陈律师',
            kind: 'PUBLIC_LAWYER',
            organization: '五华区司法局',
            siteIds: [n.siteId],
          },
        },
        county,
      ),
    ).registerLegalAdviser.id;
    const startsAt = new Date(sys.clock.now().getTime() + DAY);
    const visit = dataOf(
      await sys.query(
        `mutation($i: ScheduleLawyerVisitInput!) { scheduleLawyerVisit(input: $i) { id } }`,
        {
          i: {
            siteId: n.siteId,
            adviserId,
            startsAt: startsAt.toISOString(),
            endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
            place: '党群服务中心',
            capacity: 3,
          },
        },
        n.officer,
      ),
    ).scheduleLawyerVisit;
    const BOOK = `mutation($v: ID!) { bookLawyerVisit(visitId: $v, topic: "拖欠工资怎么办") { id } }`;
    dataOf(await sys.query(BOOK, { v: visit.id }, tokens[1]));
    const booked = (await inbox(tokens[1])).nodes.filter((x: { kind: string }) => x.kind === 'LAWYER_VISIT_BOOKED');
    expect(booked).toEqual([
      expect.objectContaining({
        title: '律师进社区预约成功',
        entityType: 'LawyerVisit',
        entityId: visit.id,
        body: expect.stringContaining('公益律师咨询（陈律师），咨询事项：拖欠工资怎么办'),
        details: {
          what: '法律咨询：拖欠工资怎么办',
          when: startsAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          where: '安置点1·党群服务中心',
          bring: '身份证、与咨询事项有关的合同、票据等材料',
          contact: '公益律师陈律师（五华区司法局）',
        },
        deliveries: [{ channel: 'SMS', status: 'PENDING' }],
      }),
    ]);
    // A refused second booking tells nothing; a cancelled and booked-again place is told again (a new booking).
    expect((await sys.query(BOOK, { v: visit.id }, tokens[1])).errors![0].extensions).toMatchObject({
      reason: 'DUPLICATE',
    });
    dataOf(
      await sys.query(`mutation($v: ID!) { cancelLawyerVisitBooking(visitId: $v) { id } }`, { v: visit.id }, tokens[1]),
    );
    dataOf(await sys.query(BOOK, { v: visit.id }, tokens[1]));
    expect(
      (await inbox(tokens[1])).nodes.filter((x: { kind: string }) => x.kind === 'LAWYER_VISIT_BOOKED'),
    ).toHaveLength(2);
    // Nobody else hears of it.
    expect((await inbox(tokens[0])).nodes.filter((x: { kind: string }) => x.kind === 'LAWYER_VISIT_BOOKED')).toEqual(
      [],
    );

    // By hand: grid 1's worker hands a resident's report up to mediation; the reporter is told, the worker (who did it)
    // is not.
    const issue = dataOf(
      await sys.query(
        `mutation($i: ReportMicroIssueInput!) { reportMicroIssue(input: $i) { id } }`,
        { i: { kind: 'DISPUTE', title: '邻里漏水纠纷', description: '楼上漏水到楼下', buildingId: n.buildingIds[0] } },
        tokens[1],
      ),
    ).reportMicroIssue;
    dataOf(
      await sys.query(
        `mutation($id: ID!) { escalateMicroIssue(id: $id, note: "双方分歧大") { level } }`,
        { id: issue.id },
        n.workerTokens[0],
      ),
    );
    const escalated = async (t: string) =>
      (await inbox(t)).nodes.filter(
        (x: { kind: string; entityId: string }) => x.kind === 'MICRO_ISSUE_ESCALATED' && x.entityId === issue.id,
      );
    expect(await escalated(tokens[1])).toEqual([
      expect.objectContaining({ title: '事项已升级至调解委员会：邻里漏水纠纷' }),
    ]);
    expect(await escalated(n.workerTokens[0])).toEqual([]);
  });

  it("a proposal's outcome, counted or declined, reaches every resident of the site as a notice does", async () => {
    const RAISE = `mutation($i: RaiseProposalInput!) { raiseProposal(input: $i) { id } }`;
    const MEET = `mutation($i: RecordCouncilMeetingInput!) { recordCouncilMeeting(input: $i) { outcomeNotice {
      id } } }`;
    const today = provinceDate(sys.clock.now());
    const outcomes = async (t: string) =>
      (await inbox(t)).nodes
        .filter((x: { title: string }) => x.title.startsWith('居务公开：议事结果'))
        .map((x: { kind: string; entityId: string; title: string }) => ({
          kind: x.kind,
          entityId: x.entityId,
          title: x.title,
        }));
    // Declined at the council: published at once.
    const declined = dataOf(
      await sys.query(RAISE, { i: { siteId: n.siteId, title: '把绿地改成停车场', body: '停车难。' } }, n.officer),
    ).raiseProposal;
    const declinedNotice = dataOf(
      await sys.query(
        MEET,
        {
          i: {
            proposalId: declined.id,
            heldOn: today,
            attendeeResidentIds: [residents[0]],
            decision: 'DECLINE',
            note: '绿地属于规划用地',
          },
        },
        n.officer,
      ),
    ).recordCouncilMeeting.outcomeNotice.id;
    // Put to a household vote and counted by the scheduled close.
    const voted = dataOf(
      await sys.query(
        RAISE,
        { i: { siteId: n.siteId, title: '开设四点半课堂', body: '放学后孩子无人照看。' } },
        n.officer,
      ),
    ).raiseProposal;
    dataOf(
      await sys.query(
        MEET,
        {
          i: {
            proposalId: voted.id,
            heldOn: today,
            attendeeResidentIds: [residents[0]],
            decision: 'PUT_TO_VOTE',
            vote: {
              closesAt: new Date(sys.clock.now().getTime() + 2 * DAY).toISOString(),
              quorumPercent: 50,
              listKind: 'PARTY_SERVICE',
              ownerName: '社区党委',
              dueOn: addDays(today, 10),
            },
          },
        },
        n.officer,
      ),
    );
    for (const t of tokens.slice(0, 2))
      dataOf(
        await sys.query(
          `mutation($p: ID!) { castProposalVote(proposalId: $p, choice: FOR) { id } }`,
          { p: voted.id },
          t,
        ),
      );
    const close = proposalVoteCloseTask(governanceSql(sys), {
      now: () => new Date(sys.clock.now().getTime() + 3 * DAY),
    });
    expect(await close.run()).toEqual({ closed: 1 });
    expect(await close.run()).toEqual({ closed: 0 });
    const [{ id: votedNotice }] = await sys.sql(
      `SELECT outcome_notice_id AS id FROM governance.proposal WHERE id = $1`,
      [voted.id],
    );
    for (const t of tokens) {
      expect(await outcomes(t)).toEqual(
        expect.arrayContaining([
          { kind: 'NOTICE_PUBLISHED', entityId: declinedNotice, title: '居务公开：议事结果：把绿地改成停车场' },
          { kind: 'NOTICE_PUBLISHED', entityId: votedNotice, title: '居务公开：议事结果：开设四点半课堂' },
        ]),
      );
      expect(await outcomes(t)).toHaveLength(2);
    }
    // The officer who ran it is no reader of the site's board: nothing in their inbox.
    expect(await outcomes(n.officer)).toEqual([]);
  });
});
