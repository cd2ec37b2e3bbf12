import IORedis from 'ioredis';
import { createLogger, startScheduler, type RunningScheduler, type ScheduledTask } from '@anju/kit';
import { LogCapture, TEST_REDIS_URL, deleteKeys, testQueuePrefix, until } from '@anju/testing';

/**
 * The job schedulers themselves (every other test runs tasks by hand on its clock): a cron task is
 * scheduled in the province's time zone, Asia/Shanghai (the 01:30 jobs fire at 17:30 UTC of the day
 * before), and two worker replicas that both register the same tasks run each tick once between
 * them. The ticks here come every second; the test waits for them, it does not time them.
 */
describe('job schedulers (Asia/Shanghai, once per tick across replicas)', () => {
  const prefix = testQueuePrefix();
  const config = { QUEUE_PREFIX: prefix, JOB_LOCK_MS: 30_000, SCHEDULE_CHECK_MS: 3_600_000, SCHEDULES_ENABLED: true };
  // What the schedulers log (connection problems, failed tasks) is printed with a failing test, to explain it.
  const logs = new LogCapture(false, 'the schedulers');
  const logger = createLogger({ service: 'schedules-test', level: 'info', destination: logs });
  const connections: IORedis[] = [];
  const replicas: RunningScheduler[] = [];
  const connect = () => {
    const c = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    connections.push(c);
    return c;
  };
  const start = async (service: string, tasks: ScheduledTask[]) => {
    const s = await startScheduler({ service, tasks, connection: connect(), config, logger });
    replicas.push(s);
    return s;
  };

  afterEach(async () => {
    for (const s of replicas.splice(0)) await s.close();
  });
  afterAll(async () => {
    const redis = connect();
    await deleteKeys(redis, `${prefix}:*`);
    for (const c of connections) c.disconnect();
  });

  it('a 01:30 task is scheduled at 01:30 in Shanghai: 17:30 UTC of the previous day', async () => {
    const nightly: ScheduledTask = { name: 'test.nightly', cron: '30 1 * * *', run: async () => null };
    const [a] = [await start('tz', [nightly]), await start('tz', [nightly])];
    const schedulers = await a.queue.getJobSchedulers(0, -1);
    // Both replicas registered it; Redis holds one scheduler.
    expect(schedulers.map((s) => ({ key: s.key, pattern: s.pattern, tz: s.tz }))).toEqual([
      { key: 'test.nightly', pattern: '30 1 * * *', tz: 'Asia/Shanghai' },
    ]);
    const next = new Date(Number(schedulers[0].next));
    expect(next.toISOString().slice(11, 19)).toBe('17:30:00');
    // The same instant is 01:30 on the next calendar day in Shanghai.
    const format = {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    } as const;
    const shanghai = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', format).formatToParts(next).map((p) => [p.type, p.value]),
    );
    expect(`${shanghai.hour}:${shanghai.minute}`).toBe('01:30');
    const dayAfter = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth(), next.getUTCDate() + 1))
      .toISOString()
      .slice(0, 10);
    expect(`${shanghai.year}-${shanghai.month}-${shanghai.day}`).toBe(dayAfter);
  });

  it('two replicas run each tick of a task once between them', async () => {
    const runs: string[] = [];
    const byReplica = [0, 0];
    const task = (replica: number): ScheduledTask => ({
      name: 'test.every-second',
      cron: '* * * * * *',
      run: async () => {
        byReplica[replica]++;
        runs.push(`r${replica}`);
        return null;
      },
    });
    const [a] = [await start('ticks', [task(0)]), await start('ticks', [task(1)])];
    await until(async () => runs.length >= 4, 'four ticks', 30_000);
    for (const s of replicas.splice(0)) await s.close();
    // Every tick is one job (its id names the tick), and every job ran once: as many runs as distinct ticks.
    const done = await a.queue.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed'], 0, -1);
    const ran = done.filter((j) => j.finishedOn);
    if (ran.length !== runs.length) {
      const jobs = await Promise.all(done.map(async (j) => ({ id: j.id, state: await j.getState(), f: j.finishedOn })));
      logger.warn({ runs, jobs }, 'runs and finished jobs differ');
    }
    expect(ran.length).toBe(runs.length);
    expect(new Set(ran.map((j) => j.id)).size).toBe(ran.length);
    expect(new Set(ran.map((j) => j.opts.prevMillis ?? j.timestamp)).size).toBe(ran.length);
    expect(ran.every((j) => !j.failedReason)).toBe(true);
    expect(byReplica[0] + byReplica[1]).toBe(runs.length);
  });
});
