import { provinceDate, provinceMonth } from '@anju/kit';
import { TestSystem, dataOf } from '@anju/testing';
import { knownResidents, knownSite, twoOrganizations, type Orgs } from './fixtures';

/** Social workers' period grades (优秀/合格/不合格) by the stated formula, and 进管考出 as one timeline (issue 20). */
describe('social workers: period grades and the 进管考出 timeline', () => {
  let sys: TestSystem;
  let o: Orgs;
  let site: string;
  let quarter: string;
  const direct = (q: string, v: Record<string, unknown>, t: string) => sys.direct('social-orgs', q, v, t);
  const HIRE = `mutation($i: HireSocialWorkerInput!) { hireSocialWorker(input: $i) { id } }`;
  const ASSESS = `mutation($i: AssessSocialWorkerInput!) { assessSocialWorker(input: $i) { period } }`;
  const RATE = `mutation($i: SocialWorkerFeedbackInput!) { giveSocialWorkerFeedback(input: $i) { rating } }`;
  const GRADES = `query($id: ID!) { socialWorker(id: $id) { grades {
    period assessmentScore ratingCount averageRating compositeScore grade }
    timeline { stage on summary siteIds grade { period grade } } } }`;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'so-grades', workers: [] });
    o = await twoOrganizations(sys);
    site = await knownSite(sys);
    const month = provinceMonth(sys.clock.now());
    quarter = `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`;
  });
  afterAll(() => sys?.stop());

  const rate = async (workerId: string, ratings: number[]) => {
    const residents = await knownResidents(sys, site, ratings.length);
    for (const [i, rating] of ratings.entries())
      dataOf(await sys.query(RATE, { i: { workerId, residentId: residents[i], rating } }, o.ngoA));
  };

  it("grades each period from its assessment and the residents' ratings in it, and shows 进管考出 in order", async () => {
    const otherSite = await knownSite(sys);
    const w = dataOf(
      await direct(
        HIRE,
        {
          i: {
            name: '和社工',
            qualification: 'SOCIAL_WORKER',
            certificateNumber: 'S-01',
            joinedOn: '2025-01-06',
            siteIds: [site],
          },
        },
        o.ngoA,
      ),
    ).hireSocialWorker;
    dataOf(
      await sys.query(
        `mutation($id: ID!, $s: [ID!]!) { assignSocialWorkerSites(workerId: $id, siteIds: $s) { id } }`,
        { id: w.id, s: [site, otherSite] },
        o.ngoA,
      ),
    );
    // An earlier year, no ratings in it: the assessment alone, 90 → 优秀.
    dataOf(await direct(ASSESS, { i: { workerId: w.id, period: '2025', score: 90 } }, o.county));
    // This quarter: 80 and ratings 4, 5, 4, 5 → 0.7 × 80 + 0.3 × 87.5 = 82.25 → 合格.
    dataOf(await sys.query(ASSESS, { i: { workerId: w.id, period: quarter, score: 80 } }, o.ngoA));
    await rate(w.id, [4, 5, 4, 5]);
    const seen = dataOf(await sys.query(GRADES, { id: w.id }, o.county)).socialWorker;
    expect(seen.grades).toEqual([
      {
        period: '2025',
        assessmentScore: 90,
        ratingCount: 0,
        averageRating: null,
        compositeScore: 90,
        grade: 'EXCELLENT',
      },
      {
        period: quarter,
        assessmentScore: 80,
        ratingCount: 4,
        averageRating: 4.5,
        compositeScore: 82.25,
        grade: 'PASS',
      },
    ]);

    dataOf(
      await direct(
        `mutation($i: ExitSocialWorkerInput!) { exitSocialWorker(input: $i) { id } }`,
        { i: { workerId: w.id, exitedOn: provinceDate(sys.clock.now()), reason: '调往他县' } },
        o.ngoA,
      ),
    );
    // The partner reads the timeline straight at the subgraph.
    const timeline = dataOf(await direct(GRADES, { id: w.id }, o.ngoA)).socialWorker.timeline;
    const today = provinceDate(sys.clock.now());
    expect(timeline).toEqual([
      { stage: 'ENTRY', on: '2025-01-06', summary: '入职（SOCIAL_WORKER）', siteIds: null, grade: null },
      { stage: 'MANAGEMENT', on: today, summary: '服务 1 个安置点', siteIds: [site], grade: null },
      { stage: 'MANAGEMENT', on: today, summary: '服务 2 个安置点', siteIds: [site, otherSite], grade: null },
      {
        stage: 'ASSESSMENT',
        on: today,
        summary: '2025 考核 90 分',
        siteIds: null,
        grade: { period: '2025', grade: 'EXCELLENT' },
      },
      {
        stage: 'ASSESSMENT',
        on: today,
        summary: `${quarter} 考核 80 分`,
        siteIds: null,
        grade: { period: quarter, grade: 'PASS' },
      },
      { stage: 'EXIT', on: today, summary: '离职：调往他县', siteIds: null, grade: null },
    ]);
    // Another organization sees no grade and no timeline of this worker.
    expect(dataOf(await direct(GRADES, { id: w.id }, o.ngoB)).socialWorker).toBeNull();
    expect(dataOf(await sys.query(GRADES, { id: w.id }, o.otherCounty)).socialWorker).toBeNull();
  });

  it('fails a period whose residents are broadly dissatisfied, however high the assessment', async () => {
    const w = dataOf(
      await direct(
        HIRE,
        { i: { name: '李社工', qualification: 'NONE', joinedOn: '2026-01-05', siteIds: [site] } },
        o.ngoA,
      ),
    ).hireSocialWorker;
    dataOf(await direct(ASSESS, { i: { workerId: w.id, period: quarter, score: 100 } }, o.ngoA));
    await rate(w.id, [1, 2, 2]);
    const [g] = dataOf(await sys.query(GRADES, { id: w.id }, o.ngoA)).socialWorker.grades;
    expect(g).toEqual({
      period: quarter,
      assessmentScore: 100,
      ratingCount: 3,
      averageRating: 1.67,
      compositeScore: 75,
      grade: 'FAIL',
    });
  });
});
