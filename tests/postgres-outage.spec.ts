import { replayDeadLetters, type JobConfirmation } from '@anju/contracts';
import { createDataSource, createRedis, loadConfig, platformSettings } from '@anju/kit';
import { ThrowawayPostgres } from '@anju/devtools/src/throwaway-postgres';
import IORedis from 'ioredis';
import {
  REGISTER_RESIDENT,
  TEST_REDIS_URL,
  TestSystem,
  dataOf,
  residentInput,
  seedPlace,
  tokenFor,
  until,
  type Place,
} from '@anju/testing';

/** What BullMQ's stalled check writes on a job whose worker died on it more than maxStalledCount times. */
const STALLED_TOO_OFTEN = 'job stalled more than allowable limit';
const ATTEMPTS = 3;

/**
 * PostgreSQL down longer than the whole retry schedule loses no event: the consumer keeps a job
 * whose dead letters it cannot write, the relay settles a batch only on the consumer's
 * confirmation, and a job BullMQ fails after it stalled too often lands in the dead letters. The
 * PostgreSQL here is the test's own (embedded, on a spare port), stopped and started at will.
 */
describe('events when PostgreSQL is down past the retry schedule', () => {
  let pg: ThrowawayPostgres;
  let sys: TestSystem;
  let place: Place;
  let officer: string;
  let seq = 0;

  beforeAll(async () => {
    pg = await ThrowawayPostgres.start();
    sys = await TestSystem.start({
      label: 'pgdown',
      server: pg.server,
      apis: ['governance'],
      // The whole schedule is 50 + 100 ms of backoff: PostgreSQL stays down far longer.
      env: { JOB_ATTEMPTS: String(ATTEMPTS), JOB_BACKOFF_MS: '50', DATABASE_POOL_SIZE: '2' },
    });
    place = await seedPlace(sys, 1);
    officer = await tokenFor({ role: 'site_officer', sites: [place.siteIds[0]] });
    await sys.waitForIdle();
  }, 240_000);
  afterAll(async () => {
    await pg?.up().catch(() => undefined);
    await sys?.stop();
    await pg?.destroy();
  }, 120_000);

  /** Registers residents (governance commits each with its event); returns resident and event ids. */
  async function register(n: number): Promise<{ residentId: string; eventId: string }[]> {
    const out: { residentId: string; eventId: string }[] = [];
    for (let i = 0; i < n; i++) {
      const residentId = dataOf(
        await sys.query(REGISTER_RESIDENT, { i: residentInput(place.householdIds[0], ++seq) }, officer),
      ).registerResident.id;
      const [row] = await sys.sql(
        `SELECT id FROM governance.outbox WHERE event = 'resident.registered' AND payload->>'residentId' = $1`,
        [residentId],
      );
      out.push({ residentId, eventId: row.id });
    }
    return out;
  }

  const allSent = async (eventIds: string[]) =>
    (
      await sys.sql(
        `SELECT count(*)::int AS n FROM governance.outbox WHERE id = ANY($1::uuid[]) AND sent_at IS NOT NULL`,
        [eventIds],
      )
    )[0].n === eventIds.length;

  const unsettled = async (eventIds: string[]) =>
    (
      await sys.sql(
        `SELECT count(*)::int AS n FROM governance.outbox WHERE id = ANY($1::uuid[]) AND settled_at IS NULL`,
        [eventIds],
      )
    )[0].n;

  /** The employment jobs that carry these events (a job id is its batch id). */
  async function jobsOf(eventIds: string[]): Promise<string[]> {
    const rows = await sys.sql(
      `SELECT DISTINCT coalesce(batch_id, id)::text AS job FROM governance.outbox WHERE id = ANY($1::uuid[])`,
      [eventIds],
    );
    return rows.map((r) => r.job);
  }

  /** How many times a message has been logged since this call. */
  function logCounter(msg: string): () => number {
    const count = () => sys.logs.entries().filter((e) => e.msg === msg).length;
    const before = count();
    return () => count() - before;
  }

  /** Replays employment's dead letters as `pnpm dlq replay employment` does; they must be exactly `expected`. */
  async function replayAll(expected: string[]): Promise<void> {
    const config = loadConfig(platformSettings, sys.env);
    const db = createDataSource(config, {
      schema: 'employment',
      migrations: [],
      applicationName: 'dlq-test',
    });
    await db.initialize();
    const redis = createRedis(config, 'producer', 'dlq-test');
    try {
      expect(await replayDeadLetters({ db, service: 'employment', connection: redis, config })).toEqual(expected);
    } finally {
      redis.disconnect();
      await db.destroy();
    }
  }

  /**
   * Labour profiles, inbox rows and unresolved dead letters of these events (`profiles` read from `table`, for a
   * renamed one).
   */
  async function effects(items: { residentId: string; eventId: string }[], table = 'labour_profile') {
    const [r] = await sys.sql(
      `SELECT (SELECT count(*) FROM employment.${table} WHERE resident_id = ANY($1::uuid[]))::int AS profiles,
              (SELECT count(DISTINCT resident_id) FROM employment.${table}
                WHERE resident_id = ANY($1::uuid[]))::int AS residents,
              (SELECT count(*) FROM employment.inbox WHERE event_id = ANY($2::uuid[]))::int AS inbox,
              (SELECT count(*) FROM employment.dead_letter WHERE event_id = ANY($2::uuid[])
                AND resolved_at IS NULL)::int AS dead`,
      [items.map((i) => i.residentId), items.map((i) => i.eventId)],
    );
    return r;
  }

  it('events whose consumer meets PostgreSQL down past every attempt are applied once when it is back', async () => {
    const queue = sys.queue('employment');
    try {
      // The jobs wait in Redis until PostgreSQL is down: the consumer meets the outage on every attempt.
      await queue.pause();
      const items = await register(12);
      const eventIds = items.map((i) => i.eventId);
      await until(() => allSent(eventIds), 'the relay to send the events');
      const jobs = await jobsOf(eventIds);

      await pg.down();
      const waits = logCounter('PostgreSQL is unavailable past the retry schedule; the job runs again');
      await queue.resume();
      // Past the whole schedule: every job has spent its attempts, and waited for PostgreSQL twice since.
      await until(
        async () => {
          const found = await Promise.all(jobs.map((id) => queue.getJob(id)));
          return found.every((j) => j && j.attemptsMade >= ATTEMPTS - 1) && waits() >= 2 * jobs.length;
        },
        'every job to exhaust its attempts while PostgreSQL is down',
        60_000,
      );
      for (const id of jobs) expect(await (await queue.getJob(id))!.isCompleted()).toBe(false);

      await pg.up();
      await until(
        async () => (await Promise.all(jobs.map(async (id) => (await queue.getJob(id))?.isCompleted()))).every(Boolean),
        'every job to complete once PostgreSQL is back',
        60_000,
      );
      await sys.waitForIdle(60_000);

      expect(await effects(items)).toEqual({
        profiles: items.length,
        residents: items.length,
        inbox: items.length,
        dead: 0,
      });
      // The other consumers of resident.registered applied each once too, and every batch is settled.
      const [others] = await sys.sql(
        `SELECT (SELECT count(*) FROM social_orgs.inbox WHERE event_id = ANY($1::uuid[]))::int AS "socialOrgs",
                (SELECT count(*) FROM matching.inbox WHERE event_id = ANY($1::uuid[]))::int AS matching`,
        [eventIds],
      );
      expect(others).toEqual({ socialOrgs: items.length, matching: items.length });
      await until(async () => (await unsettled(eventIds)) === 0, 'the relay to settle every batch');
      for (const id of jobs) {
        const done = (await queue.getJob(id))!.returnvalue as JobConfirmation;
        expect(done.deadLettered).toBe(0);
      }
    } finally {
      await pg.up();
      await queue.resume().catch(() => undefined);
      await queue.close();
    }
  }, 180_000);

  it('a dead letter that cannot be written is retried: the job waits unsettled, then it is written', async () => {
    await sys.sql(`ALTER TABLE employment.labour_profile RENAME TO labour_profile_broken`);
    await sys.sql(`REVOKE INSERT ON employment.dead_letter FROM employment_app`);
    const queue = sys.queue('employment');
    try {
      const waits = logCounter('dead letters could not be written; the job runs again');
      // Its attempts fail and are retried (each leaves a failedReason): that is not a job BullMQ failed for good.
      const resends = logCounter('consumers failed jobs without confirming their events; sending them again');
      const [item] = await register(1);
      // The job is named by the relay's batch once sent: before that the outbox row has no batch yet.
      await until(() => allSent([item.eventId]), 'the relay to send the event');
      const [jobId] = await jobsOf([item.eventId]);
      await until(async () => waits() >= 2, 'the dead letter to fail to be written, twice', 60_000);
      expect(await (await queue.getJob(jobId))?.isCompleted()).toBe(false);
      expect(await unsettled([item.eventId])).toBe(1);
      expect(await effects([item], 'labour_profile_broken')).toEqual({ profiles: 0, residents: 0, inbox: 0, dead: 0 });

      await sys.sql(`GRANT INSERT ON employment.dead_letter TO employment_app`);
      await until(
        async () => (await queue.getJob(jobId))?.isCompleted() ?? false,
        'the job to complete once its dead letter is written',
        30_000,
      );
      expect(((await queue.getJob(jobId))!.returnvalue as JobConfirmation).deadLettered).toBe(1);
      expect(await effects([item], 'labour_profile_broken')).toEqual({ profiles: 0, residents: 0, inbox: 0, dead: 1 });
      await until(
        async () => (await unsettled([item.eventId])) === 0,
        'the relay to settle the batch on the dead letter',
      );
      expect(resends()).toBe(0);

      await sys.sql(`ALTER TABLE employment.labour_profile_broken RENAME TO labour_profile`);
      await replayAll([item.eventId]);
      await until(async () => (await effects([item])).profiles === 1, 'the replay to apply the event');
      await sys.waitForIdle();
      expect(await effects([item])).toEqual({ profiles: 1, residents: 1, inbox: 1, dead: 0 });
    } finally {
      await sys.sql(`GRANT INSERT ON employment.dead_letter TO employment_app`);
      await sys.sql(`ALTER TABLE IF EXISTS employment.labour_profile_broken RENAME TO labour_profile`);
      await queue.close();
    }
  }, 120_000);

  it('a job BullMQ fails after stalling too often: its event goes to dead letters; a replay applies it', async () => {
    const queue = sys.queue('employment');
    try {
      await queue.pause();
      const [item] = await register(1);
      await until(() => allSent([item.eventId]), 'the relay to send the event');
      const [jobId] = await jobsOf([item.eventId]);
      await until(async () => (await queue.getJob(jobId)) !== undefined, 'the job to be queued');
      // As BullMQ's stalled check marks a job that stalled more than maxStalledCount times: the next
      // worker to take it fails it without running it.
      const shared = new IORedis(TEST_REDIS_URL);
      await shared.hset(queue.toKey(jobId), 'defa', STALLED_TOO_OFTEN).finally(() => shared.disconnect());
      await queue.resume();

      await until(async () => (await effects([item])).dead === 1, 'the event to be dead-lettered');
      // The failed job confirmed nothing: the relay sent it again, and the send found the dead letter.
      await until(
        async () => (await queue.getJob(jobId))?.isCompleted() ?? false,
        'the job to be sent again and complete',
        30_000,
      );
      await sys.waitForIdle();
      expect(await effects([item])).toEqual({ profiles: 0, residents: 0, inbox: 0, dead: 1 });
      const [letter] = await sys.sql(`SELECT error FROM employment.dead_letter WHERE event_id = $1`, [item.eventId]);
      expect(letter.error).toBe(STALLED_TOO_OFTEN);
      await until(
        async () => (await unsettled([item.eventId])) === 0,
        'the relay to settle the batch on the dead letter',
      );

      await replayAll([item.eventId]);
      await until(async () => (await effects([item])).profiles === 1, 'the replay to apply the event');
      await sys.waitForIdle();
      expect(await effects([item])).toEqual({ profiles: 1, residents: 1, inbox: 1, dead: 0 });
    } finally {
      await queue.resume().catch(() => undefined);
      await queue.close();
    }
  }, 120_000);
});
