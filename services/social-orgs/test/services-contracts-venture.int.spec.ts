import { randomUUID } from 'node:crypto';
import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { aidFund, errorOf, dayIn, inDays, twoOrganizations, type Orgs } from './fixtures';

/** Micro-services (微服务), purchase-of-service contracts (购买服务) and venture projects (公益创投), scoped per organization. */
describe('micro-services, contracts and venture projects', () => {
  let sys: TestSystem;
  let o: Orgs;
  let fund: string;
  const site = randomUUID();
  const direct = (q: string, v: Record<string, unknown>, t: string) => sys.direct('social-orgs', q, v, t);
  const entities = (reps: { __typename: string; id: string }[], token: string) =>
    direct(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on MicroService { id } ... on ServiceContract {
        id } ... on VentureCall { id } ... on VentureApplication { id } } }`,
      { r: reps },
      token,
    );

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'so-money', workers: [] });
    o = await twoOrganizations(sys);
    fund = await aidFund(sys, o.county);
  });
  afterAll(() => sys?.stop());

  describe('micro-services (微服务)', () => {
    const CREATE = `mutation($i: CreateMicroServiceInput!) { createMicroService(input: $i) {
      id kind weekdays startTime endTime capacity runnerName runner { id } active organizationName } }`;
    const base = {
      siteId: site,
      kind: 'AFTER_SCHOOL_CLASS',
      name: '四点半课堂',
      weekdays: [5, 1, 3],
      startTime: '16:30',
      endTime: '18:30',
      capacity: 30,
    };

    it('runs at a site with schedule, capacity and who runs it; residents of the site see it, NGO B not', async () => {
      const worker = dataOf(
        await direct(
          `mutation($i: HireSocialWorkerInput!) { hireSocialWorker(input: $i) { id } }`,
          { i: { name: '周老师', qualification: 'NONE', joinedOn: '2026-01-05' } },
          o.ngoA,
        ),
      ).hireSocialWorker;
      const ms = dataOf(await direct(CREATE, { i: { ...base, runnerWorkerId: worker.id } }, o.ngoA)).createMicroService;
      expect(ms).toMatchObject({
        kind: 'AFTER_SCHOOL_CLASS',
        weekdays: [1, 3, 5],
        startTime: '16:30',
        capacity: 30,
        runnerName: '周老师',
        runner: { id: worker.id },
        active: true,
      });
      const market = dataOf(
        await sys.query(
          CREATE,
          {
            i: {
              ...base,
              organizationId: o.orgB,
              kind: 'MICRO_MARKET',
              name: '积分微超市',
              weekdays: [6],
              startTime: '09:00',
              endTime: '12:00',
              capacity: 50,
              runnerName: '楼栋长 杨师傅',
            },
          },
          o.county,
        ),
      ).createMicroService;
      const resident = await tokenFor({ role: 'resident', resident: randomUUID(), sites: [site] });
      const seen = dataOf(
        await sys.query(`{ microServices { totalCount nodes { id name runnerName runner { id } } } }`, {}, resident),
      ).microServices;
      expect(seen.totalCount).toBe(2);
      expect(seen.nodes.find((n: { id: string }) => n.id === ms.id).runner).toBeNull();
      expect(dataOf(await direct(`{ microServices { nodes { id } } }`, {}, o.ngoB)).microServices.nodes).toEqual([
        { id: market.id },
      ]);
      const ents = dataOf(
        await entities(
          [
            { __typename: 'MicroService', id: ms.id },
            { __typename: 'MicroService', id: market.id },
          ],
          o.ngoA,
        ),
      )._entities;
      expect(ents).toEqual([{ id: ms.id }, null]);
      // Pause it; residents no longer see it.
      const paused = dataOf(
        await direct(
          `mutation($id: ID!, $i: UpdateMicroServiceInput!) { updateMicroService(id: $id, input: $i) {
            active capacity } }`,
          {
            id: ms.id,
            i: {
              name: '四点半课堂',
              weekdays: [1],
              startTime: '16:30',
              endTime: '18:00',
              capacity: 20,
              runnerWorkerId: worker.id,
              active: false,
            },
          },
          o.ngoA,
        ),
      ).updateMicroService;
      expect(paused).toEqual({ active: false, capacity: 20 });
      expect(dataOf(await sys.query(`{ microServices { totalCount } }`, {}, resident)).microServices.totalCount).toBe(
        1,
      );
      const cross = await direct(
        `mutation($id: ID!, $i: UpdateMicroServiceInput!) { updateMicroService(id: $id, input: $i) { id } }`,
        {
          id: market.id,
          i: {
            name: 'x',
            weekdays: [1],
            startTime: '09:00',
            endTime: '10:00',
            capacity: 1,
            runnerName: 'x',
            active: false,
          },
        },
        o.ngoA,
      );
      expect(errorOf(cross)).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('refuses bad schedules and a runner from another organization, writing nothing', async () => {
      const bWorker = dataOf(
        await direct(
          `mutation($i: HireSocialWorkerInput!) { hireSocialWorker(input: $i) { id } }`,
          { i: { name: 'B社工', qualification: 'NONE', joinedOn: '2026-01-05' } },
          o.ngoB,
        ),
      ).hireSocialWorker;
      const [{ n: before }] = await sys.sql(`SELECT count(*)::int AS n FROM social_orgs.micro_service`);
      const bad = async (i: Record<string, unknown>) =>
        errorOf(await direct(CREATE, { i: { ...base, runnerName: '某人', ...i } }, o.ngoA));
      expect(await bad({ weekdays: [0, 8] })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.weekdays' });
      expect(await bad({ weekdays: [] })).toMatchObject({ field: 'input.weekdays' });
      expect(await bad({ startTime: '25:00' })).toMatchObject({ field: 'input.startTime', reason: 'FORMAT' });
      expect(await bad({ endTime: '16:00' })).toMatchObject({ field: 'input.endTime', reason: 'ORDER' });
      expect(await bad({ capacity: 0 })).toMatchObject({ field: 'input.capacity' });
      expect(await bad({ runnerName: null })).toMatchObject({ field: 'input.runnerName' });
      expect(await bad({ runnerWorkerId: bWorker.id })).toMatchObject({
        field: 'input.runnerWorkerId',
        reason: 'WRONG_WORKER',
      });
      expect((await sys.sql(`SELECT count(*)::int AS n FROM social_orgs.micro_service`))[0].n).toBe(before);
    });
  });

  describe('purchase-of-service contracts (购买服务)', () => {
    const SIGN = `mutation($i: SignServiceContractInput!) { signServiceContract(input: $i) {
      id status budgetYuan milestones { id title dueOn } } }`;
    const sign = (org: string, extra: Record<string, unknown> = {}) => ({
      i: {
        organizationId: org,
        title: '2026年安置点社会工作服务项目',
        purchaser: '五华区民政局',
        budgetYuan: 200000,
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        deliverables: ['个案服务 40 个', '小组活动 12 次'],
        milestones: [
          { title: '中期报告', dueOn: '2026-06-30' },
          { title: '结项报告', dueOn: '2026-12-15' },
        ],
        ...extra,
      },
    });

    it('runs from signature through evidence, acceptance, payments to the rating; NGO B sees none of it', async () => {
      const c = dataOf(await sys.query(SIGN, sign(o.orgA), o.county)).signServiceContract;
      expect(c).toMatchObject({ status: 'ACTIVE', budgetYuan: 200000 });
      const [m1, m2] = c.milestones;
      // The NGO cannot sign for itself, nor accept its own milestones, nor pay itself.
      expect(errorOf(await direct(SIGN, sign(o.orgA), o.ngoA))).toMatchObject({ code: 'FORBIDDEN' });
      const noEvidence = await sys.query(
        `mutation($id: ID!) { acceptMilestone(milestoneId: $id) { id } }`,
        { id: m1.id },
        o.county,
      );
      expect(errorOf(noEvidence)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NO_EVIDENCE' });
      dataOf(
        await direct(
          `mutation($id: ID!) { submitMilestoneEvidence(milestoneId: $id,
            evidence: "中期报告及签到表: https://example.org/r1") { id } }`,
          { id: m1.id },
          o.ngoA,
        ),
      );
      expect(
        errorOf(await direct(`mutation($id: ID!) { acceptMilestone(milestoneId: $id) { id } }`, { id: m1.id }, o.ngoA)),
      ).toMatchObject({ code: 'FORBIDDEN' });
      dataOf(
        await sys.query(`mutation($id: ID!) { acceptMilestone(milestoneId: $id) { id } }`, { id: m1.id }, o.county),
      );
      const paid = dataOf(
        await sys.query(
          `mutation($i: RecordContractPaymentInput!) { recordContractPayment(input: $i) { paidYuan payments {
            amountYuan milestoneId } } }`,
          { i: { contractId: c.id, fundId: fund, amountYuan: 120000, paidOn: '2026-07-10', milestoneId: m1.id } },
          o.county,
        ),
      ).recordContractPayment;
      expect(paid).toEqual({ paidYuan: 120000, payments: [{ amountYuan: 120000, milestoneId: m1.id }] });
      const over = await sys.query(
        `mutation($i: RecordContractPaymentInput!) { recordContractPayment(input: $i) { id } }`,
        { i: { contractId: c.id, fundId: fund, amountYuan: 80000.01, paidOn: '2026-12-20' } },
        o.county,
      );
      expect(errorOf(over)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amountYuan', reason: 'OVER_BUDGET' });
      const early = await sys.query(
        `mutation($id: ID!) { rateServiceContract(contractId: $id, score: 90) { id } }`,
        { id: c.id },
        o.county,
      );
      expect(errorOf(early)).toMatchObject({ code: 'CONFLICT', reason: 'OPEN_MILESTONES' });
      dataOf(
        await direct(
          `mutation($id: ID!) { submitMilestoneEvidence(milestoneId: $id, evidence: "结项报告") { id } }`,
          { id: m2.id },
          o.ngoA,
        ),
      );
      dataOf(
        await sys.query(`mutation($id: ID!) { acceptMilestone(milestoneId: $id) { id } }`, { id: m2.id }, o.county),
      );
      expect(
        errorOf(
          await sys.query(
            `mutation($id: ID!) { rateServiceContract(contractId: $id, score: 101) { id } }`,
            { id: c.id },
            o.county,
          ),
        ),
      ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'score', reason: 'RANGE' });
      const rated = dataOf(
        await sys.query(
          `mutation($id: ID!) { rateServiceContract(contractId: $id, score: 86.5) { status finalScore finalGrade } }`,
          { id: c.id },
          o.county,
        ),
      ).rateServiceContract;
      expect(rated).toEqual({ status: 'COMPLETED', finalScore: 86.5, finalGrade: 'A' });
      const after = await sys.query(
        `mutation($i: RecordContractPaymentInput!) { recordContractPayment(input: $i) { id } }`,
        { i: { contractId: c.id, fundId: fund, amountYuan: 1, paidOn: '2026-12-31' } },
        o.county,
      );
      expect(errorOf(after)).toMatchObject({ reason: 'INVALID_TRANSITION' });

      // The NGO reads its own contract, straight and through the gateway; NGO B reads nothing of it by any path.
      const READ = `query($id: ID!) { serviceContract(id: $id) { id finalGrade milestones {
        acceptedAt } } serviceContracts { totalCount } }`;
      expect(dataOf(await direct(READ, { id: c.id }, o.ngoA)).serviceContract).toMatchObject({
        id: c.id,
        finalGrade: 'A',
      });
      for (const res of [await direct(READ, { id: c.id }, o.ngoB), await sys.query(READ, { id: c.id }, o.ngoB)]) {
        expect(dataOf(res)).toEqual({ serviceContract: null, serviceContracts: { totalCount: 0 } });
      }
      expect(dataOf(await entities([{ __typename: 'ServiceContract', id: c.id }], o.ngoB))._entities).toEqual([null]);
      expect(dataOf(await entities([{ __typename: 'ServiceContract', id: c.id }], o.ngoA))._entities).toEqual([
        { id: c.id },
      ]);
      expect(
        errorOf(
          await direct(
            `mutation($id: ID!) { submitMilestoneEvidence(milestoneId: $id, evidence: "冒充") { id } }`,
            { id: m1.id },
            o.ngoB,
          ),
        ),
      ).toMatchObject({ code: 'NOT_FOUND' });
      // Audited: every step that happened, by whom; none of the refused ones.
      const evidenceAndAcceptance = [
        { action: 'contract.milestone_evidence', role: 'ngo_member' },
        { action: 'contract.milestone_accept', role: 'county' },
      ];
      expect(await sys.audits('social-orgs', c.id)).toEqual([
        { action: 'contract.sign', role: 'county' },
        ...evidenceAndAcceptance,
        { action: 'contract.payment', role: 'county' },
        ...evidenceAndAcceptance,
        { action: 'contract.rate', role: 'county' },
      ]);
    });

    it('refuses bad contracts typed and writes nothing', async () => {
      const [{ n: before }] = await sys.sql(`SELECT count(*)::int AS n FROM social_orgs.service_contract`);
      expect(errorOf(await sys.query(SIGN, sign(o.orgA, { budgetYuan: 0 }), o.county))).toMatchObject({
        field: 'input.budgetYuan',
      });
      expect(errorOf(await sys.query(SIGN, sign(o.orgA, { endsOn: '2025-12-31' }), o.county))).toMatchObject({
        field: 'input.endsOn',
        reason: 'ORDER',
      });
      expect(errorOf(await sys.query(SIGN, sign(o.orgA, { deliverables: [] }), o.county))).toMatchObject({
        field: 'input.deliverables',
      });
      expect(
        errorOf(
          await sys.query(SIGN, sign(o.orgA, { milestones: [{ title: '越界', dueOn: '2027-01-10' }] }), o.county),
        ),
      ).toMatchObject({ field: 'input.milestones.0.dueOn', reason: 'OUT_OF_PERIOD' });
      expect(errorOf(await sys.query(SIGN, sign(o.orgA), o.otherCounty))).toMatchObject({ code: 'NOT_FOUND' });
      expect((await sys.sql(`SELECT count(*)::int AS n FROM social_orgs.service_contract`))[0].n).toBe(before);
    });
  });

  describe('public-interest venture projects (公益创投)', () => {
    const APP = `id status reviewScore reviewCount noticeEndsOn fundedYuan midtermScore midtermGrade finalScore
      finalGrade`;

    it('goes call → application → review → public notice → funding → mid-term and final grade A/B/C', async () => {
      const call = dataOf(
        await sys.query(
          `mutation($i: OpenVentureCallInput!) { openVentureCall(input: $i) { id fundedYuan } }`,
          {
            i: {
              title: '2026年五华区社区公益创投',
              regionCode: '530102',
              budgetYuan: 100000,
              applicationsCloseOn: dayIn(sys.clock, 10),
            },
          },
          o.county,
        ),
      ).openVentureCall;
      // Both NGOs see the call (it covers their region) and apply; each sees only its own application under it.
      const APPLY = `mutation($i: ApplyToVentureCallInput!) { applyToVentureCall(input: $i) { ${APP} } }`;
      const a = dataOf(
        await direct(
          APPLY,
          { i: { callId: call.id, title: '彝绣非遗传承', summary: '每周两次教学', requestedYuan: 60000 } },
          o.ngoA,
        ),
      ).applyToVentureCall;
      const b = dataOf(
        await sys.query(
          APPLY,
          { i: { callId: call.id, title: '老年助餐', summary: '每日午餐', requestedYuan: 50000 } },
          o.ngoB,
        ),
      ).applyToVentureCall;
      expect(a.status).toBe('APPLIED');
      const underCall = dataOf(
        await direct(`query($id: ID!) { ventureCall(id: $id) { applications { id } } }`, { id: call.id }, o.ngoA),
      ).ventureCall.applications;
      expect(underCall).toEqual([{ id: a.id }]);
      expect(
        dataOf(
          await direct(`query($id: ID!) { ventureCall(id: $id) { applications { id } } }`, { id: call.id }, o.county),
        ).ventureCall.applications,
      ).toHaveLength(2);
      expect(
        dataOf(
          await entities(
            [
              { __typename: 'VentureApplication', id: a.id },
              { __typename: 'VentureApplication', id: b.id },
              { __typename: 'VentureCall', id: call.id },
            ],
            o.ngoA,
          ),
        )._entities,
      ).toEqual([{ id: a.id }, null, { id: call.id }]);
      expect(dataOf(await entities([{ __typename: 'VentureCall', id: call.id }], o.otherCounty))._entities).toEqual([
        null,
      ]);

      // Out of order: funding before notice is refused.
      const early = await sys.query(
        `mutation($id: ID!, $f: ID!) { fundVentureApplication(applicationId: $id, fundId: $f, amountYuan: 1000) {
          id } }`,
        { id: a.id, f: fund },
        o.county,
      );
      expect(errorOf(early)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' });
      const noReview = await sys.query(
        `mutation($id: ID!) { publishVentureNotice(applicationId: $id, noticeEndsOn: "2026-12-31") { id } }`,
        { id: a.id },
        o.county,
      );
      expect(errorOf(noReview)).toMatchObject({ reason: 'INVALID_TRANSITION' });
      const REVIEW = `mutation($i: ReviewVentureApplicationInput!) { reviewVentureApplication(input: $i) { ${APP} } }`;
      dataOf(await sys.query(REVIEW, { i: { applicationId: a.id, score: 88 } }, o.county));
      const reviewed = dataOf(
        await sys.query(REVIEW, { i: { applicationId: a.id, score: 92, comment: '可持续性强' } }, o.province),
      ).reviewVentureApplication;
      expect(reviewed).toMatchObject({ status: 'UNDER_REVIEW', reviewScore: 90, reviewCount: 2 });
      expect(errorOf(await sys.query(REVIEW, { i: { applicationId: a.id, score: 70 } }, o.county))).toMatchObject({
        code: 'CONFLICT',
      });
      expect(errorOf(await sys.query(REVIEW, { i: { applicationId: a.id, score: -5 } }, o.province))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.score',
        reason: 'RANGE',
      });
      expect(errorOf(await direct(REVIEW, { i: { applicationId: a.id, score: 100 } }, o.ngoA))).toMatchObject({
        code: 'FORBIDDEN',
      });
      dataOf(
        await sys.query(
          `mutation($id: ID!) { publishVentureNotice(applicationId: $id, noticeEndsOn: "2026-12-31") { id } }`,
          { id: a.id },
          o.county,
        ),
      );
      expect(
        errorOf(
          await sys.query(
            `mutation($id: ID!, $f: ID!) { fundVentureApplication(applicationId: $id, fundId: $f, amountYuan: 70000) {
              id } }`,
            { id: a.id, f: fund },
            o.county,
          ),
        ),
      ).toMatchObject({ reason: 'OVER_REQUEST' });
      const funded = dataOf(
        await sys.query(
          `mutation($id: ID!, $f: ID!) { fundVentureApplication(applicationId: $id, fundId: $f, amountYuan: 55000) {
            ${APP} } }`,
          { id: a.id, f: fund },
          o.county,
        ),
      ).fundVentureApplication;
      expect(funded).toMatchObject({ status: 'FUNDED', fundedYuan: 55000, noticeEndsOn: '2026-12-31' });

      const EVAL = `mutation($i: EvaluateVentureProjectInput!) { evaluateVentureProject(input: $i) { ${APP} } }`;
      expect(
        errorOf(await sys.query(EVAL, { i: { applicationId: a.id, stage: 'FINAL', score: 90 } }, o.county)),
      ).toMatchObject({ reason: 'INVALID_TRANSITION' });
      expect(
        dataOf(await sys.query(EVAL, { i: { applicationId: a.id, stage: 'MIDTERM', score: 72 } }, o.county))
          .evaluateVentureProject,
      ).toMatchObject({ status: 'MIDTERM_EVALUATED', midtermGrade: 'B' });
      expect(
        errorOf(await sys.query(EVAL, { i: { applicationId: a.id, stage: 'FINAL', score: 100.5 } }, o.county)),
      ).toMatchObject({ reason: 'RANGE' });
      const final = dataOf(
        await sys.query(EVAL, { i: { applicationId: a.id, stage: 'FINAL', score: 85 } }, o.county),
      ).evaluateVentureProject;
      expect(final).toMatchObject({ status: 'FINAL_EVALUATED', midtermScore: 72, finalScore: 85, finalGrade: 'A' });

      // B's path: rejected; NGO A cannot touch it.
      expect(
        errorOf(await direct(`query($id: ID!) { ventureApplication(id: $id) { id } }`, { id: b.id }, o.ngoA)),
      ).toBeUndefined();
      expect(
        dataOf(await direct(`query($id: ID!) { ventureApplication(id: $id) { id } }`, { id: b.id }, o.ngoA))
          .ventureApplication,
      ).toBeNull();
      expect(
        dataOf(
          await sys.query(
            `mutation($id: ID!) { rejectVentureApplication(applicationId: $id) { status } }`,
            { id: b.id },
            o.county,
          ),
        ).rejectVentureApplication.status,
      ).toBe('REJECTED');
      expect(
        dataOf(await sys.query(`query($id: ID!) { ventureCall(id: $id) { fundedYuan } }`, { id: call.id }, o.county))
          .ventureCall.fundedYuan,
      ).toBe(55000);
      // Audited: the call, and each application's every move, by whom.
      expect(await sys.audits('social-orgs', call.id)).toEqual([{ action: 'venture.open_call', role: 'county' }]);
      expect(await sys.audits('social-orgs', a.id)).toEqual([
        { action: 'venture.apply', role: 'ngo_member' },
        { action: 'venture.under_review', role: 'county' },
        { action: 'venture.under_review', role: 'province' },
        { action: 'venture.public_notice', role: 'county' },
        { action: 'venture.funded', role: 'county' },
        { action: 'venture.midterm_evaluated', role: 'county' },
        { action: 'venture.final_evaluated', role: 'county' },
      ]);
      expect(await sys.audits('social-orgs', b.id)).toEqual([
        { action: 'venture.apply', role: 'ngo_member' },
        { action: 'venture.rejected', role: 'county' },
      ]);
    });

    it('refuses applications after the call closes or outside the region, typed, writing nothing', async () => {
      const closed = dataOf(
        await sys.query(
          `mutation($i: OpenVentureCallInput!) { openVentureCall(input: $i) { id } }`,
          { i: { title: '已截止', regionCode: '530102', budgetYuan: 1000, applicationsCloseOn: '2020-01-01' } },
          o.county,
        ),
      ).openVentureCall;
      const [{ n: before }] = await sys.sql(`SELECT count(*)::int AS n FROM social_orgs.venture_application`);
      const APPLY = `mutation($i: ApplyToVentureCallInput!) { applyToVentureCall(input: $i) { id } }`;
      expect(
        errorOf(await direct(APPLY, { i: { callId: closed.id, title: 't', summary: 's', requestedYuan: 10 } }, o.ngoA)),
      ).toMatchObject({ reason: 'CLOSED' });
      const elsewhere = dataOf(
        await sys.query(
          `mutation($i: OpenVentureCallInput!) { openVentureCall(input: $i) { id } }`,
          { i: { title: '别的县', regionCode: '530103', budgetYuan: 1000, applicationsCloseOn: dayIn(sys.clock, 5) } },
          o.province,
        ),
      ).openVentureCall;
      expect(
        errorOf(
          await direct(APPLY, { i: { callId: elsewhere.id, title: 't', summary: 's', requestedYuan: 10 } }, o.ngoA),
        ),
      ).toMatchObject({ code: 'NOT_FOUND' });
      expect(
        errorOf(
          await sys.query(
            `mutation($i: OpenVentureCallInput!) { openVentureCall(input: $i) { id } }`,
            { i: { title: 'x', regionCode: '530103', budgetYuan: 1000, applicationsCloseOn: '2026-12-01' } },
            o.county,
          ),
        ),
      ).toMatchObject({ code: 'FORBIDDEN' });
      expect((await sys.sql(`SELECT count(*)::int AS n FROM social_orgs.venture_application`))[0].n).toBe(before);
    });
  });
});
