import { randomUUID } from 'node:crypto';
import { TestSystem, dataOf, startFakeMessagingProvider, tokenFor, type FakeMessagingProvider } from '@anju/testing';
import { registerResidents, seedNeighbourhood, type Neighbourhood } from '../services/governance/test/helpers';
import { twoOrganizations, type Orgs } from '../services/social-orgs/test/fixtures';

/**
 * A resident's notifications across services, through the gateway: an NGO's activity (social-orgs)
 * confirms a place, promotes the waiting resident when a place frees up, reminds the day before —
 * in the inbox and by SMS through the fake provider — and an event delivered twice notifies once.
 */
describe('notifications from social-orgs activities (story)', () => {
  let sys: TestSystem;
  let fake: FakeMessagingProvider;
  let n: Neighbourhood;
  let o: Orgs;
  let residents: string[];
  let tokens: string[];
  const INBOX = `{ myNotifications { totalCount nodes { kind title body entityId details {
    what when where contact } deliveries { channel status } } } }`;
  const inbox = async (t: string) => dataOf(await sys.query(INBOX, {}, t)).myNotifications;

  beforeAll(async () => {
    fake = await startFakeMessagingProvider();
    sys = await TestSystem.start({
      label: 'notify-story',
      apis: ['governance', 'social-orgs'],
      workers: ['governance', 'social-orgs'],
      env: fake.env,
    });
    n = await seedNeighbourhood(sys);
    residents = await registerResidents(
      sys,
      n.officer,
      [1, 2].map((seq) => ({ householdId: n.householdIds[0], seq, overrides: { phone: `1370000000${seq}` } })),
    );
    tokens = await Promise.all(residents.map((r) => tokenFor({ role: 'resident', resident: r, sites: [n.siteId] })));
    o = await twoOrganizations(sys, n.provinceToken);
    await sys.waitForIdle(); // social-orgs knows the residents and their site
  }, 240_000);
  afterAll(async () => {
    await sys?.stop();
    await fake?.stop();
  });

  it('confirms a place, promotes from the waiting list, reminds the day before, SMS: what, when, where', async () => {
    const startsAt = new Date(sys.clock.now().getTime() + 3 * 86_400_000);
    const act = dataOf(
      await sys.query(
        `mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }`,
        {
          i: {
            siteId: n.siteId,
            title: '老年人健康讲座',
            kind: 'HEALTH',
            startsAt: startsAt.toISOString(),
            endsAt: new Date(startsAt.getTime() + 7_200_000).toISOString(),
            capacity: 1,
          },
        },
        o.ngoA,
      ),
    ).createActivity;
    const register = async (residentId: string) =>
      dataOf(
        await sys.query(
          `mutation($i: RegisterForActivityInput!) { registerForActivity(input: $i) { id status } }`,
          { i: { activityId: act.id, residentId, participantName: '居民' } },
          o.ngoA,
        ),
      ).registerForActivity;
    const first = await register(residents[0]);
    const second = await register(residents[1]);
    expect([first.status, second.status]).toEqual(['REGISTERED', 'WAITLISTED']);
    await sys.waitForIdle();
    const a = await inbox(tokens[0]);
    expect(a.nodes).toEqual([
      expect.objectContaining({
        kind: 'ACTIVITY_REGISTRATION_CONFIRMED',
        title: '报名成功：老年人健康讲座',
        entityId: act.id,
        details: {
          what: '老年人健康讲座',
          when: startsAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          where: expect.stringContaining('安置点1'),
          contact: expect.stringContaining('主办：阳光社工服务中心'),
        },
        deliveries: [{ channel: 'SMS', status: 'PENDING' }],
      }),
    ]);
    expect((await inbox(tokens[1])).totalCount).toBe(0); // waiting: nothing to tell yet

    // The first cancels: the waiting resident moves up and is told so.
    dataOf(
      await sys.query(
        `mutation($id: ID!) { cancelActivityRegistration(registrationId: $id) { id } }`,
        { id: first.id },
        o.ngoA,
      ),
    );
    await sys.waitForIdle();
    const b = await inbox(tokens[1]);
    expect(b.nodes).toEqual([
      expect.objectContaining({
        kind: 'ACTIVITY_PROMOTED_FROM_WAITLIST',
        title: '候补成功：老年人健康讲座',
        body: expect.stringContaining('候补转为正式报名'),
      }),
    ]);

    // The same fact delivered again under a new event id (a producer's retry): still one notification.
    const [confirmed] = await sys.sql(
      `SELECT payload FROM social_orgs.outbox WHERE event = 'activity.registration.confirmed'
        AND payload->>'registrationId' = $1`,
      [second.id],
    );
    const queue = sys.queue('governance');
    const id = randomUUID();
    await queue.add(
      'activity.registration.confirmed',
      {
        id,
        name: 'activity.registration.confirmed',
        version: 1,
        producer: 'social-orgs',
        occurredAt: sys.clock.now().toISOString(),
        payload: confirmed.payload,
      },
      { jobId: id },
    );
    await queue.close();
    await sys.waitForIdle();
    expect((await inbox(tokens[1])).totalCount).toBe(1);

    // The day before: the promoted resident is reminded, the one who cancelled is not; a rerun reminds nobody.
    // Governance's worker runs its task at the system's clock, as its scheduler would.
    const remindAt = async (at: Date) => {
      sys.clock.set(at);
      return sys.runTask('governance', 'activities.remind-tomorrow');
    };
    const dayBefore = new Date(startsAt.getTime() - 86_400_000);
    expect(await remindAt(new Date(dayBefore.getTime() - 86_400_000))).toEqual({ reminded: 0 });
    expect(await remindAt(dayBefore)).toEqual({ reminded: 1 });
    expect(await remindAt(dayBefore)).toEqual({ reminded: 0 });
    const reminded = (await inbox(tokens[1])).nodes.find((x: { kind: string }) => x.kind === 'ACTIVITY_REMINDER');
    expect(reminded).toMatchObject({ title: '明天的活动：老年人健康讲座', details: { what: '老年人健康讲座' } });
    expect((await inbox(tokens[0])).nodes.map((x: { kind: string }) => x.kind)).toEqual([
      'ACTIVITY_REGISTRATION_CONFIRMED',
    ]);

    // Pushed by SMS (10:00 in Yunnan, outside quiet hours) with the time and place in the template.
    sys.clock.set(new Date(Date.parse(`${startsAt.toISOString().slice(0, 10)}T02:00:00Z`) + 86_400_000));
    const report = await sys.runTask('governance', 'notifications.dispatch');
    expect(report).toMatchObject({ sent: 3, failed: 0 }); // A's confirmation; B's promotion and reminder
    const toB = fake.sms.filter((m) => m.phone === '13700000002');
    expect(toB.map((m) => m.params.title).sort()).toEqual(['候补成功：老年人健康讲座', '明天的活动：老年人健康讲座']);
    expect(toB[0].params.place).toContain('安置点1');
    expect(toB[0].params.time).toMatch(/^\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
    expect(fake.repeats).toBe(0);
  });
});
