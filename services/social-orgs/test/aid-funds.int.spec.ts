import { randomUUID } from 'node:crypto';
import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { aidFund, dayIn, errorOf, registerOrganization, twoOrganizations, type Orgs } from './fixtures';

/** 统筹各类帮扶资金 (issue 20): funds by source, payments by use tied to their fund, balances per county. */
describe('aid funds: sources, uses, balances (帮扶资金)', () => {
  let sys: TestSystem;
  let o: Orgs;
  const direct = (q: string, v: Record<string, unknown>, t: string) => sys.direct('social-orgs', q, v, t);
  const GRANT = `mutation($i: GrantDirectAidInput!) { grantDirectAid(input: $i) {
    id use amountYuan purpose fundId organization { id } } }`;
  const PAY = `mutation($i: RecordContractPaymentInput!) { recordContractPayment(input: $i) { paidYuan payments {
    amountYuan fundId } } }`;
  const books = () =>
    sys.sql(`SELECT (SELECT count(*) FROM social_orgs.aid_payment)::int AS p, (SELECT count(*)
      FROM social_orgs.contract_payment)::int AS c,
    (SELECT count(*) FROM social_orgs.aid_fund)::int AS f, (SELECT coalesce(sum(spent_yuan), 0)::text
      FROM social_orgs.aid_fund) AS spent,
    (SELECT count(*) FROM social_orgs.audit_log)::int AS a`);
  const signContract = async (budgetYuan: number, organizationId = o.orgA, county = o.county) =>
    dataOf(
      await sys.query(
        `mutation($i: SignServiceContractInput!) { signServiceContract(input: $i) { id } }`,
        {
          i: {
            organizationId,
            title: '社工服务项目',
            purchaser: '五华区民政局',
            budgetYuan,
            startsOn: '2026-01-01',
            endsOn: '2026-12-31',
            deliverables: ['个案 20 个'],
            milestones: [],
          },
        },
        county,
      ),
    ).signServiceContract.id as string;
  /**
   * Two counties of a prefecture (5304) no other test touches, with their officers, and a partner serving the first:
   * balances, counts and trails read there are this test's own.
   */
  const ownPrefecture = async () => {
    const org = await registerOrganization(sys, o.province, '玉溪阳光社工服务中心', 'PROFESSIONAL', ['530402']);
    return {
      org,
      ngo: await tokenFor({ role: 'ngo_member', org, sub: 'ngo-yx' }),
      county: await tokenFor({ role: 'county', regions: ['530402'] }),
      otherCounty: await tokenFor({ role: 'county', regions: ['530403'] }),
    };
  };

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'so-aid-funds', workers: [] });
    o = await twoOrganizations(sys);
  });
  afterAll(() => sys?.stop());

  it('receives funds by source, pays a contract, venture and direct grants from them; balances by county', async () => {
    const w = await ownPrefecture();
    const [{ since }] = await sys.sql(`SELECT coalesce(max(id), 0) AS since FROM social_orgs.audit_log`);
    const fiscal = await aidFund(sys, w.county, 500000, '530402', 'FISCAL');
    const eastWest = dataOf(
      await sys.query(
        `mutation($i: ReceiveAidFundInput!) { receiveAidFund(input: $i) {
          id regionCode source donor amountYuan spentYuan balanceYuan } }`,
        {
          i: {
            regionCode: '530402',
            source: 'EAST_WEST_COOPERATION',
            name: '2026年东西部协作资金',
            donor: '上海市闵行区',
            amountYuan: 300000,
            receivedOn: '2026-03-01',
          },
        },
        w.county,
      ),
    ).receiveAidFund;
    expect(eastWest).toMatchObject({
      regionCode: '530402',
      source: 'EAST_WEST_COOPERATION',
      donor: '上海市闵行区',
      spentYuan: 0,
      balanceYuan: 300000,
    });
    const donation = await aidFund(sys, o.province, 50000, '530402', 'SOCIAL_DONATION');
    const elsewhere = await aidFund(sys, o.province, 80000, '530403', 'FISCAL');

    // 购买服务: a contract payment out of the fiscal fund.
    const contract = await signContract(200000, w.org, w.county);
    const paid = dataOf(
      await sys.query(
        PAY,
        { i: { contractId: contract, fundId: fiscal, amountYuan: 120000.5, paidOn: '2026-07-10' } },
        w.county,
      ),
    ).recordContractPayment;
    expect(paid).toEqual({ paidYuan: 120000.5, payments: [{ amountYuan: 120000.5, fundId: fiscal }] });
    // 公益创投: a venture grant out of the east–west fund.
    const call = dataOf(
      await sys.query(
        `mutation($i: OpenVentureCallInput!) { openVentureCall(input: $i) { id } }`,
        {
          i: { title: '公益创投', regionCode: '530402', budgetYuan: 100000, applicationsCloseOn: dayIn(sys.clock, 10) },
        },
        w.county,
      ),
    ).openVentureCall;
    const app = dataOf(
      await direct(
        `mutation($i: ApplyToVentureCallInput!) { applyToVentureCall(input: $i) { id } }`,
        { i: { callId: call.id, title: '彝绣传承', summary: '每周教学', requestedYuan: 60000 } },
        w.ngo,
      ),
    ).applyToVentureCall;
    dataOf(
      await sys.query(
        `mutation($id: ID!) { reviewVentureApplication(input: { applicationId: $id, score: 90 }) { id } }`,
        { id: app.id },
        w.county,
      ),
    );
    dataOf(
      await sys.query(
        `mutation($id: ID!) { publishVentureNotice(applicationId: $id, noticeEndsOn: "2026-12-31") { id } }`,
        { id: app.id },
        w.county,
      ),
    );
    const wrongCounty = await sys.query(
      `mutation($id: ID!, $f: ID!) { fundVentureApplication(applicationId: $id, amountYuan: 50000, fundId: $f) {
        id } }`,
      { id: app.id, f: elsewhere },
      o.province,
    );
    expect(errorOf(wrongCounty)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fundId', reason: 'FUND_REGION' });
    const granted = dataOf(
      await sys.query(
        `mutation($id: ID!, $f: ID!) { fundVentureApplication(applicationId: $id, amountYuan: 50000, fundId: $f) {
          fundedYuan fundId } }`,
        { id: app.id, f: eastWest.id },
        w.county,
      ),
    ).fundVentureApplication;
    expect(granted).toEqual({ fundedYuan: 50000, fundId: eastWest.id });
    // 直接资助: a direct grant out of the donations.
    const grant = dataOf(
      await sys.query(
        GRANT,
        {
          i: {
            fundId: donation,
            organizationId: w.org,
            amountYuan: 20000,
            paidOn: '2026-11-01',
            purpose: '冬季困难家庭慰问',
          },
        },
        w.county,
      ),
    ).grantDirectAid;
    expect(grant).toMatchObject({
      use: 'DIRECT_GRANT',
      amountYuan: 20000,
      purpose: '冬季困难家庭慰问',
      fundId: donation,
      organization: { id: w.org },
    });

    // Balances per county, by source and use; the prefecture sees both of its counties.
    const balances = dataOf(
      await sys.query(
        `{ aidFundBalances(regionCode: "5304") { regionCode fundCount receivedYuan spentYuan balanceYuan
      bySource { source receivedYuan spentYuan balanceYuan } byUse { use amountYuan paymentCount } } }`,
        {},
        o.province,
      ),
    ).aidFundBalances;
    expect(balances).toEqual([
      {
        regionCode: '530402',
        fundCount: 3,
        receivedYuan: 850000,
        spentYuan: 190000.5,
        balanceYuan: 659999.5,
        bySource: [
          { source: 'EAST_WEST_COOPERATION', receivedYuan: 300000, spentYuan: 50000, balanceYuan: 250000 },
          { source: 'FISCAL', receivedYuan: 500000, spentYuan: 120000.5, balanceYuan: 379999.5 },
          { source: 'SOCIAL_DONATION', receivedYuan: 50000, spentYuan: 20000, balanceYuan: 30000 },
        ],
        byUse: [
          { use: 'CONTRACT_PAYMENT', amountYuan: 120000.5, paymentCount: 1 },
          { use: 'DIRECT_GRANT', amountYuan: 20000, paymentCount: 1 },
          { use: 'VENTURE_GRANT', amountYuan: 50000, paymentCount: 1 },
        ],
      },
      {
        regionCode: '530403',
        fundCount: 1,
        receivedYuan: 80000,
        spentYuan: 0,
        balanceYuan: 80000,
        bySource: [{ source: 'FISCAL', receivedYuan: 80000, spentYuan: 0, balanceYuan: 80000 }],
        byUse: [],
      },
    ]);
    // The county officer of 530402 sees only its county; 530403's officer neither its funds nor its payments.
    expect(
      dataOf(await sys.query(`{ aidFundBalances(regionCode: "5304") { regionCode } }`, {}, w.county)).aidFundBalances,
    ).toEqual([{ regionCode: '530402' }]);
    const ledger = dataOf(
      await sys.query(
        `query($id: ID!) { aidFund(id: $id) { balanceYuan payments { use amountYuan contractId paidOn } } }`,
        { id: fiscal },
        w.county,
      ),
    ).aidFund;
    expect(ledger).toEqual({
      balanceYuan: 379999.5,
      payments: [{ use: 'CONTRACT_PAYMENT', amountYuan: 120000.5, contractId: contract, paidOn: '2026-07-10' }],
    });
    expect(
      dataOf(await sys.query(`query($id: ID!) { aidFund(id: $id) { id } }`, { id: fiscal }, w.otherCounty)).aidFund,
    ).toBeNull();
    expect(
      dataOf(await sys.query(`{ aidFunds { totalCount } aidPayments { totalCount } }`, {}, w.otherCounty)),
    ).toEqual({ aidFunds: { totalCount: 1 }, aidPayments: { totalCount: 0 } });
    expect(
      dataOf(await sys.query(`{ aidFunds(source: FISCAL) { totalCount } }`, {}, w.county)).aidFunds.totalCount,
    ).toBe(1);

    // The partner, straight at the subgraph: the three payments it received, not the county's books.
    const mine = dataOf(
      await direct(
        `{ aidPayments { totalCount nodes { use amountYuan fund { id } ventureApplicationId } } }`,
        {},
        w.ngo,
      ),
    ).aidPayments;
    expect(mine.totalCount).toBe(3);
    expect(mine.nodes.map((n: { use: string }) => n.use).sort()).toEqual([
      'CONTRACT_PAYMENT',
      'DIRECT_GRANT',
      'VENTURE_GRANT',
    ]);
    expect(mine.nodes.every((n: { fund: unknown }) => n.fund === null)).toBe(true);
    expect(dataOf(await direct(`{ aidPayments { totalCount } }`, {}, o.ngoB)).aidPayments.totalCount).toBe(0);
    expect(errorOf(await direct(`{ aidFunds { totalCount } }`, {}, w.ngo))).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      errorOf(
        await direct(
          GRANT,
          { i: { fundId: donation, organizationId: w.org, amountYuan: 1, paidOn: '2026-11-01', purpose: '自助' } },
          w.ngo,
        ),
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });

    const trail = await sys.sql(
      `SELECT action FROM social_orgs.audit_log WHERE id > $1 AND (action LIKE 'aid_fund.%'
        OR action = 'contract.payment') ORDER BY id`,
      [since],
    );
    expect(trail.map((t) => t.action)).toEqual([
      'aid_fund.receive',
      'aid_fund.receive',
      'aid_fund.receive',
      'aid_fund.receive',
      'contract.payment',
      'aid_fund.direct_grant',
    ]);
  });

  it("refuses a payment over the fund's balance, and bad input, typed, writing nothing", async () => {
    const small = await aidFund(sys, o.county, 1000);
    const contract = await signContract(50000);
    const far = dataOf(
      await sys.query(
        `mutation { registerOrganization(input: { name: "外县协会", kind: MUTUAL_AID, serviceRegionCodes: ["530103"] }) {
          id } }`,
        {},
        o.province,
      ),
    ).registerOrganization.id;
    const before = await books();
    expect(
      errorOf(
        await sys.query(
          PAY,
          { i: { contractId: contract, fundId: small, amountYuan: 1000.01, paidOn: '2026-07-10' } },
          o.county,
        ),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.fundId', reason: 'OVER_BALANCE' });
    expect(
      errorOf(
        await sys.query(
          PAY,
          {
            i: {
              contractId: contract,
              fundId: '00000000-0000-4000-8000-000000000009',
              amountYuan: 10,
              paidOn: '2026-07-10',
            },
          },
          o.county,
        ),
      ),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'input.fundId' });
    const grant = (i: Record<string, unknown>, t = o.county) =>
      sys.query(
        GRANT,
        { i: { fundId: small, organizationId: o.orgA, amountYuan: 100, paidOn: '2026-11-01', purpose: '慰问', ...i } },
        t,
      );
    expect(errorOf(await grant({ amountYuan: 1000.5 }))).toMatchObject({
      field: 'input.fundId',
      reason: 'OVER_BALANCE',
    });
    expect(errorOf(await grant({ amountYuan: 0 }))).toMatchObject({ field: 'input.amountYuan', reason: 'RANGE' });
    expect(errorOf(await grant({ amountYuan: 10.001 }))).toMatchObject({ field: 'input.amountYuan', reason: 'RANGE' });
    expect(errorOf(await grant({ paidOn: '2026-13-01' }))).toMatchObject({ field: 'input.paidOn', reason: 'FORMAT' });
    expect(errorOf(await grant({ purpose: ' ' }))).toMatchObject({ field: 'input.purpose', reason: 'LENGTH' });
    expect(errorOf(await grant({}, o.otherCounty))).toMatchObject({ code: 'NOT_FOUND', field: 'input.fundId' });
    expect(errorOf(await grant({ organizationId: far }))).toMatchObject({
      field: 'input.organizationId',
      reason: 'NOT_SERVED',
    });
    const receive = (i: Record<string, unknown>, t = o.county) =>
      sys.query(
        `mutation($i: ReceiveAidFundInput!) { receiveAidFund(input: $i) { id } }`,
        {
          i: { regionCode: '530102', source: 'FISCAL', name: '资金', amountYuan: 100, receivedOn: '2026-01-01', ...i },
        },
        t,
      );
    expect(errorOf(await receive({ regionCode: '5301' }))).toMatchObject({
      field: 'input.regionCode',
      reason: 'FORMAT',
    });
    expect(errorOf(await receive({ regionCode: '530103' }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(errorOf(await receive({ amountYuan: -5 }))).toMatchObject({ reason: 'RANGE' });
    expect(errorOf(await receive({ source: 'LOTTERY' }))?.code).toBe('BAD_USER_INPUT');
    expect(errorOf(await receive({}, o.ngoA))).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      errorOf(await receive({}, await tokenFor({ role: 'site_officer', regions: ['530102'], sites: [randomUUID()] }))),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(await books()).toEqual(before);
  });

  it('never overdraws a fund under concurrent payments; the database refuses an overdraft made by hand', async () => {
    const fund = await aidFund(sys, o.county, 1000);
    const contract = await signContract(100000);
    // Ten payments of 300 at once, direct grants and contract payments mixed: three fit.
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2
          ? sys.query(
              GRANT,
              {
                i: {
                  fundId: fund,
                  organizationId: o.orgA,
                  amountYuan: 300,
                  paidOn: '2026-11-02',
                  purpose: `慰问 ${i}`,
                },
              },
              o.county,
            )
          : sys.query(
              PAY,
              { i: { contractId: contract, fundId: fund, amountYuan: 300, paidOn: '2026-11-02' } },
              o.county,
            ),
      ),
    );
    const ok = results.filter((r) => !r.errors?.length);
    expect(ok).toHaveLength(3);
    for (const r of results.filter((x) => x.errors?.length))
      expect(errorOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'OVER_BALANCE' });
    const [state] = await sys.sql(
      `SELECT f.spent_yuan::float8 AS spent, (SELECT sum(amount_yuan)::float8 FROM social_orgs.aid_payment
        WHERE fund_id = f.id) AS paid,
      (SELECT coalesce(sum(amount_yuan), 0)::float8 FROM social_orgs.contract_payment
        WHERE fund_id = f.id) AS contracts,
      (SELECT coalesce(sum(amount_yuan), 0)::float8 FROM social_orgs.aid_payment WHERE fund_id = f.id
        AND use = 'CONTRACT_PAYMENT') AS aidContracts
      FROM social_orgs.aid_fund f WHERE f.id = $1`,
      [fund],
    );
    expect(state.spent).toBe(900);
    expect(state.paid).toBe(900);
    expect(state.contracts).toBe(state.aidcontracts);
    await expect(
      sys.sql(`UPDATE social_orgs.aid_fund SET spent_yuan = amount_yuan + 1 WHERE id = $1`, [fund]),
    ).rejects.toThrow(/aid_fund_within_amount/);
  });
});
