import { provinceMonth } from '@anju/kit';
import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { errorOf, knownResidents, knownSite, minutesFromNow, twoOrganizations, type Orgs } from './fixtures';

/** Legal-study topics on activities (法治宣传) and cultural products per site with attendance (文化惠民), issue 20. */
describe('activity topics: legal study and cultural products', () => {
  let sys: TestSystem;
  let o: Orgs;
  let site: string;
  const direct = (q: string, v: Record<string, unknown>, t: string) => sys.direct('social-orgs', q, v, t);
  const CREATE = `mutation($i: CreateActivityInput!) { createActivity(input: $i) { id kind legalTopic culturalForm } }`;
  const REGISTER = `mutation($i: RegisterForActivityInput!) { registerForActivity(input: $i) { id } }`;
  const CHECK_IN = `mutation($id: ID!) { checkInToActivity(registrationId: $id) { status } }`;
  // Starts in 20 minutes: check-in is already open (from 30 minutes before), and the month is the start's.
  const window = () => ({ startsAt: minutesFromNow(sys.clock, 20), endsAt: minutesFromNow(sys.clock, 140) });

  /** An activity at the site with `attend` of `register` residents checked in. */
  const held = async (extra: Record<string, unknown>, register: number, attend: number, token = o.ngoA) => {
    const a = dataOf(
      await direct(CREATE, { i: { siteId: site, title: '活动', capacity: 50, ...window(), ...extra } }, token),
    ).createActivity;
    const people = await knownResidents(sys, site, register);
    for (const [i, residentId] of people.entries()) {
      const reg = dataOf(
        await direct(REGISTER, { i: { activityId: a.id, residentId, participantName: `居民${i}` } }, token),
      ).registerForActivity;
      if (i < attend) dataOf(await sys.query(CHECK_IN, { id: reg.id }, token));
    }
    return a;
  };

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'so-topics', workers: [] });
    o = await twoOrganizations(sys);
    site = await knownSite(sys);
  });
  afterAll(() => sys?.stop());

  it('carries a legal-study topic on the activity and on each activity.attended it publishes', async () => {
    const a = await held({ kind: 'EDUCATION', legalTopic: 'CIVIL_CODE', title: '民法典进社区' }, 2, 2);
    expect(a).toMatchObject({ kind: 'EDUCATION', legalTopic: 'CIVIL_CODE', culturalForm: null });
    const events = await sys.sql(
      `SELECT payload->>'legalTopic' AS topic FROM social_orgs.outbox WHERE event = 'activity.attended'
        AND payload->>'activityId' = $1`,
      [a.id],
    );
    expect(events.map((e) => e.topic)).toEqual(['CIVIL_CODE', 'CIVIL_CODE']);
    const plain = await held({ kind: 'HEALTH', title: '义诊' }, 1, 1);
    const [none] = await sys.sql(
      `SELECT payload FROM social_orgs.outbox WHERE event = 'activity.attended' AND payload->>'activityId' = $1`,
      [plain.id],
    );
    expect(none.payload.legalTopic).toBeNull();
  });

  it("counts cultural products per site and month with their attendance, in each caller's scope", async () => {
    const month = provinceMonth(new Date(window().startsAt));
    await held({ kind: 'CULTURAL', culturalForm: 'FILM', title: '露天电影' }, 3, 2);
    await held({ kind: 'CULTURAL', culturalForm: 'FILM', title: '周末电影' }, 2, 1);
    await held({ kind: 'CULTURAL', culturalForm: 'PERFORMANCE', title: '彝族歌舞' }, 4, 4, o.ngoB);
    await held({ kind: 'CULTURAL', title: '无形式的文化活动' }, 1, 1);
    const Q = `query($m: String!, $s: ID) { culturalOfferings(month: $m, siteId: $s) {
      siteId form activityCount attendance } }`;
    const all = [
      { siteId: site, form: 'FILM', activityCount: 2, attendance: 3 },
      { siteId: site, form: 'PERFORMANCE', activityCount: 1, attendance: 4 },
    ];
    const siteOfficer = await tokenFor({ role: 'site_officer', regions: ['530102'], sites: [site] });
    for (const t of [o.county, siteOfficer])
      expect(dataOf(await sys.query(Q, { m: month, s: site }, t)).culturalOfferings).toEqual(all);
    // A partner, straight at the subgraph, counts its own products only.
    expect(dataOf(await direct(Q, { m: month }, o.ngoB)).culturalOfferings).toEqual([all[1]]);
    expect(dataOf(await sys.query(Q, { m: month }, o.otherCounty)).culturalOfferings).toEqual([]);
    expect(dataOf(await sys.query(Q, { m: '2020-01' }, o.county)).culturalOfferings).toEqual([]);
    expect(errorOf(await sys.query(Q, { m: '2026-13' }, o.county))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'month',
      reason: 'FORMAT',
    });
  });

  it('refuses a cultural form on an activity that is not cultural, and an unknown topic, writing nothing', async () => {
    const [{ n: before }] = await sys.sql(`SELECT count(*)::int AS n FROM social_orgs.activity`);
    expect(
      errorOf(
        await direct(
          CREATE,
          { i: { siteId: site, title: '讲座', capacity: 10, kind: 'EDUCATION', culturalForm: 'FILM', ...window() } },
          o.ngoA,
        ),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.culturalForm', reason: 'KIND' });
    expect(
      errorOf(
        await direct(
          CREATE,
          { i: { siteId: site, title: '讲座', capacity: 10, kind: 'EDUCATION', legalTopic: 'TAX_LAW', ...window() } },
          o.ngoA,
        ),
      )?.code,
    ).toBe('BAD_USER_INPUT');
    const [{ n: after }] = await sys.sql(`SELECT count(*)::int AS n FROM social_orgs.activity`);
    expect(after).toBe(before);
  });
});
