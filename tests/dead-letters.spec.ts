import { randomUUID } from 'node:crypto';
import { createDataSource, createRedis, loadConfig, platformSettings } from '@anju/kit';
import { listDeadLetters, replayDeadLetters } from '@anju/contracts';

type DataSource = ReturnType<typeof createDataSource>;
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

/** A job that keeps failing lands in the consumer's dead-letter list; an operator replays it once fixed. */
describe('dead letters', () => {
  let sys: TestSystem;
  let place: Place;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'dlq', workers: ['governance', 'employment'], env: { JOB_ATTEMPTS: '2' } });
    place = await seedPlace(sys, 1);
    await sys.waitForIdle();
  });
  afterAll(() => sys?.stop());

  /** Employment's dead-letter list and a producer connection, as `pnpm dlq` opens them. */
  const withDlq = async (fn: (db: DataSource, replay: (eventIds?: string[]) => Promise<string[]>) => Promise<void>) => {
    const config = loadConfig(platformSettings, sys.env);
    const db = createDataSource(config, {
      schema: 'employment',
      migrations: [],
      applicationName: 'dlq-test',
    });
    await db.initialize();
    const redis = createRedis(config, 'producer', 'dlq-test');
    try {
      await fn(db, (eventIds) => replayDeadLetters({ db, service: 'employment', connection: redis, config, eventIds }));
    } finally {
      redis.disconnect();
      await db.destroy();
    }
  };
  const lettersOf = async (db: DataSource, ids: string[]) =>
    (await listDeadLetters(db)).filter((l) => ids.includes(l.eventId));

  it('lists an event that failed every attempt, and a replay after the fix has exactly one effect', async () => {
    await sys.sql(`ALTER TABLE employment.labour_profile RENAME TO labour_profile_broken`);
    const token = await tokenFor({ role: 'site_officer', sites: [place.siteIds[0]] });
    const residentId = dataOf(await sys.query(REGISTER_RESIDENT, { i: residentInput(place.householdIds[0], 1) }, token))
      .registerResident.id;
    const [{ id: eventId }] = await sys.sql(
      `SELECT id FROM governance.outbox WHERE event = 'resident.registered' AND payload->>'residentId' = $1`,
      [residentId],
    );

    await withDlq(async (db, replay) => {
      await until(async () => (await lettersOf(db, [eventId])).length === 1, 'the event to be dead-lettered');
      const [letter] = await lettersOf(db, [eventId]);
      expect(letter).toMatchObject({ event: 'resident.registered', attempts: 2, replayCount: 0 });
      expect(letter.error).toMatch(/labour_profile/);

      await sys.sql(`ALTER TABLE employment.labour_profile_broken RENAME TO labour_profile`);
      expect(await replay([eventId])).toEqual([eventId]);
      await sys.waitForIdle();

      const profiles = await sys.sql(
        `SELECT count(*)::int AS n FROM employment.labour_profile WHERE resident_id = $1`,
        [residentId],
      );
      expect(profiles[0].n).toBe(1);
      expect(await lettersOf(db, [eventId])).toEqual([]);
      // Replaying again is harmless: nothing is left to replay.
      expect(await replay([eventId])).toEqual([]);
    });
  });

  // A replay sends only the chosen ones.
  it('dead-letters a malformed payload and an unknown version at once, without retries', async () => {
    const payload = () => ({
      residentId: randomUUID(),
      householdId: place.householdIds[0],
      siteId: place.siteIds[0],
      regionCode: '530102',
      labourCapacity: 'full',
      canWorkAway: false,
      wantsWork: true,
      birthYear: 1990,
    });
    const envelope = (over: Record<string, unknown>) => ({
      id: randomUUID(),
      name: 'resident.registered',
      version: 1,
      producer: 'governance',
      occurredAt: new Date().toISOString(),
      payload: payload(),
      ...over,
    });
    const malformed = envelope({ payload: { ...payload(), residentId: 'not-a-uuid', birthYear: 'nineteen ninety' } });
    const future = envelope({ version: 2 });
    const queue = sys.queue('employment');
    try {
      // Five attempts allowed: an event that can never succeed must not use them.
      for (const e of [malformed, future])
        await queue.add(e.name, e, { jobId: e.id, attempts: 5, backoff: { type: 'fixed', delay: 50 } });
    } finally {
      await queue.close();
    }
    const ids = [malformed.id, future.id];
    await withDlq(async (db, replay) => {
      await until(async () => (await lettersOf(db, ids)).length === 2, 'both events to be dead-lettered');
      const byId = Object.fromEntries((await lettersOf(db, ids)).map((l) => [l.eventId, l]));
      expect(byId[malformed.id]).toMatchObject({
        event: 'resident.registered',
        attempts: 1,
        replayCount: 0,
        error: expect.stringMatching(/does not match the contract/),
      });
      expect(byId[future.id]).toMatchObject({
        event: 'resident.registered',
        attempts: 1,
        replayCount: 0,
        error: 'resident.registered version 2 is not understood (expects 1)',
      });

      // Replaying a subset: only the chosen event goes back to the queue (and, still not understood, comes back).
      expect(await replay([future.id])).toEqual([future.id]);
      await sys.waitForIdle();
      await until(
        async () => (await lettersOf(db, [future.id]))[0]?.attempts === 2,
        'the replayed event to fail again',
      );
      const after = Object.fromEntries((await lettersOf(db, ids)).map((l) => [l.eventId, l]));
      expect(after[future.id]).toMatchObject({ replayCount: 1, attempts: 2 });
      expect(after[malformed.id]).toMatchObject({ replayCount: 0, attempts: 1 });
    });
    const effects = await sys.sql(
      `SELECT count(*)::int AS n FROM employment.labour_profile WHERE resident_id::text = ANY($1)`,
      [[future.payload.residentId]],
    );
    expect(effects).toEqual([{ n: 0 }]);
    expect(
      await sys.sql(`SELECT count(*)::int AS n FROM employment.inbox WHERE event_id = ANY($1::uuid[])`, [ids]),
    ).toEqual([{ n: 0 }]);
  });
});
