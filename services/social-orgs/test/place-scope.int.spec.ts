import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { errorOf, inDays, knownSite } from './fixtures';

/**
 * Issue 14, item 3: one county cannot change or read another's records through an organization
 * that serves both. Contracts are reached through the purchasing region, venture applications
 * through their call's region, cases through their site's region — through the gateway and
 * straight at the subgraph, failing with nothing changed and nothing revealed.
 */
describe('records placed in a county are that county’s (social-orgs)', () => {
  let sys: TestSystem;
  let countyA: string; // 五华区 530102
  let countyB: string; // 盘龙区 530103
  let ngo: string;
  let org: string;
  let contract: string;
  let milestone: string;
  let application: string;
  let kase: string;
  let referral: string;

  const both = async (q: string, v: Record<string, unknown>, t: string) => [
    await sys.query(q, v, t),
    await sys.direct('social-orgs', q, v, t),
  ];
  const snapshot = () =>
    sys.sql(`SELECT
      (SELECT json_agg(c ORDER BY c.id) FROM social_orgs.service_contract c) AS c, (SELECT json_agg(m ORDER BY m.id)
        FROM social_orgs.contract_milestone m) AS m,
      (SELECT count(*) FROM social_orgs.contract_payment)::int AS p, (SELECT json_agg(a ORDER BY a.id)
        FROM social_orgs.venture_application a) AS a,
      (SELECT count(*) FROM social_orgs.venture_review)::int AS r, (SELECT json_agg(k ORDER BY k.id)
        FROM social_orgs.social_case k) AS k,
      (SELECT json_agg(f ORDER BY f.id) FROM social_orgs.referral f) AS f, (SELECT count(*)
        FROM social_orgs.audit_log)::int AS al`);

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'so-place', workers: [] });
    const province = await tokenFor({ role: 'province', regions: ['53'] });
    org = dataOf(
      await sys.query(
        `mutation($i: RegisterOrganizationInput!) { registerOrganization(input: $i) { id } }`,
        { i: { name: '两区社工服务中心', kind: 'PROFESSIONAL', serviceRegionCodes: ['530102', '530103'] } },
        province,
      ),
    ).registerOrganization.id;
    countyA = await tokenFor({ role: 'county', regions: ['530102'], sub: 'county-a' });
    countyB = await tokenFor({ role: 'county', regions: ['530103'], sub: 'county-b' });
    ngo = await tokenFor({ role: 'ngo_member', org, sub: 'ngo' });

    const c = dataOf(
      await sys.query(
        `mutation($i: SignServiceContractInput!) { signServiceContract(input: $i) { id regionCode milestones {
          id } } }`,
        {
          i: {
            organizationId: org,
            title: '五华区安置点社工服务',
            purchaser: '五华区民政局',
            budgetYuan: 100000,
            startsOn: '2026-01-01',
            endsOn: '2026-12-31',
            deliverables: ['个案服务 20 个'],
            milestones: [{ title: '中期报告', dueOn: '2026-06-30' }],
          },
        },
        countyA,
      ),
    ).signServiceContract;
    expect(c.regionCode).toBe('530102');
    contract = c.id;
    milestone = c.milestones[0].id;
    dataOf(
      await sys.query(
        `mutation($id: ID!) { submitMilestoneEvidence(milestoneId: $id, evidence: "中期报告.pdf") { id } }`,
        { id: milestone },
        ngo,
      ),
    );

    const call = dataOf(
      await sys.query(
        `mutation($i: OpenVentureCallInput!) { openVentureCall(input: $i) { id } }`,
        {
          i: {
            title: '五华区公益创投',
            regionCode: '530102',
            budgetYuan: 50000,
            applicationsCloseOn: inDays(sys.clock, 10).slice(0, 10),
          },
        },
        countyA,
      ),
    ).openVentureCall.id;
    application = dataOf(
      await sys.query(
        `mutation($i: ApplyToVentureCallInput!) { applyToVentureCall(input: $i) { id } }`,
        { i: { callId: call, title: '四点半课堂', summary: '课后托管', requestedYuan: 20000 } },
        ngo,
      ),
    ).applyToVentureCall.id;

    const siteA = await knownSite(sys, '530102');
    kase = dataOf(
      await sys.query(
        `mutation($i: OpenCaseInput!) { openCase(input: $i) { id } }`,
        { i: { kind: 'FAMILY_THERAPY', title: '家庭辅导', siteId: siteA } },
        ngo,
      ),
    ).openCase.id;
    referral = dataOf(
      await sys.query(
        `mutation($i: ReferCaseInput!) { referCase(input: $i) { id } }`,
        { i: { caseId: kase, agency: 'CIVIL_AFFAIRS', reason: '低保复核', dueOn: inDays(sys.clock, 5).slice(0, 10) } },
        ngo,
      ),
    ).referCase.id;
  });
  afterAll(() => sys?.stop());

  it("another county served by the same organization can't accept, pay, rate, review, fund, refer, close", async () => {
    const before = await snapshot();
    const attempts: [string, Record<string, unknown>][] = [
      [`mutation($id: ID!) { acceptMilestone(milestoneId: $id) { id } }`, { id: milestone }],
      [
        `mutation($i: RecordContractPaymentInput!) { recordContractPayment(input: $i) { id } }`,
        {
          i: {
            contractId: contract,
            fundId: '00000000-0000-4000-8000-000000000001',
            amountYuan: 100,
            paidOn: '2026-07-01',
          },
        },
      ],
      [`mutation($id: ID!) { rateServiceContract(contractId: $id, score: 90) { id } }`, { id: contract }],
      [
        `mutation($i: ReviewVentureApplicationInput!) { reviewVentureApplication(input: $i) { id } }`,
        { i: { applicationId: application, score: 99 } },
      ],
      [`mutation($id: ID!) { rejectVentureApplication(applicationId: $id) { id } }`, { id: application }],
      [
        `mutation($i: ReferCaseInput!) { referCase(input: $i) { id } }`,
        { i: { caseId: kase, agency: 'JUSTICE', reason: 'x', dueOn: inDays(sys.clock, 3).slice(0, 10) } },
      ],
      [`mutation($id: ID!) { recordReferralOutcome(referralId: $id, outcome: "x") { id } }`, { id: referral }],
      [`mutation($id: ID!) { closeCase(caseId: $id, summary: "x") { id } }`, { id: kase }],
    ];
    for (const [q, v] of attempts) {
      for (const res of await both(q, v, countyB)) {
        expect(res.data ?? null).toBeNull();
        expect({ q, code: errorOf(res)?.code }).toEqual({ q, code: 'NOT_FOUND' });
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('another county reads none of them (lists, by id, _entities); the purchasing county and the NGO do', async () => {
    const read = `query($c: ID!, $a: ID!, $k: ID!, $f: ID!) { serviceContract(id: $c) {
      id } ventureApplication(id: $a) { id } socialCase(id: $k) { id } referral(id: $f) { id }
      serviceContracts { totalCount } socialCases { totalCount } }`;
    const ids = { c: contract, a: application, k: kase, f: referral };
    for (const res of await both(read, ids, countyB)) {
      expect(dataOf(res)).toEqual({
        serviceContract: null,
        ventureApplication: null,
        socialCase: null,
        referral: null,
        serviceContracts: { totalCount: 0 },
        socialCases: { totalCount: 0 },
      });
    }
    const ent = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ServiceContract {
      id } ... on VentureApplication { id } ... on SocialCase { id } } }`;
    const reps = [
      { __typename: 'ServiceContract', id: contract },
      { __typename: 'VentureApplication', id: application },
      { __typename: 'SocialCase', id: kase },
    ];
    expect(dataOf(await sys.direct('social-orgs', ent, { r: reps }, countyB))._entities).toEqual([null, null, null]);
    for (const token of [countyA, ngo]) {
      expect(dataOf(await sys.direct('social-orgs', ent, { r: reps }, token))._entities).toEqual([
        { id: contract },
        { id: application },
        { id: kase },
      ]);
    }
    // The purchasing county does its work.
    dataOf(
      await sys.query(`mutation($id: ID!) { acceptMilestone(milestoneId: $id) { id } }`, { id: milestone }, countyA),
    );
  });

  it('cases open only at sites the organization serves, in the opener’s scope; contracts in its regions', async () => {
    const before = await snapshot();
    const elsewhere = await knownSite(sys, '530111');
    const unknown = '0b9a7c1e-3f4d-4e5a-9b6c-7d8e9f0a1b2c';
    for (const siteId of [elsewhere, unknown]) {
      for (const res of await both(
        `mutation($i: OpenCaseInput!) { openCase(input: $i) { id } }`,
        { i: { kind: 'FAMILY_THERAPY', title: 't', siteId } },
        ngo,
      )) {
        expect(errorOf(res)).toMatchObject({ code: 'NOT_FOUND', field: 'input.siteId' });
      }
    }
    const siteA = await knownSite(sys, '530102');
    const byB = await sys.query(
      `mutation($i: OpenCaseInput!) { openCase(input: $i) { id } }`,
      { i: { organizationId: org, kind: 'FAMILY_THERAPY', title: 't', siteId: siteA } },
      countyB,
    );
    expect(errorOf(byB)).toMatchObject({ code: 'NOT_FOUND', field: 'input.siteId' });
    const province = await tokenFor({ role: 'province', regions: ['53'] });
    const notServed = await sys.query(
      `mutation($i: SignServiceContractInput!) { signServiceContract(input: $i) { id } }`,
      {
        i: {
          organizationId: org,
          regionCode: '530111',
          title: 't',
          purchaser: 'p',
          budgetYuan: 1,
          startsOn: '2026-01-01',
          endsOn: '2026-12-31',
          deliverables: ['d'],
          milestones: [],
        },
      },
      province,
    );
    expect(errorOf(notServed)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.regionCode',
      reason: 'NOT_SERVED',
    });
    expect(await snapshot()).toEqual(before);
  });
});
