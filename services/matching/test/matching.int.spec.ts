import { randomUUID } from 'node:crypto';
import { addDays, provinceDate, type Clock } from '@anju/kit';
import { REGISTER_RESIDENT, TestSystem, dataOf, residentInput, seedPlace, tokenFor, type Place } from '@anju/testing';
import { matchingTasks } from '../src/tasks';

/**
 * The matching subgraph through the gateway: the demand lifecycle, claims by regional units and
 * the overdue job, volunteers with assignments and verified service hours, the engine's
 * candidates and batch, and the events in (gaps, residents) and out (demand.fulfilled, service.verified).
 */
const RECORD = `mutation($i: RecordDemandInput!) { recordDemand(input: $i) { id status hours assignments {
  id volunteerId status } } }`;
const CLAIM = `mutation($d: ID!, $p: String!) { claimDemand(demandId: $d, promisedOn: $p) {
  id status promisedOn claimedBy { name kind } } }`;
const VOLUNTEER = `mutation($i: RegisterVolunteerInput!) { registerVolunteer(input: $i) { id weeklyHours languages } }`;
/** The test system's clock (set in beforeAll): days are province days counted from its today. */
let clock: Clock;
const day = (offset: number) => addDays(provinceDate(clock.now()), offset);
const at = (offsetDays: number, hour: number) =>
  new Date(Date.parse(`${day(offsetDays)}T00:00:00+08:00`) + hour * 3_600_000).toISOString();

