import { REGISTER_RESIDENT, TestSystem, dataOf, residentInput, seedPlace, tokenFor, type Place } from '@anju/testing';

/**
 * Industry (产业): a project records its chosen industry, its form of organization (合作社,
 * 龙头企业, 扶贫车间), its policy support and technical services, and each linked household's
 * income from it (dividend and wages); bad input changes nothing; another county sees none of it.
 */
describe('industry projects with their households’ income', () => {
  let sys: TestSystem;
  let place: Place;
  let county: string;

  const CREATE = `mutation($i: CreateIndustryProjectInput!) { createIndustryProject(input: $i) {
    id name industry organizationForm policySupport technicalServices } }`;
  const LINK = `mutation($i: LinkHouseholdInput!) { linkHouseholdToProject(input: $i) {
    annualDividend annualWageIncome annualIncome } }`;

  /** Links a household to a project with its yearly dividend and wages (the answer, errors included). */
  const link = (projectId: string, householdId: string, annualDividend: number, annualWageIncome: number) =>
    sys.query(
      LINK,
      { i: { projectId, householdId, annualDividend, annualWageIncome, linkedOn: '2026-03-01' } },
      county,
    );

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'industry', env: { GATEWAY_RESPONSE_CACHE: 'false' } });
    place = await seedPlace(sys, 2);
    county = await tokenFor({ role: 'county', regions: ['530102'] });
    // A resident in each household: employment knows a household from its registered residents.
    for (const [n, household] of place.householdIds.entries())
      dataOf(await sys.query(REGISTER_RESIDENT, { i: residentInput(household, n + 1) }, county));
    await sys.waitForIdle();
  }, 180_000);
  afterAll(() => sys?.stop());

  it('records the project in full and sums each household’s income from it', async () => {
    const [siteA, siteB] = place.siteIds;
    const project = dataOf(
      await sys.query(
        CREATE,
        {
          i: {
            name: '双河食用菌基地',
            siteId: siteA,
            industry: '食用菌',
            organizationForm: 'WORKSHOP',
            policySupport: ['产业奖补资金', '贴息贷款'],
            technicalServices: ['农技员驻点指导'],
          },
        },
        county,
      ),
    ).createIndustryProject;
    expect(project).toMatchObject({
      industry: '食用菌',
      organizationForm: 'WORKSHOP',
      policySupport: ['产业奖补资金', '贴息贷款'],
      technicalServices: ['农技员驻点指导'],
    });

    const a = dataOf(await link(project.id, place.householdIds[0], 1200, 18000)).linkHouseholdToProject;
    expect(a).toEqual({ annualDividend: 1200, annualWageIncome: 18000, annualIncome: 19200 });
    // Linking again updates dividend and wages (one link per household).
    dataOf(await link(project.id, place.householdIds[0], 1500, 20000));

    const q = `query($s: ID!) { industryProjects(siteId: $s) { name organizationForm householdIncomeTotal
      links { annualIncome household { id } } } }`;
    const [read] = dataOf(await sys.query(q, { s: siteA }, county)).industryProjects;
    expect(read).toEqual({
      name: '双河食用菌基地',
      organizationForm: 'WORKSHOP',
      householdIncomeTotal: 21500,
      links: [{ annualIncome: 21500, household: { id: place.householdIds[0] } }],
    });
    const household = dataOf(
      await sys.query(
        `query($h: ID!) { household(id: $h) { industryLinks { annualWageIncome project { industry } } } }`,
        { h: place.householdIds[0] },
        county,
      ),
    ).household;
    expect(household.industryLinks).toEqual([{ annualWageIncome: 20000, project: { industry: '食用菌' } }]);

    // Another county's officer sees none of it and cannot create a project here.
    const other = await tokenFor({ role: 'county', regions: ['530103'] });
    expect(dataOf(await sys.query(q, { s: siteA }, other)).industryProjects).toEqual([]);
    const refused = await sys.query(
      CREATE,
      { i: { name: '越权项目', siteId: siteB, industry: '茶叶', organizationForm: 'COOPERATIVE' } },
      other,
    );
    expect(refused.errors?.[0].extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
  });

  it('refuses bad input with a typed error and writes nothing', async () => {
    const siteB = place.siteIds[1];
    const bad = async (i: Record<string, unknown>) =>
      (
        await sys.query(
          CREATE,
          { i: { name: '茶园', siteId: siteB, industry: '茶叶', organizationForm: 'COOPERATIVE', ...i } },
          county,
        )
      ).errors?.[0].extensions;
    expect(await bad({ industry: '  ' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.industry' });
    expect(await bad({ policySupport: Array.from({ length: 21 }, (_, i) => `政策${i}`) })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.policySupport',
    });
    expect(await bad({ technicalServices: ['x'.repeat(101)] })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.technicalServices[0]',
    });
    expect(await bad({ organizationForm: 'FACTORY' })).toMatchObject({
      code: expect.stringMatching(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/),
    });
    expect(await sys.sql(`SELECT id FROM employment.industry_project WHERE site_id = $1`, [siteB])).toEqual([]);

    // A project of its own at site B (the first test's is at site A), a household linked to it: a bad link keeps it.
    const project = dataOf(
      await sys.query(
        CREATE,
        { i: { name: '茶园', siteId: siteB, industry: '茶叶', organizationForm: 'COOPERATIVE' } },
        county,
      ),
    ).createIndustryProject;
    dataOf(await link(project.id, place.householdIds[1], 1500, 20000));
    const badLink = await link(project.id, place.householdIds[1], 0, -5);
    expect(badLink.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.annualWageIncome' });
    const [kept] = await sys.sql(
      `SELECT annual_wage_income::float8 AS w FROM employment.project_link WHERE project_id = $1`,
      [project.id],
    );
    expect(kept.w).toBe(20000);
  });
});
