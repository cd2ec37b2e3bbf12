import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  addMonths,
  createDataSource,
  provinceDate,
  provinceMonth,
  startOfProvinceDay,
  startOfProvinceMonth,
} from '@anju/kit';
import { EVENTS, type EventName, type EventPayload } from '@anju/contracts';
import {
  REGISTER_RESIDENT,
  TestSystem,
  dataOf,
  nationalId,
  residentInput,
  seedPlace,
  tokenFor,
  type Place,
} from '@anju/testing';
import { pointsExpiryTask } from '../src/points/points-expiry.task';

/**
 * Points (积分制) through the gateway on real PostgreSQL and Redis: the co-governance list, credits
 * from events delivered at least once, caps under concurrency, manual grants, rewards with stock,
 * 50 residents racing for 10 rewards, expiry, statements, rankings and scope.
 */
describe('points (governance)', () => {
  let sys: TestSystem;
  let place: Place;
  let siteA: string;
  let siteB: string;
  let officerA: string;
  let officerB: string;
  let county: string;
  let db: DataSource;
  const res: Record<string, string> = {};
  const crowd: string[] = [];
  let seq = 500;
  /** The co-governance list every test credits by, defined through the gateway before any test. */
  let rules: Record<'attend' | 'hours' | 'training' | 'issue' | 'leader', Record<string, unknown>>;

  const RULE = `mutation($i: DefinePointsRuleInput!) { definePointsRule(input: $i) {
    id action event points dailyCap monthlyCap expiresAfterDays site { id } } }`;
  const ADJUST = `mutation($i: AdjustPointsInput!) { adjustPoints(input: $i) { id kind points balanceAfter reason } }`;
  const ACCOUNT = `query($r: ID!) { pointsAccount(residentId: $r) { balance score householdBalance resident { id } } }`;
  const LEDGER = `query($r: ID!, $first: Int, $after: String) { pointsLedger(residentId: $r, first: $first,
    after: $after) { totalCount endCursor nodes {
    id kind points balanceAfter sourceEvent sourceEventId capped reason rule { action } } } }`;
  const REDEEM = `mutation($i: RedeemRewardInput!) { redeemReward(input: $i) { id status points reward {
    name stock } } }`;
  const ADD_REWARD = `mutation($i: AddRewardInput!) { addReward(input: $i) { id name price stock kind } }`;

  const mk = async (q: string, i: Record<string, unknown>) => dataOf(await sys.query(q, { i }, officerA));
  /** A household of site A, in a building when one is given. */
  const household = async (householdNumber: string, buildingId?: string): Promise<string> =>
    (
      await mk(`mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`, {
        siteId: siteA,
        householdNumber,
        buildingId,
      })
    ).registerHousehold.id;
  const register = async (householdId: string, token: string, overrides: Record<string, unknown> = {}) => {
    seq += 1;
    const r = await sys.query(
      REGISTER_RESIDENT,
      {
        i: residentInput(householdId, seq, {
          nationalId: nationalId('530102', '19900101', seq),
          relationToHead: 'CHILD',
          ...overrides,
        }),
      },
      token,
    );
    return dataOf(r).registerResident.id as string;
  };

  /** Puts an event on governance's inbox queue `times` times, each under a new job id and the same event id. */
  const deliver = async <N extends EventName>(name: N, payload: EventPayload<N>, eventId = randomUUID(), times = 1) => {
    const q = sys.queue('governance');
    try {
      const envelope = {
        id: eventId,
        name,
        version: EVENTS[name].version,
        producer: EVENTS[name].producer,
        occurredAt: sys.clock.now().toISOString(),
        payload,
      };
      await q.addBulk(
        Array.from({ length: times }, (_, k) => ({
          name,
          data: envelope,
          opts: { jobId: `${eventId}.try-${k}`, attempts: 3 },
        })),
      );
    } finally {
      await q.close();
    }
    return eventId;
  };
  const attended = (residentId: string, attendedAt = sys.clock.now().toISOString(), siteId = siteA) => ({
    attendanceId: randomUUID(),
    activityId: randomUUID(),
    organizationId: randomUUID(),
    residentId,
    siteId,
    attendedAt,
    activityKind: '四点半课堂',
  });
  const balancesMatchLedger = async () =>
    sys.sql(
      `SELECT a.resident_id, a.balance, coalesce((SELECT sum(points) FROM governance.points_entry e
        WHERE e.resident_id = a.resident_id), 0)::int AS ledger
       FROM governance.points_account a WHERE a.balance <> coalesce((SELECT sum(points) FROM governance.points_entry e
         WHERE e.resident_id = a.resident_id), 0)`,
    );
  const balanceOf = async (residentId: string) =>
    (await sys.sql(`SELECT balance FROM governance.points_account WHERE resident_id = $1`, [residentId]))[0]?.balance ??
    0;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'gov-points', apis: ['governance'], workers: ['governance'] });
    place = await seedPlace(sys, 2);
    [siteA, siteB] = place.siteIds;
    officerA = await tokenFor({ role: 'site_officer', sites: [siteA], sub: 'officer-wang' });
    officerB = await tokenFor({ role: 'site_officer', sites: [siteB], sub: 'officer-zhao' });
    county = await tokenFor({ role: 'county', regions: ['530102'], sub: 'county-liu' });
    const gridA = (
      await mk(`mutation($i: RegisterGridInput!) { registerGrid(input: $i) { id } }`, {
        siteId: siteA,
        name: '第一网格',
      })
    ).registerGrid.id;
    const gridB = (
      await mk(`mutation($i: RegisterGridInput!) { registerGrid(input: $i) { id } }`, {
        siteId: siteA,
        name: '第二网格',
      })
    ).registerGrid.id;
    const buildingA = (
      await mk(`mutation($i: RegisterBuildingInput!) { registerBuilding(input: $i) { id } }`, {
        siteId: siteA,
        name: '1栋',
        gridId: gridA,
      })
    ).registerBuilding.id;
    const buildingB = (
      await mk(`mutation($i: RegisterBuildingInput!) { registerBuilding(input: $i) { id } }`, {
        siteId: siteA,
        name: '2栋',
        gridId: gridB,
      })
    ).registerBuilding.id;
    const hhA = await household('P-101', buildingA);
    const hhB = await household('P-201', buildingB);
    res.wang = await register(hhA, officerA, { relationToHead: 'HEAD', name: '王大哥' });
    res.wangSon = await register(hhA, officerA, { name: '王小弟' });
    res.li = await register(hhB, officerA, { relationToHead: 'HEAD', name: '李阿姨' });
    res.expiring = await register(hhB, officerA, { name: '李过期' });
    res.spent = await register(hhB, officerA, { name: '李花光' });
    res.other = await register(place.householdIds[1], officerB, { relationToHead: 'HEAD', name: '赵别处' });
    for (let i = 0; i < 50; i++) crowd.push(await register(place.householdIds[0], officerA, { name: `排队${i}` }));
    db = createDataSource(
      { DATABASE_URL: sys.db.url, DATABASE_POOL_SIZE: 2 },
      { schema: 'governance', migrations: [], applicationName: 'points-test' },
    );
    await db.initialize();
    const define = async (i: Record<string, unknown>, token: string) =>
      dataOf(await sys.query(RULE, { i }, token)).definePointsRule;
    rules = {
      attend: await define(
        {
          regionCode: '530102',
          action: '参加社区活动',
          event: 'ACTIVITY_ATTENDED',
          points: 10,
          dailyCap: 20,
          monthlyCap: 100,
        },
        county,
      ),
      hours: await define(
        { siteId: siteA, action: '志愿服务（每小时）', event: 'SERVICE_VERIFIED', points: 5 },
        officerA,
      ),
      training: await define(
        { regionCode: '530102', action: '完成技能培训', event: 'TRAINING_COMPLETED', points: 30, expiresAfterDays: 30 },
        county,
      ),
      issue: await define(
        { siteId: siteA, action: '反映微难题并解决', event: 'MICRO_ISSUE_RESOLVED', points: 15 },
        officerA,
      ),
      leader: await define({ siteId: siteA, action: '担任楼栋长一个月', points: 50, expiresAfterDays: 365 }, officerA),
    };
  }, 180_000); // 56 residents registered through the gateway: minutes on a loaded machine
  afterAll(async () => {
    if (process.env.DUMP_LOGS)
      console.log(
        sys.logs
          .entries()
          .filter((e) => Number(e.level) >= 40 || JSON.stringify(e).includes('err'))
          .map((e) => JSON.stringify(e).slice(0, 1500))
          .join('\n'),
      );
    await db?.destroy();
    await sys?.stop();
  });

  it('defines the co-governance list per county and per site; bad input is a typed error, writes nothing', async () => {
    // The five rules of beforeAll, as the mutation answered.
    expect(rules.attend).toMatchObject({
      event: 'ACTIVITY_ATTENDED',
      points: 10,
      dailyCap: 20,
      monthlyCap: 100,
      expiresAfterDays: null,
      site: null,
    });
    expect(rules.hours).toMatchObject({ event: 'SERVICE_VERIFIED', points: 5, dailyCap: null, site: { id: siteA } });
    expect(rules.training).toMatchObject({ event: 'TRAINING_COMPLETED', points: 30, expiresAfterDays: 30, site: null });
    expect(rules.issue).toMatchObject({ event: 'MICRO_ISSUE_RESOLVED', points: 15, site: { id: siteA } });
    expect(rules.leader).toMatchObject({
      action: '担任楼栋长一个月',
      event: null,
      points: 50,
      expiresAfterDays: 365,
      site: { id: siteA },
    });

    const defineAudits = `SELECT count(*)::int AS n FROM governance.audit_log WHERE action = 'points_rule.define'`;
    const before = await sys.sql(`SELECT count(*)::int AS n FROM governance.points_rule`);
    const auditsBefore = await sys.sql(defineAudits);
    const bad = await sys.query(RULE, { i: { siteId: siteA, action: '打扫卫生', points: 0 } }, officerA);
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.points' });
    const dup = await sys.query(
      RULE,
      { i: { siteId: siteA, action: '又一个', event: 'MICRO_ISSUE_RESOLVED', points: 3 } },
      officerA,
    );
    expect(dup.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE' });
    const countyBySiteOfficer = await sys.query(
      RULE,
      { i: { regionCode: '530102', action: '全县', points: 3 } },
      officerA,
    );
    expect(countyBySiteOfficer.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    const otherSite = await sys.query(RULE, { i: { siteId: siteB, action: '别处', points: 3 } }, officerA);
    expect(otherSite.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await sys.sql(`SELECT count(*)::int AS n FROM governance.points_rule`)).toEqual(before);
    expect(await sys.sql(defineAudits)).toEqual(auditsBefore);
    for (const rule of Object.values(rules))
      expect(await sys.audits('governance', rule.id as string)).toEqual([
        { action: 'points_rule.define', role: rule.site ? 'site_officer' : 'county' },
      ]);

    // A resident reads their own site's list: the site's rules and the county's.
    const me = await tokenFor({ role: 'resident', resident: res.wang });
    const list = dataOf(
      await sys.query(`query($s: ID!) { pointsRules(siteId: $s) { action points } }`, { s: siteA }, me),
    ).pointsRules;
    expect(list.map((r: { action: string }) => r.action).sort()).toEqual(
      ['反映微难题并解决', '完成技能培训', '参加社区活动', '担任楼栋长一个月', '志愿服务（每小时）'].sort(),
    );
    const notMine = await sys.query(`query($s: ID!) { pointsRules(siteId: $s) { action } }`, { s: siteB }, me);
    expect(notMine.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('credits an event delivered 5 times exactly once', async () => {
    // A household of one of its own: its balance is this resident's alone.
    const wang = await register(await household('P-102'), officerA, { relationToHead: 'HEAD', name: '王独居' });
    const eventId = await deliver('activity.attended', attended(wang), randomUUID(), 5);
    await sys.waitForIdle();
    const entries = await sys.sql(`SELECT kind, points FROM governance.points_entry WHERE source_event_id = $1`, [
      eventId,
    ]);
    expect(entries).toEqual([{ kind: 'credit', points: 10 }]);
    // …and again later, as a re-send after a Redis loss would.
    await deliver('activity.attended', attended(wang), eventId, 2);
    await sys.waitForIdle();
    const me = await tokenFor({ role: 'resident', resident: wang });
    const account = dataOf(await sys.query(ACCOUNT, { r: wang }, me)).pointsAccount;
    expect(account).toMatchObject({ balance: 10, score: 10, householdBalance: 10, resident: { id: wang } });
    const ledger = dataOf(await sys.query(LEDGER, { r: wang }, me)).pointsLedger;
    expect(ledger.totalCount).toBe(1);
    expect(ledger.nodes[0]).toMatchObject({
      kind: 'CREDIT',
      points: 10,
      balanceAfter: 10,
      sourceEvent: 'ACTIVITY_ATTENDED',
      sourceEventId: eventId,
      rule: { action: '参加社区活动' },
    });
    // 积分到账: told once, with the balance, however often the event came.
    const told = dataOf(await sys.query(`{ myNotifications { nodes { kind title body } } }`, {}, me)).myNotifications
      .nodes;
    expect(told).toEqual([
      { kind: 'POINTS_CREDITED', title: '积分到账：+10分', body: expect.stringContaining('当前余额10分') },
    ]);
  });

  // Each producer's real mutation → relay → queue → credit: tests/event-chains.spec.ts.
  it('credits micro_issue.resolved (via governance’s relay), service.verified by rule; no resident, none', async () => {
    const household = async () =>
      dataOf(await sys.query(ACCOUNT, { r: res.wang }, officerA)).pointsAccount.householdBalance as number;
    const before = await household();
    // micro_issue.resolved leaves governance's outbox through the real relay, as publish() writes it.
    const issueEvent = randomUUID();
    const payload = {
      microIssueId: randomUUID(),
      siteId: siteA,
      regionCode: '530102',
      reportedByResidentId: res.wangSon,
      resolvedAt: sys.clock.now().toISOString(),
      outcome: '楼道灯已修好',
    };
    await sys.sql(
      `INSERT INTO governance.outbox (id, event, version, payload) VALUES ($1, 'micro_issue.resolved', 1, $2)`,
      [issueEvent, JSON.stringify(payload)],
    );
    await sys.sql(`SELECT pg_notify('anju_outbox', 'governance')`);
    await deliver('micro_issue.resolved', { ...payload, microIssueId: randomUUID(), reportedByResidentId: null });
    const hours = await deliver('service.verified', {
      serviceRecordId: randomUUID(),
      volunteerId: randomUUID(),
      volunteerResidentId: res.wangSon,
      demandId: null,
      siteId: siteA,
      hours: 2.5,
      verifiedAt: sys.clock.now().toISOString(),
    });
    await deliver('service.verified', {
      serviceRecordId: randomUUID(),
      volunteerId: randomUUID(),
      volunteerResidentId: null,
      demandId: null,
      siteId: siteA,
      hours: 3,
      verifiedAt: sys.clock.now().toISOString(),
    });
    await sys.waitForIdle();
    const rows = await sys.sql(
      `SELECT source_event_id AS id, source_event AS event, points FROM governance.points_entry WHERE resident_id = $1
        ORDER BY source_event`,
      [res.wangSon],
    );
    expect(rows).toEqual([
      expect.objectContaining({ id: issueEvent, event: 'micro_issue.resolved', points: 15 }),
      expect.objectContaining({ id: hours, event: 'service.verified', points: 13 }), // 5 × 2.5 h, rounded
    ]);
    // Wang's household (Wang and his son) gains the son's 28.
    expect(await household()).toBe(before + 28);
  });

  it('holds daily and monthly caps under concurrent events', async () => {
    // 30 attendances at once: 10 on one day (cap 20 a day), 2 a day on 10 later days of the same month (cap 100 a
    // month).
    // Days of the province's current month, at 09:00–16:00 China time. A resident of its own, with no points yet.
    const li = await register(place.householdIds[0], officerA, { name: '李封顶' });
    const month = provinceMonth(sys.clock.now());
    const day = (d: number, h: number) =>
      new Date(
        startOfProvinceDay(`${month}-${String(d).padStart(2, '0')}`).getTime() + (8 + h) * 3_600_000,
      ).toISOString();
    const events = [
      ...Array.from({ length: 10 }, (_, i) => attended(li, day(1, 1 + (i % 8)))),
      ...Array.from({ length: 20 }, (_, i) => attended(li, day(2 + Math.floor(i / 2), 2 + (i % 2)))),
    ];
    await Promise.all(events.map((e) => deliver('activity.attended', e)));
    await sys.waitForIdle();
    const [t] = await sys.sql(
      `SELECT count(*)::int AS entries, sum(points)::int AS total, count(*) FILTER (WHERE capped)::int AS capped,
              max(day_total)::int AS max_day
         FROM (SELECT points, capped,
           sum(points) OVER (PARTITION BY (occurred_at AT TIME ZONE 'Asia/Shanghai')::date) AS day_total
                 FROM governance.points_entry WHERE resident_id = $1) x`,
      [li],
    );
    expect(t).toEqual({ entries: 30, total: 100, capped: 20, max_day: 20 });
    expect(await balanceOf(li)).toBe(100);
    expect(await balancesMatchLedger()).toEqual([]);
  });

  it('holds daily and monthly caps under concurrent batches (each batch one job, one transaction)', async () => {
    // A new resident of site B (the county's rule); 60 attendances in 4 batches delivered at once, interleaved:
    // 20 on one day (cap 20 a day), 2 a day on 20 later days of the same month (cap 100 a month).
    const who = await register(place.householdIds[1], officerB, { name: '赵并发' });
    const now = sys.clock.now();
    const day = (d: number, h: number) =>
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), d, h)).toISOString();
    const events = [
      ...Array.from({ length: 20 }, (_, i) => attended(who, day(1, 1 + (i % 8)), siteB)),
      ...Array.from({ length: 40 }, (_, i) => attended(who, day(2 + Math.floor(i / 2), 2 + (i % 2)), siteB)),
    ].map((payload) => ({
      id: randomUUID(),
      name: 'activity.attended' as const,
      version: 1,
      producer: 'social-orgs' as const,
      occurredAt: new Date().toISOString(),
      payload,
    }));
    const batches = [0, 1, 2, 3].map((k) => events.filter((_, i) => i % 4 === k));
    const q = sys.queue('governance');
    try {
      await q.addBulk(
        batches.map((batch) => ({ name: 'events', data: { batch }, opts: { jobId: batch[0].id, attempts: 3 } })),
      );
    } finally {
      await q.close();
    }
    await sys.waitForIdle();
    const [t] = await sys.sql(
      `SELECT count(*)::int AS entries, sum(points)::int AS total, max(day_total)::int AS max_day
         FROM (SELECT points, sum(points) OVER (PARTITION BY (occurred_at AT TIME ZONE 'Asia/Shanghai')::date) AS
           day_total
                 FROM governance.points_entry WHERE resident_id = $1) x`,
      [who],
    );
    expect(t).toEqual({ entries: 60, total: 100, max_day: 20 });
    expect(await balanceOf(who)).toBe(100);
    expect(await balancesMatchLedger()).toEqual([]);
  });

  it('grants and deducts by hand with a reason, audited; a deduction never takes a balance below zero', async () => {
    // A resident of its own, with no points yet.
    const li = await register(place.householdIds[0], officerA, { name: '李楼栋长' });
    const grant = dataOf(
      await sys.query(
        ADJUST,
        { i: { residentId: li, points: 50, reason: '担任2栋楼栋长（11月）', ruleId: rules.leader.id } },
        officerA,
      ),
    ).adjustPoints;
    expect(grant).toMatchObject({
      kind: 'GRANT',
      points: 50,
      balanceAfter: 50,
      reason: '担任2栋楼栋长（11月）',
    });
    const deduct = dataOf(
      await sys.query(ADJUST, { i: { residentId: li, points: -20, reason: '高空抛物，经核实' } }, officerA),
    ).adjustPoints;
    expect(deduct).toMatchObject({ kind: 'DEDUCT', points: -20, balanceAfter: 30 });
    const [entry] = await sys.sql(`SELECT actor FROM governance.points_entry WHERE id = $1`, [deduct.id]);
    expect(entry.actor).toBe('site_officer:officer-wang');
    const audited = await sys.sql(
      `SELECT action, actor_subject FROM governance.audit_log WHERE entity_id = $1 AND action LIKE 'points.%'
        ORDER BY id`,
      [li],
    );
    expect(audited).toEqual([
      { action: 'points.grant', actor_subject: 'officer-wang' },
      { action: 'points.deduct', actor_subject: 'officer-wang' },
    ]);

    const before = await sys.sql(`SELECT count(*)::int AS n FROM governance.points_entry`);
    const tooMuch = await sys.query(ADJUST, { i: { residentId: li, points: -31, reason: '扣分过多' } }, officerA);
    expect(tooMuch.errors![0].extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'input.points',
      reason: 'INSUFFICIENT_POINTS',
    });
    const noReason = await sys.query(ADJUST, { i: { residentId: li, points: 5, reason: ' ' } }, officerA);
    expect(noReason.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    const byResident = await sys.query(
      ADJUST,
      { i: { residentId: li, points: 5, reason: '给自己加分' } },
      await tokenFor({ role: 'resident', resident: li }),
    );
    expect(byResident.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    const otherSite = await sys.query(ADJUST, { i: { residentId: li, points: 5, reason: '跨点加分' } }, officerB);
    expect(otherSite.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(await sys.sql(`SELECT count(*)::int AS n FROM governance.points_entry`)).toEqual(before);
    expect(await balanceOf(li)).toBe(30);
  });

  it('50 residents redeem a reward with stock 10 at once: 10 succeed, stock 0, balances match ledgers', async () => {
    for (const r of crowd)
      dataOf(await sys.query(ADJUST, { i: { residentId: r, points: 40, reason: '参与人口普查志愿服务' } }, officerA));
    const reward = dataOf(
      await sys.query(
        ADD_REWARD,
        { i: { siteId: siteA, name: '洗衣粉一袋', kind: 'GOODS', price: 30, stock: 10 } },
        officerA,
      ),
    ).addReward;
    const tokens = await Promise.all(crowd.map((r) => tokenFor({ role: 'resident', resident: r })));
    const results = await Promise.all(tokens.map((t) => sys.query(REDEEM, { i: { rewardId: reward.id } }, t)));
    const ok = results.filter((r) => r.data?.redeemReward);
    const refused = results.filter((r) => r.errors);
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const r of refused)
      expect(r.errors![0].extensions).toMatchObject({
        code: 'CONFLICT',
        field: 'input.rewardId',
        reason: 'OUT_OF_STOCK',
      });
    const [stock] = await sys.sql(`SELECT stock FROM governance.points_reward WHERE id = $1`, [reward.id]);
    expect(stock.stock).toBe(0);
    const [counts] = await sys.sql(
      `SELECT (SELECT count(*) FROM governance.points_redemption WHERE reward_id = $1)::int AS redemptions,
              (SELECT count(*) FROM governance.points_entry e JOIN governance.points_redemption d
                ON d.id = e.redemption_id WHERE d.reward_id = $1)::int AS entries,
              (SELECT count(*) FROM governance.points_account WHERE resident_id = ANY($2::uuid[])
                AND balance = 10)::int AS spent,
              (SELECT count(*) FROM governance.points_account WHERE resident_id = ANY($2::uuid[])
                AND balance = 40)::int AS unspent`,
      [reward.id, crowd],
    );
    expect(counts).toEqual({ redemptions: 10, entries: 10, spent: 10, unspent: 40 });
    expect(await balancesMatchLedger()).toEqual([]);
  });

  it("retires a rule and restocks a reward, each audited; another site's officer can do neither", async () => {
    const rule = dataOf(
      await sys.query(RULE, { i: { siteId: siteA, action: '楼道保洁（一次）', points: 3 } }, officerA),
    ).definePointsRule;
    const reward = dataOf(
      await sys.query(
        ADD_REWARD,
        { i: { siteId: siteA, name: '毛巾一条', kind: 'GOODS', price: 5, stock: 1 } },
        officerA,
      ),
    ).addReward;
    const RETIRE = `mutation($id: ID!) { retirePointsRule(id: $id) { id } }`;
    const RESTOCK = `mutation($id: ID!, $q: Int!) { restockReward(id: $id, quantity: $q) { id stock } }`;
    expect((await sys.query(RETIRE, { id: rule.id }, officerB)).errors![0].extensions!.code).toMatch(
      /NOT_FOUND|FORBIDDEN/,
    );
    expect((await sys.query(RESTOCK, { id: reward.id, q: 5 }, officerB)).errors![0].extensions!.code).toMatch(
      /NOT_FOUND|FORBIDDEN/,
    );
    expect(await sys.audits('governance', rule.id)).toEqual([{ action: 'points_rule.define', role: 'site_officer' }]);
    dataOf(await sys.query(RETIRE, { id: rule.id }, officerA));
    expect(dataOf(await sys.query(RESTOCK, { id: reward.id, q: 5 }, officerA)).restockReward.stock).toBe(6);
    expect(await sys.audits('governance', rule.id)).toEqual([
      { action: 'points_rule.define', role: 'site_officer' },
      { action: 'points_rule.retire', role: 'site_officer' },
    ]);
    expect(await sys.audits('governance', reward.id)).toEqual([
      { action: 'points_reward.add', role: 'site_officer' },
      { action: 'points_reward.restock', role: 'site_officer' },
    ]);
  });

  it('refuses a redemption with too few points with a typed error and changes nothing', async () => {
    const reward = dataOf(
      await sys.query(
        ADD_REWARD,
        { i: { siteId: siteA, name: '电饭锅', kind: 'GOODS', price: 500, stock: 3 } },
        officerA,
      ),
    ).addReward;
    const before = await sys.sql(
      `SELECT (SELECT count(*) FROM governance.points_entry)::int AS e, (SELECT count(*)
        FROM governance.points_redemption)::int AS r, (SELECT stock FROM governance.points_reward WHERE id = $1) AS s`,
      [reward.id],
    );
    const poor = await sys.query(
      REDEEM,
      { i: { rewardId: reward.id } },
      await tokenFor({ role: 'resident', resident: res.li }),
    );
    expect(poor.data).toBeNull();
    expect(poor.errors![0]).toMatchObject({
      message: 'The reward costs 500 points; the balance is 0.',
      extensions: { code: 'CONFLICT', field: 'input.rewardId', reason: 'INSUFFICIENT_POINTS' },
    });
    const elsewhere = await sys.query(
      REDEEM,
      { i: { rewardId: reward.id } },
      await tokenFor({ role: 'resident', resident: res.other }),
    );
    expect(elsewhere.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    const after = await sys.sql(
      `SELECT (SELECT count(*) FROM governance.points_entry)::int AS e, (SELECT count(*)
        FROM governance.points_redemption)::int AS r, (SELECT stock FROM governance.points_reward WHERE id = $1) AS s`,
      [reward.id],
    );
    expect(after).toEqual(before);
  });

  it('fulfils a redemption, and cancels another with a refund entry and the stock returned', async () => {
    // A resident of its own, granted 130 points.
    const buyer = await register(place.householdIds[0], officerA, { name: '李兑换' });
    dataOf(await sys.query(ADJUST, { i: { residentId: buyer, points: 130, reason: '参与垃圾分类督导' } }, officerA));
    const reward = dataOf(
      await sys.query(
        ADD_REWARD,
        { i: { siteId: siteA, name: '理发一次', kind: 'SERVICE', price: 40, stock: 2 } },
        officerA,
      ),
    ).addReward;
    const li = await tokenFor({ role: 'resident', resident: buyer });
    const first = dataOf(await sys.query(REDEEM, { i: { rewardId: reward.id } }, li)).redeemReward;
    const second = dataOf(
      await sys.query(REDEEM, { i: { rewardId: reward.id, residentId: buyer } }, officerA),
    ).redeemReward;
    expect(second).toMatchObject({ status: 'PENDING', points: 40, reward: { name: '理发一次', stock: 0 } });
    // 积分兑换: the resident is told of each redemption, the officer's on their behalf too.
    const told = dataOf(
      await sys.query(`{ myNotifications(first: 100) { nodes { kind title } } }`, {}, li),
    ).myNotifications.nodes.filter((x: { kind: string }) => x.kind === 'POINTS_REDEEMED');
    expect(told).toEqual([
      { kind: 'POINTS_REDEEMED', title: '积分兑换成功：理发一次' },
      { kind: 'POINTS_REDEEMED', title: '积分兑换成功：理发一次' },
    ]);
    expect(await balanceOf(buyer)).toBe(50);
    const done = dataOf(
      await sys.query(
        `mutation($id: ID!) { fulfilRedemption(id: $id) { status settledAt } }`,
        { id: first.id },
        officerA,
      ),
    ).fulfilRedemption;
    expect(done.status).toBe('FULFILLED');
    const cancelled = dataOf(
      await sys.query(
        `mutation($id: ID!, $r: String!) { cancelRedemption(id: $id, reason: $r) { status cancelReason reward {
          stock } } }`,
        { id: second.id, r: '不需要了' },
        li,
      ),
    ).cancelRedemption;
    expect(cancelled).toEqual({ status: 'CANCELLED', cancelReason: '不需要了', reward: { stock: 1 } });
    expect(await balanceOf(buyer)).toBe(90);
    const again = await sys.query(
      `mutation($id: ID!, $r: String!) { cancelRedemption(id: $id, reason: $r) { status } }`,
      { id: first.id, r: '反悔' },
      officerA,
    );
    expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_PENDING' });
    const kinds = await sys.sql(
      `SELECT kind, points FROM governance.points_entry WHERE redemption_id = $1 ORDER BY id`,
      [second.id],
    );
    const audited = await sys.sql(
      `SELECT action, actor_role FROM governance.audit_log WHERE entity_type = 'points_redemption'
        AND entity_id = ANY($1) ORDER BY id`,
      [[first.id, second.id]],
    );
    // Redeemed by the resident, and by an officer on the resident's behalf: each audited like the fulfilment and the
    // cancellation.
    expect(audited).toEqual([
      { action: 'points_redemption.redeem', actor_role: 'resident' },
      { action: 'points_redemption.redeem', actor_role: 'site_officer' },
      { action: 'points_redemption.fulfil', actor_role: 'site_officer' },
      { action: 'points_redemption.cancel', actor_role: 'resident' },
    ]);
    expect(kinds).toEqual([
      { kind: 'redeem', points: -40 },
      { kind: 'refund', points: 40 },
    ]);
    const mine = dataOf(
      await sys.query(
        `query($s: ID!) { redemptions(siteId: $s) { totalCount nodes { status resident { id } } } }`,
        { s: siteA },
        li,
      ),
    ).redemptions;
    expect(mine.totalCount).toBe(2);
    expect(mine.nodes.every((n: { resident: { id: string } }) => n.resident.id === buyer)).toBe(true);
    expect(await balancesMatchLedger()).toEqual([]);
  });

  it('expires points by new entries on a clock, spent points first, never below zero', async () => {
    // Training credits 30 points that expire after 30 days.
    const completedOn = provinceDate(sys.clock.now());
    const training = (residentId: string) => ({
      enrollmentId: randomUUID(),
      courseId: randomUUID(),
      residentId,
      householdId: place.householdIds[0],
      siteId: siteA,
      completedOn,
      skill: '电工',
    });
    await deliver('training.completed', training(res.expiring));
    await deliver('training.completed', training(res.spent));
    await sys.waitForIdle();
    const reward = dataOf(
      await sys.query(
        ADD_REWARD,
        { i: { siteId: siteA, name: '食用油一桶', kind: 'GOODS', price: 20, stock: 5 } },
        officerA,
      ),
    ).addReward;
    // 30 − 20 = 10 left
    dataOf(await sys.query(REDEEM, { i: { rewardId: reward.id, residentId: res.expiring } }, officerA));
    dataOf(
      await sys.query(ADJUST, { i: { residentId: res.expiring, points: 5, reason: '清理楼道（不过期）' } }, officerA),
    ); // 15, of which 5 never expire
    dataOf(await sys.query(ADJUST, { i: { residentId: res.spent, points: -30, reason: '违规停车扣分' } }, officerA)); // 0

    const task = pointsExpiryTask(db, { now: () => new Date(sys.clock.now().getTime() + 29 * 86_400_000) });
    expect(await task.run()).toEqual({ residents: 0, points: 0 });
    const later = pointsExpiryTask(db, { now: () => new Date(sys.clock.now().getTime() + 31 * 86_400_000) });
    expect(await later.run()).toEqual({ residents: 1, points: 10 });
    expect(await later.run()).toEqual({ residents: 0, points: 0 });
    expect(await balanceOf(res.expiring)).toBe(5);
    expect(await balanceOf(res.spent)).toBe(0);
    const expiries = await sys.sql(
      `SELECT resident_id, points, balance_after FROM governance.points_entry WHERE kind = 'expire'`,
    );
    expect(expiries).toEqual([{ resident_id: res.expiring, points: -10, balance_after: 5 }]);
    expect(await balancesMatchLedger()).toEqual([]);
    // History is never edited.
    await expect(
      sys.sql(`UPDATE governance.points_entry SET points = 0 WHERE resident_id = $1`, [res.expiring]),
    ).rejects.toThrow(/append-only/);
    await expect(sys.sql(`DELETE FROM governance.points_entry WHERE resident_id = $1`, [res.expiring])).rejects.toThrow(
      /append-only/,
    );
  });

  it('shows a resident only their own ledger, officers their sites’', async () => {
    // A resident of their own with one grant, and one with 25 entries to page through.
    const reader = await register(place.householdIds[0], officerA, { name: '查账人' });
    const busy = await register(place.householdIds[0], officerA, { name: '常参加' });
    dataOf(await sys.query(ADJUST, { i: { residentId: reader, points: 5, reason: '打扫楼道' } }, officerA));
    await Promise.all(Array.from({ length: 25 }, () => deliver('activity.attended', attended(busy))));
    await sys.waitForIdle();
    const wang = await tokenFor({ role: 'resident', resident: reader });
    const own = dataOf(await sys.query(LEDGER, { r: reader }, wang)).pointsLedger;
    expect(own.totalCount).toBe(1);
    for (const q of [LEDGER, ACCOUNT]) {
      const other = await sys.query(q, { r: res.li }, wang);
      expect(other.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'residentId' });
    }
    const fromB = await sys.query(LEDGER, { r: res.li }, officerB);
    expect(fromB.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    const fromCounty = dataOf(await sys.query(LEDGER, { r: busy, first: 20 }, county)).pointsLedger;
    expect(fromCounty.totalCount).toBe(25); // 2 credits and 23 capped ones (20 a day)
    const page2 = dataOf(
      await sys.query(LEDGER, { r: busy, first: 20, after: fromCounty.endCursor }, county),
    ).pointsLedger;
    expect(page2.nodes).toHaveLength(5);
    expect(page2.endCursor).toBeNull();
    expect(new Set([...fromCounty.nodes, ...page2.nodes].map((n: { id: string }) => n.id)).size).toBe(25);
    const board = await sys.query(`query($s: ID!) { pointsLeaderboard(siteId: $s) { rank } }`, { s: siteA }, wang);
    expect(board.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('gives statements, leaderboards per site, building and grid, and monthly totals per site', async () => {
    // A building and grid of their own, with two residents and a history of every kind but expiry.
    const gridC = (
      await mk(`mutation($i: RegisterGridInput!) { registerGrid(input: $i) { id } }`, {
        siteId: siteA,
        name: '第三网格',
      })
    ).registerGrid.id;
    const buildingC = (
      await mk(`mutation($i: RegisterBuildingInput!) { registerBuilding(input: $i) { id } }`, {
        siteId: siteA,
        name: '3栋',
        gridId: gridC,
      })
    ).registerBuilding.id;
    const hhC = await household('P-301', buildingC);
    const top = await register(hhC, officerA, { relationToHead: 'HEAD', name: '张榜首' });
    const next = await register(hhC, officerA, { name: '张第二' });
    // A third of the site's board, in another building.
    const elsewhere = await register(place.householdIds[0], officerA, { name: '张别楼' });
    await mk(ADJUST, { residentId: elsewhere, points: 5, reason: '清理小广告' });
    await deliver('activity.attended', attended(top));
    await deliver('activity.attended', attended(top));
    await sys.waitForIdle();
    await mk(ADJUST, { residentId: top, points: 1_000, reason: '协助全点疫苗接种' });
    await mk(ADJUST, { residentId: top, points: -20, reason: '占用消防通道' });
    await mk(ADJUST, { residentId: next, points: 10, reason: '打扫楼道' });
    const reward = (await mk(ADD_REWARD, { siteId: siteA, name: '大米一袋', kind: 'GOODS', price: 40, stock: 2 }))
      .addReward;
    const kept = (await mk(REDEEM, { rewardId: reward.id, residentId: top })).redeemReward;
    const undone = (await mk(REDEEM, { rewardId: reward.id, residentId: top })).redeemReward;
    expect(kept.status).toBe('PENDING');
    dataOf(
      await sys.query(
        `mutation($id: ID!, $r: String!) { cancelRedemption(id: $id, reason: $r) { status } }`,
        { id: undone.id, r: '重复兑换' },
        officerA,
      ),
    );

    const today = provinceDate(sys.clock.now());
    const st = dataOf(
      await sys.query(
        `query($r: ID!, $f: String!, $t: String!) { pointsStatement(residentId: $r, from: $f, to: $t) {
          opening closing credited granted deducted redeemed refunded expired entries { kind } } }`,
        { r: top, f: today, t: today },
        await tokenFor({ role: 'resident', resident: top }),
      ),
    ).pointsStatement;
    // 20 credited (two attendances), +1,000, −20, 2 × −40 redeemed, +40 refunded.
    expect(st).toMatchObject({
      opening: 0,
      closing: 960,
      credited: 20,
      granted: 1_000,
      deducted: 20,
      redeemed: 80,
      refunded: 40,
      expired: 0,
    });
    expect(st.entries).toHaveLength(7);

    const BOARD = `query($s: ID!, $b: ID, $g: ID, $m: String) { pointsLeaderboard(siteId: $s, buildingId: $b,
      gridId: $g, month: $m, first: 3) { rank score balance resident { name } } }`;
    const site = dataOf(await sys.query(BOARD, { s: siteA }, officerA)).pointsLeaderboard;
    expect(site[0]).toEqual({ rank: 1, score: 1_000, balance: 960, resident: { name: '张榜首' } });
    expect(site).toHaveLength(3);
    const building = dataOf(await sys.query(BOARD, { s: siteA, b: buildingC }, officerA)).pointsLeaderboard;
    expect(building).toEqual([
      { rank: 1, score: 1_000, balance: 960, resident: { name: '张榜首' } },
      { rank: 2, score: 10, balance: 10, resident: { name: '张第二' } },
    ]);
    const grid = dataOf(await sys.query(BOARD, { s: siteA, g: gridC }, officerA)).pointsLeaderboard;
    expect(grid).toEqual(building);
    const month = provinceMonth(sys.clock.now());
    const monthly = dataOf(await sys.query(BOARD, { s: siteA, b: buildingC, m: month }, officerA)).pointsLeaderboard;
    expect(monthly.map((r: { score: number }) => r.score)).toEqual([1_000, 10]);

    const totals = dataOf(
      await sys.query(
        `query($f: String!, $t: String!) { pointsMonthlyTotals(fromMonth: $f, toMonth: $t) {
          siteId month credited granted deducted redeemed refunded expired net residentsCredited } }`,
        { f: month, t: month },
        county,
      ),
    ).pointsMonthlyTotals;
    const [expected] = await sys.sql(
      `SELECT coalesce(sum(points) FILTER (WHERE kind = 'credit'), 0)::int AS credited, coalesce(sum(points),
        0)::int AS net,
              count(DISTINCT resident_id) FILTER (WHERE kind = 'credit')::int AS residents FROM governance.points_entry
        WHERE site_id = $1 AND kind <> 'expire' AND occurred_at >= $2 AND occurred_at < $3`,
      [siteA, startOfProvinceMonth(month), startOfProvinceMonth(addMonths(month, 1))],
    );
    const row = totals.find((t: { siteId: string }) => t.siteId === siteA);
    expect(row).toMatchObject({ month, credited: expected.credited, net: expected.net, expired: 0 });
    expect(expected.residents).toBeGreaterThan(0); // 张榜首 at least
    expect(row.residentsCredited).toBe(expected.residents);
  });
});
