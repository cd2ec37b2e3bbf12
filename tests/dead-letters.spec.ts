import { createDataSource, createRedis, loadConfig, platformSettings } from '@anju/kit';
import { listDeadLetters, replayDeadLetters } from '@anju/contracts';
import { REGISTER_RESIDENT, TestSystem, dataOf, residentInput, seedPlace, tokenFor, until } from '@anju/testing';

/** A job that keeps failing lands in the consumer's dead-letter list; an operator replays it once fixed. */
describe('dead letters', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'dlq', workers: ['governance', 'employment'], env: { JOB_ATTEMPTS: '2' } });
  });
  afterAll(() => sys?.stop());

  it('lists an event that failed every attempt, and a replay after the fix has exactly one effect', async () => {
    const place = await seedPlace(sys, 1);
    await sys.waitForIdle();
    await sys.sql(`ALTER TABLE employment.labour_profile RENAME TO labour_profile_broken`);
    const token = await tokenFor({ role: 'site_officer', sites: [place.siteIds[0]] });
    const residentId = dataOf(await sys.query(REGISTER_RESIDENT, { i: residentInput(place.householdIds[0], 1) }, token)).registerResident.id;

    const config = loadConfig(platformSettings, sys.env);
    const db = createDataSource(config, { schema: 'employment', entities: [], migrations: [], applicationName: 'dlq-test' });
    await db.initialize();
    const redis = createRedis(config, 'producer', 'dlq-test');
    try {
      await until(async () => (await listDeadLetters(db)).length === 1, 'the event to be dead-lettered');
      const [letter] = await listDeadLetters(db);
      expect(letter).toMatchObject({ event: 'resident.registered', attempts: 2, replayCount: 0 });
      expect(letter.error).toMatch(/labour_profile/);

      await sys.sql(`ALTER TABLE employment.labour_profile_broken RENAME TO labour_profile`);
      expect(await replayDeadLetters({ db, service: 'employment', connection: redis, config })).toEqual([letter.eventId]);
      await sys.waitForIdle();

      const profiles = await sys.sql(`SELECT count(*)::int AS n FROM employment.labour_profile WHERE resident_id = $1`, [residentId]);
      expect(profiles[0].n).toBe(1);
      expect(await listDeadLetters(db)).toEqual([]);
      // Replaying again is harmless: nothing is left to replay.
      expect(await replayDeadLetters({ db, service: 'employment', connection: redis, config })).toEqual([]);
    } finally {
      redis.disconnect();
      await db.destroy();
    }
  });
});
