import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { noticePublishTask } from '../src/notice/notice-publish.task';
import { governanceSql, registerResidents, seedNeighbourhood, type Neighbourhood } from './helpers';

/** Public disclosure (居务公开): notices for chosen sites, the publish job, reads and read rates. */
describe('public disclosure notices (governance)', () => {
  let sys: TestSystem;
  let n: Neighbourhood;
  let residents: string[];
  let tokens: string[];
  let otherSiteResident: string;
  const CREATE = `mutation($i: CreateNoticeInput!) { createNotice(input: $i) { id status publishedAt } }`;
  const LIST = `{ notices { totalCount nodes { title status readByMe } } }`;
  const HOUR = 3_600_000;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'gov-notices', apis: ['governance'], workers: ['governance'] });
    n = await seedNeighbourhood(sys);
    residents = await registerResidents(
      sys,
      n.officer,
      [1, 2, 3, 4].map((seq) => ({ householdId: n.householdIds[seq % 2], seq })),
    );
    tokens = await Promise.all(residents.map((r) => tokenFor({ role: 'resident', resident: r, sites: [n.siteId] })));
    await registerResidents(sys, n.provinceToken, [{ householdId: n.householdIds[1], seq: 9 }]);
    // A resident of the second site (its household was seeded by seedPlace).
    const [hhB] = await sys.sql(`SELECT id FROM governance.household WHERE site_id = $1`, [n.siteIds[1]]);
    const [rb] = await registerResidents(sys, n.provinceToken, [{ householdId: hhB.id, seq: 10 }]);
    otherSiteResident = await tokenFor({ role: 'resident', resident: rb, sites: [n.siteIds[1]] });
  });
  afterAll(() => sys?.stop());

  it('publishes at once without a publish time; residents of the site read it; officers see read rates', async () => {
    const notice = dataOf(
      await sys.query(
        CREATE,
        { i: { siteIds: [n.siteId], category: 'FINANCE', title: '2026年第三季度财务公开', body: '收入…支出…' } },
        n.officer,
      ),
    ).createNotice;
    expect(notice.status).toBe('PUBLISHED');
    // This notice as a resident lists it (the other tests' notices at the site may be listed too).
    const listed = async (t: string) =>
      dataOf(await sys.query(LIST, {}, t)).notices.nodes.filter(
        (x: { title: string }) => x.title === '2026年第三季度财务公开',
      );
    expect(await listed(tokens[0])).toEqual([
      { title: '2026年第三季度财务公开', status: 'PUBLISHED', readByMe: false },
    ]);
    expect(dataOf(await sys.query(LIST, {}, otherSiteResident)).notices.totalCount).toBe(0);
    const foreign = await sys.query(
      `mutation($id: ID!) { markNoticeRead(id: $id) { id } }`,
      { id: notice.id },
      otherSiteResident,
    );
    expect(foreign.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    for (const t of [tokens[0], tokens[1], tokens[1]])
      dataOf(await sys.query(`mutation($id: ID!) { markNoticeRead(id: $id) { readByMe } }`, { id: notice.id }, t));
    expect((await listed(tokens[1]))[0].readByMe).toBe(true);
    const rates = dataOf(
      await sys.query(
        `query($id: ID!) { notice(id: $id) { readRates { site { name } residents read rate } } }`,
        { id: notice.id },
        n.officer,
      ),
    ).notice.readRates;
    // Five residents live at the site (four plus one), two read it.
    expect(rates).toEqual([{ site: { name: '安置点1' }, residents: 5, read: 2, rate: 0.4 }]);
    expect(
      dataOf(
        await sys.query(`query($id: ID!) { notice(id: $id) { readRates { rate } } }`, { id: notice.id }, tokens[0]),
      ).notice.readRates,
    ).toBeNull();
    // Audited: the publication and every marking as read (the second resident's repeat included, marked `again`).
    expect(await sys.audits('governance', notice.id)).toEqual([
      { action: 'notice.create', role: 'site_officer' },
      { action: 'notice.read', role: 'resident' },
      { action: 'notice.read', role: 'resident' },
      { action: 'notice.read', role: 'resident' },
    ]);
  });

  it('the publish job publishes a scheduled notice when its time comes (controllable clock)', async () => {
    const listed = async () => dataOf(await sys.query(LIST, {}, tokens[2])).notices.totalCount;
    const before = await listed(); // what the other tests published at the site
    const at = new Date(sys.clock.now().getTime() + 2 * HOUR);
    const notice = dataOf(
      await sys.query(
        CREATE,
        {
          i: {
            siteIds: [n.siteId],
            category: 'SUBSIDY',
            title: '补贴发放名单公示',
            body: '名单…',
            publishAt: at.toISOString(),
            expiresAt: new Date(at.getTime() + 72 * HOUR).toISOString(),
          },
        },
        n.officer,
      ),
    ).createNotice;
    expect(notice).toMatchObject({ status: 'SCHEDULED', publishedAt: null });
    expect(await listed()).toBe(before);
    const task = noticePublishTask(governanceSql(sys), { now: () => clock });
    let clock = new Date(sys.clock.now().getTime() + HOUR);
    expect(await task.run()).toEqual({ published: 0 });
    clock = new Date(sys.clock.now().getTime() + 3 * HOUR);
    expect(await task.run()).toEqual({ published: 1 });
    expect(await task.run()).toEqual({ published: 0 });
    expect(
      dataOf(
        await sys.query(`query($id: ID!) { notice(id: $id) { status publishedAt } }`, { id: notice.id }, n.officer),
      ).notice.publishedAt,
    ).toBe(clock.toISOString());
    // Residents see it once published (the publish time was moved into the past to stand for the passing hours).
    await sys.sql(`UPDATE governance.notice SET publish_at = $2::timestamptz - interval '1 hour' WHERE id = $1`, [
      notice.id,
      sys.clock.now(),
    ]);
    expect(await listed()).toBe(before + 1);
    // …and no longer once it has expired.
    await sys.sql(
      `UPDATE governance.notice SET publish_at = $2::timestamptz - interval '3 days',
        expires_at = $2::timestamptz - interval '1 minute' WHERE id = $1`,
      [notice.id, sys.clock.now()],
    );
    expect(await listed()).toBe(before);
  });

  it('withdrawn notices disappear for residents; officers of another site cannot withdraw', async () => {
    const notice = dataOf(
      await sys.query(
        CREATE,
        { i: { siteIds: [n.siteId], category: 'AFFAIRS', title: '停水通知', body: '明日停水' } },
        n.officer,
      ),
    ).createNotice;
    const other = await tokenFor({ role: 'site_officer', sites: [n.siteIds[1]] });
    expect(
      (
        await sys.query(
          `mutation($id: ID!) { withdrawNotice(id: $id, reason: "发错了") { id } }`,
          { id: notice.id },
          other,
        )
      ).errors![0].extensions?.code,
    ).toBe('NOT_FOUND');
    expect(
      dataOf(
        await sys.query(
          `mutation($id: ID!) { withdrawNotice(id: $id, reason: "发错了") { status } }`,
          { id: notice.id },
          n.officer,
        ),
      ).withdrawNotice.status,
    ).toBe('WITHDRAWN');
    expect(
      dataOf(await sys.query(LIST, {}, tokens[3])).notices.nodes.map((x: { title: string }) => x.title),
    ).not.toContain('停水通知');
    expect(await sys.audits('governance', notice.id)).toEqual([
      { action: 'notice.create', role: 'site_officer' },
      { action: 'notice.withdraw', role: 'site_officer' },
    ]);
  });

  it('rejects a past publish time, an expiry before publishing and a site outside scope, writing nothing', async () => {
    const before = await sys.sql(`SELECT count(*)::int AS n FROM governance.notice`);
    const past = await sys.query(
      CREATE,
      {
        i: {
          siteIds: [n.siteId],
          category: 'OTHER',
          title: '过去',
          body: 'x',
          publishAt: new Date(sys.clock.now().getTime() - 2 * HOUR).toISOString(),
        },
      },
      n.officer,
    );
    expect(past.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.publishAt',
      reason: 'PAST',
    });
    const exp = await sys.query(
      CREATE,
      {
        i: {
          siteIds: [n.siteId],
          category: 'OTHER',
          title: '过期',
          body: 'x',
          expiresAt: new Date(sys.clock.now().getTime() - HOUR).toISOString(),
        },
      },
      n.officer,
    );
    expect(exp.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.expiresAt' });
    const scope = await sys.query(
      CREATE,
      { i: { siteIds: [n.siteId, n.siteIds[1]], category: 'OTHER', title: '两个点', body: 'x' } },
      n.officer,
    );
    expect(scope.errors![0].extensions?.code).toBe('FORBIDDEN');
    expect(await sys.sql(`SELECT count(*)::int AS n FROM governance.notice`)).toEqual(before);
  });

  it('carries party-building (党建) and culture (文化) notices, listed by their category', async () => {
    for (const [category, title] of [
      ['PARTY_BUILDING', '党支部主题党日活动通知'],
      ['CULTURE', '周末广场电影放映'],
    ]) {
      dataOf(await sys.query(CREATE, { i: { siteIds: [n.siteId], category, title, body: '欢迎居民参加' } }, n.officer));
    }
    const byCategory = async (category: string) =>
      dataOf(
        await sys.query(
          `query($c: NoticeCategory) { notices(category: $c) {
      nodes { title category } } }`,
          { c: category },
          tokens[0],
        ),
      ).notices.nodes;
    expect(await byCategory('PARTY_BUILDING')).toEqual([
      { title: '党支部主题党日活动通知', category: 'PARTY_BUILDING' },
    ]);
    expect(await byCategory('CULTURE')).toEqual([{ title: '周末广场电影放映', category: 'CULTURE' }]);
    const bad = await sys.query(
      CREATE,
      { i: { siteIds: [n.siteId], category: 'GOSSIP', title: 'x', body: 'x' } },
      n.officer,
    );
    expect(bad.errors?.[0].extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
  });
});
