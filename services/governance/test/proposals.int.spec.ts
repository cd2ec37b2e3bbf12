import { addDays, provinceDate } from '@anju/kit';
import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { proposalVoteCloseTask } from '../src/proposal/proposal-close';
import { governanceSql, registerResidents, seedNeighbourhood, type Neighbourhood } from './helpers';

/**
 * Deliberation (议事) through the gateway: a resident raises a proposal, neighbours comment, the
 * residents' council hears it and puts it to a household vote (one vote per household, a quorum, a
 * deadline on the kit's clock), the count publishes the outcome and an adopted proposal becomes a list item.
 */
describe('proposals, council meetings and household votes (governance)', () => {
  let sys: TestSystem;
  let n: Neighbourhood;
  /**
   * Households: [0] building 1 (residents a1, a2), [1] building 2 (b1), [2] building 1 (c1, c2), [3] building 1 (d1).
   */
  let hh: string[];
  let ids: Record<'a1' | 'a2' | 'b1' | 'c1' | 'c2' | 'd1' | 'other', string>;
  let as: Record<keyof typeof ids, string>;
  let otherCounty: string;
  const DAY = 86_400_000;
  const today = () => provinceDate(sys.clock.now());
  const FIELDS = `id title status raisedByRole raisedByMe building { name } comments { authorRole mine body }
    councilMeeting { heldOn attendeeCount decision note }
    voting { closed eligibleHouseholds quorumHouseholds votesFor votesAgainst votesAbstain votedHouseholds listKind
      ownerName dueOn myHouseholdVote }
    outcomeNotice { category title body status } listItem { kind title ownerName status dueOn }`;
  const RAISE = `mutation($i: RaiseProposalInput!) { raiseProposal(input: $i) { ${FIELDS} } }`;
  const MEET = `mutation($i: RecordCouncilMeetingInput!) { recordCouncilMeeting(input: $i) { ${FIELDS} } }`;
  const VOTE = `mutation($p: ID!, $c: VoteChoice!) { castProposalVote(proposalId: $p, choice: $c) { ${FIELDS} } }`;
  const CLOSE = `mutation($p: ID!) { closeProposalVote(proposalId: $p) { ${FIELDS} } }`;
  const counts = () =>
    sys.sql(`SELECT (SELECT count(*) FROM governance.proposal)::int AS p, (SELECT count(*)
      FROM governance.proposal_vote)::int AS v,
    (SELECT count(*) FROM governance.council_meeting)::int AS m, (SELECT count(*)
      FROM governance.proposal_comment)::int AS c,
    (SELECT count(*) FROM governance.notice)::int AS n, (SELECT count(*) FROM governance.list_item)::int AS l`);
  const voteInput = (over: Record<string, unknown> = {}) => ({
    closesAt: new Date(sys.clock.now().getTime() + 2 * DAY).toISOString(),
    quorumPercent: 50,
    listKind: 'PROPERTY',
    ownerName: '物业公司',
    ownerSubject: 'property-co',
    dueOn: addDays(today(), 10),
    ...over,
  });

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'gov-proposals', apis: ['governance'] });
    n = await seedNeighbourhood(sys);
    const household = async (number: string) =>
      dataOf(
        await sys.query(
          `mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`,
          { i: { siteId: n.siteId, householdNumber: number, buildingId: n.buildingIds[0] } },
          n.officer,
        ),
      ).registerHousehold.id as string;
    hh = [n.householdIds[0], n.householdIds[1], await household('1-201'), await household('1-301')];
    const [a1, a2, b1, c1, c2, d1] = await registerResidents(sys, n.officer, [
      { householdId: hh[0], seq: 1 },
      { householdId: hh[0], seq: 2 },
      { householdId: hh[1], seq: 3 },
      { householdId: hh[2], seq: 4 },
      { householdId: hh[2], seq: 5 },
      { householdId: hh[3], seq: 6 },
    ]);
    const [other] = await registerResidents(sys, n.provinceToken, [
      { householdId: await secondSiteHousehold(), seq: 7 },
    ]);
    ids = { a1, a2, b1, c1, c2, d1, other };
    const token = (id: string, site: string) =>
      tokenFor({ role: 'resident', resident: id, sites: [site], sub: `resident-${id.slice(0, 8)}` });
    as = {
      a1: await token(a1, n.siteId),
      a2: await token(a2, n.siteId),
      b1: await token(b1, n.siteId),
      c1: await token(c1, n.siteId),
      c2: await token(c2, n.siteId),
      d1: await token(d1, n.siteId),
      other: await token(other, n.siteIds[1]),
    };
    otherCounty = await tokenFor({ role: 'county', regions: ['530103'], sub: 'county-elsewhere' });
  });
  afterAll(() => sys?.stop());

  /** seedPlace's second site has one household of its own. */
  async function secondSiteHousehold(): Promise<string> {
    const [row] = await sys.sql(`SELECT id FROM governance.household WHERE site_id = $1 LIMIT 1`, [n.siteIds[1]]);
    return row.id;
  }

  /** A proposal of a1's at the site, raised and not yet heard: the refusal tests each make their own. */
  const openProposal = async () =>
    dataOf(await sys.query(RAISE, { i: { siteId: n.siteId, title: '楼道加装照明', body: '夜里楼道太黑。' } }, as.a1))
      .raiseProposal.id as string;

  it('a proposal raised, commented, heard, voted once per household, counted at its deadline', async () => {
    let proposalId: string;
    // A resident raises it for their own site; residents elsewhere and officers of another county cannot see it.
    {
      const list = async (t: string) =>
        dataOf(await sys.query(`{ proposals { totalCount nodes { id } } }`, {}, t)).proposals.totalCount;
      const listedBefore = await list(as.c1); // the proposals other tests raised at the site
      const p = dataOf(
        await sys.query(
          RAISE,
          {
            i: {
              siteId: n.siteId,
              title: '在小区增设充电桩',
              body: '电动车在楼道充电不安全，建议在1栋旁增设集中充电桩。',
            },
          },
          as.a1,
        ),
      ).raiseProposal;
      expect(p).toMatchObject({
        status: 'OPEN',
        raisedByRole: 'resident',
        raisedByMe: true,
        building: null,
        comments: [],
        councilMeeting: null,
        voting: null,
      });
      proposalId = p.id;
      const seen = async (t: string) =>
        (await sys.query(`query($id: ID!) { proposal(id: $id) { id raisedByMe } }`, { id: p.id }, t)).data?.proposal ??
        null;
      expect(await seen(as.b1)).toEqual({ id: p.id, raisedByMe: false });
      expect(await seen(n.officer)).toEqual({ id: p.id, raisedByMe: false });
      expect(await seen(n.workerTokens[0])).toEqual({ id: p.id, raisedByMe: false });
      expect(await seen(as.other)).toBeNull();
      expect(await seen(otherCounty)).toBeNull();
      expect(await list(as.c1)).toBe(listedBefore + 1);
      expect(await list(as.other)).toBe(0);
      expect(await list(otherCounty)).toBe(0);
      expect(await sys.audits('governance', p.id)).toEqual([{ action: 'proposal.raise', role: 'resident' }]);
    }
    // Neighbours and the grid worker comment.
    {
      const say = (t: string, b: string) =>
        sys.query(
          `mutation($p: ID!, $b: String!) { commentOnProposal(proposalId: $p, body: $b) { authorRole mine body } }`,
          { p: proposalId, b },
          t,
        );
      expect(dataOf(await say(as.b1, '赞成，楼道里太危险了')).commentOnProposal).toEqual({
        authorRole: 'resident',
        mine: true,
        body: '赞成，楼道里太危险了',
      });
      dataOf(await say(n.workerTokens[0], '可以先统计各户电动车数量'));
      const p = dataOf(
        await sys.query(
          `query($id: ID!) { proposal(id: $id) { comments { authorRole mine body } } }`,
          { id: proposalId },
          as.a1,
        ),
      ).proposal;
      expect(p.comments).toEqual([
        { authorRole: 'resident', mine: false, body: '赞成，楼道里太危险了' },
        { authorRole: 'grid_worker', mine: false, body: '可以先统计各户电动车数量' },
      ]);
    }
    // The council puts it to a household vote: quorum counted from the households living at the site.
    {
      const p = dataOf(
        await sys.query(
          MEET,
          {
            i: {
              proposalId,
              heldOn: today(),
              attendeeResidentIds: [ids.a1, ids.b1, ids.d1],
              decision: 'PUT_TO_VOTE',
              note: '同意提请全体住户表决',
              vote: voteInput(),
            },
          },
          n.officer,
        ),
      ).recordCouncilMeeting;
      expect(p).toMatchObject({
        status: 'VOTING',
        councilMeeting: { heldOn: today(), attendeeCount: 3, decision: 'PUT_TO_VOTE' },
        voting: {
          closed: false,
          eligibleHouseholds: 4,
          quorumHouseholds: 2,
          votesFor: 0,
          votedHouseholds: 0,
          listKind: 'PROPERTY',
          ownerName: '物业公司',
        },
      });
      // Heard once: a second meeting record is refused.
      const again = await sys.query(
        MEET,
        {
          i: { proposalId, heldOn: today(), attendeeResidentIds: [ids.a1], decision: 'PUT_TO_VOTE', vote: voteInput() },
        },
        n.officer,
      );
      expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'BAD_TRANSITION' });
      // A resident sees the meeting, and among its attendees only themselves.
      const seen = dataOf(
        await sys.query(
          `query($id: ID!) { proposal(id: $id) { councilMeeting { attendeeCount attendees { id } } } }`,
          { id: proposalId },
          as.a1,
        ),
      ).proposal;
      expect(seen.councilMeeting).toEqual({ attendeeCount: 3, attendees: [{ id: ids.a1 }] });
    }
    // One vote per household: a second member is refused, and so is one of two votes sent at the same moment.
    {
      expect(dataOf(await sys.query(VOTE, { p: proposalId, c: 'FOR' }, as.a1)).castProposalVote.voting).toMatchObject({
        votesFor: 1,
        myHouseholdVote: 'FOR',
      });
      const second = await sys.query(VOTE, { p: proposalId, c: 'AGAINST' }, as.a2);
      expect(second.errors![0].extensions).toMatchObject({
        code: 'CONFLICT',
        field: 'proposalId',
        reason: 'ALREADY_VOTED',
      });
      const both = await Promise.all([
        sys.query(VOTE, { p: proposalId, c: 'FOR' }, as.c1),
        sys.query(VOTE, { p: proposalId, c: 'AGAINST' }, as.c2),
      ]);
      expect(both.filter((r) => !r.errors).length).toBe(1);
      expect(both.find((r) => r.errors)!.errors![0].extensions).toMatchObject({
        code: 'CONFLICT',
        reason: 'ALREADY_VOTED',
      });
      // The member who did not vote sees how the household voted.
      const winner = both.find((r) => !r.errors)!.data!.castProposalVote.voting.myHouseholdVote;
      const seen = dataOf(
        await sys.query(
          `query($id: ID!) { proposal(id: $id) { voting { myHouseholdVote } } }`,
          { id: proposalId },
          as.c2,
        ),
      ).proposal;
      expect(seen.voting.myHouseholdVote).toBe(winner);
      const rows = await sys.sql(
        `SELECT household_id AS h, count(*)::int AS n FROM governance.proposal_vote WHERE proposal_id = $1 GROUP BY 1
          ORDER BY 1`,
        [proposalId],
      );
      expect(rows.every((r: { n: number }) => r.n === 1)).toBe(true);
      expect(rows.length).toBe(2);
      // Officers do not vote; the other site's resident cannot even see it.
      expect((await sys.query(VOTE, { p: proposalId, c: 'FOR' }, n.officer)).errors![0].extensions).toMatchObject({
        code: 'FORBIDDEN',
      });
      expect((await sys.query(VOTE, { p: proposalId, c: 'FOR' }, as.other)).errors![0].extensions).toMatchObject({
        code: 'NOT_FOUND',
      });
      dataOf(await sys.query(VOTE, { p: proposalId, c: 'AGAINST' }, as.d1));
    }
    // The deadline holds: no count before it, no vote after it; the count adopts, publishes and lists it.
    {
      const early = await sys.query(CLOSE, { p: proposalId }, n.officer);
      expect(early.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'BEFORE_DEADLINE' });
      sys.clock.advance(2 * DAY + 60_000);
      const late = await sys.query(VOTE, { p: proposalId, c: 'FOR' }, as.b1);
      expect(late.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'DEADLINE_PASSED' });
      expect((await sys.query(CLOSE, { p: proposalId }, otherCounty)).errors![0].extensions).toMatchObject({
        code: 'NOT_FOUND',
      });
      const p = dataOf(await sys.query(CLOSE, { p: proposalId }, n.officer)).closeProposalVote;
      const forVotes = p.voting.votesFor;
      expect(forVotes + p.voting.votesAgainst).toBe(3);
      expect(p.voting).toMatchObject({ closed: true, votedHouseholds: 3, quorumHouseholds: 2 });
      const adopted = forVotes > p.voting.votesAgainst;
      expect(p.status).toBe(adopted ? 'ADOPTED' : 'REJECTED');
      expect(p.outcomeNotice).toMatchObject({
        category: 'RESOLUTION',
        title: '议事结果：在小区增设充电桩',
        status: 'PUBLISHED',
      });
      expect(p.outcomeNotice.body).toContain(`参与表决3户，应参与4户，法定人数2户`);
      if (adopted) {
        expect(p.listItem).toEqual({
          kind: 'PROPERTY',
          title: '在小区增设充电桩',
          ownerName: '物业公司',
          status: 'OPEN',
          dueOn: p.voting.dueOn,
        });
        expect(p.outcomeNotice.body).toContain('通过，列入物业管理清单，责任人物业公司');
      } else {
        expect(p.listItem).toBeNull();
      }
      // The residents see the outcome on their disclosure board.
      const board = dataOf(await sys.query(`{ notices(category: RESOLUTION) { nodes { title } } }`, {}, as.b1)).notices
        .nodes;
      // Published once (the results of the other tests' proposals may be on the board too).
      expect(board.filter((x: { title: string }) => x.title.endsWith('在小区增设充电桩'))).toEqual([
        { title: '议事结果：在小区增设充电桩' },
      ]);
      // Counted once: closing again is refused, the scheduled close finds nothing.
      expect((await sys.query(CLOSE, { p: proposalId }, n.officer)).errors![0].extensions).toMatchObject({
        reason: 'NOT_VOTING',
      });
      expect(await proposalVoteCloseTask(governanceSql(sys), sys.clock).run()).toEqual({ closed: 0 });
      expect(await sys.audits('governance', proposalId)).toEqual([
        { action: 'proposal.raise', role: 'resident' },
        { action: 'proposal.comment', role: 'resident' },
        { action: 'proposal.comment', role: 'grid_worker' },
        { action: 'proposal.council_meeting', role: 'site_officer' },
        { action: 'proposal.vote', role: 'resident' },
        { action: 'proposal.vote', role: 'resident' },
        { action: 'proposal.vote', role: 'resident' },
        { action: 'proposal.decide', role: 'site_officer' },
      ]);
    }
  });

  it("refuses proposals outside the caller's place and bad input with typed errors, writing nothing", async () => {
    const proposalId = await openProposal();
    const before = await counts();
    const tryRaise = async (t: string, i: Record<string, unknown>) =>
      (await sys.query(RAISE, { i }, t)).errors?.[0].extensions;
    // A resident for the other site, the other site's resident for this one, an officer of another county.
    expect(await tryRaise(as.a1, { siteId: n.siteIds[1], title: '别处的事', body: '不是我住的安置点' })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await tryRaise(as.other, { siteId: n.siteId, title: '别处的事', body: '不是我住的安置点' })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await tryRaise(otherCounty, { siteId: n.siteId, title: '越权', body: '不是本县的安置点' })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(
      await tryRaise(n.workerTokens[0], { siteId: n.siteId, title: '网格员', body: '网格员不提议案' }),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(await tryRaise(as.a1, { siteId: n.siteId, title: 'x', body: '太短的标题' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.title',
    });
    expect(await tryRaise(as.a1, { siteId: 'not-a-site', title: '格式', body: '站点编号不对' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.siteId',
      reason: 'FORMAT',
    });
    expect(
      await tryRaise(as.a1, {
        siteId: n.siteId,
        buildingId: '00000000-0000-4000-8000-000000000000',
        title: '楼栋',
        body: '没有这栋楼',
      }),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'input.buildingId' });
    const comment = await sys.query(
      `mutation($p: ID!, $b: String!) { commentOnProposal(proposalId: $p, body: $b) { id } }`,
      { p: proposalId, b: '  ' },
      as.b1,
    );
    expect(comment.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'body' });
    const foreign = await sys.query(
      `mutation($p: ID!, $b: String!) { commentOnProposal(proposalId: $p, body: $b) { id } }`,
      { p: proposalId, b: '外人评论' },
      as.other,
    );
    expect(foreign.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(await counts()).toEqual(before);
  });

  it('refuses a bad council meeting record with typed errors and changes nothing', async () => {
    const proposalId = await openProposal();
    const before = await counts();
    const meet = async (over: Record<string, unknown>, t = n.officer) =>
      (
        await sys.query(
          MEET,
          {
            i: {
              proposalId,
              heldOn: today(),
              attendeeResidentIds: [ids.a1, ids.b1],
              decision: 'PUT_TO_VOTE',
              vote: voteInput(),
              ...over,
            },
          },
          t,
        )
      ).errors?.[0].extensions;
    expect(await meet({ heldOn: addDays(today(), 1) })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.heldOn',
      reason: 'FUTURE',
    });
    expect(await meet({ attendeeResidentIds: [ids.a1, ids.other] })).toMatchObject({
      field: 'input.attendeeResidentIds',
      reason: 'NOT_OF_SITE',
    });
    expect(await meet({ attendeeResidentIds: [] })).toMatchObject({
      field: 'input.attendeeResidentIds',
      reason: 'REQUIRED',
    });
    expect(await meet({ vote: null })).toMatchObject({ field: 'input.vote', reason: 'REQUIRED' });
    expect(await meet({ vote: voteInput({ quorumPercent: 0 }) })).toMatchObject({
      field: 'input.vote.quorumPercent',
      reason: 'RANGE',
    });
    expect(await meet({ vote: voteInput({ quorumPercent: 101 }) })).toMatchObject({
      field: 'input.vote.quorumPercent',
      reason: 'RANGE',
    });
    expect(
      await meet({ vote: voteInput({ closesAt: new Date(sys.clock.now().getTime() - 60_000).toISOString() }) }),
    ).toMatchObject({ field: 'input.vote.closesAt', reason: 'PAST' });
    expect(await meet({ vote: voteInput({ closesAt: 'tomorrow' }) })).toMatchObject({
      field: 'input.vote.closesAt',
      reason: 'FORMAT',
    });
    // The list item would be due before the vote even closes.
    expect(await meet({ vote: voteInput({ dueOn: today() }) })).toMatchObject({
      field: 'input.vote.dueOn',
      reason: 'PAST',
    });
    expect(await meet({ decision: 'DECLINE', vote: null })).toMatchObject({ field: 'input.note', reason: 'REQUIRED' });
    expect(await meet({}, as.a1)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await meet({}, otherCounty)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await counts()).toEqual(before);
  });

  it('adopts with more for than against: the item lands on the chosen list with its owner', async () => {
    const p = dataOf(
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
            proposalId: p.id,
            heldOn: today(),
            attendeeResidentIds: [ids.c1],
            decision: 'PUT_TO_VOTE',
            vote: voteInput({ listKind: 'PARTY_SERVICE', ownerName: '社区党委', ownerSubject: null }),
          },
        },
        n.officer,
      ),
    );
    for (const t of [as.a1, as.b1, as.c2]) dataOf(await sys.query(VOTE, { p: p.id, c: 'FOR' }, t));
    dataOf(await sys.query(VOTE, { p: p.id, c: 'ABSTAIN' }, as.d1));
    sys.clock.advance(2 * DAY + 60_000);
    // The scheduled close, as the worker runs it every minute.
    expect(await proposalVoteCloseTask(governanceSql(sys), sys.clock).run()).toEqual({ closed: 1 });
    const done = dataOf(
      await sys.query(`query($id: ID!) { proposal(id: $id) { ${FIELDS} } }`, { id: p.id }, n.officer),
    ).proposal;
    expect(done).toMatchObject({
      status: 'ADOPTED',
      voting: { votesFor: 3, votesAgainst: 0, votesAbstain: 1, votedHouseholds: 4 },
      listItem: { kind: 'PARTY_SERVICE', title: '开设四点半课堂', ownerName: '社区党委', status: 'OPEN' },
    });
    const lists = dataOf(
      await sys.query(
        `query($s: ID!) { listItems(siteId: $s, kind: PARTY_SERVICE) { nodes { title ownerName } } }`,
        { s: n.siteId },
        n.officer,
      ),
    );
    expect(lists.listItems.nodes).toContainEqual({ title: '开设四点半课堂', ownerName: '社区党委' });
    expect(await sys.audits('governance', p.id)).toContainEqual({ action: 'proposal.decide', role: 'system' });
  });

  it("a building's proposal is voted on by that building only, and fails without its quorum", async () => {
    const p = dataOf(
      await sys.query(
        RAISE,
        { i: { siteId: n.siteId, buildingId: n.buildingIds[1], title: '2栋加装电梯', body: '老人上下楼困难。' } },
        n.officer,
      ),
    ).raiseProposal;
    expect(p.building).toEqual({ name: '2栋' });
    const voting = dataOf(
      await sys.query(
        MEET,
        {
          i: {
            proposalId: p.id,
            heldOn: today(),
            attendeeResidentIds: [ids.b1],
            decision: 'PUT_TO_VOTE',
            vote: voteInput({ quorumPercent: 100 }),
          },
        },
        n.officer,
      ),
    ).recordCouncilMeeting.voting;
    expect(voting).toMatchObject({ eligibleHouseholds: 1, quorumHouseholds: 1 });
    expect((await sys.query(VOTE, { p: p.id, c: 'FOR' }, as.a1)).errors![0].extensions).toMatchObject({
      code: 'FORBIDDEN',
    });
    sys.clock.advance(2 * DAY + 60_000);
    expect(await proposalVoteCloseTask(governanceSql(sys), sys.clock).run()).toEqual({ closed: 1 });
    const done = dataOf(
      await sys.query(
        `query($id: ID!) { proposal(id: $id) { status listItem { id } outcomeNotice { body } } }`,
        { id: p.id },
        as.b1,
      ),
    ).proposal;
    expect(done.status).toBe('REJECTED');
    expect(done.listItem).toBeNull();
    expect(done.outcomeNotice.body).toContain('参与户数未达法定人数，未通过。');
  });

  it("a declined proposal is published with the council's reason, and takes no more comments or votes", async () => {
    const p = dataOf(
      await sys.query(RAISE, { i: { siteId: n.siteId, title: '把绿地改成停车场', body: '停车难。' } }, as.d1),
    ).raiseProposal;
    const declined = dataOf(
      await sys.query(
        MEET,
        {
          i: {
            proposalId: p.id,
            heldOn: today(),
            attendeeResidentIds: [ids.a1, ids.d1],
            decision: 'DECLINE',
            note: '绿地属于规划用地，不能改变用途',
          },
        },
        n.officer,
      ),
    ).recordCouncilMeeting;
    expect(declined).toMatchObject({
      status: 'DECLINED',
      voting: null,
      councilMeeting: { decision: 'DECLINE' },
      outcomeNotice: { category: 'RESOLUTION', status: 'PUBLISHED' },
    });
    expect(declined.outcomeNotice.body).toContain('绿地属于规划用地');
    const comment = await sys.query(
      `mutation($p: ID!, $b: String!) { commentOnProposal(proposalId: $p, body: $b) { id } }`,
      { p: p.id, b: '可惜' },
      as.a1,
    );
    expect(comment.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'DECIDED' });
    expect((await sys.query(VOTE, { p: p.id, c: 'FOR' }, as.a1)).errors![0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'NOT_VOTING',
    });
  });
});
