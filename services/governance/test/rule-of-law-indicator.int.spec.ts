import { randomUUID } from 'node:crypto';
import { provinceMonth } from '@anju/kit';
import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { deliver, registerResidents, seedNeighbourhood, type Neighbourhood } from './helpers';

/**
 * The 法治 indicator (issue 20): lawyer visits (governance) and legal-study attendance (social-orgs'
 * activity.attended with a legal topic) per site and month, kept in governance, which owns the site and
 * the visits and already consumes activity.attended.
 */
describe('rule-of-law indicator per site and month (法治)', () => {
  let sys: TestSystem;
  let n: Neighbourhood;
  const HOUR = 3_600_000;
  const Q = `query($s: ID!, $f: String!, $t: String!) { ruleOfLawIndicator(siteId: $s, fromMonth: $f, toMonth: $t) {
    month lawyerVisits visitBookings legalStudyAttendance legalStudyByTopic { topic attendance } } }`;
  let residentId: string;
  const attended = (siteId: string, legalTopic: string | null, attendanceId = randomUUID()) => ({
    attendanceId,
    activityId: randomUUID(),
    organizationId: randomUUID(),
    residentId,
    siteId,
    attendedAt: sys.clock.now().toISOString(),
    activityKind: 'EDUCATION',
    legalTopic,
  });

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'gov-law-indicator', apis: ['governance'], workers: ['governance'] });
    n = await seedNeighbourhood(sys);
  });
  afterAll(() => sys?.stop());

  it('counts visits with their bookings and legal-study attendance by topic, each attendance once', async () => {
    const county = await tokenFor({ role: 'county', regions: ['530102'] });
    const adviserId = dataOf(
      await sys.query(
        `mutation($i: RegisterLegalAdviserInput!) { registerLegalAdviser(input: $i) { id } }`,
        { i: { regionCode: '530102', name: '陈律师', kind: 'PUBLIC_LAWYER', siteIds: [n.siteId] } },
        county,
      ),
    ).registerLegalAdviser.id;
    const startsAt = new Date(sys.clock.now().getTime() + 2 * HOUR);
    const visit = dataOf(
      await sys.query(
        `mutation($i: ScheduleLawyerVisitInput!) { scheduleLawyerVisit(input: $i) { id } }`,
        {
          i: {
            siteId: n.siteId,
            adviserId,
            startsAt: startsAt.toISOString(),
            endsAt: new Date(startsAt.getTime() + 2 * HOUR).toISOString(),
            place: '党群服务中心',
            capacity: 5,
          },
        },
        n.officer,
      ),
    ).scheduleLawyerVisit;
    const [r1] = await registerResidents(sys, n.officer, [{ householdId: n.householdIds[0], seq: 1 }]);
    residentId = r1;
    dataOf(
      await sys.query(
        `mutation($v: ID!) { bookLawyerVisit(visitId: $v, topic: "物业纠纷") { id } }`,
        { v: visit.id },
        await tokenFor({ role: 'resident', resident: r1, sites: [n.siteId] }),
      ),
    );

    const twice = randomUUID();
    await deliver(sys, 'activity.attended', attended(n.siteId, 'CIVIL_CODE', twice), { producer: 'social-orgs' });
    // published again: counts once
    await deliver(sys, 'activity.attended', attended(n.siteId, 'CIVIL_CODE', twice), { producer: 'social-orgs' });
    await deliver(sys, 'activity.attended', attended(n.siteId, 'CIVIL_CODE'), { producer: 'social-orgs' });
    await deliver(sys, 'activity.attended', attended(n.siteId, 'LEGAL_AID'), { producer: 'social-orgs' });
    await deliver(sys, 'activity.attended', attended(n.siteId, null), { producer: 'social-orgs' }); // not legal study
    // a site governance does not know
    await deliver(sys, 'activity.attended', attended(randomUUID(), 'CIVIL_CODE'), { producer: 'social-orgs' });
    await sys.waitForIdle();

    const attendedMonth = provinceMonth(sys.clock.now());
    const visitMonth = provinceMonth(startsAt);
    const months = dataOf(
      await sys.query(Q, { s: n.siteId, f: attendedMonth, t: visitMonth }, county),
    ).ruleOfLawIndicator;
    const sum = (k: 'lawyerVisits' | 'visitBookings' | 'legalStudyAttendance') =>
      months.reduce((a: number, m: Record<string, number>) => a + m[k], 0);
    expect(months.map((m: { month: string }) => m.month)).toEqual(
      attendedMonth === visitMonth ? [attendedMonth] : [attendedMonth, visitMonth],
    );
    expect({ visits: sum('lawyerVisits'), bookings: sum('visitBookings'), study: sum('legalStudyAttendance') }).toEqual(
      { visits: 1, bookings: 1, study: 3 },
    );
    expect(months[0].legalStudyByTopic).toEqual([
      { topic: 'CIVIL_CODE', attendance: 2 },
      { topic: 'LEGAL_AID', attendance: 1 },
    ]);
    // The site officer reads it too; another county's officer gets nothing; bad months are typed errors.
    expect(
      dataOf(await sys.query(Q, { s: n.siteId, f: attendedMonth, t: attendedMonth }, n.officer)).ruleOfLawIndicator[0]
        .legalStudyAttendance,
    ).toBe(3);
    const other = await tokenFor({ role: 'county', regions: ['530103'] });
    expect(
      dataOf(await sys.query(Q, { s: n.siteId, f: attendedMonth, t: attendedMonth }, other)).ruleOfLawIndicator,
    ).toEqual([]);
    expect(
      (await sys.query(Q, { s: n.siteId, f: '2026-13', t: attendedMonth }, county)).errors?.[0]?.extensions,
    ).toMatchObject({ field: 'fromMonth', reason: 'FORMAT' });
    expect(await sys.sql(`SELECT count(*)::int AS n FROM governance.dead_letter`)).toEqual([{ n: 0 }]);
    expect(
      (await sys.query(Q, { s: n.siteId, f: '2024-01', t: '2026-12' }, county)).errors?.[0]?.extensions,
    ).toMatchObject({ field: 'toMonth', reason: 'RANGE' });
  });
});