describe('matching through the gateway', () => {
  let sys: TestSystem;
  let place: Place;
  let officer: string;
  let county: string;
  let unitToken: string;
  let unitId: string;
  let otherUnitToken: string;

  const counts = () =>
    sys.sql(`SELECT (SELECT count(*) FROM matching.demand)::int AS d, (SELECT count(*)
      FROM matching.demand_transition)::int AS t,
    (SELECT count(*) FROM matching.volunteer)::int AS v, (SELECT count(*) FROM matching.service_record)::int AS r,
      (SELECT count(*) FROM matching.outbox)::int AS o`);

  beforeAll(async () => {
    sys = await TestSystem.start({
      label: 'matching',
      echoLogs: !!process.env.ECHO,
      apis: ['governance', 'matching'],
      workers: ['governance', 'matching'],
    });
    clock = sys.clock;
    place = await seedPlace(sys, 2);
    await sys.waitForIdle();
    officer = await tokenFor({ role: 'site_officer', sites: [place.siteIds[0]] });
    county = await tokenFor({ role: 'county', regions: ['530102'] });
    unitId = dataOf(
      await sys.query(
        `mutation($i: RegisterUnitInput!) { registerUnit(input: $i) { id name kind regions } }`,
        { i: { name: '五华区人社局', kind: 'DEPARTMENT', regions: ['530102'] } },
        county,
      ),
    ).registerUnit.id;
    unitToken = await tokenFor({ role: 'unit_member', unit: unitId });
    const other = dataOf(
      await sys.query(
        `mutation($i: RegisterUnitInput!) { registerUnit(input: $i) { id } }`,
        { i: { name: '盘龙区企业', kind: 'ENTERPRISE', regions: ['530103'] } },
        await tokenFor({ role: 'province', regions: ['53'] }),
      ),
    ).registerUnit.id;
    otherUnitToken = await tokenFor({ role: 'unit_member', unit: other });
  });
  afterAll(() => sys?.stop());

  describe('demands and claims', () => {
    it('runs open → claimed → in progress → fulfilled → closed, steps timed; publishes demand.fulfilled', async () => {
      const d = dataOf(
        await sys.query(
          RECORD,
          {
            i: {
              siteId: place.siteIds[0],
              category: 'ELDERLY_CARE',
              description: '独居老人每周探访',
              householdId: place.householdIds[0],
            },
          },
          officer,
        ),
      ).recordDemand;
      expect(d.status).toBe('OPEN');
      // The unit sees it among the open demands of its regions; a unit of another county does not.
      const seen = dataOf(
        await sys.query(`{ demands(status: OPEN) { totalCount nodes { id } } }`, {}, unitToken),
      ).demands;
      expect(seen.nodes.map((n: { id: string }) => n.id)).toContain(d.id);
      expect(
        dataOf(await sys.query(`{ demands(status: OPEN) { totalCount } }`, {}, otherUnitToken)).demands.totalCount,
      ).toBe(0);
      const outside = await sys.query(CLAIM, { d: d.id, p: day(7) }, otherUnitToken);
      expect(outside.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'demandId' });
      const byOfficer = await sys.query(CLAIM, { d: d.id, p: day(7) }, officer);
      expect(byOfficer.errors![0].extensions?.code).toBe('FORBIDDEN');
      const claimed = dataOf(await sys.query(CLAIM, { d: d.id, p: day(7) }, unitToken)).claimDemand;
      expect(claimed).toMatchObject({
        status: 'CLAIMED',
        promisedOn: day(7),
        claimedBy: { name: '五华区人社局', kind: 'DEPARTMENT' },
      });
      expect(
        dataOf(await sys.query(`mutation($d: ID!) { startDemand(demandId: $d) { status } }`, { d: d.id }, unitToken))
          .startDemand.status,
      ).toBe('IN_PROGRESS');
      expect(
        dataOf(
          await sys.query(
            `mutation($d: ID!) { fulfilDemand(demandId: $d, note: "已探访") { status } }`,
            { d: d.id },
            unitToken,
          ),
        ).fulfilDemand.status,
      ).toBe('FULFILLED');
      // Only an officer closes.
      const byUnit = await sys.query(
        `mutation($d: ID!) { closeDemand(demandId: $d) { status } }`,
        { d: d.id },
        unitToken,
      );
      expect(byUnit.errors![0].extensions?.code).toBe('FORBIDDEN');
      const closed = dataOf(
        await sys.query(
          `mutation($d: ID!) { closeDemand(demandId: $d) { status history { from to at note } } }`,
          { d: d.id },
          officer,
        ),
      ).closeDemand;
      expect(closed.history.map((h: { from: string | null; to: string }) => `${h.from ?? ''}>${h.to}`)).toEqual([
        '>OPEN',
        'OPEN>CLAIMED',
        'CLAIMED>IN_PROGRESS',
        'IN_PROGRESS>FULFILLED',
        'FULFILLED>CLOSED',
      ]);
      expect(closed.history.every((h: { at: string }) => !Number.isNaN(Date.parse(h.at)))).toBe(true);
      const [event] = await sys.sql(
        `SELECT payload FROM matching.outbox WHERE event = 'demand.fulfilled' AND payload->>'demandId' = $1`,
        [d.id],
      );
      expect(event.payload).toMatchObject({
        demandId: d.id,
        siteId: place.siteIds[0],
        householdId: place.householdIds[0],
        unitId,
      });
      // The public board shows who claimed it and that it was done, to any signed-in caller.
      const board = dataOf(
        await sys.query(
          `query($s: ID!) { claimsBoard(siteId: $s) { demandId unitName status fulfilledAt overdue } }`,
          { s: place.siteIds[0] },
          await tokenFor({ role: 'resident', resident: randomUUID() }),
        ),
      ).claimsBoard;
      expect(board).toContainEqual(
        expect.objectContaining({ demandId: d.id, unitName: '五华区人社局', status: 'CLOSED', overdue: false }),
      );
    });

    it('refuses claiming a closed demand, a past promise, a reversed window (typed errors), writing none', async () => {
      const d = dataOf(
        await sys.query(
          RECORD,
          { i: { siteId: place.siteIds[0], category: 'HEALTH', description: '血压测量' } },
          officer,
        ),
      ).recordDemand;
      dataOf(await sys.query(`mutation($d: ID!) { cancelDemand(demandId: $d) { status } }`, { d: d.id }, officer));
      const before = await counts();
      const res = await sys.query(CLAIM, { d: d.id, p: day(3) }, unitToken);
      expect(res.errors![0]).toMatchObject({
        extensions: { code: 'BAD_USER_INPUT', field: 'demandId', reason: 'INVALID_TRANSITION' },
      });
      const open = dataOf(
        await sys.query(
          RECORD,
          { i: { siteId: place.siteIds[0], category: 'HEALTH', description: '复诊陪同' } },
          officer,
        ),
      ).recordDemand;
      const mid = await counts();
      const past = await sys.query(CLAIM, { d: open.id, p: day(-2) }, unitToken);
      expect(past.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'promisedOn', reason: 'PAST' });
      const reversed = await sys.query(
        RECORD,
        {
          i: { siteId: place.siteIds[0], category: 'HEALTH', description: 'x', windowStart: day(5), windowEnd: day(2) },
        },
        officer,
      );
      expect(reversed.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.windowEnd',
        reason: 'WINDOW_REVERSED',
      });
      const negative = await sys.query(
        RECORD,
        { i: { siteId: place.siteIds[0], category: 'HEALTH', description: 'x', hours: -1 } },
        officer,
      );
      expect(negative.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.hours',
        reason: 'NEGATIVE',
      });
      expect(await counts()).toEqual(mid);
      expect(mid[0].d).toBe(before[0].d + 1);
    });

    it('flags a claim past its promised date (scheduled task, controlled clock) and lets it be reopened', async () => {
      const d = dataOf(
        await sys.query(
          RECORD,
          { i: { siteId: place.siteIds[0], category: 'LEGAL_AID', description: '劳动合同咨询' } },
          officer,
        ),
      ).recordDemand;
      dataOf(await sys.query(CLAIM, { d: d.id, p: day(2) }, unitToken));
      const db = (await import('typeorm')).DataSource;
      const ds = new db({
        type: 'postgres',
        url: sys.db.url,
        schema: 'matching',
        extra: { options: '-c search_path=matching' },
      });
      await ds.initialize();
      try {
        const [flag] = matchingTasks(ds, { now: () => new Date(clock.now().getTime() + 1 * 86_400_000) });
        expect(flag.name).toBe('matching.flag-overdue-claims');
        await flag.run(); // the day after tomorrow has not come: nothing flagged
        expect(
          dataOf(await sys.query(`query($id: ID!) { demand(id: $id) { overdue } }`, { id: d.id }, officer)).demand
            .overdue,
        ).toBe(false);
        const late = matchingTasks(ds, { now: () => new Date(clock.now().getTime() + 4 * 86_400_000) })[0];
        expect(await late.run()).toBeGreaterThanOrEqual(1);
        expect(await late.run()).toBe(0); // flagged once
      } finally {
        await ds.destroy();
      }
      const flagged = dataOf(
        await sys.query(`query($id: ID!) { demand(id: $id) { overdue overdueSince } }`, { id: d.id }, officer),
      ).demand;
      expect(flagged.overdue).toBe(true);
      const board = dataOf(
        await sys.query(
          `query($s: ID!) { claimsBoard(siteId: $s) { demandId overdue } }`,
          { s: place.siteIds[0] },
          unitToken,
        ),
      ).claimsBoard;
      expect(board).toContainEqual({ demandId: d.id, overdue: true });
      // The overdue list, under a region: what a county's page shows as 逾期认领.
      const LIST = `query($r: ID, $o: Boolean) { demands(regionCode: $r, overdue: $o, first: 200) { totalCount nodes {
        id overdue status } } }`;
      const ids = async (vars: Record<string, unknown>) => {
        const page = dataOf(await sys.query(LIST, vars, place.provinceToken)).demands;
        expect(page.nodes).toHaveLength(page.totalCount);
        return page.nodes as { id: string; overdue: boolean; status: string }[];
      };
      const overdue = await ids({ r: '530102', o: true });
      expect(overdue.map((x) => x.id)).toContain(d.id);
      expect(overdue.every((x) => x.overdue && ['CLAIMED', 'IN_PROGRESS'].includes(x.status))).toBe(true);
      expect((await ids({ r: '530102', o: false })).map((x) => x.id)).not.toContain(d.id);
      expect(await ids({ r: '5302', o: true })).toEqual([]);
      const bad = await sys.query(LIST, { r: '5301x', o: true }, place.provinceToken);
      expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'regionCode' });
      const reopened = dataOf(
        await sys.query(
          `mutation($d: ID!) { reopenDemand(demandId: $d, note: "逾期") { status overdue claimedBy { name } } }`,
          { d: d.id },
          officer,
        ),
      ).reopenDemand;
      expect(reopened).toEqual({ status: 'OPEN', overdue: false, claimedBy: null });
    });
  });

  /**
   * The two volunteers the batch counts, registered once for the tests that need them (whichever runs first):
   * 阿依, a resident speaking Yi, and 小王 with better skills; 10 weekly hours each, available days 1–3.
   */
  let volunteersOnce: Promise<{ yiSpeaker: string; volunteerToken: string; residentId: string }> | undefined;
  const volunteers = () => (volunteersOnce ??= registerVolunteers());
  async function registerVolunteers() {
    const residentId = dataOf(
      await sys.query(REGISTER_RESIDENT, { i: residentInput(place.householdIds[0], 1) }, officer),
    ).registerResident.id;
    await sys.waitForIdle();
    const windows = [1, 2, 3].map((d) => ({ startsAt: at(d, 9), endsAt: at(d, 17) }));
    const yiSpeaker = dataOf(
      await sys.query(
        VOLUNTEER,
        {
          i: {
            displayName: '阿依',
            residentId,
            homeSiteId: place.siteIds[0],
            skills: ['job_coaching'],
            languages: ['普通话', '彝语'],
            weeklyHours: 10,
            availability: windows,
          },
        },
        officer,
      ),
    ).registerVolunteer.id;
    dataOf(
      await sys.query(
        VOLUNTEER,
        {
          i: {
            displayName: '小王',
            homeSiteId: place.siteIds[0],
            skills: ['job_coaching', 'computer'],
            languages: ['普通话'],
            weeklyHours: 10,
            availability: windows,
          },
        },
        officer,
      ),
    );
    return { yiSpeaker, volunteerToken: await tokenFor({ role: 'volunteer', volunteer: yiSpeaker }), residentId };
  }

  /**
   * Gives the volunteers their whole week back, for a test that counts on their capacity: every demand holding one
   * of them (proposed or accepted, by the tests before) is cancelled, which withdraws its assignments.
   */
  async function freeVolunteers() {
    const busy = await sys.sql(
      `SELECT DISTINCT demand_id AS id FROM matching.assignment WHERE status IN ('proposed', 'accepted')`,
    );
    for (const { id } of busy)
      dataOf(await sys.query(`mutation($d: ID!) { cancelDemand(demandId: $d) { status } }`, { d: id }, county));
  }

  /** Declines an assignment as its volunteer. */
  async function decline(assignment: { id: string; volunteerId: string }) {
    dataOf(
      await sys.query(
        `mutation($a: ID!) { declineAssignment(assignmentId: $a) { status } }`,
        { a: assignment.id },
        await tokenFor({ role: 'volunteer', volunteer: assignment.volunteerId }),
      ),
    );
  }

  describe('volunteers, assignments and service hours', () => {
    let yiSpeaker: string;
    let volunteerToken: string;
    let residentId: string;

    beforeAll(async () => {
      ({ yiSpeaker, volunteerToken, residentId } = await volunteers());
    });

    it('refuses a window that ends before it starts and negative hours, writing nothing', async () => {
      const before = await counts();
      const bad = await sys.query(
        VOLUNTEER,
        {
          i: {
            displayName: 'x',
            homeSiteId: place.siteIds[0],
            weeklyHours: 5,
            availability: [{ startsAt: at(2, 12), endsAt: at(2, 9) }],
          },
        },
        officer,
      );
      expect(bad.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.availability.0.endsAt',
        reason: 'WINDOW_REVERSED',
      });
      const neg = await sys.query(
        VOLUNTEER,
        { i: { displayName: 'x', homeSiteId: place.siteIds[0], weeklyHours: -3 } },
        officer,
      );
      expect(neg.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.weeklyHours',
        reason: 'NEGATIVE',
      });
      expect(await counts()).toEqual(before);
    });

    it('matches a demand needing Yi only to a Yi speaker, at once, with an explained score', async () => {
      await freeVolunteers();
      const d = dataOf(
        await sys.query(
          RECORD,
          {
            i: {
              siteId: place.siteIds[0],
              category: 'JOB_HELP',
              description: '彝语就业指导',
              languages: ['彝语'],
              requiredSkills: ['computer'],
              windowStart: day(1),
              windowEnd: day(3),
              hours: 3,
            },
          },
          officer,
        ),
      ).recordDemand;
      // The Mandarin-only volunteer has the better skills, but the language is a hard constraint.
      expect(d.assignments).toEqual([expect.objectContaining({ volunteerId: yiSpeaker, status: 'PROPOSED' })]);
      const ranked = dataOf(
        await sys.query(
          `query($d: ID!) { candidates(demandId: $d) { volunteerId score components { name value weight detail } } }`,
          { d: d.id },
          officer,
        ),
      ).candidates;
      expect(ranked.map((c: { volunteerId: string }) => c.volunteerId)).toEqual([yiSpeaker]);
      expect(ranked[0].components.find((c: { name: string }) => c.name === 'skills')).toMatchObject({
        value: 0,
        detail: '0 of 1 required skills',
      });
      // The volunteer sees the assignment, accepts it; the demand is in progress.
      const mine = dataOf(
        await sys.query(
          `{ myAssignments(status: PROPOSED) { id demand { id } explanation { name } } }`,
          {},
          volunteerToken,
        ),
      ).myAssignments;
      expect(mine).toHaveLength(1);
      const accepted = dataOf(
        await sys.query(
          `mutation($a: ID!) { acceptAssignment(assignmentId: $a) { status demand { status } } }`,
          { a: mine[0].id },
          volunteerToken,
        ),
      ).acceptAssignment;
      expect(accepted).toEqual({ status: 'ACCEPTED', demand: { status: 'IN_PROGRESS' } });
      // Hours: negative refused; recorded; verified by the officer → service.verified with the resident id.
      const neg = await sys.query(
        `mutation($i: RecordServiceInput!) { recordService(input: $i) { id } }`,
        { i: { assignmentId: mine[0].id, hours: -2, servedOn: day(1) } },
        volunteerToken,
      );
      expect(neg.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.hours',
        reason: 'NEGATIVE',
      });
      const rec = dataOf(
        await sys.query(
          `mutation($i: RecordServiceInput!) { recordService(input: $i) { id hours verified } }`,
          { i: { assignmentId: mine[0].id, hours: 3, servedOn: day(1) } },
          volunteerToken,
        ),
      ).recordService;
      expect(rec).toMatchObject({ hours: 3, verified: false });
      const notMine = await sys.query(
        `mutation($r: ID!) { verifyService(recordId: $r) { id } }`,
        { r: rec.id },
        otherUnitToken,
      );
      expect(notMine.errors![0].extensions?.code).toBe('NOT_FOUND');
      const verified = dataOf(
        await sys.query(
          `mutation($r: ID!) { verifyService(recordId: $r) { verified verifiedAt } }`,
          { r: rec.id },
          officer,
        ),
      ).verifyService;
      expect(verified.verified).toBe(true);
      const [event] = await sys.sql(
        `SELECT payload FROM matching.outbox WHERE event = 'service.verified' AND payload->>'serviceRecordId' = $1`,
        [rec.id],
      );
      expect(event.payload).toMatchObject({
        volunteerId: yiSpeaker,
        volunteerResidentId: residentId,
        demandId: d.id,
        siteId: place.siteIds[0],
        hours: 3,
      });
      const again = await sys.query(`mutation($r: ID!) { verifyService(recordId: $r) { id } }`, { r: rec.id }, officer);
      expect(again.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ALREADY_VERIFIED' });
    });

    it('proposes the next volunteer when one declines, and never beyond capacity', async () => {
      await freeVolunteers();
      const d = dataOf(
        await sys.query(
          RECORD,
          {
            i: {
              siteId: place.siteIds[0],
              category: 'TRAINING',
              description: '电脑培训',
              requiredSkills: ['computer'],
              windowStart: day(1),
              windowEnd: day(3),
              hours: 4,
            },
          },
          officer,
        ),
      ).recordDemand;
      expect(d.assignments).toHaveLength(1);
      const first = d.assignments[0].volunteerId;
      await decline(d.assignments[0]);
      const after = dataOf(
        await sys.query(
          `query($id: ID!) { demand(id: $id) { assignments { volunteerId status } } }`,
          { id: d.id },
          officer,
        ),
      ).demand.assignments;
      expect(after).toEqual([
        { volunteerId: first, status: 'DECLINED' },
        { volunteerId: expect.not.stringMatching(first), status: 'PROPOSED' },
      ]);
      // 20 more hours than anyone has: proposed at once while capacity lasts. One proposal declined frees its
      // volunteer's hours for the others left waiting: the batch fills capacity and stops.
      const recorded: { assignments: { id: string; volunteerId: string }[] }[] = [];
      for (let i = 0; i < 5; i++)
        recorded.push(
          dataOf(
            await sys.query(
              RECORD,
              {
                i: {
                  siteId: place.siteIds[0],
                  category: 'OTHER',
                  description: `活动${i}`,
                  windowStart: day(1),
                  windowEnd: day(3),
                  hours: 4,
                },
              },
              officer,
            ),
          ).recordDemand,
        );
      const proposed = recorded.flatMap((r) => r.assignments);
      expect(proposed.length).toBeGreaterThan(0);
      await decline(proposed[0]);
      const batch = dataOf(
        await sys.query(
          `mutation { runBatchMatch { demands volunteers assigned totalScore } }`,
          {},
          await tokenFor({ role: 'province', regions: ['53'] }),
        ),
      ).runBatchMatch;
      expect(batch.volunteers).toBe(2);
      expect(batch.assigned).toBeGreaterThan(0);
      const load = await sys.sql(
        `SELECT volunteer_id, sum(hours)::float8 AS h FROM matching.assignment WHERE status IN ('proposed',
          'accepted') GROUP BY volunteer_id`,
      );
      expect(load).toHaveLength(2);
      for (const row of load) expect(row.h).toBeLessThanOrEqual(10);
      // It stopped at capacity: some of the five demands are left without a volunteer.
      const [{ left }] =
        await sys.sql(`SELECT count(*)::int AS left FROM matching.demand d WHERE d.description LIKE '活动%'
        AND NOT EXISTS (SELECT 1 FROM matching.assignment a WHERE a.demand_id = d.id AND a.status IN ('proposed',
          'accepted'))`);
      expect(left).toBeGreaterThan(0);
    });

    it('scopes: a volunteer sees own assignments and open demands they could take; a resident, the home', async () => {
      // An open demand of the resident's household, in Yi, after every volunteer's availability: proposed to no one,
      // it takes none of the capacity the other tests count on.
      const home = dataOf(
        await sys.query(
          RECORD,
          {
            i: {
              siteId: place.siteIds[0],
              householdId: place.householdIds[0],
              category: 'DAILY_LIFE',
              description: '彝语代办',
              languages: ['彝语'],
              windowStart: day(20),
              windowEnd: day(21),
            },
          },
          officer,
        ),
      ).recordDemand;
      expect(home.assignments).toEqual([]);
      const visible = dataOf(await sys.query(`{ demands { nodes { id status languages } } }`, {}, volunteerToken))
        .demands.nodes;
      expect(visible).toContainEqual({ id: home.id, status: 'OPEN', languages: ['彝语'] });
      const resident = await tokenFor({ role: 'resident', resident: residentId });
      const own = dataOf(await sys.query(`{ demands { nodes { id } } }`, {}, resident)).demands.nodes;
      const hh = await sys.sql(`SELECT id FROM matching.demand WHERE household_id = $1`, [place.householdIds[0]]);
      expect(own.map((n: { id: string }) => n.id)).toContain(home.id);
      expect(own.map((n: { id: string }) => n.id).sort()).toEqual(hh.map((r) => r.id).sort());
      const stranger = await tokenFor({ role: 'resident', resident: randomUUID() });
      expect(dataOf(await sys.query(`{ demands { totalCount } }`, {}, stranger)).demands.totalCount).toBe(0);
    });
  });

  describe('entities and the nightly batch', () => {
    it('resolves Demand, Volunteer and Unit by _entities only within scope', async () => {
      const d = dataOf(
        await sys.query(
          RECORD,
          { i: { siteId: place.siteIds[0], category: 'DAILY_LIFE', description: '代购' } },
          officer,
        ),
      ).recordDemand;
      // A volunteer of site 1 with no availability: the batch counts only the two available.
      const v = dataOf(
        await sys.query(
          VOLUNTEER,
          { i: { displayName: '小赵', homeSiteId: place.siteIds[0], languages: ['普通话'], weeklyHours: 4 } },
          officer,
        ),
      ).registerVolunteer;
      const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Demand { id status } ... on Volunteer {
        id displayName } ... on Unit { id name } } }`;
      const reps = {
        r: [
          { __typename: 'Demand', id: d.id },
          { __typename: 'Volunteer', id: v.id },
          { __typename: 'Unit', id: unitId },
        ],
      };
      expect(dataOf(await sys.direct('matching', q, reps, officer))._entities).toEqual([
        { id: d.id, status: 'OPEN' },
        { id: v.id, displayName: '小赵' },
        { id: unitId, name: '五华区人社局' },
      ]);
      const officerB = await tokenFor({ role: 'site_officer', sites: [place.siteIds[1]] });
      const other = dataOf(await sys.direct('matching', q, reps, officerB))._entities;
      expect(other.slice(0, 2)).toEqual([null, null]);
    });

    it('runs the nightly batch as a scheduled task on a controlled clock', async () => {
      const { yiSpeaker } = await volunteers();
      const nightly = (description: string, hours: number, languages: string[] = []) =>
        sys
          .query(
            RECORD,
            {
              i: {
                siteId: place.siteIds[0],
                category: 'OTHER',
                description,
                languages,
                windowStart: day(2),
                windowEnd: day(3),
                hours,
              },
            },
            officer,
          )
          .then(
            (res) => dataOf(res).recordDemand as { id: string; assignments: { id: string; volunteerId: string }[] },
          );
      // Both volunteers with their whole week: work in Yi, proposed to 阿依 (only she speaks it), and work any of them
      // can do, declined by the one it was proposed to — the batch must not propose it to them again.
      await freeVolunteers();
      expect((await nightly('夜间批量（彝语）', 1, ['彝语'])).assignments).toEqual([
        expect.objectContaining({ volunteerId: yiSpeaker }),
      ]);
      const plain = await nightly('夜间批量', 1);
      expect(plain.assignments).toHaveLength(1);
      const declined = plain.assignments[0];
      await decline(declined);
      // More hours than anyone's week: no one is proposed, it waits for the batch.
      expect((await nightly('夜间批量（超出能力）', 12)).assignments).toEqual([]);
      const { DataSource } = await import('typeorm');
      const ds = new DataSource({
        type: 'postgres',
        url: sys.db.url,
        schema: 'matching',
        extra: { options: '-c search_path=matching' },
      });
      await ds.initialize();
      try {
        const nightly = matchingTasks(ds, { now: () => new Date(clock.now().getTime() + 86_400_000) }).find(
          (t) => t.name === 'matching.nightly-batch',
        )!;
        expect(nightly.cron).toBe('30 1 * * *');
        const active = async () =>
          (
            await sys.sql(`SELECT count(*)::int AS n FROM matching.assignment WHERE status IN ('proposed', 'accepted')`)
          )[0].n;
        // Waiting on the batch's day (the test clock's tomorrow, never the database's now()).
        const [{ waiting }] = await sys.sql(
          `SELECT count(*)::int AS waiting FROM matching.demand d
            WHERE d.status IN ('open', 'claimed') AND (d.window_end IS NULL OR d.window_end >= $1::date)
              AND NOT EXISTS (SELECT 1 FROM matching.assignment a WHERE a.demand_id = d.id AND a.status IN ('proposed',
                'accepted'))`,
          [day(1)],
        );
        const before = await active();
        const run = (await nightly.run()) as { demands: number; volunteers: number; assigned: number };
        expect(run.volunteers).toBe(2);
        expect(run.demands).toBe(waiting);
        expect(waiting).toBeGreaterThan(0);
        expect(await active()).toBe(before + run.assigned);
      } finally {
        await ds.destroy();
      }
      // The declined work went to the other volunteer, not back to the one who declined it.
      const holders = await sys.sql(
        `SELECT volunteer_id AS v FROM matching.assignment WHERE demand_id = $1 AND status IN ('proposed', 'accepted')`,
        [plain.id],
      );
      expect(holders).toHaveLength(1);
      expect(holders[0].v).not.toBe(declined.volunteerId);
      // 阿依 (the Yi work) and the plain work's holder have work (the batch may add waiting work of the tests before),
      // each within their 10 hours a week.
      const load = await sys.sql(
        `SELECT volunteer_id AS v, sum(hours)::float8 AS h FROM matching.assignment WHERE status IN ('proposed',
          'accepted') GROUP BY volunteer_id`,
      );
      expect(load.map((r) => r.v)).toEqual(expect.arrayContaining([yiSpeaker, holders[0].v]));
      for (const row of load) expect(row.h).toBeLessThanOrEqual(10);
    });

    it('adds availability for a volunteer (themself or a site officer), audited; other volunteers cannot', async () => {
      const ADD = `mutation($v: ID!, $w: [AvailabilityInput!]!) { addAvailability(volunteerId: $v, windows: $w) {
        id } }`;
      // A past window: it changes no batch of the tests above or below.
      const w = [{ startsAt: at(-10, 9), endsAt: at(-10, 12) }];
      const v = dataOf(
        await sys.query(
          VOLUNTEER,
          { i: { displayName: '小李', homeSiteId: place.siteIds[1], languages: ['普通话'], weeklyHours: 4 } },
          await tokenFor({ role: 'site_officer', sites: [place.siteIds[1]] }),
        ),
      ).registerVolunteer.id;
      const windows = () =>
        sys.sql(`SELECT count(*)::int AS n FROM matching.volunteer_availability WHERE volunteer_id = $1`, [v]);
      const stranger = await sys.query(ADD, { v, w }, await tokenFor({ role: 'volunteer', volunteer: randomUUID() }));
      expect(stranger.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'volunteerId' });
      const otherSite = await sys.query(ADD, { v, w }, officer);
      expect(otherSite.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'volunteerId' });
      expect(await windows()).toEqual([{ n: 0 }]);
      dataOf(await sys.query(ADD, { v, w }, await tokenFor({ role: 'volunteer', volunteer: v })));
      expect(await windows()).toEqual([{ n: 1 }]);
      expect(await sys.audits('matching', v)).toEqual([
        { action: 'volunteer.register', role: 'site_officer' },
        { action: 'volunteer.add_availability', role: 'volunteer' },
      ]);
    });
  });

  describe('events in', () => {
    it('raises a job-help demand from household.gap.detected once, and closes it on household.gap.closed', async () => {
      const queue = sys.queue('matching');
      const gapId = randomUUID();
      const envelope = (name: string, payload: object) => ({
        id: randomUUID(),
        name,
        version: 1,
        producer: 'employment',
        occurredAt: clock.now().toISOString(),
        payload,
      });
      const detected = envelope('household.gap.detected', {
        gapId,
        householdId: place.householdIds[1],
        siteId: place.siteIds[1],
        regionCode: '530102',
        rules: ['EMPLOYED_MEMBER'],
        needsJobHelp: true,
        detectedOn: day(0),
      });
      await queue.add('household.gap.detected', detected, { jobId: detected.id });
      // same gap again
      await queue.add('household.gap.detected', { ...detected, id: randomUUID() }, { jobId: `${detected.id}-dup` });
      const noJob = envelope('household.gap.detected', {
        gapId: randomUUID(),
        householdId: place.householdIds[1],
        siteId: place.siteIds[1],
        regionCode: '530102',
        rules: ['TRAINING_AND_SKILL'],
        needsJobHelp: false,
        detectedOn: day(0),
      });
      await queue.add('household.gap.detected', noJob, { jobId: noJob.id });
      await sys.waitForIdle();
      const rows = await sys.sql(`SELECT id, category, status, urgency FROM matching.demand WHERE household_id = $1`, [
        place.householdIds[1],
      ]);
      expect(rows).toEqual([expect.objectContaining({ category: 'job_help', status: 'open', urgency: 'high' })]);
      // One household's demands (its page in the portal).
      const OF_HOUSEHOLD = `query($h: ID!) { demands(householdId: $h) { totalCount nodes { id } } }`;
      expect(dataOf(await sys.query(OF_HOUSEHOLD, { h: place.householdIds[1] }, county)).demands.nodes).toEqual([
        { id: rows[0].id },
      ]);
      expect(dataOf(await sys.query(OF_HOUSEHOLD, { h: randomUUID() }, county)).demands.totalCount).toBe(0);
      const closed = envelope('household.gap.closed', {
        gapId,
        householdId: place.householdIds[1],
        siteId: place.siteIds[1],
        regionCode: '530102',
        closedOn: day(0),
      });
      await queue.add('household.gap.closed', closed, { jobId: closed.id });
      await sys.waitForIdle();
      await queue.close();
      const d = dataOf(
        await sys.query(
          `query($id: ID!) { demand(id: $id) { status history { to note } } }`,
          { id: rows[0].id },
          county,
        ),
      ).demand;
      expect(d.status).toBe('CLOSED');
      expect(d.history.at(-1).to).toBe('CLOSED');
    });
  });
});
