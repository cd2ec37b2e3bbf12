import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { registerResidents, seedNeighbourhood, type Neighbourhood } from './helpers';

/** Rule of law (法治): legal advisers, lawyer visits with bookings within capacity, mediation cases. */
describe('rule of law (governance)', () => {
  let sys: TestSystem;
  let n: Neighbourhood;
  let county: string;
  let adviserId: string;
  let residentIds: string[];
  let residents: string[];
  let outsider: string;
  const HOUR = 3_600_000;
  const VISIT = `id capacity booked remaining bookedByMe bookings { topic resident { id } } adviser { name kind }`;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'gov-law', apis: ['governance'], workers: ['governance'] });
    n = await seedNeighbourhood(sys);
    county = await tokenFor({ role: 'county', regions: ['530102'] });
    residentIds = await registerResidents(
      sys,
      n.officer,
      [1, 2, 3, 4, 5].map((seq) => ({ householdId: n.householdIds[seq % 2], seq })),
    );
    residents = await Promise.all(
      residentIds.map((r) => tokenFor({ role: 'resident', resident: r, sites: [n.siteId] })),
    );
    const [hhB] = await sys.sql(`SELECT id FROM governance.household WHERE site_id = $1`, [n.siteIds[1]]);
    const [rb] = await registerResidents(sys, n.provinceToken, [{ householdId: hhB.id, seq: 20 }]);
    outsider = await tokenFor({ role: 'resident', resident: rb, sites: [n.siteIds[1]] });
    // The adviser every visit and case below names (so each test runs alone, `-t`); the first test checks it.
    adviserId = dataOf(
      await sys.query(
        `mutation($i: RegisterLegalAdviserInput!) { registerLegalAdviser(input: $i) { id } }`,
        {
          i: {
            regionCode: '530102',
            name: '陈律师',
            kind: 'PUBLIC_LAWYER',
            organization: '五华区司法局',
            siteIds: [n.siteId],
          },
        },
        county,
      ),
    ).registerLegalAdviser.id;
  });
  afterAll(() => sys?.stop());

  it('registers a legal adviser for a site; residents of the site see them', async () => {
    expect(
      dataOf(
        await sys.query(
          `query($s: ID!) { legalAdvisers(siteId: $s) { name kind organization sites { name } } }`,
          { s: n.siteId },
          residents[0],
        ),
      ).legalAdvisers,
    ).toEqual([{ name: '陈律师', kind: 'PUBLIC_LAWYER', organization: '五华区司法局', sites: [{ name: '安置点1' }] }]);
    expect(
      dataOf(await sys.query(`query($s: ID!) { legalAdvisers(siteId: $s) { name } }`, { s: n.siteId }, outsider))
        .legalAdvisers,
    ).toEqual([]);
    const officerTry = await sys.query(
      `mutation($i: RegisterLegalAdviserInput!) { registerLegalAdviser(input: $i) { id } }`,
      { i: { regionCode: '530102', name: 'x', kind: 'LEGAL_ADVISER', siteIds: [] } },
      n.officer,
    );
    expect(officerTry.errors![0].extensions?.code).toBe('FORBIDDEN');
    expect(await sys.audits('governance', adviserId)).toEqual([{ action: 'legal_adviser.register', role: 'county' }]);
  });

  it('schedules a visit, takes bookings to capacity, one per resident; officers see who booked and why', async () => {
    const bad = await sys.query(
      `mutation($i: ScheduleLawyerVisitInput!) { scheduleLawyerVisit(input: $i) { id } }`,
      {
        i: {
          siteId: n.siteId,
          adviserId,
          startsAt: new Date(sys.clock.now().getTime() - HOUR).toISOString(),
          endsAt: new Date(sys.clock.now().getTime() + HOUR).toISOString(),
          place: '党群服务中心',
          capacity: 2,
        },
      },
      n.officer,
    );
    expect(bad.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.startsAt',
      reason: 'PAST',
    });
    const otherSite = await sys.query(
      `mutation($i: ScheduleLawyerVisitInput!) { scheduleLawyerVisit(input: $i) { id } }`,
      {
        i: {
          siteId: n.siteIds[1],
          adviserId,
          startsAt: new Date(sys.clock.now().getTime() + HOUR).toISOString(),
          endsAt: new Date(sys.clock.now().getTime() + 3 * HOUR).toISOString(),
          place: 'x',
          capacity: 2,
        },
      },
      county,
    );
    expect(otherSite.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.adviserId',
      reason: 'NOT_SERVING',
    });

    const visit = dataOf(
      await sys.query(
        `mutation($i: ScheduleLawyerVisitInput!) { scheduleLawyerVisit(input: $i) { ${VISIT} } }`,
        {
          i: {
            siteId: n.siteId,
            adviserId,
            startsAt: new Date(sys.clock.now().getTime() + 24 * HOUR).toISOString(),
            endsAt: new Date(sys.clock.now().getTime() + 27 * HOUR).toISOString(),
            place: '党群服务中心',
            capacity: 2,
          },
        },
        n.officer,
      ),
    ).scheduleLawyerVisit;
    expect(visit).toMatchObject({
      capacity: 2,
      booked: 0,
      remaining: 2,
      adviser: { name: '陈律师', kind: 'PUBLIC_LAWYER' },
    });
    const book = (t: string, topic = '拖欠工资怎么办') =>
      sys.query(
        `mutation($v: ID!, $t: String!) { bookLawyerVisit(visitId: $v, topic: $t) { ${VISIT} } }`,
        { v: visit.id, t: topic },
        t,
      );
    const first = dataOf(await book(residents[0])).bookLawyerVisit;
    expect(first).toMatchObject({ booked: 1, remaining: 1, bookedByMe: true, bookings: null });
    expect((await book(residents[0])).errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE' });
    dataOf(await book(residents[1], '宅基地纠纷'));
    expect((await book(residents[2])).errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'FULL' });
    expect((await book(outsider)).errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    const seen = dataOf(
      await sys.query(`query($s: ID!) { lawyerVisits(siteId: $s) { ${VISIT} } }`, { s: n.siteId }, n.officer),
    ).lawyerVisits[0];
    expect(seen.bookings).toEqual([
      { topic: '拖欠工资怎么办', resident: { id: residentIds[0] } },
      { topic: '宅基地纠纷', resident: { id: residentIds[1] } },
    ]);
    // A cancellation frees a place.
    dataOf(
      await sys.query(
        `mutation($v: ID!) { cancelLawyerVisitBooking(visitId: $v) { remaining } }`,
        { v: visit.id },
        residents[1],
      ),
    );
    expect(dataOf(await book(residents[2])).bookLawyerVisit.remaining).toBe(0);
    // Audited: the visit, the three bookings that were taken and the cancellation; no refused attempt.
    expect((await sys.audits('governance', visit.id)).map((a) => a.action)).toEqual([
      'lawyer_visit.schedule',
      'lawyer_visit.book',
      'lawyer_visit.book',
      'lawyer_visit.cancel_booking',
      'lawyer_visit.book',
    ]);
  });

  it('never overbooks under concurrent bookings', async () => {
    const visit = dataOf(
      await sys.query(
        `mutation($i: ScheduleLawyerVisitInput!) { scheduleLawyerVisit(input: $i) { id } }`,
        {
          i: {
            siteId: n.siteId,
            adviserId,
            startsAt: new Date(sys.clock.now().getTime() + 48 * HOUR).toISOString(),
            endsAt: new Date(sys.clock.now().getTime() + 50 * HOUR).toISOString(),
            place: '会议室',
            capacity: 1,
          },
        },
        n.officer,
      ),
    ).scheduleLawyerVisit;
    const results = await Promise.all(
      residents.map((t) =>
        sys.query(`mutation($v: ID!) { bookLawyerVisit(visitId: $v, topic: "咨询") { id } }`, { v: visit.id }, t),
      ),
    );
    expect(results.filter((r) => !r.errors).length).toBe(1);
    expect(results.filter((r) => r.errors?.[0].extensions?.reason === 'FULL').length).toBe(residents.length - 1);
    const [{ n: count }] = await sys.sql(
      `SELECT count(*)::int AS n FROM governance.lawyer_visit_booking WHERE visit_id = $1 AND status = 'booked'`,
      [visit.id],
    );
    expect(count).toBe(1);
  });

  it('runs a mediation case with parties and sessions to an outcome; a party sees it, others do not', async () => {
    const few = await sys.query(
      `mutation($i: OpenMediationCaseInput!) { openMediationCase(input: $i) { id } }`,
      {
        i: {
          siteId: n.siteId,
          title: '邻里纠纷',
          summary: '噪音',
          mediatorName: '调解员刘',
          parties: [{ name: '甲', role: 'APPLICANT' }],
        },
      },
      n.officer,
    );
    expect(few.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.parties',
      reason: 'TOO_FEW',
    });
    const c = dataOf(
      await sys.query(
        `mutation($i: OpenMediationCaseInput!) { openMediationCase(input: $i) { id status parties {
          name role residentId } adviser { name } } }`,
        {
          i: {
            siteId: n.siteId,
            title: '邻里噪音纠纷',
            summary: '夜间噪音影响休息',
            mediatorName: '调解员刘',
            adviserId,
            parties: [
              { name: '居民1', residentId: residentIds[0], role: 'APPLICANT' },
              { name: '楼上住户', role: 'RESPONDENT' },
            ],
          },
        },
        n.officer,
      ),
    ).openMediationCase;
    expect(c).toMatchObject({
      status: 'OPEN',
      adviser: { name: '陈律师' },
      parties: [
        { name: '居民1', role: 'APPLICANT', residentId: residentIds[0] },
        { name: '楼上住户', role: 'RESPONDENT', residentId: null },
      ],
    });
    dataOf(
      await sys.query(
        `mutation($c: ID!, $i: MediationSessionInput!) { recordMediationSession(caseId: $c, input: $i) { id } }`,
        {
          c: c.id,
          i: {
            heldAt: new Date(sys.clock.now().getTime() - HOUR).toISOString(),
            place: '调解室',
            notes: '双方陈述，约定晚十点后保持安静',
          },
        },
        n.officer,
      ),
    );
    const closed = dataOf(
      await sys.query(
        `mutation($c: ID!) { closeMediationCase(caseId: $c, outcome: AGREEMENT, note: "签订调解协议") {
          status outcome closedAt sessions { place } } }`,
        { c: c.id },
        n.officer,
      ),
    ).closeMediationCase;
    expect(closed).toMatchObject({ status: 'CLOSED', outcome: 'AGREEMENT', sessions: [{ place: '调解室' }] });
    expect(
      (
        await sys.query(
          `mutation($c: ID!) { closeMediationCase(caseId: $c, outcome: WITHDRAWN, note: "再次") { id } }`,
          { c: c.id },
          n.officer,
        )
      ).errors![0].extensions,
    ).toMatchObject({ code: 'CONFLICT' });
    expect(dataOf(await sys.query(`{ mediationCases { title } }`, {}, residents[0])).mediationCases).toEqual([
      { title: '邻里噪音纠纷' },
    ]);
    expect(dataOf(await sys.query(`{ mediationCases { title } }`, {}, residents[1])).mediationCases).toEqual([]);
    expect(
      dataOf(
        await sys.query(
          `{ mediationCases { title } }`,
          {},
          await tokenFor({ role: 'site_officer', sites: [n.siteIds[1]] }),
        ),
      ).mediationCases,
    ).toEqual([]);
    expect((await sys.audits('governance', c.id)).map((a) => a.action)).toEqual([
      'mediation_case.open',
      'mediation_case.session',
      'mediation_case.close',
    ]);
  });
});
