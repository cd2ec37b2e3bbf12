import { EVENTS } from '@anju/contracts';
import { REGISTER_RESIDENT, TestSystem, dataOf, residentInput, tokenFor, type Place } from '@anju/testing';
import { MONITORING_LOCK } from '../src/monitoring/monitoring.run';
import { startMonitoringWorld } from './helpers';

/**
 * Employment through the gateway: training, jobs and posts, land and industry, and the
 * income-stability monitoring they feed — with the events both ways (resident.* in from
 * governance; training.completed, employment.started/ended, household.gap.detected/closed out).
 * A test that changes a household's stability makes a household (or a site) of its own, so each
 * test runs alone (-t) and in any order; the gap list and the roll-ups are in monitoring-rollup.int.spec.ts.
 */
describe('employment and income-stability monitoring, through the gateway', () => {
  let sys: TestSystem;
  let place: Place;
  let province: string;
  let officerA: string;
  let officerB: string;
  let hhA: string;
  let r1: string; // household A: full capacity, cannot work away, wants work
  let r2: string; // household A: no labour capacity
  let r3: string; // household B
  let r4: string; // household B
  let sequence = 100; // ID numbers of the residents the tests register (the world's are 1–4)

  const q = (query: string, vars: Record<string, unknown> = {}, token = province) => sys.query(query, vars, token);
  const ok = async (query: string, vars: Record<string, unknown> = {}, token = province) =>
    dataOf(await q(query, vars, token));
  const outbox = (event: string) =>
    sys.sql<{ payload: Record<string, any> }>(
      `SELECT payload FROM employment.outbox WHERE event = $1 ORDER BY occurred_at`,
      [event],
    );
  const stability = async (householdId: string, token = province) =>
    (
      await ok(
        `query($id: ID!) { household(id: $id) { id incomeStability { passing failedRules reasons {
          rule reason } members ableToWork untrained employed welfarePosts incomeSources openGaps {
          id rules needsJobHelp } } } }`,
        { id: householdId },
        token,
      )
    ).household?.incomeStability;

  /**
   * A household of its own at site A, registered as household A was: `able` (full capacity, cannot work away,
   * wants work) and `none` (no labour capacity); once employment has checked it, all four rules fail.
   */
  const householdLikeA = async () => {
    const hh = (
      await ok(`mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`, {
        i: { siteId: place.siteIds[0], householdNumber: `HH-1-${++sequence}`, address: '2栋1单元101' },
      })
    ).registerHousehold.id as string;
    const reg = async (o: Record<string, unknown>) =>
      (await ok(REGISTER_RESIDENT, { i: residentInput(hh, ++sequence, o) })).registerResident.id as string;
    const able = await reg({ labourCapacity: 'FULL', canWorkAway: false, wantsWork: true, relationToHead: 'HEAD' });
    const none = await reg({ labourCapacity: 'NONE', canWorkAway: false, wantsWork: false });
    await sys.waitForIdle();
    return { hh, able, none };
  };

  /** An electricians' course at site A, one place (what a test overrides in `o`). */
  const courseAtSiteA = (o: Record<string, unknown> = {}) => ({
    siteId: place.siteIds[0],
    skill: '电工',
    provider: '五华区人社局',
    place: '社区培训室',
    startsOn: '2026-03-01',
    endsOn: '2026-03-20',
    capacity: 1,
    ...o,
  });

  /** `residentId` trained: a course of their own (at site A), enrolled and completed, which clears rule 1. */
  const trained = async (residentId: string) => {
    const course = (
      await ok(
        `mutation($i: CreateTrainingCourseInput!) { createTrainingCourse(input: $i) { id } }`,
        { i: courseAtSiteA() },
        officerA,
      )
    ).createTrainingCourse;
    const enrollment = (
      await ok(
        `mutation($c: ID!, $r: ID!) { enrollInCourse(courseId: $c, residentId: $r) { id } }`,
        { c: course.id, r: residentId },
        officerA,
      )
    ).enrollInCourse;
    await ok(
      `mutation($i: CompleteEnrollmentInput!) { completeEnrollment(input: $i) { status } }`,
      {
        i: {
          enrollmentId: enrollment.id,
          completedOn: '2026-03-20',
          attendancePercent: 95,
          skillLevel: 'BEGINNER',
        },
      },
      officerA,
    );
    await sys.waitForIdle();
  };

  /** A workshop at site A and its public-welfare post (保洁员), funded, with room for one: the post's id. */
  const fundedPostAtA = async () => {
    const employer = (
      await ok(
        `mutation($i: RegisterEmployerInput!) { registerEmployer(input: $i) { id } }`,
        { i: { name: '安居扶贫车间', kind: 'POVERTY_WORKSHOP', siteId: place.siteIds[0] } },
        officerA,
      )
    ).registerEmployer;
    const post = {
      employerId: employer.id,
      siteId: place.siteIds[0],
      title: '保洁员',
      kind: 'PUBLIC_WELFARE_POST',
      fundingSource: '衔接资金',
      capacity: 1,
      monthlyWage: 800,
      termStartsOn: '2026-01-01',
      termEndsOn: '2026-12-31',
    };
    return (
      await ok(`mutation($i: CreateJobPostingInput!) { createJobPosting(input: $i) { id } }`, { i: post }, officerA)
    ).createJobPosting.id as string;
  };

  /**
   * A household like A whose one open gap is of the job rules alone, as a welfare job that ended leaves it: its able
   * member trained, then on a public-welfare post (every rule passes, the gap closes) and off it (rules 2–4 open one).
   */
  const householdWithJobGap = async () => {
    const { hh, able, none } = await householdLikeA();
    await trained(able);
    const job = (
      await ok(
        `mutation($i: StartEmploymentInput!) { startEmployment(input: $i) { id } }`,
        {
          i: {
            residentId: able,
            kind: 'PUBLIC_WELFARE_POST',
            postingId: await fundedPostAtA(),
            startedOn: '2026-04-01',
            monthlyIncome: 800,
          },
        },
        officerA,
      )
    ).startEmployment;
    await ok(
      `mutation($i: EndEmploymentInput!) { endEmployment(input: $i) { endedOn } }`,
      { i: { employmentId: job.id, endedOn: '2026-05-01', reason: '合同到期' } },
      officerA,
    );
    await sys.waitForIdle();
    return { hh, able, none };
  };

  beforeAll(async () => {
    ({ sys, place, province, officerA, officerB, hhA, r1, r2, r3, r4 } = await startMonitoringWorld('employment'));
  }, 120_000);
  afterAll(() => sys?.stop(), 60_000);

  it('checks a household soon after resident.registered, with reasons; publishes household.gap.detected', async () => {
    const { hh } = await householdLikeA();
    const s = await stability(hh);
    expect(s).toMatchObject({
      passing: false,
      members: 2,
      ableToWork: 1,
      untrained: 1,
      employed: 0,
      failedRules: ['TRAINING_AND_SKILL', 'PUBLIC_WELFARE_POST', 'EMPLOYED_MEMBER', 'STABLE_INCOME'],
    });
    expect(s.reasons[0].reason).toMatch(/1 of 1 members with labour capacity/);
    expect(s.openGaps).toHaveLength(1);
    const detected = (await outbox('household.gap.detected')).map((e) => e.payload).filter((p) => p.householdId === hh);
    expect(detected).toHaveLength(1);
    expect(detected[0]).toMatchObject({
      siteId: place.siteIds[0],
      regionCode: '530102',
      needsJobHelp: true,
      rules: s.failedRules,
      gapId: s.openGaps[0].id,
    });
    expect(EVENTS['household.gap.detected'].payload.safeParse(detected[0]).success).toBe(true);
  });

  describe('training and skills', () => {
    const CREATE = `mutation($i: CreateTrainingCourseInput!) { createTrainingCourse(input: $i) {
      id skill capacity enrolled startsOn endsOn } }`;
    const ENROLL = `mutation($c: ID!, $r: ID!) { enrollInCourse(courseId: $c, residentId: $r) { id status resident {
      id } } }`;

    it('refuses a course that ends before it starts, writing nothing', async () => {
      const courses = async () => (await sys.sql(`SELECT count(*)::int AS n FROM employment.training_course`))[0].n;
      const before = await courses();
      const res = await q(CREATE, { i: courseAtSiteA({ endsOn: '2026-02-01' }) }, officerA);
      expect(res.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.endsOn',
        reason: 'ENDS_BEFORE_START',
      });
      expect(await courses()).toBe(before);
    });

    it('enrolls up to capacity; an unknown resident is NOT_FOUND; a full course is a CONFLICT', async () => {
      const courseId = (await ok(CREATE, { i: courseAtSiteA() }, officerA)).createTrainingCourse.id;
      const unknown = await q(ENROLL, { c: courseId, r: '00000000-0000-4000-8000-000000000000' }, officerA);
      expect(unknown.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'residentId' });
      await ok(ENROLL, { c: courseId, r: r1 }, officerA);
      const full = await q(ENROLL, { c: courseId, r: r2 }, officerA);
      expect(full.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'COURSE_FULL' });
      // Site B's officer cannot enrol site B's resident on site A's course, nor see it.
      expect((await q(ENROLL, { c: courseId, r: r3 }, officerB)).errors![0].extensions?.code).toBe('FORBIDDEN');
      expect(
        (await ok(`query($id: ID!) { trainingCourse(id: $id) { id } }`, { id: courseId }, officerB)).trainingCourse,
      ).toBeNull();
    });

    it('completing records the skill, publishes training.completed and clears rule 1 at once', async () => {
      const { hh, able } = await householdLikeA();
      expect((await stability(hh)).failedRules).toContain('TRAINING_AND_SKILL');
      const courseId = (await ok(CREATE, { i: courseAtSiteA() }, officerA)).createTrainingCourse.id;
      const enrollmentId = (await ok(ENROLL, { c: courseId, r: able }, officerA)).enrollInCourse.id;
      const done = await ok(
        `mutation($i: CompleteEnrollmentInput!) { completeEnrollment(input: $i) {
          status completedOn attendancePercent } }`,
        {
          i: {
            enrollmentId,
            completedOn: '2026-03-20',
            attendancePercent: 95,
            skillLevel: 'BEGINNER',
            certificateNumber: 'DG-2026-0001',
          },
        },
        officerA,
      );
      expect(done.completeEnrollment).toEqual({
        status: 'COMPLETED',
        completedOn: '2026-03-20',
        attendancePercent: 95,
      });
      const event = (await outbox('training.completed')).find((e) => e.payload.enrollmentId === enrollmentId);
      expect(event?.payload).toMatchObject({
        enrollmentId,
        courseId,
        residentId: able,
        householdId: hh,
        skill: '电工',
        completedOn: '2026-03-20',
      });
      const res = await ok(
        `query($id: ID!) { resident(id: $id) { name skills { name level certificateNumber } enrollments {
          status course { skill } } } }`,
        { id: able },
        officerA,
      );
      expect(res.resident).toMatchObject({
        skills: [{ name: '电工', level: 'BEGINNER', certificateNumber: 'DG-2026-0001' }],
        enrollments: [{ status: 'COMPLETED', course: { skill: '电工' } }],
      });
      expect((await stability(hh)).failedRules).not.toContain('TRAINING_AND_SKILL');
    });
  });

  it("lists a site's courses, employers, postings, projects in scope; drops an enrollment; adds a skill", async () => {
    const site = place.siteIds[1];
    const course = (
      await ok(
        `mutation($i: CreateTrainingCourseInput!) { createTrainingCourse(input: $i) { id } }`,
        {
          i: {
            siteId: site,
            skill: '缝纫',
            provider: '职校',
            place: '车间',
            startsOn: '2026-04-01',
            endsOn: '2026-04-10',
            capacity: 5,
          },
        },
        officerB,
      )
    ).createTrainingCourse;
    const e = (
      await ok(
        `mutation($c: ID!, $r: ID!) { enrollInCourse(courseId: $c, residentId: $r) { id } }`,
        { c: course.id, r: r3 },
        officerB,
      )
    ).enrollInCourse;
    const dropped = (
      await ok(
        `mutation($e: ID!) { dropEnrollment(enrollmentId: $e, reason: "外出务工", attendancePercent: 30) {
          status droppedReason attendancePercent } }`,
        { e: e.id },
        officerB,
      )
    ).dropEnrollment;
    expect(dropped).toEqual({ status: 'DROPPED', droppedReason: '外出务工', attendancePercent: 30 });
    const courses = (
      await ok(
        `query($s: ID!) { trainingCourses(siteId: $s) { totalCount nodes { skill enrolled enrollments { status } } } }`,
        { s: site },
        officerB,
      )
    ).trainingCourses;
    expect(courses).toEqual({
      totalCount: 1,
      nodes: [{ skill: '缝纫', enrolled: 0, enrollments: [{ status: 'DROPPED' }] }],
    });
    expect(
      (await ok(`query($s: ID!) { trainingCourses(siteId: $s) { totalCount } }`, { s: site }, officerA)).trainingCourses
        .totalCount,
    ).toBe(0);

    const skill = (
      await ok(
        `mutation($i: RecordSkillInput!) { recordSkill(input: $i) { name level certificateNumber certifiedOn } }`,
        {
          i: {
            residentId: r3,
            name: '焊工',
            level: 'INTERMEDIATE',
            certificateNumber: 'HG-88',
            certifiedOn: '2025-12-01',
          },
        },
        officerB,
      )
    ).recordSkill;
    expect(skill).toEqual({
      name: '焊工',
      level: 'INTERMEDIATE',
      certificateNumber: 'HG-88',
      certifiedOn: '2025-12-01',
    });
    const badCert = await q(
      `mutation($i: RecordSkillInput!) { recordSkill(input: $i) { name } }`,
      { i: { residentId: r3, name: '焊工', level: 'BEGINNER', certificateNumber: '!' } },
      officerB,
    );
    expect(badCert.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.certificateNumber' });

    await ok(
      `mutation($i: RegisterEmployerInput!) { registerEmployer(input: $i) { id } }`,
      { i: { name: '易地扶贫车间二', kind: 'POVERTY_WORKSHOP', siteId: site } },
      officerB,
    );
    await ok(
      `mutation($i: CreateIndustryProjectInput!) { createIndustryProject(input: $i) { id } }`,
      { i: { name: '茶叶合作社', siteId: site, industry: '茶叶', organizationForm: 'COOPERATIVE' } },
      officerB,
    );
    const lists = await ok(
      `query($s: ID!) { employers(siteId: $s) { totalCount nodes { name kind } } industryProjects(siteId: $s) {
        name links { annualDividend } } }`,
      { s: site },
      officerB,
    );
    expect(lists.employers).toEqual({ totalCount: 1, nodes: [{ name: '易地扶贫车间二', kind: 'POVERTY_WORKSHOP' }] });
    expect(lists.industryProjects).toEqual([{ name: '茶叶合作社', links: [] }]);
    const none = await ok(
      `query($s: ID!) { employers(siteId: $s) { totalCount } industryProjects(siteId: $s) { name } }`,
      { s: site },
      officerA,
    );
    expect(none).toEqual({ employers: { totalCount: 0 }, industryProjects: [] });
  });

  describe('employers, postings and jobs', () => {
    const POSTING = `mutation($i: CreateJobPostingInput!) { createJobPosting(input: $i) {
      id kind fundingSource capacity filled employer { name kind } } }`;
    const START = `mutation($i: StartEmploymentInput!) { startEmployment(input: $i) {
      id kind startedOn monthlyIncome posting { id filled } } }`;
    const EMPLOYER = `mutation($i: RegisterEmployerInput!) { registerEmployer(input: $i) { id name kind } }`;
    /** The workshop's public-welfare post (保洁员) at `siteId`, without its funding source. */
    const welfarePost = (employerId: string, siteId: string) => ({
      employerId,
      siteId,
      title: '保洁员',
      kind: 'PUBLIC_WELFARE_POST',
      capacity: 1,
      monthlyWage: 800,
      termStartsOn: '2026-01-01',
      termEndsOn: '2026-12-31',
    });
    /**
     * A site of its own for a test that lists a site's posts, known to employment (from a household's registered
     * resident): the list then holds that test's posts alone.
     */
    const siteOfItsOwn = async () => {
      const siteId = (
        await ok(`mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }`, {
          i: {
            regionCode: '530102',
            name: '安置点车间',
            address: '五华区安居路9号',
            latitude: 25.09,
            longitude: 102.7,
            plannedHouseholds: 100,
          },
        })
      ).registerSite.id as string;
      const hh = (
        await ok(`mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`, {
          i: { siteId, householdNumber: `HH-9-${++sequence}`, address: '1栋1单元101' },
        })
      ).registerHousehold.id as string;
      await ok(REGISTER_RESIDENT, { i: residentInput(hh, ++sequence, { relationToHead: 'HEAD' }) });
      await sys.waitForIdle();
      return siteId;
    };

    it('registers a poverty-alleviation workshop and a public-welfare post with funding and term', async () => {
      const siteId = await siteOfItsOwn();
      const officer = await tokenFor({ role: 'site_officer', sites: [siteId] });
      const employer = (await ok(EMPLOYER, { i: { name: '安居扶贫车间', kind: 'POVERTY_WORKSHOP', siteId } }, officer))
        .registerEmployer;
      const base = welfarePost(employer.id, siteId);
      const noFunding = await q(POSTING, { i: base }, officer);
      expect(noFunding.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.fundingSource' });
      const post = (await ok(POSTING, { i: { ...base, fundingSource: '衔接资金' } }, officer)).createJobPosting;
      expect(post).toMatchObject({
        kind: 'PUBLIC_WELFARE_POST',
        fundingSource: '衔接资金',
        capacity: 1,
        filled: 0,
        employer: { name: '安居扶贫车间', kind: 'POVERTY_WORKSHOP' },
      });
      const listed = (
        await ok(
          `query($s: ID!) { jobPostings(siteId: $s, kind: PUBLIC_WELFARE_POST) { totalCount nodes {
            id title termStartsOn termEndsOn } } }`,
          { s: siteId },
          officer,
        )
      ).jobPostings;
      expect(listed).toEqual({
        totalCount: 1,
        nodes: [{ id: post.id, title: '保洁员', termStartsOn: '2026-01-01', termEndsOn: '2026-12-31' }],
      });
      expect(
        (await ok(`query($s: ID!) { jobPostings(siteId: $s, kind: REGULAR) { totalCount } }`, { s: siteId }, officer))
          .jobPostings.totalCount,
      ).toBe(0);
    });

    it('refuses income below zero with a typed error, writing nothing', async () => {
      const records = async () => (await sys.sql(`SELECT count(*)::int AS n FROM employment.employment_record`))[0].n;
      const before = await records();
      const res = await q(
        START,
        { i: { residentId: r1, kind: 'FLEXIBLE', startedOn: '2026-04-01', monthlyIncome: -5 } },
        officerA,
      );
      expect(res.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.monthlyIncome',
        reason: 'NEGATIVE',
      });
      expect(await records()).toBe(before);
    });

    it('never over-fills a post under concurrent starts', async () => {
      const pwp = (
        await ok(POSTING, {
          i: {
            siteId: place.siteIds[1],
            title: '护林员',
            kind: 'PUBLIC_WELFARE_POST',
            fundingSource: '生态补偿',
            termStartsOn: '2026-01-01',
            termEndsOn: '2026-12-31',
            capacity: 1,
            monthlyWage: 700,
          },
        })
      ).createJobPosting;
      const results = await Promise.all(
        [r3, r4].map((r) =>
          q(START, {
            i: {
              residentId: r,
              kind: 'PUBLIC_WELFARE_POST',
              postingId: pwp.id,
              startedOn: '2026-04-01',
              monthlyIncome: 700,
            },
          }),
        ),
      );
      expect(results.filter((r) => r.data?.startEmployment).length).toBe(1);
      expect(results.find((r) => r.errors)!.errors![0].extensions).toMatchObject({
        code: 'CONFLICT',
        reason: 'POST_FULL',
      });
      expect((await sys.sql(`SELECT filled FROM employment.job_posting WHERE id = $1`, [pwp.id]))[0].filled).toBe(1);
      expect(
        (
          await sys.sql(`SELECT count(*)::int AS n FROM employment.employment_record WHERE posting_id = $1`, [pwp.id])
        )[0].n,
      ).toBe(1);
    });

    it('a welfare post clears rules 2–4: the gap closes (household.gap.closed); ending it reopens one', async () => {
      // A household like A with its able member trained: only the job rules fail.
      const { hh, able } = await householdLikeA();
      await trained(able);
      const postId = await fundedPostAtA();
      const [gap] = (await stability(hh)).openGaps;
      const started = (
        await ok(
          START,
          {
            i: {
              residentId: able,
              kind: 'PUBLIC_WELFARE_POST',
              postingId: postId,
              startedOn: '2026-04-01',
              monthlyIncome: 800,
            },
          },
          officerA,
        )
      ).startEmployment;
      expect(started).toMatchObject({
        kind: 'PUBLIC_WELFARE_POST',
        monthlyIncome: 800,
        posting: { id: postId, filled: 1 },
      });
      const startedEvent = (await outbox('employment.started')).find((e) => e.payload.employmentId === started.id);
      expect(startedEvent?.payload).toMatchObject({
        residentId: able,
        householdId: hh,
        kind: 'public_welfare_post',
        monthlyIncome: 800,
      });
      const s = await stability(hh);
      expect(s).toMatchObject({
        passing: true,
        failedRules: [],
        openGaps: [],
        employed: 1,
        welfarePosts: 1,
        incomeSources: 1,
      });
      expect((await outbox('household.gap.closed')).map((e) => e.payload)).toContainEqual(
        expect.objectContaining({ gapId: gap.id, householdId: hh }),
      );

      await ok(
        `mutation($i: EndEmploymentInput!) { endEmployment(input: $i) { endedOn } }`,
        { i: { employmentId: started.id, endedOn: '2026-05-01', reason: '合同到期' } },
        officerA,
      );
      expect((await outbox('employment.ended')).at(-1)!.payload).toMatchObject({
        employmentId: started.id,
        endedOn: '2026-05-01',
        reason: '合同到期',
      });
      const after = await stability(hh);
      expect(after.failedRules).toEqual(['PUBLIC_WELFARE_POST', 'EMPLOYED_MEMBER', 'STABLE_INCOME']);
      expect(after.openGaps).toHaveLength(1);
      expect((await sys.sql(`SELECT filled FROM employment.job_posting WHERE id = $1`, [postId]))[0].filled).toBe(0);
      const again = await ok(
        `mutation($i: EndEmploymentInput!) { endEmployment(input: $i) { endedOn } }`,
        { i: { employmentId: started.id, endedOn: '2026-05-02', reason: 'x' } },
        officerA,
      ).catch((e) => e);
      expect(String(again)).toMatch(/already ended/);
    });
  });

  describe('land (三块地) and industry (利益联结)', () => {
    it('records land, refuses income on idle land, and a lease or a dividend is a stable income', async () => {
      const REC = `mutation($i: RecordLandAssetInput!) { recordLandAsset(input: $i) {
        id kind areaMu state annualIncome } }`;
      const idle = await q(
        REC,
        { i: { householdId: hhA, kind: 'CONTRACTED', areaMu: 2.5, state: 'IDLE', annualIncome: 100 } },
        officerA,
      );
      expect(idle.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'IDLE_WITH_INCOME' });
      const land = (
        await ok(REC, { i: { householdId: hhA, kind: 'FOREST', areaMu: 10, state: 'IDLE', annualIncome: 0 } }, officerA)
      ).recordLandAsset;
      expect((await stability(hhA)).failedRules).toContain('STABLE_INCOME');
      await ok(
        `mutation($i: UpdateLandAssetInput!) { updateLandAsset(input: $i) { state annualIncome } }`,
        { i: { id: land.id, state: 'POOLED', annualIncome: 1200 } },
        officerA,
      );
      expect((await stability(hhA)).failedRules).not.toContain('STABLE_INCOME');

      const project = (
        await ok(
          `mutation($i: CreateIndustryProjectInput!) { createIndustryProject(input: $i) { id name } }`,
          {
            i: {
              name: '食用菌基地',
              siteId: place.siteIds[0],
              industry: '食用菌',
              organizationForm: 'LEADING_ENTERPRISE',
            },
          },
          officerA,
        )
      ).createIndustryProject;
      await ok(
        `mutation($i: LinkHouseholdInput!) { linkHouseholdToProject(input: $i) { annualDividend } }`,
        { i: { projectId: project.id, householdId: hhA, annualDividend: 600, linkedOn: '2026-05-01' } },
        officerA,
      );
      const hh = await ok(
        `query($id: ID!) { household(id: $id) { landAssets { kind state annualIncome } industryLinks {
          annualDividend project { name } } incomeStability { incomeSources } } }`,
        { id: hhA },
        officerA,
      );
      expect(hh.household).toEqual({
        landAssets: [{ kind: 'FOREST', state: 'POOLED', annualIncome: 1200 }],
        industryLinks: [{ annualDividend: 600, project: { name: '食用菌基地' } }],
        incomeStability: { incomeSources: 2 },
      });
      // Out of scope: site B's officer sees no income-stability of household A.
      expect((await ok(`query($id: ID!) { household(id: $id) { id } }`, { id: hhA }, officerB)).household).toBeNull();
      const direct = dataOf(
        await sys.direct(
          'employment',
          `query($r: [_Any!]!) { _entities(representations: $r) { ... on Household { incomeStability {
            passing } landAssets { kind } } } }`,
          { r: [{ __typename: 'Household', id: hhA }] },
          officerB,
        ),
      );
      expect(direct._entities).toEqual([{ incomeStability: null, landAssets: [] }]);
    });
  });

  describe("a mutation's re-check", () => {
    it('is marked in the mutation’s transaction, left to the loop while the nightly run holds the lock', async () => {
      const hh = place.householdIds[1];
      const before = await stability(hh, officerB);
      const { Client } = await import('pg');
      const night = new Client({ connectionString: sys.db.url });
      await night.connect();
      try {
        await night.query('BEGIN');
        // what the nightly run holds for its whole length
        await night.query(`SELECT pg_advisory_xact_lock(${MONITORING_LOCK}, 0)`);
        await ok(
          `mutation($i: RecordLandAssetInput!) { recordLandAsset(input: $i) { id } }`,
          { i: { householdId: hh, kind: 'CONTRACTED', areaMu: 3, state: 'LEASED', annualIncome: 800 } },
          officerB,
        );
        // The change committed with its household's mark, and did not wait for the night to re-check it.
        expect(
          await sys.sql(`SELECT household_id FROM employment.household_recheck WHERE household_id = $1`, [hh]),
        ).toHaveLength(1);
        expect((await stability(hh, officerB)).incomeSources).toBe(before.incomeSources);
        await night.query('COMMIT');
      } finally {
        await night.end();
      }
      await sys.waitForIdle(); // until no mark is left: the worker's loop re-checked it
      expect((await stability(hh, officerB)).incomeSources).toBe(before.incomeSources + 1);
    });
  });

  describe('events in from governance', () => {
    it('resident.updated keeps the labour profile current, re-checks; resident.moved_out takes them out', async () => {
      // Rule 1 passes; the one open gap is of the job rules.
      const { hh, none } = await householdWithJobGap();
      // `none` gains labour capacity: rule 1 now asks training of them too.
      await ok(
        `mutation($id: ID!, $i: UpdateResidentInput!) { updateResident(id: $id, input: $i) { id } }`,
        { id: none, i: { labourCapacity: 'WEAK' } },
        officerA,
      );
      await sys.waitForIdle();
      expect(
        (await sys.sql(`SELECT labour_capacity FROM employment.labour_profile WHERE resident_id = $1`, [none]))[0]
          .labour_capacity,
      ).toBe('weak');
      let s = await stability(hh);
      expect(s).toMatchObject({ ableToWork: 2, untrained: 1 });
      expect(s.failedRules).toContain('TRAINING_AND_SKILL');
      // A rule newly failing while another gap is open opens a gap of its own (not a job gap).
      const trainingGap = s.openGaps.find((g: { rules: string[] }) => g.rules.includes('TRAINING_AND_SKILL'));
      expect(trainingGap).toMatchObject({ rules: ['TRAINING_AND_SKILL'], needsJobHelp: false });
      expect(s.openGaps).toHaveLength(2);

      await ok(
        `mutation($id: ID!, $i: MoveOutResidentInput!) { moveOutResident(id: $id, input: $i) { id } }`,
        { id: none, i: { movedOutOn: '2026-05-10', reason: '投亲靠友' } },
        officerA,
      );
      await sys.waitForIdle();
      s = await stability(hh);
      expect(s).toMatchObject({ members: 1, ableToWork: 1, untrained: 0 });
      expect(s.failedRules).not.toContain('TRAINING_AND_SKILL');
      expect(s.openGaps.map((g: { id: string }) => g.id)).not.toContain(trainingGap.id);
      expect((await outbox('household.gap.closed')).map((e) => e.payload.gapId)).toContain(trainingGap.id);
    });
  });
});
