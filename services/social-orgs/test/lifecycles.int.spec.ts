import { randomUUID } from 'node:crypto';
import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { overdueReferralsTask } from '../src/casework/overdue-referrals.task';
import {
  errorOf,
  dayIn,
  inDays,
  knownResidents,
  knownSite,
  registerOrganization,
  twoOrganizations,
  type Orgs,
} from './fixtures';

/** Incubation (孵化), social workers (进、管、考、出), casework and referrals with the overdue check. */
describe('lifecycles: incubation, social workers, casework', () => {
  let sys: TestSystem;
  let o: Orgs;
  let site: string;
  const direct = (q: string, v: Record<string, unknown>, t: string) => sys.direct('social-orgs', q, v, t);
  const counts = () =>
    sys.sql(`SELECT (SELECT count(*) FROM social_orgs.incubation_step)::int AS i, (SELECT count(*)
      FROM social_orgs.worker_assessment)::int AS x,
    (SELECT count(*) FROM social_orgs.worker_feedback)::int AS f, (SELECT count(*) FROM social_orgs.referral)::int AS r,
    (SELECT json_agg(stage ORDER BY id) FROM social_orgs.organization) AS stages, (SELECT json_agg(status ORDER BY id)
      FROM social_orgs.social_worker) AS ws`);

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'so-lifecycles', workers: ['social-orgs'] });
    o = await twoOrganizations(sys);
    site = await knownSite(sys);
  });
  afterAll(() => sys?.stop());

  describe('incubation (孵化)', () => {
    const ADVANCE = `mutation($i: AdvanceIncubationInput!) { advanceIncubation(input: $i) {
      id stage creditCode incubationHistory { from to support fundingYuan recordedAt } } }`;

    it('moves applied → incubating → registered → graduated, support recorded; the NGO sees its history', async () => {
      dataOf(
        await sys.query(
          ADVANCE,
          {
            i: { organizationId: o.orgA, to: 'INCUBATING', support: '孵化基地场地、能力建设培训', fundingYuan: 50000 },
          },
          o.county,
        ),
      );
      // Registering needs the credit code.
      const noCode = await sys.query(
        ADVANCE,
        { i: { organizationId: o.orgA, to: 'REGISTERED', support: '协助登记' } },
        o.county,
      );
      expect(errorOf(noCode)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.creditCode', reason: 'REQUIRED' });
      dataOf(
        await sys.query(
          ADVANCE,
          {
            i: { organizationId: o.orgA, to: 'REGISTERED', support: '协助民政登记', creditCode: '52530102MJ0000001X' },
          },
          o.county,
        ),
      );
      const done = dataOf(
        await sys.query(
          ADVANCE,
          { i: { organizationId: o.orgA, to: 'GRADUATED', support: '出壳评估通过' } },
          o.province,
        ),
      ).advanceIncubation;
      expect(done).toMatchObject({ stage: 'GRADUATED', creditCode: '52530102MJ0000001X' });
      expect(done.incubationHistory.map((s: { from: string; to: string }) => `${s.from}>${s.to}`)).toEqual([
        'APPLIED>INCUBATING',
        'INCUBATING>REGISTERED',
        'REGISTERED>GRADUATED',
      ]);
      expect(done.incubationHistory[0].fundingYuan).toBe(50000);
      const own = dataOf(
        await direct(
          `query($id: ID!) { organization(id: $id) { stage incubationHistory { to } } }`,
          { id: o.orgA },
          o.ngoA,
        ),
      ).organization;
      expect(own.incubationHistory).toHaveLength(3);
    });

    it('refuses a transition the lifecycle does not allow, typed, and writes nothing', async () => {
      // An organization of its own that graduated, to be refused a way back.
      const graduated = await registerOrganization(sys, o.province, '新芽社工服务中心', 'PROFESSIONAL');
      for (const [to, creditCode] of [['INCUBATING'], ['REGISTERED', '52530102MJ0000003X'], ['GRADUATED']])
        dataOf(
          await sys.query(ADVANCE, { i: { organizationId: graduated, to, support: '孵化', creditCode } }, o.province),
        );
      const before = await counts();
      for (const [org, to] of [
        [o.orgB, 'REGISTERED'],
        [o.orgB, 'GRADUATED'],
        [o.orgB, 'APPLIED'],
        [graduated, 'INCUBATING'],
      ]) {
        const res = await sys.query(
          ADVANCE,
          { i: { organizationId: org, to, support: '跳级', creditCode: '52530102MJ0000002X' } },
          o.county,
        );
        expect(res.data).toBeNull();
        expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.to', reason: 'INVALID_TRANSITION' });
      }
      expect(
        errorOf(
          await sys.query(ADVANCE, { i: { organizationId: o.orgB, to: 'INCUBATING', support: '外地' } }, o.otherCounty),
        ),
      ).toMatchObject({ code: 'NOT_FOUND' });
      expect(await counts()).toEqual(before);
    });
  });

  describe('social workers (进、管、考、出)', () => {
    const HIRE = `mutation($i: HireSocialWorkerInput!) { hireSocialWorker(input: $i) {
      id status qualification siteIds organization { id } } }`;
    const ASSESS = `mutation($i: AssessSocialWorkerInput!) { assessSocialWorker(input: $i) { period score } }`;

    it('enters, is assigned, assessed, rated by residents and exits with a reason', async () => {
      const w = dataOf(
        await direct(
          HIRE,
          {
            i: {
              name: '陈社工',
              qualification: 'ASSISTANT_SOCIAL_WORKER',
              certificateNumber: 'A-2026-01',
              joinedOn: '2026-02-01',
            },
          },
          o.ngoA,
        ),
      ).hireSocialWorker;
      expect(w).toMatchObject({ status: 'ACTIVE', siteIds: [], organization: { id: o.orgA } });
      const assigned = dataOf(
        await sys.query(
          `mutation($id: ID!, $s: [ID!]!) { assignSocialWorkerSites(workerId: $id, siteIds: $s) { siteIds } }`,
          { id: w.id, s: [site, site] },
          o.ngoA,
        ),
      );
      expect(assigned.assignSocialWorkerSites.siteIds).toEqual([site]);
      dataOf(await direct(ASSESS, { i: { workerId: w.id, period: '2026-Q2', score: 78 } }, o.county));
      dataOf(
        await direct(
          ASSESS,
          { i: { workerId: w.id, period: '2026-Q3', score: 92.5, comments: '入户走访扎实' } },
          o.ngoA,
        ),
      );
      const dup = await direct(ASSESS, { i: { workerId: w.id, period: '2026-Q3', score: 50 } }, o.ngoA);
      expect(errorOf(dup)).toMatchObject({ code: 'CONFLICT', field: 'input.period' });
      // A resident of the site rates the worker; one elsewhere cannot.
      const me = randomUUID();
      dataOf(
        await sys.query(
          `mutation($i: SocialWorkerFeedbackInput!) { giveSocialWorkerFeedback(input: $i) { rating } }`,
          { i: { workerId: w.id, rating: 5, comment: '很耐心' } },
          await tokenFor({ role: 'resident', resident: me, sites: [site] }),
        ),
      );
      const [neighbour] = await knownResidents(sys, site, 1);
      dataOf(
        await direct(
          `mutation($i: SocialWorkerFeedbackInput!) { giveSocialWorkerFeedback(input: $i) { rating } }`,
          { i: { workerId: w.id, residentId: neighbour, rating: 4 } },
          o.ngoA,
        ),
      );
      const far = await sys.query(
        `mutation($i: SocialWorkerFeedbackInput!) { giveSocialWorkerFeedback(input: $i) { rating } }`,
        { i: { workerId: w.id, rating: 1 } },
        await tokenFor({ role: 'resident', resident: randomUUID(), sites: [randomUUID()] }),
      );
      expect(errorOf(far)).toMatchObject({ code: 'NOT_FOUND' });
      const seen = dataOf(
        await direct(
          `query($id: ID!) { socialWorker(id: $id) { averageScore averageRating assessments {
            period score comments } feedback { rating comment } } }`,
          { id: w.id },
          o.ngoA,
        ),
      ).socialWorker;
      expect(seen).toMatchObject({ averageScore: 85.25, averageRating: 4.5 });
      expect(seen.assessments.map((a: { period: string }) => a.period)).toEqual(['2026-Q2', '2026-Q3']);

      const exited = dataOf(
        await direct(
          `mutation($i: ExitSocialWorkerInput!) { exitSocialWorker(input: $i) { status exitedOn exitReason siteIds } }`,
          { i: { workerId: w.id, exitedOn: '2026-11-20', reason: '合同期满，调往他县' } },
          o.ngoA,
        ),
      ).exitSocialWorker;
      expect(exited).toEqual({
        status: 'EXITED',
        exitedOn: '2026-11-20',
        exitReason: '合同期满，调往他县',
        siteIds: [],
      });
      const before = await counts();
      const twice = await direct(
        `mutation($i: ExitSocialWorkerInput!) { exitSocialWorker(input: $i) { status } }`,
        { i: { workerId: w.id, exitedOn: '2026-11-21', reason: 'x' } },
        o.ngoA,
      );
      expect(errorOf(twice)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' });
      const late = await direct(ASSESS, { i: { workerId: w.id, period: '2026-Q4', score: 70 } }, o.ngoA);
      expect(errorOf(late)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' });
      expect(await counts()).toEqual(before);
      // Every write left one audit row, with who did it; the log refuses changes.
      const trail = await sys.sql(
        `SELECT action, actor_role, organization_id FROM social_orgs.audit_log WHERE entity_id = $1 ORDER BY id`,
        [w.id],
      );
      expect(trail.map((t) => `${t.action}/${t.actor_role}`)).toEqual([
        'social_worker.hire/ngo_member',
        'social_worker.assign_sites/ngo_member',
        'social_worker.assess/county',
        'social_worker.assess/ngo_member',
        'social_worker.feedback/resident',
        'social_worker.feedback/ngo_member',
        'social_worker.exit/ngo_member',
      ]);
      expect(new Set(trail.map((t) => t.organization_id))).toEqual(new Set([o.orgA]));
      await expect(
        sys.sql(`UPDATE social_orgs.audit_log SET action = 'x' WHERE entity_id = $1`, [w.id]),
      ).rejects.toThrow(/append-only/);
      await expect(sys.sql(`DELETE FROM social_orgs.audit_log WHERE entity_id = $1`, [w.id])).rejects.toThrow(
        /append-only/,
      );
      const active = dataOf(
        await direct(
          `{ socialWorkers(status: ACTIVE) { totalCount } exited: socialWorkers(status: EXITED) { totalCount } }`,
          {},
          o.ngoA,
        ),
      );
      expect(active.exited.totalCount).toBe(1);
    });

    it('refuses scores outside 0–100 and other bad input, typed, writing nothing', async () => {
      const w = dataOf(
        await direct(HIRE, { i: { name: '刘社工', qualification: 'NONE', joinedOn: '2026-05-01' } }, o.ngoB),
      ).hireSocialWorker;
      const before = await counts();
      for (const score of [-1, 100.5, 1000]) {
        const res = await direct(ASSESS, { i: { workerId: w.id, period: '2026-Q3', score } }, o.ngoB);
        expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.score', reason: 'RANGE' });
      }
      expect(errorOf(await direct(ASSESS, { i: { workerId: w.id, period: 'Q3', score: 80 } }, o.ngoB))).toMatchObject({
        field: 'input.period',
        reason: 'FORMAT',
      });
      expect(
        errorOf(
          await direct(
            `mutation($i: SocialWorkerFeedbackInput!) { giveSocialWorkerFeedback(input: $i) { rating } }`,
            { i: { workerId: w.id, rating: 6 } },
            o.ngoB,
          ),
        ),
      ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.rating' });
      expect(
        errorOf(
          await direct(HIRE, { i: { name: '无证', qualification: 'SOCIAL_WORKER', joinedOn: '2026-05-01' } }, o.ngoB),
        ),
      ).toMatchObject({ field: 'input.certificateNumber', reason: 'REQUIRED' });
      expect(
        errorOf(await direct(HIRE, { i: { name: '日期', qualification: 'NONE', joinedOn: '2026-02-30' } }, o.ngoB)),
      ).toMatchObject({ field: 'input.joinedOn', reason: 'FORMAT' });
      expect(
        errorOf(
          await direct(
            `mutation($i: ExitSocialWorkerInput!) { exitSocialWorker(input: $i) { status } }`,
            { i: { workerId: w.id, exitedOn: '2026-01-01', reason: '早退' } },
            o.ngoB,
          ),
        ),
      ).toMatchObject({ field: 'input.exitedOn', reason: 'ORDER' });
      expect(await counts()).toEqual(before);
    });
  });

  describe('casework and referrals (社会支持网络)', () => {
    const OPEN = `mutation($i: OpenCaseInput!) { openCase(input: $i) { id status } }`;
    const REFER = `mutation($i: ReferCaseInput!) { referCase(input: $i) { id agency dueOn outcome overdueSince } }`;
    /** The hourly task, run against this test's database with a clock the test controls. */
    const taskAt = (now: Date) => ({
      run: async () => {
        const { DataSource } = await import('typeorm');
        const ds = new DataSource({
          type: 'postgres',
          url: sys.db.url,
          schema: 'social_orgs',
          extra: { options: '-c search_path=social_orgs' },
        });
        await ds.initialize();
        try {
          return await overdueReferralsTask(ds, { clock: { now: () => now } }).run();
        } finally {
          await ds.destroy();
        }
      },
    });

    it('refers a family to agencies, flags overdue ones on schedule, records outcomes, closes the case', async () => {
      const kase = dataOf(
        await direct(OPEN, { i: { kind: 'MUTUAL_AID_GROUP', title: '3栋邻里互助小组', siteId: site } }, o.ngoA),
      ).openCase;
      const civil = dataOf(
        await direct(
          REFER,
          { i: { caseId: kase.id, agency: 'CIVIL_AFFAIRS', reason: '低保资格复核', dueOn: dayIn(sys.clock, 2) } },
          o.ngoA,
        ),
      ).referCase;
      const youth = dataOf(
        await sys.query(
          REFER,
          { i: { caseId: kase.id, agency: 'YOUTH_LEAGUE', reason: '青少年课后托管', dueOn: dayIn(sys.clock, 20) } },
          o.ngoA,
        ),
      ).referCase;
      const done = dataOf(
        await direct(
          REFER,
          { i: { caseId: kase.id, agency: 'TRADE_UNION', reason: '务工权益', dueOn: dayIn(sys.clock, 1) } },
          o.ngoA,
        ),
      ).referCase;
      dataOf(
        await direct(
          `mutation($id: ID!) { recordReferralOutcome(referralId: $id, outcome: "工会已介入，工资已追回") { outcome } }`,
          { id: done.id },
          o.ngoA,
        ),
      );
      const bCase = dataOf(
        await direct(OPEN, { i: { kind: 'FAMILY_THERAPY', title: 'B 的个案', siteId: site } }, o.ngoB),
      ).openCase;
      const bRef = dataOf(
        await direct(
          REFER,
          { i: { caseId: bCase.id, agency: 'JUSTICE', reason: '法律咨询', dueOn: dayIn(sys.clock, 1) } },
          o.ngoB,
        ),
      ).referCase;

      // Today nothing is overdue.
      expect(await taskAt(sys.clock.now()).run()).toEqual({ flagged: 0 });
      // Five days on: the civil-affairs referral (due in 2 days) and B's are overdue; the one with an outcome and the
      // one due in 20 days are not.
      const later = new Date(sys.clock.now().getTime() + 5 * 86_400_000);
      expect(await taskAt(later).run()).toEqual({ flagged: 2 });
      expect(await taskAt(later).run()).toEqual({ flagged: 0 });
      const flaggedTrail = await sys.sql(
        `SELECT entity_id FROM social_orgs.audit_log WHERE action = 'referral.flag_overdue' ORDER BY entity_id`,
      );
      expect(flaggedTrail.map((t) => t.entity_id)).toEqual([civil.id, bRef.id].sort());
      const overdueA = dataOf(
        await direct(`{ overdueReferrals { totalCount nodes { id agency overdueSince case { id } } } }`, {}, o.ngoA),
      ).overdueReferrals;
      expect(overdueA).toMatchObject({
        totalCount: 1,
        nodes: [{ id: civil.id, agency: 'CIVIL_AFFAIRS', overdueSince: later.toISOString(), case: { id: kase.id } }],
      });
      const overdueB = dataOf(await sys.query(`{ overdueReferrals { nodes { id } } }`, {}, o.ngoB)).overdueReferrals;
      expect(overdueB.nodes).toEqual([{ id: bRef.id }]);
      expect(
        dataOf(await sys.query(`{ overdueReferrals { totalCount } }`, {}, o.county)).overdueReferrals.totalCount,
      ).toBe(2);

      // Closing waits for every outcome.
      const early = await direct(
        `mutation($id: ID!) { closeCase(caseId: $id, summary: "结案") { status } }`,
        { id: kase.id },
        o.ngoA,
      );
      expect(errorOf(early)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'OPEN_REFERRALS' });
      for (const id of [civil.id, youth.id])
        dataOf(
          await direct(
            `mutation($id: ID!) { recordReferralOutcome(referralId: $id, outcome: "已办结") { id } }`,
            { id },
            o.ngoA,
          ),
        );
      const again = await direct(
        `mutation($id: ID!) { recordReferralOutcome(referralId: $id, outcome: "再次") { id } }`,
        { id: civil.id },
        o.ngoA,
      );
      expect(errorOf(again)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' });
      expect(dataOf(await direct(`{ overdueReferrals { totalCount } }`, {}, o.ngoA)).overdueReferrals.totalCount).toBe(
        0,
      );
      const closed = dataOf(
        await direct(
          `mutation($id: ID!) { closeCase(caseId: $id, summary: "互助小组常态化运行") { status closingSummary referrals {
            outcome } } }`,
          { id: kase.id },
          o.ngoA,
        ),
      ).closeCase;
      expect(closed).toMatchObject({ status: 'CLOSED', closingSummary: '互助小组常态化运行' });
      const late = await direct(
        REFER,
        { i: { caseId: kase.id, agency: 'JUSTICE', reason: 'x', dueOn: dayIn(sys.clock, 3) } },
        o.ngoA,
      );
      expect(errorOf(late)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' });
    });

    it('refuses bad referrals typed and writes nothing', async () => {
      const kase = dataOf(
        await direct(OPEN, { i: { kind: 'INDIVIDUAL_SUPPORT', title: '个案', siteId: site } }, o.ngoA),
      ).openCase;
      const before = await counts();
      expect(
        errorOf(
          await direct(REFER, { i: { caseId: kase.id, agency: 'JUSTICE', reason: 'x', dueOn: '2020-01-01' } }, o.ngoA),
        ),
      ).toMatchObject({ field: 'input.dueOn', reason: 'PAST' });
      expect(
        errorOf(
          await direct(
            REFER,
            { i: { caseId: kase.id, agency: 'JUSTICE', reason: ' ', dueOn: dayIn(sys.clock, 3) } },
            o.ngoA,
          ),
        ),
      ).toMatchObject({ field: 'input.reason' });
      expect(
        errorOf(
          await direct(
            REFER,
            { i: { caseId: kase.id, agency: 'POLICE', reason: 'x', dueOn: dayIn(sys.clock, 3) } },
            o.ngoA,
          ),
        )?.code,
      ).toBe('BAD_USER_INPUT');
      expect(await counts()).toEqual(before);
    });

    it('registers the overdue check as a job scheduler of the worker (schedules on, in its own system)', async () => {
      // Test systems keep schedules off so nothing fires on the wall clock; this test is about the scheduler.
      const own = await TestSystem.start({
        label: 'so-schedules',
        apis: [],
        workers: ['social-orgs'],
        gateway: false,
        env: { SCHEDULES_ENABLED: 'true' },
      });
      // The worker's schedules queue, opened like the inbox queue the testing kit hands out (same connection and
      // prefix).
      const inbox = own.queue('social-orgs');
      const Schedules = inbox.constructor as new (name: string, opts: typeof inbox.opts) => typeof inbox;
      const schedules = new Schedules('social-orgs.schedules', inbox.opts);
      // …while this file's system, like every test system, registered none.
      const mainInbox = sys.queue('social-orgs');
      const mainSchedules = new Schedules('social-orgs.schedules', mainInbox.opts);
      try {
        const ids = (await schedules.getJobSchedulers()).map((s) => s.key);
        expect(ids).toContain('referrals.flag-overdue');
        expect(await mainSchedules.getJobSchedulers()).toEqual([]);
      } finally {
        await Promise.all([schedules.close(), inbox.close(), mainSchedules.close(), mainInbox.close()]);
        await own.stop();
      }
    });
  });
});
