import { randomUUID } from 'node:crypto';
import { TestSystem, dataOf, tokenFor } from '@anju/testing';
import { errorOf, inDays, knownResidents, knownSite, minutesFromNow, twoOrganizations, type Orgs } from './fixtures';

/**
 * Issue 14, item 2 (social-orgs' side): a partner cannot mint points. Activities only at sites of
 * the organization's regions, registrations only for residents of the activity's site, check-in
 * only within the activity's window, one feedback per resident, social worker and quarter —
 * through the gateway and straight at the subgraph, nothing written and nothing published.
 */
describe('a partner cannot mint points (social-orgs)', () => {
  let sys: TestSystem;
  let o: Orgs;
  let site: string;
  let otherCountySite: string;
  let residents: string[];
  let stranger: string;

  const both = async (q: string, v: Record<string, unknown>, t: string) => [
    await sys.query(q, v, t),
    await sys.direct('social-orgs', q, v, t),
  ];
  const snapshot = () =>
    sys.sql(`SELECT (SELECT count(*) FROM social_orgs.activity)::int AS a,
    (SELECT json_agg(r ORDER BY r.id) FROM social_orgs.activity_registration r) AS r, (SELECT count(*)
      FROM social_orgs.outbox)::int AS ob,
    (SELECT count(*) FROM social_orgs.worker_feedback)::int AS f`);
  const CREATE = `mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }`;
  const REGISTER = `mutation($i: RegisterForActivityInput!) { registerForActivity(input: $i) { id } }`;
  const CHECK_IN = `mutation($id: ID!) { checkInToActivity(registrationId: $id) { id status } }`;
  const activity = (extra: Record<string, unknown> = {}) => ({
    i: {
      siteId: site,
      title: '社区运动会',
      kind: 'COMPETITION',
      startsAt: inDays(sys.clock, 2),
      endsAt: inDays(sys.clock, 2, 17),
      capacity: 50,
      ...extra,
    },
  });

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'so-mint', workers: [] });
    o = await twoOrganizations(sys);
    site = await knownSite(sys, '530102');
    otherCountySite = await knownSite(sys, '530111');
    residents = await knownResidents(sys, site, 3);
    [stranger] = await knownResidents(sys, otherCountySite, 1);
  });
  afterAll(() => sys?.stop());

  it('creates activities only at sites of the organization’s regions', async () => {
    const before = await snapshot();
    for (const siteId of [otherCountySite, randomUUID()]) {
      for (const res of await both(CREATE, activity({ siteId }), o.ngoA)) {
        expect(res.data ?? null).toBeNull();
        expect(errorOf(res)).toMatchObject({ code: 'NOT_FOUND', field: 'input.siteId' });
      }
    }
    expect(await snapshot()).toEqual(before);
    dataOf(await sys.query(CREATE, activity(), o.ngoA));
  });

  it('registers only residents living at the activity’s site', async () => {
    const act = dataOf(await sys.direct('social-orgs', CREATE, activity(), o.ngoA)).createActivity.id;
    const before = await snapshot();
    for (const residentId of [stranger, randomUUID()]) {
      for (const res of await both(REGISTER, { i: { activityId: act, residentId, participantName: '外人' } }, o.ngoA)) {
        expect(res.data ?? null).toBeNull();
        expect(errorOf(res)).toMatchObject({ code: 'NOT_FOUND', field: 'input.residentId' });
      }
    }
    // A resident of another site cannot sign themselves up by claiming this site in their token either.
    const forged = await tokenFor({ role: 'resident', resident: stranger, sites: [site] });
    expect(
      errorOf(await sys.direct('social-orgs', REGISTER, { i: { activityId: act, participantName: '外人' } }, forged)),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(await snapshot()).toEqual(before);
  });

  it('checks in only while the activity is on: before or after it, nothing is written or published', async () => {
    const future = dataOf(await sys.direct('social-orgs', CREATE, activity(), o.ngoA)).createActivity.id;
    const past = dataOf(
      await sys.direct(
        'social-orgs',
        CREATE,
        activity({ startsAt: minutesFromNow(sys.clock, -180), endsAt: minutesFromNow(sys.clock, 60) }),
        o.ngoA,
      ),
    ).createActivity.id;
    const regFuture = dataOf(
      await sys.direct(
        'social-orgs',
        REGISTER,
        { i: { activityId: future, residentId: residents[0], participantName: '甲' } },
        o.ngoA,
      ),
    ).registerForActivity.id;
    const regPast = dataOf(
      await sys.direct(
        'social-orgs',
        REGISTER,
        { i: { activityId: past, residentId: residents[1], participantName: '乙' } },
        o.ngoA,
      ),
    ).registerForActivity.id;
    // The second activity ended a minute ago, on the clock check-in is judged by.
    await sys.sql(`UPDATE social_orgs.activity SET ends_at = $2::timestamptz - interval '1 minute' WHERE id = $1`, [
      past,
      sys.clock.now().toISOString(),
    ]);
    const before = await snapshot();
    for (const id of [regFuture, regPast]) {
      for (const res of await both(CHECK_IN, { id }, o.ngoA)) {
        expect(res.data ?? null).toBeNull();
        expect(errorOf(res)).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'registrationId',
          reason: 'OUTSIDE_WINDOW',
        });
      }
    }
    expect(await snapshot()).toEqual(before);
    // During the activity it works and publishes activity.attended once.
    const now = dataOf(
      await sys.direct(
        'social-orgs',
        CREATE,
        activity({ startsAt: minutesFromNow(sys.clock, -5), endsAt: minutesFromNow(sys.clock, 90) }),
        o.ngoA,
      ),
    ).createActivity.id;
    const reg = dataOf(
      await sys.direct(
        'social-orgs',
        REGISTER,
        { i: { activityId: now, residentId: residents[2], participantName: '丙' } },
        o.ngoA,
      ),
    ).registerForActivity.id;
    expect(dataOf(await sys.query(CHECK_IN, { id: reg }, o.ngoA)).checkInToActivity.status).toBe('ATTENDED');
  });

  it('takes one feedback per resident, social worker and quarter, only from residents the worker serves', async () => {
    const worker = dataOf(
      await sys.direct(
        'social-orgs',
        `mutation($i: HireSocialWorkerInput!) { hireSocialWorker(input: $i) { id } }`,
        {
          i: {
            name: '周社工',
            qualification: 'SOCIAL_WORKER',
            certificateNumber: 'S-77',
            joinedOn: '2026-01-05',
            siteIds: [site],
          },
        },
        o.ngoA,
      ),
    ).hireSocialWorker.id;
    const FEEDBACK = `mutation($i: SocialWorkerFeedbackInput!) { giveSocialWorkerFeedback(input: $i) { id } }`;
    dataOf(await sys.query(FEEDBACK, { i: { workerId: worker, residentId: residents[0], rating: 5 } }, o.ngoA));
    const self = await tokenFor({ role: 'resident', resident: residents[1], sites: [site] });
    dataOf(await sys.query(FEEDBACK, { i: { workerId: worker, rating: 4 } }, self));
    const before = await snapshot();
    const attempts: [Record<string, unknown>, string, Record<string, unknown>][] = [
      [
        { workerId: worker, residentId: residents[0], rating: 5 },
        o.ngoA,
        { code: 'CONFLICT', reason: 'ALREADY_GIVEN' },
      ],
      [{ workerId: worker, rating: 5 }, self, { code: 'CONFLICT', reason: 'ALREADY_GIVEN' }],
      [{ workerId: worker, rating: 5 }, o.ngoA, { code: 'BAD_USER_INPUT', field: 'input.residentId' }],
      [{ workerId: worker, residentId: stranger, rating: 5 }, o.ngoA, { code: 'NOT_FOUND', field: 'input.residentId' }],
    ];
    for (const [i, token, expected] of attempts) {
      for (const res of await both(FEEDBACK, { i }, token)) {
        expect(res.data ?? null).toBeNull();
        expect(errorOf(res)).toMatchObject(expected);
      }
    }
    expect(await snapshot()).toEqual(before);
  });
});
