import { addDays, provinceDate } from '@anju/kit';
import { EVENTS, type EventName } from '@anju/contracts';
import { REGISTER_RESIDENT, TestSystem, dataOf, nationalId, residentInput, schemaOf, tokenFor } from '@anju/testing';
import { seedNeighbourhood, type Neighbourhood } from '../services/governance/test/helpers';
import { twoOrganizations } from '../services/social-orgs/test/fixtures';

/**
 * Every event chain of the catalog end to end, with every service running: the producer's own
 * mutation through the gateway, its outbox, the real relay, the consumer's queue, and the effect in
 * each consuming service — no hand-built envelope. The list of chains is the catalog's: an event
 * that gains a consumer fails the first test until its chain is here. Each test arranges its own
 * people, so any of them runs alone (`-t`).
 */
describe('event chains of the catalog, producer to consumer', () => {
  let sys: TestSystem;
  let n: Neighbourhood;
  let county: string;
  let seq = 700;
  const chains = new Set<string>();

  /** The province's date `days` from the test clock's today. */
  const shanghaiDay = (days = 0) => addDays(provinceDate(sys.clock.now()), days);

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'chains' });
    n = await seedNeighbourhood(sys);
    county = await tokenFor({ role: 'county', regions: ['530102'] });
    for (const event of ['ACTIVITY_ATTENDED', 'SERVICE_VERIFIED', 'TRAINING_COMPLETED', 'MICRO_ISSUE_RESOLVED']) {
      dataOf(
        await sys.query(
          `mutation($i: DefinePointsRuleInput!) { definePointsRule(input: $i) { id } }`,
          { i: { regionCode: '530102', action: `链路 ${event}`, event, points: 10 } },
          county,
        ),
      );
    }
    await sys.waitForIdle();
  }, 120_000);
  afterAll(() => sys?.stop());

  /** A household of its own in building 1 (grid 1), with one resident registered by the site officer. */
  const newResident = async (overrides: Record<string, unknown> = {}) => {
    seq += 1;
    const householdId = dataOf(
      await sys.query(
        `mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`,
        { i: { siteId: n.siteId, householdNumber: `C-${seq}`, buildingId: n.buildingIds[0] } },
        n.officer,
      ),
    ).registerHousehold.id as string;
    const residentId = dataOf(
      await sys.query(
        REGISTER_RESIDENT,
        {
          i: residentInput(householdId, seq, {
            nationalId: nationalId('530102', '19900101', seq),
            relationToHead: 'HEAD',
            ...overrides,
          }),
        },
        n.officer,
      ),
    ).registerResident.id as string;
    return { householdId, residentId };
  };

  /**
   * The one event `name` whose payload matches `match`, once every queue is idle: sent by the
   * producer's relay, and recorded in the inbox of each consumer of the catalog (its effect committed).
   */
  const delivered = async (name: EventName, match: Record<string, unknown>): Promise<string> => {
    await sys.waitForIdle();
    const rows = await sys.sql(
      `SELECT id, sent_at FROM ${schemaOf(EVENTS[name].producer)}.outbox WHERE event = $1 AND payload @> $2::jsonb`,
      [name, JSON.stringify(match)],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].sent_at).not.toBeNull();
    for (const consumer of EVENTS[name].consumers) {
      expect(await sys.sql(`SELECT event FROM ${schemaOf(consumer)}.inbox WHERE event_id = $1`, [rows[0].id])).toEqual([
        { event: name },
      ]);
    }
    return rows[0].id;
  };

  const points = (residentId: string) =>
    sys.sql(
      `SELECT source_event AS event, source_event_id AS "eventId", points FROM governance.points_entry
        WHERE resident_id = $1`,
      [residentId],
    );

  const chain = (name: EventName, run: () => Promise<void>) => {
    chains.add(name);
    it(`${name}: ${EVENTS[name].producer} → ${EVENTS[name].consumers.join(', ')}`, run);
  };

  it('has a chain below for every event of the catalog that some service consumes', () => {
    const consumed = Object.entries(EVENTS)
      .filter(([, d]) => d.consumers.length > 0)
      .map(([name]) => name);
    expect(consumed.length).toBeGreaterThan(0);
    expect([...chains].sort()).toEqual(consumed.sort());
  });

  chain('site.registered', async () => {
    const site = dataOf(
      await sys.query(
        `mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }`,
        {
          i: {
            regionCode: '530102',
            name: '链路安置点',
            address: '五华区链路1号',
            latitude: 25.1,
            longitude: 102.71,
            plannedHouseholds: 120,
          },
        },
        n.provinceToken,
      ),
    ).registerSite;
    await delivered('site.registered', { siteId: site.id });
    for (const consumer of ['employment', 'social-orgs', 'matching'] as const) {
      expect(
        await sys.sql(
          `SELECT region_code, name, planned_households FROM ${schemaOf(consumer)}.site_directory WHERE site_id = $1`,
          [site.id],
        ),
      ).toEqual([{ region_code: '530102', name: '链路安置点', planned_households: 120 }]);
    }
  });

  chain('resident.registered', async () => {
    const { householdId, residentId } = await newResident({ labourCapacity: 'WEAK', canWorkAway: true });
    await delivered('resident.registered', { residentId });
    expect(
      await sys.sql(
        `SELECT household_id, labour_capacity, can_work_away FROM employment.labour_profile WHERE resident_id = $1`,
        [residentId],
      ),
    ).toEqual([{ household_id: householdId, labour_capacity: 'weak', can_work_away: true }]);
    for (const schema of ['matching', 'social_orgs']) {
      expect(
        await sys.sql(`SELECT household_id, site_id FROM ${schema}.resident_directory WHERE resident_id = $1`, [
          residentId,
        ]),
      ).toEqual([{ household_id: householdId, site_id: n.siteId }]);
    }
  });

  chain('resident.updated', async () => {
    const { residentId } = await newResident({ labourCapacity: 'FULL' });
    await sys.waitForIdle();
    dataOf(
      await sys.query(
        `mutation($id: ID!) { updateResident(id: $id, input: { labourCapacity: NONE, wantsWork: false,
          languages: ["苗语"] }) { id } }`,
        { id: residentId },
        n.officer,
      ),
    );
    await delivered('resident.updated', { residentId });
    expect(
      await sys.sql(`SELECT labour_capacity, wants_work FROM employment.labour_profile WHERE resident_id = $1`, [
        residentId,
      ]),
    ).toEqual([{ labour_capacity: 'none', wants_work: false }]);
    expect(
      await sys.sql(`SELECT languages FROM matching.resident_directory WHERE resident_id = $1`, [residentId]),
    ).toEqual([{ languages: ['苗语'] }]);
  });

  chain('resident.moved_out', async () => {
    const { residentId } = await newResident();
    await sys.waitForIdle();
    const on = shanghaiDay(-1);
    dataOf(
      await sys.query(
        `mutation($id: ID!, $i: MoveOutResidentInput!) { moveOutResident(id: $id, input: $i) { id } }`,
        { id: residentId, i: { movedOutOn: on, reason: '投亲靠友' } },
        n.officer,
      ),
    );
    await delivered('resident.moved_out', { residentId });
    expect(
      await sys.sql(
        `SELECT to_char(moved_out_on, 'YYYY-MM-DD') AS on FROM employment.labour_profile WHERE resident_id = $1`,
        [residentId],
      ),
    ).toEqual([{ on }]);
    expect(
      await sys.sql(
        `SELECT to_char(moved_out_on, 'YYYY-MM-DD') AS on FROM social_orgs.resident_directory WHERE resident_id = $1`,
        [residentId],
      ),
    ).toEqual([{ on }]);
    expect(
      await sys.sql(
        `SELECT to_char(moved_out_on, 'YYYY-MM-DD') AS on FROM matching.resident_directory WHERE resident_id = $1`,
        [residentId],
      ),
    ).toEqual([{ on }]);
  });

  chain('building.grid_changed', async () => {
    const building = dataOf(
      await sys.query(
        `mutation($i: RegisterBuildingInput!) { registerBuilding(input: $i) { id } }`,
        { i: { siteId: n.siteId, name: '链路楼', gridId: n.gridIds[0] } },
        n.officer,
      ),
    ).registerBuilding.id;
    const householdId = dataOf(
      await sys.query(
        `mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }`,
        { i: { siteId: n.siteId, householdNumber: `C-${++seq}`, buildingId: building } },
        n.officer,
      ),
    ).registerHousehold.id;
    dataOf(
      await sys.query(
        REGISTER_RESIDENT,
        { i: residentInput(householdId, seq, { nationalId: nationalId('530102', '19900101', seq) }) },
        n.officer,
      ),
    );
    await sys.waitForIdle();
    dataOf(
      await sys.query(
        `mutation($b: ID!, $g: ID) { assignBuildingToGrid(buildingId: $b, gridId: $g) { id } }`,
        { b: building, g: n.gridIds[1] },
        n.officer,
      ),
    );
    await delivered('building.grid_changed', { buildingId: building });
    expect(
      await sys.sql(`SELECT grid_id FROM employment.household_place WHERE household_id = $1`, [householdId]),
    ).toEqual([{ grid_id: n.gridIds[1] }]);
  });

  chain('micro_issue.resolved', async () => {
    const reporter = await newResident();
    const leader = await newResident();
    dataOf(
      await sys.query(
        `mutation($b: ID!, $r: ID!) { setBuildingLeader(buildingId: $b, residentId: $r) { leader { id } } }`,
        { b: n.buildingIds[0], r: leader.residentId },
        n.officer,
      ),
    );
    const as = (id: string) =>
      tokenFor({ role: 'resident', resident: id, sites: [n.siteId], sub: `resident-${id.slice(0, 8)}` });
    const issue = dataOf(
      await sys.query(
        `mutation($i: ReportMicroIssueInput!) { reportMicroIssue(input: $i) { id } }`,
        { i: { kind: 'ISSUE', title: '单元门坏了', description: '关不上' } },
        await as(reporter.residentId),
      ),
    ).reportMicroIssue;
    dataOf(
      await sys.query(
        `mutation($id: ID!) { resolveMicroIssue(id: $id, outcome: SOLVED, note: "已修好") { id } }`,
        { id: issue.id },
        await as(leader.residentId),
      ),
    );
    const eventId = await delivered('micro_issue.resolved', { microIssueId: issue.id });
    expect(await points(reporter.residentId)).toEqual([{ event: 'micro_issue.resolved', eventId, points: 10 }]);
  });

  chain('training.completed', async () => {
    const { residentId } = await newResident();
    await sys.waitForIdle(); // employment knows the resident before the enrolment
    const course = dataOf(
      await sys.query(
        `mutation($i: CreateTrainingCourseInput!) { createTrainingCourse(input: $i) { id } }`,
        {
          i: {
            siteId: n.siteId,
            skill: '焊工',
            provider: '五华区人社局',
            place: '社区培训室',
            startsOn: shanghaiDay(-20),
            endsOn: shanghaiDay(-1),
            capacity: 5,
          },
        },
        n.officer,
      ),
    ).createTrainingCourse;
    const enrolment = dataOf(
      await sys.query(
        `mutation($c: ID!, $r: ID!) { enrollInCourse(courseId: $c, residentId: $r) { id } }`,
        { c: course.id, r: residentId },
        n.officer,
      ),
    ).enrollInCourse;
    dataOf(
      await sys.query(
        `mutation($i: CompleteEnrollmentInput!) { completeEnrollment(input: $i) { status } }`,
        {
          i: {
            enrollmentId: enrolment.id,
            completedOn: shanghaiDay(-1),
            attendancePercent: 90,
            skillLevel: 'BEGINNER',
          },
        },
        n.officer,
      ),
    );
    const eventId = await delivered('training.completed', { enrollmentId: enrolment.id });
    expect(await points(residentId)).toEqual([{ event: 'training.completed', eventId, points: 10 }]);
  });

  /** A gap employment detects on its own: a resident able and wanting to work, untrained and without a job. */
  const householdWithGap = async () => {
    const r = await newResident({ labourCapacity: 'FULL', canWorkAway: false, wantsWork: true });
    const detectedId = await delivered('household.gap.detected', { householdId: r.householdId });
    const [gap] = await sys.sql(`SELECT payload->>'gapId' AS id FROM employment.outbox WHERE id = $1`, [detectedId]);
    return { ...r, gapId: gap.id as string, detectedId };
  };

  chain('household.gap.detected', async () => {
    const { householdId, detectedId } = await householdWithGap();
    const tasks = dataOf(
      await sys.query(`{ gridTasks { nodes { status sourceEventId household { id } } } }`, {}, n.workerTokens[0]),
    ).gridTasks.nodes;
    expect(tasks.filter((t: { household: { id: string } }) => t.household.id === householdId)).toEqual([
      { status: 'OPEN', sourceEventId: detectedId, household: { id: householdId } },
    ]);
    expect(
      await sys.sql(`SELECT category, status FROM matching.demand WHERE household_id = $1`, [householdId]),
    ).toEqual([{ category: 'job_help', status: 'open' }]);
  });

  chain('household.gap.closed', async () => {
    const { householdId, residentId, gapId } = await householdWithGap();
    // The only member moves out: the household no longer counts, its gap closes.
    dataOf(
      await sys.query(
        `mutation($id: ID!, $i: MoveOutResidentInput!) { moveOutResident(id: $id, input: $i) { id } }`,
        { id: residentId, i: { movedOutOn: shanghaiDay(-1), reason: '外出务工' } },
        n.officer,
      ),
    );
    await delivered('household.gap.closed', { gapId });
    expect(await sys.sql(`SELECT status FROM governance.grid_task WHERE household_id = $1`, [householdId])).toEqual([
      { status: 'closed' },
    ]);
    expect(await sys.sql(`SELECT status FROM matching.demand WHERE household_id = $1`, [householdId])).toEqual([
      { status: 'closed' },
    ]);
  });

  chain('resident.personal_data_erased', async () => {
    // Produced by governance's nightly retention task (no mutation): run here with the system's clock.
    const { residentId } = await newResident();
    dataOf(
      await sys.query(
        `mutation($id: ID!, $i: MoveOutResidentInput!) { moveOutResident(id: $id, input: $i) { id } }`,
        { id: residentId, i: { movedOutOn: shanghaiDay(-800), reason: '随子女迁往昆明' } },
        n.officer,
      ),
    );
    const hashed = () =>
      sys.sql(
        `SELECT (SELECT national_id_hash IS NOT NULL FROM matching.resident_directory
          WHERE resident_id = $1) AS matching,
              (SELECT national_id_hash IS NOT NULL FROM employment.labour_profile
                WHERE resident_id = $1) AS employment`,
        [residentId],
      );
    await sys.waitForIdle();
    expect(await hashed()).toEqual([{ matching: true, employment: true }]);
    expect(await sys.runTask('governance', 'resident.erase-moved-out')).toBe(1);
    await delivered('resident.personal_data_erased', { residentId, erasedOn: shanghaiDay(0) });
    // Matching's directory and employment's labour profile drop the keyed hash of the ID number with governance:
    // no volunteer, job, land or training sheet finds them by it.
    expect(await hashed()).toEqual([{ matching: false, employment: false }]);
  });

  chain('activity.attended', async () => {
    const { residentId } = await newResident();
    await sys.waitForIdle(); // social-orgs learns the resident's site from resident.registered
    const o = await twoOrganizations(sys, n.provinceToken);
    // on now: check-in is open only during the activity
    const startsAt = new Date(sys.clock.now().getTime() - 600_000).toISOString();
    const act = dataOf(
      await sys.query(
        `mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }`,
        {
          i: {
            siteId: n.siteId,
            title: '四点半课堂',
            kind: 'CULTURAL',
            startsAt,
            endsAt: new Date(sys.clock.now().getTime() + 3 * 3_600_000).toISOString(),
            capacity: 5,
          },
        },
        o.ngoA,
      ),
    ).createActivity;
    const reg = dataOf(
      await sys.query(
        `mutation($i: RegisterForActivityInput!) { registerForActivity(input: $i) { id } }`,
        { i: { activityId: act.id, residentId, participantName: '链路居民' } },
        o.ngoA,
      ),
    ).registerForActivity;
    dataOf(
      await sys.query(
        `mutation($id: ID!) { checkInToActivity(registrationId: $id) { status } }`,
        { id: reg.id },
        o.ngoA,
      ),
    );
    const eventId = await delivered('activity.attended', { residentId, activityId: act.id });
    expect(await points(residentId)).toEqual([{ event: 'activity.attended', eventId, points: 10 }]);
  });

  /** An activity of a new NGO at the neighbourhood's site, starting in three days, with `capacity` places. */
  const activityWithPlaces = async (capacity: number) => {
    const o = await twoOrganizations(sys, n.provinceToken);
    const startsAt = new Date(sys.clock.now().getTime() + 3 * 86_400_000);
    const act = dataOf(
      await sys.query(
        `mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }`,
        {
          i: {
            siteId: n.siteId,
            title: '健康讲座',
            kind: 'HEALTH',
            startsAt: startsAt.toISOString(),
            endsAt: new Date(startsAt.getTime() + 7_200_000).toISOString(),
            capacity,
          },
        },
        o.ngoA,
      ),
    ).createActivity;
    const register = async (residentId: string) =>
      dataOf(
        await sys.query(
          `mutation($i: RegisterForActivityInput!) { registerForActivity(input: $i) { id } }`,
          { i: { activityId: act.id, residentId, participantName: '链路居民' } },
          o.ngoA,
        ),
      ).registerForActivity.id as string;
    return { o, act, register };
  };
  const inbox = (residentId: string) =>
    sys.sql(`SELECT kind, entity_id AS "entityId" FROM governance.notification WHERE recipient = $1 ORDER BY kind`, [
      `resident:${residentId}`,
    ]);

  chain('activity.registration.confirmed', async () => {
    const { residentId } = await newResident();
    await sys.waitForIdle(); // social-orgs learns the resident's site from resident.registered
    const { act, register } = await activityWithPlaces(5);
    const registrationId = await register(residentId);
    await delivered('activity.registration.confirmed', { registrationId, promotedFromWaitlist: false });
    expect(await inbox(residentId)).toEqual([{ kind: 'activity_registration_confirmed', entityId: act.id }]);
  });

  chain('activity.registration.cancelled', async () => {
    const { residentId } = await newResident();
    await sys.waitForIdle();
    const { o, register } = await activityWithPlaces(5);
    const registrationId = await register(residentId);
    dataOf(
      await sys.query(
        `mutation($id: ID!) { cancelActivityRegistration(registrationId: $id) { id } }`,
        { id: registrationId },
        o.ngoA,
      ),
    );
    await delivered('activity.registration.cancelled', { registrationId });
    expect(
      await sys.sql(
        `SELECT cancelled_at IS NOT NULL AS cancelled FROM governance.activity_reminder WHERE registration_id = $1`,
        [registrationId],
      ),
    ).toEqual([{ cancelled: true }]);
  });

  /** A volunteer who is the resident `residentId`, with `skill`, free 09:00–17:00 on each of `days` from today. */
  const newVolunteer = async (residentId: string, skill: string, days: number[]) => {
    const at = (day: number, hour: number) =>
      new Date(Date.parse(`${shanghaiDay(day)}T00:00:00+08:00`) + hour * 3_600_000).toISOString();
    return dataOf(
      await sys.query(
        `mutation($i: RegisterVolunteerInput!) { registerVolunteer(input: $i) { id } }`,
        {
          i: {
            displayName: '链路志愿者',
            residentId,
            homeSiteId: n.siteId,
            skills: [skill],
            languages: ['普通话'],
            weeklyHours: 10,
            availability: days.map((d) => ({ startsAt: at(d, 9), endsAt: at(d, 17) })),
          },
        },
        n.officer,
      ),
    ).registerVolunteer as { id: string };
  };

  chain('service.verified', async () => {
    const { residentId } = await newResident();
    await sys.waitForIdle();
    const volunteer = await newVolunteer(residentId, 'elder_care', [1, 2, 3]);
    const demand = dataOf(
      await sys.query(
        `mutation($i: RecordDemandInput!) { recordDemand(input: $i) { id assignments { id volunteerId } } }`,
        {
          i: {
            siteId: n.siteId,
            category: 'ELDERLY_CARE',
            description: '陪老人就医',
            requiredSkills: ['elder_care'],
            windowStart: shanghaiDay(1),
            windowEnd: shanghaiDay(3),
            hours: 2,
          },
        },
        n.officer,
      ),
    ).recordDemand;
    expect(demand.assignments).toEqual([{ id: expect.any(String), volunteerId: volunteer.id }]);
    const me = await tokenFor({ role: 'volunteer', volunteer: volunteer.id });
    dataOf(
      await sys.query(
        `mutation($a: ID!) { acceptAssignment(assignmentId: $a) { status } }`,
        { a: demand.assignments[0].id },
        me,
      ),
    );
    const rec = dataOf(
      await sys.query(
        `mutation($i: RecordServiceInput!) { recordService(input: $i) { id } }`,
        { i: { assignmentId: demand.assignments[0].id, hours: 2, servedOn: shanghaiDay(0) } },
        me,
      ),
    ).recordService;
    dataOf(await sys.query(`mutation($r: ID!) { verifyService(recordId: $r) { verified } }`, { r: rec.id }, n.officer));
    const eventId = await delivered('service.verified', { serviceRecordId: rec.id });
    expect(await points(residentId)).toEqual([{ event: 'service.verified', eventId, points: 20 }]); // 10 an hour × 2 h
  });

  /** The caller's own inbox through the gateway: kind, title and what it is about. */
  const myInbox = async (token: string) =>
    dataOf(
      await sys.query(
        `{ myNotifications { nodes { kind title entityType entityId details { what when contact } } } }`,
        {},
        token,
      ),
    ).myNotifications.nodes;

  chain('assignment.proposed', async () => {
    const { residentId } = await newResident();
    await sys.waitForIdle();
    const volunteer = await newVolunteer(residentId, 'tutoring', [1, 2]);
    const demand = dataOf(
      await sys.query(
        `mutation($i: RecordDemandInput!) { recordDemand(input: $i) { id assignments { id volunteerId } } }`,
        {
          i: {
            siteId: n.siteId,
            category: 'CHILD_CARE',
            description: '辅导作业',
            requiredSkills: ['tutoring'],
            windowStart: shanghaiDay(1),
            windowEnd: shanghaiDay(2),
            hours: 1.5,
          },
        },
        n.officer,
      ),
    ).recordDemand;
    expect(demand.assignments).toEqual([{ id: expect.any(String), volunteerId: volunteer.id }]);
    await delivered('assignment.proposed', { assignmentId: demand.assignments[0].id, volunteerId: volunteer.id });
    expect(await myInbox(await tokenFor({ role: 'volunteer', volunteer: volunteer.id }))).toEqual([
      {
        kind: 'ASSIGNMENT_PROPOSED',
        title: '新的志愿服务：儿童关爱',
        entityType: 'Assignment',
        entityId: demand.assignments[0].id,
        details: { what: '儿童关爱（约1.5小时）', when: shanghaiDay(1), contact: '安置点1社区服务站' },
      },
    ]);
  });

  chain('demand.claimed', async () => {
    const head = await newResident();
    await sys.waitForIdle(); // matching knows the household
    const record = async (category: string) =>
      dataOf(
        await sys.query(
          `mutation($i: RecordDemandInput!) { recordDemand(input: $i) { id } }`,
          { i: { siteId: n.siteId, category, description: '需要帮助', householdId: head.householdId } },
          n.officer,
        ),
      ).recordDemand.id as string;
    // A unit claims one with a promised date.
    const unit = dataOf(
      await sys.query(
        `mutation($i: RegisterUnitInput!) { registerUnit(input: $i) { id } }`,
        { i: { name: '五华区人社局', kind: 'DEPARTMENT', regions: ['530102'] } },
        county,
      ),
    ).registerUnit.id;
    const byUnit = await record('JOB_HELP');
    dataOf(
      await sys.query(
        `mutation($d: ID!, $p: String!) { claimDemand(demandId: $d, promisedOn: $p) { id } }`,
        { d: byUnit, p: shanghaiDay(7) },
        await tokenFor({ role: 'unit_member', unit }),
      ),
    );
    await delivered('demand.claimed', { demandId: byUnit, claimedBy: 'unit', unitName: '五华区人社局' });
    const me = await tokenFor({
      role: 'resident',
      resident: head.residentId,
      sites: [n.siteId],
      sub: `resident-${head.residentId.slice(0, 8)}`,
    });
    expect(await myInbox(me)).toEqual([
      {
        kind: 'DEMAND_CLAIMED',
        title: '您的需求已被认领：就业帮扶',
        entityType: 'Demand',
        entityId: byUnit,
        details: { what: '就业帮扶', when: shanghaiDay(7), contact: '五华区人社局' },
      },
    ]);
    // A volunteer accepts another one of theirs (接单): told too, without the volunteer's name.
    const helper = await newResident();
    await sys.waitForIdle();
    const volunteer = await newVolunteer(helper.residentId, 'plumbing', [1]);
    const byVolunteer = dataOf(
      await sys.query(
        `mutation($i: RecordDemandInput!) { recordDemand(input: $i) { id assignments { id volunteerId } } }`,
        {
          i: {
            siteId: n.siteId,
            category: 'DAILY_LIFE',
            description: '修水管',
            householdId: head.householdId,
            requiredSkills: ['plumbing'],
            windowStart: shanghaiDay(1),
            windowEnd: shanghaiDay(1),
            hours: 1,
          },
        },
        n.officer,
      ),
    ).recordDemand;
    expect(byVolunteer.assignments).toEqual([{ id: expect.any(String), volunteerId: volunteer.id }]);
    dataOf(
      await sys.query(
        `mutation($a: ID!) { acceptAssignment(assignmentId: $a) { status } }`,
        { a: byVolunteer.assignments[0].id },
        await tokenFor({ role: 'volunteer', volunteer: volunteer.id }),
      ),
    );
    await delivered('demand.claimed', { demandId: byVolunteer.id, claimedBy: 'volunteer' });
    expect((await myInbox(me)).filter((x: { entityId: string }) => x.entityId === byVolunteer.id)).toEqual([
      {
        kind: 'DEMAND_CLAIMED',
        title: '志愿者已接单：生活服务',
        entityType: 'Demand',
        entityId: byVolunteer.id,
        details: { what: '生活服务', when: null, contact: '安置点1社区服务站' },
      },
    ]);
  });

  chain('survey.needs_reported', async () => {
    const { residentId } = await newResident();
    await sys.waitForIdle();
    const survey = dataOf(
      await sys.query(
        `mutation($i: CreateSurveyInput!) { createSurvey(input: $i) { id } }`,
        {
          i: {
            siteId: n.siteId,
            kind: 'SATISFACTION',
            title: '链路调查',
            closesAt: new Date(sys.clock.now().getTime() + 86_400_000).toISOString(),
            questions: [{ text: '您家目前最需要哪些帮助', kind: 'NEED' }],
          },
        },
        n.officer,
      ),
    ).createSurvey;
    const me = await tokenFor({
      role: 'resident',
      resident: residentId,
      sites: [n.siteId],
      sub: `resident-${residentId.slice(0, 8)}`,
    });
    dataOf(
      await sys.query(
        `mutation($s: ID!, $a: [SurveyAnswerInput!]!) { answerSurvey(surveyId: $s, answers: $a) { accepted } }`,
        { s: survey.id, a: [{ questionNo: 1, needs: ['LEGAL_AID'] }] },
        me,
      ),
    );
    dataOf(await sys.query(`mutation($s: ID!) { closeSurvey(surveyId: $s) { status } }`, { s: survey.id }, n.officer));
    await delivered('survey.needs_reported', { surveyId: survey.id, need: 'legal_aid' });
    expect(
      await sys.sql(`SELECT site_id, category, household_id FROM matching.demand WHERE survey_id = $1`, [survey.id]),
    ).toEqual([{ site_id: n.siteId, category: 'legal_aid', household_id: null }]);
  });
  /**
   * A referral of a household's case flagged overdue by social-orgs' hourly check, its event applied. The
   * overdue-flag tasks run with the system's clock: the due date is put in the past by hand (no mutation takes one).
   */
  const overdueReferral = async () => {
    const { householdId } = await newResident();
    await sys.waitForIdle();
    const o = await twoOrganizations(sys, n.provinceToken);
    const kase = dataOf(
      await sys.query(
        `mutation($i: OpenCaseInput!) { openCase(input: $i) { id } }`,
        { i: { kind: 'FAMILY_THERAPY', title: '链路个案', householdId, siteId: n.siteId } },
        o.ngoA,
      ),
    ).openCase;
    const referral = dataOf(
      await sys.query(
        `mutation($i: ReferCaseInput!) { referCase(input: $i) { id } }`,
        { i: { caseId: kase.id, agency: 'JUSTICE', reason: '法律援助申请', dueOn: shanghaiDay(0) } },
        o.ngoA,
      ),
    ).referCase;
    await sys.sql(`UPDATE social_orgs.referral SET due_on = $2 WHERE id = $1`, [referral.id, shanghaiDay(-1)]);
    expect(await sys.runTask('social-orgs', 'referrals.flag-overdue')).toEqual({ flagged: 1 });
    const eventId = await delivered('referral.overdue', { referralId: referral.id, householdId });
    return { householdId, referralId: referral.id as string, ngo: o.ngoA, eventId };
  };

  /** A unit's claim on a household's demand flagged overdue by matching's hourly check, its event applied. */
  const overdueClaim = async () => {
    const { householdId } = await newResident();
    await sys.waitForIdle();
    const unitId = dataOf(
      await sys.query(
        `mutation($i: RegisterUnitInput!) { registerUnit(input: $i) { id } }`,
        { i: { name: `链路共建单位${seq}`, kind: 'DEPARTMENT', regions: ['530102'] } },
        county,
      ),
    ).registerUnit.id;
    const demand = dataOf(
      await sys.query(
        `mutation($i: RecordDemandInput!) { recordDemand(input: $i) { id } }`,
        { i: { siteId: n.siteId, householdId, category: 'DAILY_LIFE', description: '更换门锁' } },
        n.officer,
      ),
    ).recordDemand;
    const unit = await tokenFor({ role: 'unit_member', unit: unitId });
    dataOf(
      await sys.query(
        `mutation($d: ID!, $p: String!) { claimDemand(demandId: $d, promisedOn: $p) { id } }`,
        { d: demand.id, p: shanghaiDay(1) },
        unit,
      ),
    );
    await sys.sql(`UPDATE matching.demand SET promised_on = $2 WHERE id = $1`, [demand.id, shanghaiDay(-1)]);
    expect(await sys.runTask('matching', 'matching.flag-overdue-claims')).toBe(1);
    const eventId = await delivered('demand.claim_overdue', { demandId: demand.id, unitId });
    return { householdId, demandId: demand.id as string, unit, eventId };
  };

  const followUp = (householdId: string, kind: string) =>
    sys.sql(
      `SELECT status, source_event_id AS "eventId", closed_by_event_id AS "closedBy" FROM governance.grid_task
      WHERE household_id = $1 AND kind = $2`,
      [householdId, kind],
    );

  chain('referral.overdue', async () => {
    const { householdId, eventId } = await overdueReferral();
    expect(await followUp(householdId, 'referral_overdue')).toEqual([{ status: 'open', eventId, closedBy: null }]);
  });

  chain('referral.resolved', async () => {
    const { householdId, referralId, ngo, eventId } = await overdueReferral();
    dataOf(
      await sys.query(
        `mutation($r: ID!) { recordReferralOutcome(referralId: $r, outcome: "已获法律援助") { id } }`,
        { r: referralId },
        ngo,
      ),
    );
    const closedBy = await delivered('referral.resolved', { referralId });
    expect(await followUp(householdId, 'referral_overdue')).toEqual([{ status: 'closed', eventId, closedBy }]);
  });

  chain('demand.claim_overdue', async () => {
    const { householdId, eventId } = await overdueClaim();
    expect(await followUp(householdId, 'claim_overdue')).toEqual([{ status: 'open', eventId, closedBy: null }]);
  });

  chain('demand.fulfilled', async () => {
    const { householdId, demandId, unit, eventId } = await overdueClaim();
    dataOf(await sys.query(`mutation($d: ID!) { startDemand(demandId: $d) { id } }`, { d: demandId }, unit));
    dataOf(
      await sys.query(
        `mutation($d: ID!) { fulfilDemand(demandId: $d, note: "门锁已更换") { id } }`,
        { d: demandId },
        unit,
      ),
    );
    const closedBy = await delivered('demand.fulfilled', { demandId });
    expect(await followUp(householdId, 'claim_overdue')).toEqual([{ status: 'closed', eventId, closedBy }]);
  });
});
