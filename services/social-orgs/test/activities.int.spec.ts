import { randomUUID } from 'node:crypto';
import {
  REGISTER_RESIDENT,
  TestSystem,
  dataOf,
  residentInput,
  seedPlace,
  tokenFor,
  until,
  type Place,
} from '@anju/testing';
import { errorOf, inDays, knownResidents, knownSite, minutesFromNow, twoOrganizations, type Orgs } from './fixtures';

const CREATE = `mutation($i: CreateActivityInput!) { createActivity(input: $i) {
  id organizationId organizationName capacity registeredCount waitlistCount } }`;
const REGISTER = `mutation($i: RegisterForActivityInput!) {
  registerForActivity(input: $i) { id status waitlistPosition participantName contactMasked residentId }
}`;
const CANCEL = `mutation($id: ID!) { cancelActivityRegistration(registrationId: $id) { id status } }`;
const CHECK_IN = `mutation($id: ID!) { checkInToActivity(registrationId: $id) { id status attendedAt } }`;
const ROSTER = `query($id: ID!) { activity(id: $id) { id capacity registeredCount waitlistCount attendedCount
  registrations { id residentId participantName contactMasked status waitlistPosition } } }`;

/**
 * Activities (社区活动): places, waiting list, promotion on cancel, check-in publishing
 * `activity.attended`; residents sign themselves up; the roster shows only a name and a masked phone.
 */
