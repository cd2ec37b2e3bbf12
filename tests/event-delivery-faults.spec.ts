import { Client } from 'pg';
import {
  REGISTER_RESIDENT,
  ServiceProcess,
  TestSystem,
  ThrowawayRedis,
  dataOf,
  residentInput,
  seedPlace,
  tokenFor,
  until,
  type Place,
} from '@anju/testing';

/**
 * Delivery is at least once and every effect happens once, whatever breaks: a worker killed
 * mid-job, Redis flushed, Redis down. These tests break a Redis of their own on a spare port,
 * never the shared one.
 */
describe('event delivery when things break', () => {
  let redis: ThrowawayRedis;
  let sys: TestSystem;
  let place: Place;
  let officer: string;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    sys = await TestSystem.start({
      label: 'faults',
      workers: ['governance', 'employment'],
      env: { REDIS_URL: redis.url, JOB_LOCK_MS: '1500' },
    });
    place = await seedPlace(sys, 1);
    officer = await tokenFor({ role: 'site_officer', sites: [place.siteIds[0]] });
    await sys.waitForIdle();
  });
  afterAll(async () => {
    await sys?.stop();
    await redis?.down();
  });

  async function register(seq: number): Promise<{ residentId: string; eventId: string }> {
    const residentId = dataOf(
      await sys.query(REGISTER_RESIDENT, { i: residentInput(place.householdIds[0], seq) }, officer),
    ).registerResident.id;
    const [row] = await sys.sql(
      `SELECT id FROM governance.outbox WHERE event = 'resident.registered' AND payload->>'residentId' = $1`,
      [residentId],
    );
    return { residentId, eventId: row.id };
  }

  async function effectCount(residentId: string, eventId: string) {
    const [r] = await sys.sql(
      `SELECT (SELECT count(*) FROM employment.labour_profile WHERE resident_id = $1)::int AS profiles,
              (SELECT count(*) FROM employment.inbox WHERE event_id = $2)::int AS inbox`,
      [residentId, eventId],
    );
    return r;
  }

  it('a worker killed (SIGKILL) in the middle of a job: after restart the event is processed, once', async () => {
    await sys.stopComponent('employment-worker');
    const env = { ...sys.env, EMPLOYMENT_WORKER_HEALTH_PORT: '0' };
    let worker = ServiceProcess.start('employment', 'worker', env);
    await worker.waitForLog('employment worker running');

    // Hold the handler inside its transaction: the labour_profile insert waits on this lock.
    const blocker = new Client({ connectionString: sys.db.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE employment.labour_profile IN EXCLUSIVE MODE');
    try {
      const { residentId, eventId } = await register(100);
      const queue = sys.queue('employment');
      let jobId: string | undefined;
      await until(
        async () =>
          !!(jobId ??= await sys.jobOf('governance', eventId)) && ((await queue.getJob(jobId))?.isActive() ?? false),
        'the job to be running',
      );
      await queue.close();
      await worker.kill('SIGKILL');
      await blocker.query('ROLLBACK');

      expect(await effectCount(residentId, eventId)).toEqual({ profiles: 0, inbox: 0 });
      worker = ServiceProcess.start('employment', 'worker', env);
      await worker.waitForLog('employment worker running');
      // The new worker finds the dead one's job stalled (its lock expired) and runs it again.
      const q = sys.queue('employment');
      await until(
        async () => (await q.getJob(jobId!))?.isCompleted() ?? false,
        'the job to complete after restart',
        30_000,
      );
      await q.close();
      expect(await effectCount(residentId, eventId)).toEqual({ profiles: 1, inbox: 1 });
    } finally {
      await blocker.end();
      await worker.kill('SIGTERM');
      await sys.startWorker('employment');
    }
  });

  it('Redis flushed before events were sent, and after sent but not consumed: each is processed once', async () => {
    // Not yet sent: the relay is down when the change commits.
    await sys.stopComponent('governance-worker');
    await sys.stopComponent('employment-worker');
    const unsent = await register(200);
    const [row] = await sys.sql(`SELECT sent_at FROM governance.outbox WHERE id = $1`, [unsent.eventId]);
    expect(row.sent_at).toBeNull();
    await redis.client((c) => c.flushall());

    // Sent, then lost: the relay sends it, Redis is flushed before anyone consumes it.
    await sys.startWorker('governance');
    await sys.waitForIdle().catch(() => undefined); // the jobs wait: no employment worker yet
    await until(
      async () =>
        (
          await sys.sql(`SELECT count(*)::int AS n FROM governance.outbox WHERE id = $1 AND sent_at IS NOT NULL`, [
            unsent.eventId,
          ])
        )[0].n === 1,
      'the relay to send',
    );
    const sentThenLost = await register(201);
    await until(
      async () =>
        (
          await sys.sql(`SELECT count(*)::int AS n FROM governance.outbox WHERE id = $1 AND sent_at IS NOT NULL`, [
            sentThenLost.eventId,
          ])
        )[0].n === 1,
      'the relay to send',
    );
    await redis.client((c) => c.flushall());

    // The reconcile pass finds both missing from Redis and sends them again.
    await sys.startWorker('employment');
    await until(
      async () => {
        const [a, b] = [
          await effectCount(unsent.residentId, unsent.eventId),
          await effectCount(sentThenLost.residentId, sentThenLost.eventId),
        ];
        return a.profiles === 1 && b.profiles === 1;
      },
      'both events to take effect',
      60_000,
    );
    await sys.waitForIdle();
    expect(await effectCount(unsent.residentId, unsent.eventId)).toEqual({ profiles: 1, inbox: 1 });
    expect(await effectCount(sentThenLost.residentId, sentThenLost.eventId)).toEqual({ profiles: 1, inbox: 1 });
  });

  it('a relay killed after adding its jobs, before marking them: its next round delivers each event once', async () => {
    await sys.stopComponent('governance-worker');
    const first = await register(400);
    // SHARE lets the relay lock the row FOR UPDATE and add its jobs, and holds the UPDATE that marks it sent.
    const blocker = new Client({ connectionString: sys.db.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE governance.outbox IN SHARE MODE');
    const env = { ...sys.env, GOVERNANCE_WORKER_HEALTH_PORT: '0' };
    const relay = ServiceProcess.start('governance', 'worker', env);
    try {
      await relay.waitForLog('governance worker running');
      // The job reached employment (its event applied) while the relay waits to mark the row sent.
      await until(
        async () => (await effectCount(first.residentId, first.eventId)).inbox === 1,
        'the first send to be consumed',
      );
      await until(
        async () =>
          (
            await sys.sql(`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE outbox%'`)
          )[0].n > 0,
        'the relay to wait to mark it sent',
      );
      await relay.kill('SIGKILL');
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    // The row is unsent again; the next round sends it with a newer one, as one batch.
    const second = await register(401);
    await sys.startWorker('governance');
    await until(
      async () => (await effectCount(second.residentId, second.eventId)).inbox === 1,
      'the newer event to be delivered',
      30_000,
    );
    await sys.waitForIdle();
    expect(await effectCount(first.residentId, first.eventId)).toEqual({ profiles: 1, inbox: 1 });
    expect(await effectCount(second.residentId, second.eventId)).toEqual({ profiles: 1, inbox: 1 });
    const batches = await sys.sql(`SELECT DISTINCT batch_id FROM governance.outbox WHERE id = ANY($1::uuid[])`, [
      [first.eventId, second.eventId],
    ]);
    expect(batches).toHaveLength(1);
  });

  it('Redis stopped: the mutation still commits, the outbox keeps the event, sent when Redis is back', async () => {
    await redis.down();
    try {
      const started = Date.now();
      const { residentId, eventId } = await register(300);
      // Fails fast rather than hanging: the request path never waits on Redis.
      expect(Date.now() - started).toBeLessThan(5_000);
      const ready = await fetch(sys.urls.governance!.replace('/graphql', '/ready'));
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { postgres: 'ok', redis: 'down' } });
      await until(
        async () =>
          (await sys.sql(`SELECT last_error FROM governance.outbox WHERE id = $1`, [eventId]))[0].last_error !== null,
        'the relay to record the failed send',
      );
      expect(await effectCount(residentId, eventId)).toEqual({ profiles: 0, inbox: 0 });

      await redis.up();
      await until(
        async () => (await effectCount(residentId, eventId)).profiles === 1,
        'the event to be delivered after Redis returned',
        30_000,
      );
      await sys.waitForIdle();
      expect(await effectCount(residentId, eventId)).toEqual({ profiles: 1, inbox: 1 });
    } finally {
      await redis.up().catch(() => undefined);
    }
  });
});
