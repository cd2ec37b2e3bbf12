import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { SERVICES, type ServiceName } from '@anju/contracts';
import { TestSystem, ThrowawayRedis, until } from '@anju/testing';

/**
 * Job schedulers live only in Redis, which keeps nothing on disk: after a FLUSHALL (what a Redis
 * restart does) every worker puts its schedulers back by itself, and until it has, its /ready
 * says so. The Redis here is the test's own, on a spare port.
 */
describe('job schedulers after Redis lost its data', () => {
  let redis: ThrowawayRedis;
  let sys: TestSystem;
  let connection: IORedis;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    connection = new IORedis(redis.url, { maxRetriesPerRequest: null });
    sys = await TestSystem.start({
      label: 'schedules',
      apis: [],
      workers: [],
      gateway: false,
      env: { REDIS_URL: redis.url, SCHEDULES_ENABLED: 'true' }, // this test is about the schedules
    });
  });
  afterAll(async () => {
    await sys?.stop();
    connection?.disconnect();
    await redis?.down();
  });

  async function schedulersOf(service: ServiceName): Promise<string[]> {
    const queue = new Queue(`${service}.schedules`, { connection, prefix: sys.queuePrefix });
    try {
      return (await queue.getJobSchedulers(0, -1)).map((s) => s.key).sort();
    } finally {
      await queue.close();
    }
  }

  const ready = async (service: ServiceName) => {
    const res = await fetch(sys.workerReady[service]!);
    return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
  };

  it("a worker's /ready fails while a schedule it owns is missing", async () => {
    sys.env.SCHEDULE_CHECK_MS = '3600000'; // no restore during this test: the gap stays open
    await sys.startWorker('matching');
    expect(await schedulersOf('matching')).toEqual(expect.arrayContaining(['matching.nightly-batch', 'outbox.prune']));
    expect((await ready('matching')).status).toBe(200);

    await redis.client((c) => c.flushall());
    expect(await schedulersOf('matching')).toEqual([]);
    const after = await ready('matching');
    expect(after.status).toBe(503);
    expect(after.body.checks).toEqual(expect.objectContaining({ redis: 'ok', postgres: 'ok', schedules: 'down' }));
    await sys.stopComponent('matching-worker');
  });

  it('every worker restores each of its schedulers by itself, without a restart', async () => {
    sys.env.SCHEDULE_CHECK_MS = '500';
    for (const s of SERVICES) await sys.startWorker(s);
    const before = Object.fromEntries(
      await Promise.all(SERVICES.map(async (s) => [s, await schedulersOf(s)] as const)),
    );
    for (const s of SERVICES) expect(before[s]).toEqual(expect.arrayContaining(['inbox.prune', 'outbox.prune']));
    expect(before.governance.length).toBeGreaterThan(2);

    await redis.client((c) => c.flushall());
    await until(
      async () => {
        for (const s of SERVICES) if ((await schedulersOf(s)).join() !== before[s].join()) return false;
        return true;
      },
      'every scheduler to be back',
      60_000,
    );
    for (const s of SERVICES) {
      const r = await ready(s);
      expect(r.status).toBe(200);
      expect(r.body.checks.schedules).toBe('ok');
    }
    expect(sys.logs.text()).toContain('job schedulers were missing from Redis; restored them');
  });
});