describe('activities with registration, waiting list and attendance', () => {
  let sys: TestSystem;
  let place: Place;
  let o: Orgs;
  let siteId: string;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'so-activities', workers: ['social-orgs'] });
    place = await seedPlace(sys, 1);
    siteId = place.siteIds[0];
    o = await twoOrganizations(sys, place.provinceToken);
    await knownSite(sys, '530102', siteId);
  });
  afterAll(() => sys?.stop());

  const newActivity = async (token: string, capacity: number, extra: Record<string, unknown> = {}) =>
    dataOf(
      await sys.direct(
        'social-orgs',
        CREATE,
        {
          i: {
            siteId,
            title: '彝族刺绣分享会',
            kind: 'CULTURAL',
            startsAt: inDays(sys.clock, 3),
            endsAt: inDays(sys.clock, 3, 16),
            capacity,
            ...extra,
          },
        },
        token,
      ),
    ).createActivity;
  const residentToken = (id: string) => tokenFor({ role: 'resident', resident: id, sites: [siteId] });
  const openNow = () => ({ startsAt: minutesFromNow(sys.clock, -10), endsAt: minutesFromNow(sys.clock, 120) });

  it('fills places, then the waiting list; a cancellation promotes the next; check-in: activity.attended', async () => {
    const act = await newActivity(o.ngoA, 2, openNow());
    expect(act).toMatchObject({ organizationId: o.orgA, capacity: 2, registeredCount: 0 });
    const [r1, r2, r3, r4] = await knownResidents(sys, siteId, 4);

    // A resident signs up themselves, straight to the subgraph and through the gateway.
    const a = dataOf(
      await sys.direct(
        'social-orgs',
        REGISTER,
        { i: { activityId: act.id, participantName: '李阿姨', phone: '138 1234 5678' } },
        await residentToken(r1),
      ),
    ).registerForActivity;
    expect(a).toMatchObject({
      status: 'REGISTERED',
      residentId: r1,
      participantName: '李阿姨',
      contactMasked: '138****5678',
      waitlistPosition: null,
    });
    const b = dataOf(
      await sys.query(REGISTER, { i: { activityId: act.id, participantName: '王大哥' } }, await residentToken(r2)),
    ).registerForActivity;
    expect(b.status).toBe('REGISTERED');
    // The NGO registers two more for them: both wait, in order.
    const c = dataOf(
      await sys.direct(
        'social-orgs',
        REGISTER,
        { i: { activityId: act.id, residentId: r3, participantName: '张女士', phone: '13900001111' } },
        o.ngoA,
      ),
    ).registerForActivity;
    const d = dataOf(
      await sys.direct(
        'social-orgs',
        REGISTER,
        { i: { activityId: act.id, residentId: r4, participantName: '赵同学' } },
        o.ngoA,
      ),
    ).registerForActivity;
    expect(c).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 1 });
    expect(d).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 2 });

    // Twice is a conflict.
    const again = await sys.direct(
      'social-orgs',
      REGISTER,
      { i: { activityId: act.id, participantName: '李阿姨' } },
      await residentToken(r1),
    );
    expect(errorOf(again)).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_REGISTERED' });

    // The resident cancels: the first waiting moves up, the second becomes first.
    expect(
      dataOf(await sys.query(CANCEL, { id: a.id }, await residentToken(r1))).cancelActivityRegistration.status,
    ).toBe('CANCELLED');
    let roster = dataOf(await sys.direct('social-orgs', ROSTER, { id: act.id }, o.ngoA)).activity;
    expect(roster).toMatchObject({ registeredCount: 2, waitlistCount: 1 });
    expect(roster.registrations.find((x: { id: string }) => x.id === c.id)).toMatchObject({
      status: 'REGISTERED',
      waitlistPosition: null,
    });
    expect(roster.registrations.find((x: { id: string }) => x.id === d.id)).toMatchObject({
      status: 'WAITLISTED',
      waitlistPosition: 1,
    });

    // Capacity below the places taken is refused, nothing changes; raising it promotes the rest.
    const low = await sys.direct(
      'social-orgs',
      `mutation($id: ID!) { setActivityCapacity(activityId: $id, capacity: 1) { capacity } }`,
      { id: act.id },
      o.ngoA,
    );
    expect(low.data).toBeNull();
    expect(errorOf(low)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'capacity', reason: 'BELOW_REGISTRATIONS' });
    const up = dataOf(
      await sys.query(
        `mutation($id: ID!) { setActivityCapacity(activityId: $id, capacity: 3) {
          capacity registeredCount waitlistCount } }`,
        { id: act.id },
        o.ngoA,
      ),
    );
    expect(up.setActivityCapacity).toEqual({ capacity: 3, registeredCount: 3, waitlistCount: 0 });

    // Check-in: an attendance and exactly one activity.attended in the outbox, with ids only.
    const checked = dataOf(await sys.direct('social-orgs', CHECK_IN, { id: b.id }, o.ngoA)).checkInToActivity;
    expect(checked).toMatchObject({ status: 'ATTENDED', attendedAt: expect.any(String) });
    const twice = await sys.direct('social-orgs', CHECK_IN, { id: b.id }, o.ngoA);
    expect(errorOf(twice)).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_CHECKED_IN' });
    const cancelled = await sys.direct('social-orgs', CHECK_IN, { id: a.id }, o.ngoA);
    expect(errorOf(cancelled)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' });
    const events = await sys.sql(
      `SELECT event, version, payload FROM social_orgs.outbox WHERE event = 'activity.attended'
        AND payload->>'activityId' = $1`,
      [act.id],
    );
    expect(events).toHaveLength(1);
    expect(events[0].payload).toEqual({
      attendanceId: b.id,
      activityId: act.id,
      organizationId: o.orgA,
      residentId: r2,
      siteId,
      attendedAt: checked.attendedAt,
      activityKind: 'CULTURAL',
      legalTopic: null,
    });
    expect(JSON.stringify(events[0].payload)).not.toMatch(/王大哥|1381234/);
    await until(
      async () => (await sys.sql(`SELECT count(*)::int AS n FROM social_orgs.outbox WHERE sent_at IS NULL`))[0].n === 0,
      'outbox relayed',
    );

    // Residents cannot check in or change the activity.
    const self = await sys.direct('social-orgs', CHECK_IN, { id: c.id }, await residentToken(r3));
    expect(errorOf(self)).toMatchObject({ code: 'FORBIDDEN' });

    // Audited: the activity and its capacity change; each registration, the cancellation and the check-in, by whom.
    expect(await sys.audits('social-orgs', act.id)).toEqual([
      { action: 'activity.create', role: 'ngo_member' },
      { action: 'activity.set_capacity', role: 'ngo_member' },
    ]);
    expect(await sys.audits('social-orgs', a.id)).toEqual([
      { action: 'activity.register', role: 'resident' },
      { action: 'activity.cancel_registration', role: 'resident' },
    ]);
    expect(await sys.audits('social-orgs', b.id)).toEqual([
      { action: 'activity.register', role: 'resident' },
      { action: 'activity.check_in', role: 'ngo_member' },
    ]);
    expect(await sys.audits('social-orgs', c.id)).toEqual([{ action: 'activity.register', role: 'ngo_member' }]);
  });

  it('gives the last places to exactly as many people as there are, when many sign up at once', async () => {
    const act = await newActivity(o.ngoA, 3);
    const residents = await knownResidents(sys, siteId, 12);
    const results = await Promise.all(
      residents.map(
        async (r, i) =>
          dataOf(
            await sys.direct(
              'social-orgs',
              REGISTER,
              { i: { activityId: act.id, participantName: `居民${i}` } },
              await residentToken(r),
            ),
          ).registerForActivity,
      ),
    );
    expect(results.filter((r) => r.status === 'REGISTERED')).toHaveLength(3);
    const waiting = results
      .filter((r) => r.status === 'WAITLISTED')
      .map((r) => r.waitlistPosition)
      .sort((a, b) => a - b);
    expect(waiting).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const roster = dataOf(await sys.direct('social-orgs', ROSTER, { id: act.id }, o.ngoA)).activity;
    expect(roster).toMatchObject({ registeredCount: 3, waitlistCount: 9 });
  });

  it('lets a site officer see and run the activities at their site, and nothing elsewhere', async () => {
    const act = await newActivity(o.ngoB, 2, openNow());
    const officer = await tokenFor({ role: 'site_officer', sites: [siteId] });
    const elsewhere = await tokenFor({ role: 'site_officer', sites: [randomUUID()] });
    expect(
      dataOf(await sys.query(`query($id: ID!) { activity(id: $id) { id } }`, { id: act.id }, officer)).activity,
    ).toEqual({ id: act.id });
    expect(
      dataOf(await sys.query(`query($id: ID!) { activity(id: $id) { id } }`, { id: act.id }, elsewhere)).activity,
    ).toBeNull();
    const reg = dataOf(
      await sys.query(
        REGISTER,
        { i: { activityId: act.id, residentId: (await knownResidents(sys, siteId, 1))[0], participantName: '代报名' } },
        officer,
      ),
    ).registerForActivity;
    expect(reg.status).toBe('REGISTERED');
    expect(dataOf(await sys.query(CHECK_IN, { id: reg.id }, officer)).checkInToActivity.status).toBe('ATTENDED');
    expect(errorOf(await sys.query(CHECK_IN, { id: reg.id }, elsewhere))).toMatchObject({ code: 'NOT_FOUND' });
    // Changing the activity itself stays with the organization and province/county officers.
    expect(
      errorOf(
        await sys.query(
          `mutation($id: ID!) { setActivityCapacity(activityId: $id, capacity: 5) { id } }`,
          { id: act.id },
          officer,
        ),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps no full phone or ID number anywhere in the roster table', async () => {
    // Two sign-ups of its own with phones, in both of the forms people write them.
    const act = await newActivity(o.ngoA, 5);
    const [r1, r2] = await knownResidents(sys, siteId, 2);
    for (const [residentId, phone] of [
      [r1, '138 1234 5678'],
      [r2, '13900001111'],
    ])
      dataOf(
        await sys.direct(
          'social-orgs',
          REGISTER,
          { i: { activityId: act.id, residentId, participantName: '留电话', phone } },
          o.ngoA,
        ),
      );
    const cols = await sys.sql(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'social_orgs'
        AND table_name = 'activity_registration'`,
    );
    const names = cols.map((c) => c.column_name);
    expect(names).toContain('resident_id');
    for (const kept of names) expect(kept).not.toMatch(/^(phone|national_id)$|_sealed$/);
    const dump = await sys.sql(`SELECT row_to_json(r)::text AS j FROM social_orgs.activity_registration r`);
    expect(dump.length).toBeGreaterThan(0);
    // Ids are taken out first: a random uuid may hold eleven digits in a row.
    const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
    for (const { j } of dump) expect(j.replace(UUID, '')).not.toMatch(/1\d{10}/);
    // Nor in the logs of the whole system (the phones given at sign-up here and in the tests above).
    expect(sys.logs.text()).not.toMatch(/13812345678|13900001111|138 1234 5678/);
  });

  it('shows a resident only activities at their own sites and only their own roster entry', async () => {
    const act = await newActivity(o.ngoB, 5);
    const [me, other] = await knownResidents(sys, siteId, 2);
    dataOf(
      await sys.direct(
        'social-orgs',
        REGISTER,
        { i: { activityId: act.id, residentId: other, participantName: '邻居' } },
        o.ngoB,
      ),
    );
    const mine = dataOf(
      await sys.direct(
        'social-orgs',
        REGISTER,
        { i: { activityId: act.id, participantName: '我' } },
        await residentToken(me),
      ),
    ).registerForActivity;
    const seen = dataOf(await sys.query(ROSTER, { id: act.id }, await residentToken(me))).activity;
    expect(seen.registrations.map((r: { id: string }) => r.id)).toEqual([mine.id]);
    expect(
      dataOf(
        await sys.query(
          `{ myActivityRegistrations { id activity { id organizationName } } }`,
          {},
          await residentToken(me),
        ),
      ).myActivityRegistrations,
    ).toEqual([{ id: mine.id, activity: { id: act.id, organizationName: expect.stringContaining('彩虹公益协会') } }]);
    // Elsewhere: the activity does not exist for a resident of another site.
    const stranger = await tokenFor({ role: 'resident', resident: randomUUID(), sites: [randomUUID()] });
    expect(dataOf(await sys.query(ROSTER, { id: act.id }, stranger)).activity).toBeNull();
    const far = await sys.direct(
      'social-orgs',
      REGISTER,
      { i: { activityId: act.id, participantName: '外人' } },
      stranger,
    );
    expect(errorOf(far)).toMatchObject({ code: 'NOT_FOUND' });
    // A resident cannot sign up someone else.
    const forOther = await sys.direct(
      'social-orgs',
      REGISTER,
      { i: { activityId: act.id, residentId: other, participantName: '冒名' } },
      await residentToken(me),
    );
    expect(errorOf(forOther)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses bad input with typed errors and writes nothing', async () => {
    const before = (
      await sys.sql(
        `SELECT (SELECT count(*) FROM social_orgs.activity)::int AS a, (SELECT count(*)
          FROM social_orgs.activity_registration)::int AS r`,
      )
    )[0];
    const bad = async (i: Record<string, unknown>) =>
      errorOf(
        await sys.direct(
          'social-orgs',
          CREATE,
          {
            i: {
              siteId,
              title: '活动',
              kind: 'HEALTH',
              startsAt: inDays(sys.clock, 2),
              endsAt: inDays(sys.clock, 2, 16),
              capacity: 10,
              ...i,
            },
          },
          o.ngoA,
        ),
      );
    expect(await bad({ capacity: 0 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.capacity' });
    expect(await bad({ endsAt: inDays(sys.clock, 1) })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.endsAt',
      reason: 'ORDER',
    });
    expect(await bad({ title: '  ' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
    expect(await bad({ siteId: 'nowhere' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.siteId' });
    expect(await bad({ organizationId: o.orgB })).toMatchObject({ code: 'FORBIDDEN' });
    const act = await newActivity(o.ngoA, 1);
    const phone = await sys.direct(
      'social-orgs',
      REGISTER,
      { i: { activityId: act.id, residentId: randomUUID(), participantName: '某人', phone: '12345' } },
      o.ngoA,
    );
    expect(errorOf(phone)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.phone', reason: 'FORMAT' });
    const after = (
      await sys.sql(
        `SELECT (SELECT count(*) FROM social_orgs.activity)::int AS a, (SELECT count(*)
          FROM social_orgs.activity_registration)::int AS r`,
      )
    )[0];
    expect(after).toEqual({ a: before.a + 1, r: before.r });
  });

  it('joins a resident in governance with their registrations through the gateway, scoped by the caller', async () => {
    const officer = await tokenFor({ role: 'site_officer', sites: [siteId] });
    const resident = dataOf(
      await sys.query(REGISTER_RESIDENT, { i: residentInput(place.householdIds[0], 11) }, officer),
    ).registerResident;
    // what resident.registered tells social-orgs (no governance worker here)
    await knownResidents(sys, siteId, 1, [resident.id]);
    const actA = await newActivity(o.ngoA, 5);
    const actB = await newActivity(o.ngoB, 5);
    const regA = dataOf(
      await sys.direct(
        'social-orgs',
        REGISTER,
        { i: { activityId: actA.id, residentId: resident.id, participantName: '居民11' } },
        o.ngoA,
      ),
    ).registerForActivity;
    const regB = dataOf(
      await sys.direct(
        'social-orgs',
        REGISTER,
        { i: { activityId: actB.id, residentId: resident.id, participantName: '居民11' } },
        o.ngoB,
      ),
    ).registerForActivity;
    const JOIN = `query($id: ID!) { resident(id: $id) { id name activityRegistrations { id activity {
      organizationId } } } }`;

    // The resident sees themselves (governance) with all their registrations (social-orgs).
    const self = dataOf(
      await sys.query(
        JOIN,
        { id: resident.id },
        await tokenFor({ role: 'resident', resident: resident.id, sites: [siteId] }),
      ),
    ).resident;
    expect(self.activityRegistrations.map((r: { id: string }) => r.id).sort()).toEqual([regA.id, regB.id].sort());
    // A county officer of the region sees both organizations' registrations.
    const county = dataOf(await sys.query(JOIN, { id: resident.id }, o.county)).resident;
    expect(county.activityRegistrations).toHaveLength(2);
    // NGO A, by the entity join sent straight to social-orgs: only its own registration.
    const ents = dataOf(
      await sys.direct(
        'social-orgs',
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Resident { id activityRegistrations {
          id activity { organizationId } } } } }`,
        { r: [{ __typename: 'Resident', id: resident.id }] },
        o.ngoA,
      ),
    )._entities;
    expect(ents).toEqual([
      { id: resident.id, activityRegistrations: [{ id: regA.id, activity: { organizationId: o.orgA } }] },
    ]);
    // NGO A through the gateway: governance does not show it the resident at all.
    const viaGateway = await sys.query(JOIN, { id: resident.id }, o.ngoA);
    expect(viaGateway.data?.resident ?? null).toBeNull();
  });
});
