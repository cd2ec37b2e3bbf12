import { addDays, provinceDate } from '@anju/kit';
import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { registerResidents, seedNeighbourhood, type Neighbourhood } from './helpers';

/**
 * The residents' supervisory committee (居监会) through the gateway: officers appoint residents;
 * members review the site's list items, disclosures and points awards and record findings; a finding
 * reopens a done list item or flags a record; officers see the open findings and answer them.
 */
describe("supervision by the residents' supervisory committee (governance)", () => {
  let sys: TestSystem;
  let n: Neighbourhood;
  let memberId: string;
  let member: string;
  /** A resident of the site whom only the appointment test appoints. */
  let candidateId: string;
  let neighbourId: string;
  let neighbour: string;
  let elsewhere: string;
  let otherCounty: string;
  let itemId: string;
  let noticeId: string;
  let awardId: string;
  let otherSiteItem: string;
  const today = () => provinceDate(sys.clock.now());
  const RECORD = `mutation($i: RecordSupervisionFindingInput!) { recordSupervisionFinding(input: $i) {
    id targetKind action status listItem { status openFindings } notice { openFindings } } }`;
  const appoint = (t: string, residentId: string, siteId = n.siteId) =>
    sys.query(
      `mutation($s: ID!, $r: ID!) { appointSupervisoryMember(siteId: $s, residentId: $r) { appointedOn resident {
        id } } }`,
      { s: siteId, r: residentId },
      t,
    );
  /** A finance notice of the site: a disclosure a member may flag. */
  const aNotice = async (title: string) =>
    dataOf(
      await sys.query(
        `mutation($i: CreateNoticeInput!) { createNotice(input: $i) { id } }`,
        { i: { siteIds: [n.siteId], category: 'FINANCE', title, body: '维修支出见附件。' } },
        n.officer,
      ),
    ).createNotice.id as string;
  /** A points award by the officer to the neighbour: a record a member may flag. */
  const anAward = async (reason: string) =>
    dataOf(
      await sys.query(
        `mutation($i: AdjustPointsInput!) { adjustPoints(input: $i) { id } }`,
        { i: { residentId: neighbourId, points: 10, reason } },
        n.officer,
      ),
    ).adjustPoints.id as string;
  /** A list item of the site, done: what a member may reopen. */
  const doneItem = async (title: string) => {
    const id = dataOf(
      await sys.query(
        `mutation($s: ID!, $i: ListItemInput!) { createListItem(siteId: $s, input: $i) { id } }`,
        { s: n.siteId, i: { kind: 'PROPERTY', title, ownerName: '物业公司', dueOn: addDays(today(), 5) } },
        n.officer,
      ),
    ).createListItem.id as string;
    dataOf(
      await sys.query(
        `mutation($id: ID!) { setListItemStatus(id: $id, status: DONE, note: "已修复") { status } }`,
        { id },
        n.officer,
      ),
    );
    return id;
  };
  const findings = () => sys.sql(`SELECT count(*)::int AS n FROM governance.supervision_finding`).then((r) => r[0].n);
  /** A finding the member records. */
  const record = async (targetKind: string, targetId: string, action: string, description: string) =>
    dataOf(await sys.query(RECORD, { i: { targetKind, targetId, action, description } }, member))
      .recordSupervisionFinding;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'gov-supervision', apis: ['governance'] });
    n = await seedNeighbourhood(sys);
    const [m, r, c] = await registerResidents(sys, n.officer, [
      { householdId: n.householdIds[0], seq: 1 },
      { householdId: n.householdIds[1], seq: 2 },
      { householdId: n.householdIds[1], seq: 4 },
    ]);
    candidateId = c;
    neighbourId = r;
    const [otherHousehold] = await sys.sql(`SELECT id FROM governance.household WHERE site_id = $1 LIMIT 1`, [
      n.siteIds[1],
    ]);
    const [o] = await registerResidents(sys, n.provinceToken, [{ householdId: otherHousehold.id, seq: 3 }]);
    memberId = m;
    member = await tokenFor({ role: 'resident', resident: m, sites: [n.siteId], sub: 'resident-member' });
    neighbour = await tokenFor({ role: 'resident', resident: r, sites: [n.siteId], sub: 'resident-neighbour' });
    elsewhere = await tokenFor({ role: 'resident', resident: o, sites: [n.siteIds[1]], sub: 'resident-elsewhere' });
    otherCounty = await tokenFor({ role: 'county', regions: ['530103'], sub: 'county-elsewhere' });
    const item = dataOf(
      await sys.query(
        `mutation($s: ID!, $i: ListItemInput!) { createListItem(siteId: $s, input: $i) { id } }`,
        {
          s: n.siteId,
          i: { kind: 'PROPERTY', title: '修复2栋屋顶漏水', ownerName: '物业公司', dueOn: addDays(today(), 5) },
        },
        n.officer,
      ),
    ).createListItem;
    dataOf(
      await sys.query(
        `mutation($id: ID!) { setListItemStatus(id: $id, status: DONE, note: "已修复") { status } }`,
        { id: item.id },
        n.officer,
      ),
    );
    itemId = item.id;
    const officer2 = await tokenFor({ role: 'site_officer', sites: [n.siteIds[1]], sub: 'officer-2' });
    otherSiteItem = dataOf(
      await sys.query(
        `mutation($s: ID!, $i: ListItemInput!) { createListItem(siteId: $s, input: $i) { id } }`,
        { s: n.siteIds[1], i: { kind: 'GRID', title: '别处的事项', ownerName: '网格员', dueOn: addDays(today(), 5) } },
        officer2,
      ),
    ).createListItem.id;
    noticeId = dataOf(
      await sys.query(
        `mutation($i: CreateNoticeInput!) { createNotice(input: $i) { id } }`,
        {
          i: {
            siteIds: [n.siteId],
            category: 'FINANCE',
            title: '11月公共维修资金使用情况',
            body: '屋顶维修支出3200元。',
          },
        },
        n.officer,
      ),
    ).createNotice.id;
    awardId = dataOf(
      await sys.query(
        `mutation($i: AdjustPointsInput!) { adjustPoints(input: $i) { id } }`,
        { i: { residentId: r, points: 30, reason: '协助维修屋顶' } },
        n.officer,
      ),
    ).adjustPoints.id;
    // The committee every test but the appointment's starts from: one member in office.
    dataOf(await appoint(n.officer, memberId));
  });
  afterAll(() => sys?.stop());

  it('officers appoint residents of the site to its committee; bad appointments get typed errors', async () => {
    const inOffice = async (t: string) =>
      dataOf(await sys.query(`query($s: ID!) { supervisoryMembers(siteId: $s) { appointedOn } }`, { s: n.siteId }, t))
        .supervisoryMembers;
    const before = (await inOffice(neighbour)).length;
    expect(dataOf(await appoint(n.officer, candidateId)).appointSupervisoryMember).toEqual({
      appointedOn: today(),
      resident: { id: candidateId },
    });
    expect((await appoint(n.officer, candidateId)).errors![0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'ALREADY_MEMBER',
    });
    const [other] = await sys.sql(`SELECT id FROM governance.resident WHERE site_id = $1`, [n.siteIds[1]]);
    expect((await appoint(n.officer, other.id)).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'residentId',
      reason: 'NOT_OF_SITE',
    });
    expect((await appoint(member, candidateId)).errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect((await appoint(otherCounty, candidateId)).errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await inOffice(neighbour)).toHaveLength(before + 1);
    expect(await inOffice(elsewhere)).toEqual([]);
  });

  it("a member reviews the site's list items; a neighbour who is not a member does not see them", async () => {
    const seen = async (t: string) =>
      dataOf(await sys.query(`query($s: ID!) { listItems(siteId: $s) { nodes { id status } } }`, { s: n.siteId }, t))
        .listItems.nodes;
    // The site's items (other tests add their own), none of another site's.
    const items = await seen(member);
    expect(items).toContainEqual({ id: itemId, status: 'DONE' });
    expect(items.map((i: { id: string }) => i.id)).not.toContain(otherSiteItem);
    expect(await seen(neighbour)).toEqual([]);
  });

  it('refuses findings from non-members, on other sites and with bad input, writing nothing', async () => {
    const before = await findings();
    const fail = async (i: Record<string, unknown>, t = member) =>
      (await sys.query(RECORD, { i }, t)).errors?.[0].extensions;
    const ok = { targetKind: 'LIST_ITEM', targetId: itemId, action: 'REOPEN', description: '屋顶仍在漏水，维修未完成' };
    expect(await fail(ok, neighbour)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await fail(ok, n.officer)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await fail({ ...ok, description: '漏' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.description',
    });
    expect(await fail({ ...ok, targetId: otherSiteItem })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'input.targetId',
    });
    expect(await fail({ ...ok, targetId: 'abc' })).toMatchObject({ field: 'input.targetId', reason: 'FORMAT' });
    expect(await fail({ ...ok, targetKind: 'NOTICE', targetId: noticeId })).toMatchObject({
      field: 'input.action',
      reason: 'NOT_REOPENABLE',
    });
    expect(await fail({ ...ok, targetKind: 'POINTS_ENTRY', targetId: itemId, action: 'FLAG' })).toMatchObject({
      reason: 'FORMAT',
    });
    expect(await findings()).toBe(before);
    expect((await sys.sql(`SELECT status FROM governance.list_item WHERE id = $1`, [itemId]))[0].status).toBe('done');
  });

  it('a finding reopens a done list item, or flags a disclosure or a points award', async () => {
    const itemId = await doneItem('修复3栋外墙渗水');
    const noticeId = await aNotice('12月公共维修资金使用情况');
    const reopened = dataOf(
      await sys.query(
        RECORD,
        { i: { targetKind: 'LIST_ITEM', targetId: itemId, action: 'REOPEN', description: '屋顶仍在漏水，维修未完成' } },
        member,
      ),
    ).recordSupervisionFinding;
    expect(reopened).toMatchObject({
      targetKind: 'LIST_ITEM',
      action: 'REOPEN',
      status: 'OPEN',
      listItem: { status: 'OPEN', openFindings: 1 },
    });
    // Reopened once: it is open now, so a second REOPEN is refused.
    const again = await sys.query(
      RECORD,
      { i: { targetKind: 'LIST_ITEM', targetId: itemId, action: 'REOPEN', description: '再次要求重新打开' } },
      member,
    );
    expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_CLOSED' });
    const flagged = dataOf(
      await sys.query(
        RECORD,
        { i: { targetKind: 'NOTICE', targetId: noticeId, action: 'FLAG', description: '支出金额与发票不符，请说明' } },
        member,
      ),
    ).recordSupervisionFinding;
    expect(flagged).toMatchObject({ targetKind: 'NOTICE', action: 'FLAG', notice: { openFindings: 1 } });
    dataOf(
      await sys.query(
        RECORD,
        {
          i: {
            targetKind: 'POINTS_ENTRY',
            targetId: awardId,
            action: 'FLAG',
            description: '该户并未参与维修，积分存疑',
          },
        },
        member,
      ),
    );
    expect(await sys.audits('governance', itemId)).toContainEqual({ action: 'list_item.reopen', role: 'resident' });
  });

  it('officers see the open findings of their places and answer them; nobody else sees them', async () => {
    const open = async (t: string) =>
      dataOf(
        await sys.query(
          `{ supervisionFindings(status: OPEN) { totalCount nodes { id targetKind description } } }`,
          {},
          t,
        ),
      ).supervisionFindings;
    const [officerBefore, memberBefore] = [(await open(n.officer)).totalCount, (await open(member)).totalCount];
    // Three findings of its own: a done item reopened, a disclosure and a points award flagged.
    const own = [
      await record('LIST_ITEM', await doneItem('更换4栋电梯按钮'), 'REOPEN', '电梯按钮仍然失灵，请重新处理'),
      await record('NOTICE', await aNotice('1月公共维修资金使用情况'), 'FLAG', '电梯维修支出没有列明细'),
      await record('POINTS_ENTRY', await anAward('协助更换电梯按钮'), 'FLAG', '该户并未参与电梯维修'),
    ].map((f) => f.id as string);
    const mine = await open(n.officer);
    expect(mine.totalCount).toBe(officerBefore + 3);
    const ownSeen = mine.nodes.filter((f: { id: string }) => own.includes(f.id));
    expect(ownSeen.map((f: { targetKind: string }) => f.targetKind).sort()).toEqual([
      'LIST_ITEM',
      'NOTICE',
      'POINTS_ENTRY',
    ]);
    expect((await open(otherCounty)).totalCount).toBe(0);
    expect((await open(neighbour)).totalCount).toBe(0);
    expect((await open(elsewhere)).totalCount).toBe(0);
    expect((await open(member)).totalCount).toBe(memberBefore + 3);
    const noticeFinding = ownSeen.find((f: { targetKind: string }) => f.targetKind === 'NOTICE');
    const answer = (t: string, response: string) =>
      sys.query(
        `mutation($id: ID!, $r: String!) { answerSupervisionFinding(id: $id, response: $r) { status response notice {
          openFindings } } }`,
        { id: noticeFinding.id, r: response },
        t,
      );
    expect((await answer(otherCounty, '越权')).errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await answer(member, '自己答复')).errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect((await answer(n.officer, ' ')).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'response',
    });
    expect(dataOf(await answer(n.officer, '已补充发票并重新公示')).answerSupervisionFinding).toEqual({
      status: 'ANSWERED',
      response: '已补充发票并重新公示',
      notice: { openFindings: 0 },
    });
    expect((await answer(n.officer, '再答一次')).errors![0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'ANSWERED',
    });
    expect((await open(n.officer)).totalCount).toBe(officerBefore + 2);
    expect(await sys.audits('governance', noticeFinding.id)).toEqual([
      { action: 'supervision_finding.record', role: 'resident' },
      { action: 'supervision_finding.answer', role: 'site_officer' },
    ]);
  });
  // Reappointed, a new term opens.
  it('officers end a term with a reason: the member no longer sees or records findings', async () => {
    const END = `mutation($s: ID!, $r: ID!, $why: String!) { endSupervisoryMembership(siteId: $s, residentId: $r,
      reason: $why) { appointedOn endedOn endReason resident { id } } }`;
    const end = (t: string, why = '本人申请辞去委员职务', r = memberId, s = n.siteId) =>
      sys.query(END, { s, r, why }, t);
    const MEMBERS = `query($s: ID!, $all: Boolean) { supervisoryMembers(siteId: $s, includeEnded: $all) {
      endedOn endReason resident { id } } }`;
    const members = async (t: string, all = true) =>
      dataOf(await sys.query(MEMBERS, { s: n.siteId, all }, t)).supervisoryMembers;
    // An officer's view of the member's terms (the appointment test's member may be in office too).
    const terms = async (all = true) =>
      (await members(n.officer, all)).filter((m: { resident: { id: string } }) => m.resident.id === memberId);
    const inOfficeForResidents = (await members(neighbour)).length;
    const memberAudits = async () =>
      (await sys.audits('governance', n.siteId)).filter((a) => a.action.startsWith('supervisory_member'));
    const auditsBefore = (await memberAudits()).length;
    const open = async (t: string) =>
      dataOf(await sys.query(`{ supervisionFindings { totalCount } }`, {}, t)).supervisionFindings.totalCount;
    await record('LIST_ITEM', await doneItem('清理5栋楼道杂物'), 'REOPEN', '楼道杂物仍未清理干净');
    expect(await open(member)).toBeGreaterThan(0);
    // Refused, writing nothing: not an officer, another county, no reason, someone not on the committee.
    const before = await sys.sql(`SELECT * FROM governance.supervisory_member ORDER BY appointed_on, resident_id`);
    expect((await end(member)).errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect((await end(otherCounty)).errors![0].extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
    expect((await end(n.officer, ' ')).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reason',
    });
    expect((await end(n.officer, '不是委员', neighbourId)).errors![0].extensions).toMatchObject({
      code: 'NOT_FOUND',
      field: 'residentId',
    });
    expect((await end(n.officer, '格式', 'x')).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'residentId',
    });
    expect(await sys.sql(`SELECT * FROM governance.supervisory_member ORDER BY appointed_on, resident_id`)).toEqual(
      before,
    );

    expect(dataOf(await end(n.officer)).endSupervisoryMembership).toEqual({
      appointedOn: expect.any(String),
      endedOn: today(),
      endReason: '本人申请辞去委员职务',
      resident: { id: memberId },
    });
    expect((await end(n.officer)).errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    // Out of office: no findings seen, none recorded; the ones recorded stay for the officers.
    expect(await open(member)).toBe(0);
    const refused = await sys.query(
      RECORD,
      { i: { targetKind: 'LIST_ITEM', targetId: itemId, action: 'FLAG', description: '任期结束后还想记录' } },
      member,
    );
    expect(refused.errors).toBeDefined();
    expect(await open(n.officer)).toBeGreaterThan(0);
    expect(
      await sys.sql(`SELECT count(*)::int AS n FROM governance.supervision_finding WHERE member_resident_id = $1`, [
        memberId,
      ]),
    ).toEqual([{ n: await findings() }]);
    // Residents see the committee in office only; officers see the past term and why it ended.
    expect(await members(neighbour)).toHaveLength(inOfficeForResidents - 1);
    expect(await terms(false)).toEqual([]);
    expect(await terms()).toEqual([
      { endedOn: today(), endReason: '本人申请辞去委员职务', resident: { id: memberId } },
    ]);
    // Appointed again: a new term beside the old one.
    dataOf(
      await sys.query(
        `mutation($s: ID!, $r: ID!) { appointSupervisoryMember(siteId: $s, residentId: $r) { endedOn } }`,
        { s: n.siteId, r: memberId },
        n.officer,
      ),
    );
    expect(await terms()).toEqual([
      { endedOn: null, endReason: null, resident: { id: memberId } },
      { endedOn: today(), endReason: '本人申请辞去委员职务', resident: { id: memberId } },
    ]);
    expect(await open(member)).toBeGreaterThan(0);
    expect((await memberAudits()).slice(auditsBefore)).toEqual([
      { action: 'supervisory_member.end', role: 'site_officer' },
      { action: 'supervisory_member.appoint', role: 'site_officer' },
    ]);
  });
});
