import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Queue, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { EVENTS, publish, publishSelect, type EventName } from '@anju/contracts';
import { createDataSource, loadConfig, platformSettings, setting } from '@anju/kit';
import { service as governance } from '@anju/governance';
import type { Benchmark } from './index';
import {
  Children,
  workerNodeOptions,
  freePort,
  machine,
  recreateDatabase,
  table,
  waitForOk,
  writeReport,
} from './harness';
import { benchSecrets, databaseUrl as urlOf, seededDataSettings, serviceDatabaseEnv } from './platform';
import { PeakRss, memoryRows, snapshot } from './memory';

/**
 * The event pipeline end to end: `resident.registered` published in governance's transactions
 * (outbox) → relay → BullMQ → the employment and matching workers' inboxes and effects (a
 * labour profile and a household re-check; a resident-directory row). Measured from the outbox
 * row's occurred_at to each consumer's inbox processed_at (the start of the effect's transaction;
 * both are PostgreSQL clocks). Beside it, raw BullMQ on the same Redis: the same number of jobs
 * added in bulk and taken by a worker of the same concurrency that does nothing — the floor.
 */
const settings = {
  BENCH_PIPELINE_EVENTS: setting.int(5_000, '`pnpm bench pipeline`: events of the burst phase', 100),
  BENCH_PIPELINE_SECONDS: setting.int(20, '`pnpm bench pipeline`: seconds of the sustained phase', 1),
  BENCH_PIPELINE_LOAD: setting.int(
    60,
    '`pnpm bench pipeline`: the sustained rate, in percent of the burst throughput measured',
    1,
    200,
  ),
  BENCH_PIPELINE_RATE: setting.int(
    0,
    '`pnpm bench pipeline`: the sustained rate in events/s (0: BENCH_PIPELINE_LOAD of the burst)',
    0,
  ),
  BENCH_PIPELINE_WORKER_NODE_OPTIONS: setting.optionalString(
    "`pnpm bench pipeline`: V8 flags of the four workers instead of each worker's bound (workerNodeOptions)",
  ),
  ...seededDataSettings,
};
const DATABASE = 'anju_bench_pipeline';
const PUBLISHERS = 10;
/** Events per publishing transaction (one INSERT … SELECT) in the burst, as an import writes them. */
const BURST_PER_TRANSACTION = 500;
/** The birth year only the burst's registrations carry (their ids are read back by it). */
const BURST_BIRTH_YEAR = 1989;
/**
 * Commits a second the sustained phase asks of the publishers at most (more events ride in each): single-row commits
 * are bound by the disk's flushes, which a shared machine cannot give a thousand times a second.
 */
const SUSTAINED_TRANSACTIONS_PER_SECOND = 100;
const CONSUMERS = ['employment', 'matching'] as const;
/** Marks a copy's unsent events while the workers start (see the backlog). */
const HELD_BACK = 'bench pipeline: held back until every worker is ready';

interface Phase {
  label: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;

async function run(): Promise<void> {
  const cfg = loadConfig(settings);
  const children = new Children();
  // BENCH_DATABASE: a copy of a seeded database (province scale:
  // 252,204 households); otherwise an empty one of its own.
  const copy = cfg.BENCH_DATABASE[0];
  const canonical = `anju_bench_${cfg.BENCH_SCALE}`;
  if (copy === canonical)
    throw new Error(`the pipeline writes: run it on a copy (createdb -T ${canonical} ${canonical}_<you>)`);
  const databaseUrl = copy ? urlOf(copy) : await recreateDatabase(DATABASE);
  // A copy keeps the PII keys of the database it was copied from: keys follow the canonical name.
  const secrets = (await benchSecrets(copy ? canonical : undefined)).env;
  const queuePrefix = `bench-pipe-${randomBytes(4).toString('hex')}`;
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: queuePrefix,
    ...secrets,
  };
  const config = loadConfig(platformSettings, env);
  const db = new Client({ connectionString: databaseUrl });
  const redis = new IORedis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const publisher = createDataSource(
    { ...config, DATABASE_POOL_SIZE: PUBLISHERS },
    {
      ...governance.data,
      migrations: governance.data.migrations as never,
      applicationName: 'bench-publisher',
    },
  );
  let backlog:
    | {
        events: number;
        seconds: number;
        eventsPerSecond: number;
        byEvent: Record<string, number>;
        secondsByConsumer: Record<string, number>;
      }
    | undefined;
  try {
    // Events a seeded copy holds unsent (the seed's first monitoring run: its ~100,000 gap events), released once every
    // worker is up.
    const backlogIds = new Map<string, string[]>();
    if (copy) {
      await db.connect();
      for (const s of ['governance', 'employment', 'matching', 'social_orgs']) {
        // Held back (marked sent and settled: neither the relay nor its reconcile sees them) until every worker is
        // ready: the figure is the pipeline's, not the time the workers took to start on a loaded machine.
        const { rows } = await db.query(
          `UPDATE ${s}.outbox SET sent_at = '-infinity', settled_at = '-infinity', last_error = $1
            WHERE sent_at IS NULL RETURNING id, event`,
          [HELD_BACK],
        );
        for (const r of rows) {
          if (!backlogIds.has(r.event)) backlogIds.set(r.event, []);
          backlogIds.get(r.event)!.push(r.id);
        }
      }
    }
    // Governance first: its worker migrates the schema the publisher writes into.
    // Social-orgs' worker takes resident.registered too (its resident directory), outside the figure: it shares the
    // machine, and every worker's memory is measured.
    for (const s of ['governance', ...CONSUMERS, 'social-orgs']) {
      const port = await freePort();
      const healthPort = `${s.toUpperCase().replace(/-/g, '_')}_WORKER_HEALTH_PORT`;
      children.start(
        `${s}-worker`,
        `services/${s}/src/worker.ts`,
        { ...env, ...serviceDatabaseEnv(databaseUrl, s), [healthPort]: String(port) },
        cfg.BENCH_PIPELINE_WORKER_NODE_OPTIONS ?? workerNodeOptions(s),
      );
      // A province copy migrates at start: on a loaded machine that takes minutes.
      await waitForOk(`http://127.0.0.1:${port}/ready`, children, 300_000);
    }
    console.log(
      `started governance-worker, ${CONSUMERS.map((c) => `${c}-worker`).join(', ')}, social-orgs-worker ` +
        `(NODE_ENV=production, JOB_CONCURRENCY ${config.JOB_CONCURRENCY}) on ${copy ?? DATABASE}`,
    );
    if (!copy) await db.connect();
    await publisher.initialize();

    if (backlogIds.size) {
      const total = [...backlogIds.values()].reduce((n, l) => n + l.length, 0);
      console.log(
        `backlog: ${total.toLocaleString('en-US')} events the ` +
          `copy held unsent (${[...backlogIds.keys()].join(', ')}), ` +
          'released at once…',
      );
      // Released as the nightly run's commit would: all at once, occurring now (PostgreSQL's clock, as processed_at).
      let releasedAt = Infinity;
      for (const s of ['governance', 'employment', 'matching', 'social_orgs']) {
        const {
          rows: [r],
        } = await db.query(
          `WITH released AS (
             UPDATE ${s}.outbox
               SET sent_at = NULL, settled_at = NULL, last_error = NULL, occurred_at = clock_timestamp()
              WHERE last_error = $1 RETURNING occurred_at)
           SELECT extract(epoch FROM min(occurred_at)) * 1000 AS at FROM released`,
          [HELD_BACK],
        );
        if (r.at !== null) releasedAt = Math.min(releasedAt, Number(r.at));
      }
      let last = 0;
      const lastBy: Record<string, number> = {};
      for (const [event, ids] of backlogIds) {
        const consumers = EVENTS[event as EventName]?.consumers ?? [];
        const deadline = Date.now() + 600_000;
        for (;;) {
          const done = await Promise.all(
            consumers.map(
              async (c) =>
                (
                  await db.query(
                    `SELECT count(*)::int AS n, extract(epoch FROM max(processed_at)) * 1000 AS last
                      FROM ${c.replace('-', '_')}.inbox WHERE event_id = ANY($1::uuid[])`,
                    [ids],
                  )
                ).rows[0],
            ),
          );
          if (done.every((d) => d.n === ids.length)) {
            last = Math.max(last, ...done.map((d) => Number(d.last)));
            consumers.forEach((c, i) => (lastBy[c] = Math.max(lastBy[c] ?? 0, Number(done[i].last))));
            break;
          }
          if (Date.now() > deadline)
            throw new Error(`backlog ${event}: ${done.map((d) => d.n).join(', ')} of ${ids.length} after 10 minutes`);
          children.assertAlive();
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      const seconds = (last - releasedAt) / 1000;
      const secondsByConsumer = Object.fromEntries(
        Object.entries(lastBy).map(([c, t]) => [c, (t - releasedAt) / 1000]),
      );
      const byEvent = Object.fromEntries([...backlogIds].map(([e, l]) => [e, l.length]));
      backlog = { events: total, seconds, eventsPerSecond: total / seconds, byEvent, secondsByConsumer };
      console.log(
        `  every consumer applied them ${seconds.toFixed(1)} s after their release ` +
          `(${Math.round(backlog.eventsPerSecond)} events/s; target ≤ 60 s; ` +
          `${Object.entries(secondsByConsumer)
            .map(([c, t]) => `${c} ${t.toFixed(1)} s`)
            .join(', ')})`,
      );
    }

    // Registrations into households of the data (a copy) or into 2,000 new ones of one new site.
    const homes: { householdId: string; siteId: string; regionCode: string }[] = copy
      ? (
          await db.query(`SELECT h.id AS "householdId", h.site_id AS "siteId", s.region_code AS "regionCode"
                           FROM governance.household h JOIN governance.site s ON s.id = h.site_id
                             ORDER BY md5(h.id::text) LIMIT 2000`)
        ).rows
      : (() => {
          const siteId = randomUUID();
          return Array.from({ length: 2_000 }, () => ({ householdId: randomUUID(), siteId, regionCode: '530627' }));
        })();
    const registration = (m: Parameters<typeof publish>[0]) =>
      publish(m, 'resident.registered', {
        residentId: randomUUID(),
        ...homes[Math.floor(Math.random() * homes.length)],
        labourCapacity: 'full',
        canWorkAway: true,
        wantsWork: true,
        birthYear: 1990,
      });
    /** Publishes `n` events with PUBLISHERS concurrent transactions of one event each, as users' changes do. */
    const publishMany = async (n: number) => {
      const ids: string[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: PUBLISHERS }, async () => {
          while (next < n) {
            next++;
            ids.push(await publisher.transaction(registration));
          }
        }),
      );
      return ids;
    };
    /**
     * The burst: `n` registrations written as an import writes them — PUBLISHERS transactions at a time, each one
     * `publishSelect` of BURST_PER_TRANSACTION events — so that it measures the pipeline, not the publisher's round
     * trips. Their ids are read back by the birth year only the burst uses.
     */
    const publishBurst = async (n: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: PUBLISHERS }, async () => {
          while (next < n) {
            const take = Math.min(BURST_PER_TRANSACTION, n - next);
            next += take;
            const picks = Array.from({ length: take }, () => homes[Math.floor(Math.random() * homes.length)]);
            await publisher.transaction((m) =>
              publishSelect(
                m,
                'resident.registered',
                `SELECT gen_random_uuid() AS "residentId", h AS "householdId", s AS "siteId", r AS "regionCode",
                  'full' AS "labourCapacity",
                    true AS "canWorkAway", true AS "wantsWork", ${BURST_BIRTH_YEAR} AS "birthYear",
                      NULL::uuid AS "gridId", NULL::jsonb AS languages,
                    NULL::text AS "nationalIdHash"
               FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS t(h, s, r)`,
                [picks.map((p) => p.householdId), picks.map((p) => p.siteId), picks.map((p) => p.regionCode)],
              ),
            );
          }
        }),
      );
      const { rows } = await db.query(
        `SELECT id FROM governance.outbox WHERE event = 'resident.registered' AND (payload->>'birthYear')::int = $1`,
        [BURST_BIRTH_YEAR],
      );
      return rows.map((r: { id: string }) => r.id);
    };
    /** Waits until every consumer's effect of these events committed; then their delays. */
    const effects = async (ids: string[], label: string): Promise<Phase> => {
      const deadline = Date.now() + 300_000;
      for (;;) {
        const counts = await Promise.all(
          CONSUMERS.map(
            async (c) =>
              (await db.query(`SELECT count(*)::int AS n FROM ${c}.inbox WHERE event_id = ANY($1::uuid[])`, [ids]))
                .rows[0].n as number,
          ),
        );
        if (counts.every((n) => n === ids.length)) break;
        if (Date.now() > deadline)
          throw new Error(
            `${label}: effects still missing after 5 minutes ` +
              `(${counts.join(', ')} of ${ids.length})\n${children.report()}`,
          );
        children.assertAlive();
        await new Promise((r) => setTimeout(r, 200));
      }
      // The effect of an event is done when its last consumer's effect is.
      const { rows } = await db.query(
        `SELECT extract(epoch FROM max(i.processed_at) - o.occurred_at) * 1000 AS ms,
          extract(epoch FROM o.occurred_at) AS occurred, extract(epoch FROM max(i.processed_at)) AS done
           FROM governance.outbox o
           JOIN (${CONSUMERS.map((c) => `SELECT event_id, processed_at FROM ${c}.inbox`).join(' UNION ALL ')}) i
             ON i.event_id = o.id
          WHERE o.id = ANY($1::uuid[]) GROUP BY o.id, o.occurred_at`,
        [ids],
      );
      const delays = rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
      const seconds = Math.max(...rows.map((r) => Number(r.done))) - Math.min(...rows.map((r) => Number(r.occurred)));
      return {
        label,
        events: ids.length,
        seconds,
        eventsPerSecond: ids.length / seconds,
        p50Ms: percentile(delays, 50),
        p99Ms: percentile(delays, 99),
        maxMs: delays.at(-1)!,
      };
    };

    // The consumers learn the new site first (matching refuses job-help demands for a site it does not know).
    if (!copy) {
      await publisher.transaction((m) =>
        publish(m, 'site.registered', {
          siteId: homes[0].siteId,
          regionCode: '530627',
          name: '基准安置点',
          latitude: 27.4,
          longitude: 104.9,
          plannedHouseholds: 2_000,
        }),
      );
    }
    // Deadlocks cost a second each (deadlock_timeout) and re-run a batch: counted over the measured phases.
    const deadlocks = async () =>
      Number(
        (await db.query(`SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`)).rows[0].deadlocks,
      );
    console.log('warm-up: 300 events…');
    await effects(await publishMany(300), 'warm-up');
    const atRest = snapshot(children);
    const peak = new PeakRss(children);
    const deadlocksBefore = await deadlocks();

    console.log(
      `burst: ${cfg.BENCH_PIPELINE_EVENTS} events published by ${PUBLISHERS} ` +
        `transactions at a time, one INSERT … SELECT of ${BURST_PER_TRANSACTION} events each…`,
    );
    const publishStart = Date.now();
    const burstIds = await publishBurst(cfg.BENCH_PIPELINE_EVENTS);
    const burstPublishSeconds = (Date.now() - publishStart) / 1000;
    console.log(`  published in ${burstPublishSeconds.toFixed(1)} s`);
    const burst = await effects(burstIds, 'pipeline, burst (max throughput)');
    console.log(
      `  both inboxes in ${burst.seconds.toFixed(1)} s: ${Math.round(burst.eventsPerSecond)} ` +
        `events/s, p50 ${Math.round(burst.p50Ms)} ms, p99 ${Math.round(burst.p99Ms)} ms`,
    );
    const rate =
      cfg.BENCH_PIPELINE_RATE || Math.max(1, Math.round((burst.eventsPerSecond * cfg.BENCH_PIPELINE_LOAD) / 100));
    const rateFrom = cfg.BENCH_PIPELINE_RATE
      ? 'BENCH_PIPELINE_RATE'
      : `${cfg.BENCH_PIPELINE_LOAD}% of the burst throughput`;
    console.log(`sustained: ${rate} events/s (${rateFrom}) for ${cfg.BENCH_PIPELINE_SECONDS} s…`);
    const perTransaction = Math.ceil(rate / SUSTAINED_TRANSACTIONS_PER_SECOND);
    if (perTransaction > 1)
      console.log(
        `  (${perTransaction} events per publishing transaction: at ` +
          `most ${SUSTAINED_TRANSACTIONS_PER_SECOND} commits a second)`,
      );
    const sustainedIds = await paced(
      rate,
      cfg.BENCH_PIPELINE_SECONDS,
      perTransaction,
      (n) =>
        publisher.transaction(async (m) => {
          const mine: string[] = [];
          for (let i = 0; i < n; i++) mine.push(await registration(m));
          return mine;
        }),
      PUBLISHERS,
    );
    const sustained = await effects(sustainedIds, `pipeline, sustained (asked ${rate}/s)`);
    const underLoad = peak.stop();
    const deadlocksSeen = (await deadlocks()) - deadlocksBefore;
    console.log(`  deadlocks in the database during the burst and the sustained phase: ${deadlocksSeen}`);

    console.log('raw BullMQ: the same burst and the same rate, no-op worker…');
    const rawBurst = await rawBullmq(
      redis,
      queuePrefix,
      config.JOB_CONCURRENCY,
      'burst',
      cfg.BENCH_PIPELINE_EVENTS,
      0,
      0,
    );
    const rawSustained = await rawBullmq(
      redis,
      queuePrefix,
      config.JOB_CONCURRENCY,
      'sustained',
      0,
      rate,
      cfg.BENCH_PIPELINE_SECONDS,
    );
    children.assertAlive();

    const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
    const phases = [burst, rawBurst, sustained, rawSustained];
    const ratio = {
      burstThroughput: burst.eventsPerSecond / rawBurst.eventsPerSecond,
      sustainedP50: sustained.p50Ms / Math.max(rawSustained.p50Ms, 0.001),
      sustainedP99: sustained.p99Ms / Math.max(rawSustained.p99Ms, 0.001),
    };
    console.log('');
    console.log(
      table([
        ['phase', 'events', 'seconds', 'events/s', 'p50 delay ms', 'p99 delay ms', 'max ms'],
        ...phases.map((p) => [
          p.label,
          fmt(p.events),
          fmt(p.seconds, 1),
          fmt(p.eventsPerSecond),
          fmt(p.p50Ms, 1),
          fmt(p.p99Ms, 1),
          fmt(p.maxMs, 1),
        ]),
        [
          'pipeline / raw BullMQ',
          '',
          '',
          `${fmt(ratio.burstThroughput, 3)}× (burst)`,
          `${fmt(ratio.sustainedP50, 1)}×`,
          `${fmt(ratio.sustainedP99, 1)}×`,
          '',
        ],
      ]),
    );
    console.log(
      `\nmemory (RSS) of each worker, at rest after the warm-up ` +
        `and at its peak under the burst and the sustained load:\n`,
    );
    console.log(table(memoryRows(atRest, underLoad)));
    const file = writeReport('pipeline', {
      benchmark: 'pipeline',
      at: new Date().toISOString(),
      machine: machine(),
      database: copy ?? DATABASE,
      backlog,
      event: 'resident.registered',
      consumers: CONSUMERS,
      publishers: PUBLISHERS,
      burstPerTransaction: BURST_PER_TRANSACTION,
      burstPublishSeconds,
      jobConcurrency: config.JOB_CONCURRENCY,
      sustainedRate: rate,
      phases: { burst, rawBurst, sustained, rawSustained },
      ratio,
      deadlocks: deadlocksSeen,
      memoryMiB: { atRest, underLoad },
    });
    console.log(`\nreport: ${path.relative(process.cwd(), file)}`);
    const dead = await Promise.all(
      CONSUMERS.map(
        async (c) => (await db.query(`SELECT count(*)::int AS n FROM ${c}.dead_letter`)).rows[0].n as number,
      ),
    );
    if (dead.some((n) => n > 0))
      throw new Error(
        `THE BENCHMARK SAW DEAD LETTERS (${dead.join(', ')}): its figures do not count.\n${children.report()}`,
      );
  } finally {
    await publisher.destroy().catch(() => undefined);
    await db.end().catch(() => undefined);
    await children.stopAll();
    redis.disconnect();
  }
}

/**
 * Sends `rate` events a second for `seconds`, in 50 ms ticks, `perSend` at a time (one call of `send`: a transaction
 * of that many events, or one job), never more than `inFlight` sends at once (a publisher's pool): when the machine
 * cannot keep the pace, the phase takes longer, and its events/s says so. Returns what the sends returned.
 */
async function paced(
  rate: number,
  seconds: number,
  perSend: number,
  send: (n: number) => Promise<string[]>,
  inFlight = Infinity,
): Promise<string[]> {
  const ids: string[] = [];
  const pending = new Set<Promise<void>>();
  const start = Date.now();
  let sent = 0;
  const total = rate * seconds;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * rate));
    while (sent < due && pending.size < inFlight) {
      const n = Math.min(perSend, due - sent);
      sent += n;
      const p: Promise<void> = send(n).then((got) => {
        ids.push(...got);
        pending.delete(p);
      });
      pending.add(p);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.all(pending);
  return ids;
}

/**
 * Raw BullMQ: `count` jobs added in bulk (or `rate`/s for `seconds`), a no-op worker; delay = finishedOn − timestamp.
 */
async function rawBullmq(
  redis: IORedis,
  prefix: string,
  concurrency: number,
  kind: 'burst' | 'sustained',
  count: number,
  rate: number,
  seconds: number,
): Promise<{ label: string } & Phase> {
  const name = `bench-raw-${kind}`;
  const queue = new Queue(name, { connection: redis, prefix });
  const delays: number[] = [];
  let first = Infinity;
  let last = 0;
  const total = kind === 'burst' ? count : rate * seconds;
  let done!: () => void;
  const allDone = new Promise<void>((r) => (done = r));
  const workerConnection = redis.duplicate();
  const worker = new Worker(name, async () => undefined, { connection: workerConnection, prefix, concurrency });
  worker.on('completed', (job: Job) => {
    const end = Date.now();
    delays.push(end - job.timestamp);
    first = Math.min(first, job.timestamp);
    last = Math.max(last, end);
    if (delays.length === total) done();
  });
  try {
    const data = { id: randomUUID(), event: 'resident.registered', payload: { residentId: randomUUID() } };
    if (kind === 'burst') {
      for (let i = 0; i < count; i += 500) {
        await queue.addBulk(
          Array.from({ length: Math.min(500, count - i) }, () => ({
            name: 'resident.registered',
            data,
            opts: { jobId: randomUUID(), removeOnComplete: true },
          })),
        );
      }
    } else {
      await paced(rate, seconds, 1, async () => [
        (await queue.add('resident.registered', data, { jobId: randomUUID(), removeOnComplete: true })).id!,
      ]);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      allDone,
      new Promise(
        (_, reject) =>
          (timer = setTimeout(
            () => reject(new Error(`raw BullMQ ${kind}: ${delays.length} of ${total} jobs after 5 minutes`)),
            300_000,
          )),
      ),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await worker.close();
    workerConnection.disconnect();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
  delays.sort((a, b) => a - b);
  const secs = (last - first) / 1000;
  return {
    label: `raw BullMQ, ${kind === 'burst' ? 'burst (floor)' : `sustained at ${rate}/s (floor)`}`,
    events: total,
    seconds: secs,
    eventsPerSecond: total / secs,
    p50Ms: percentile(delays, 50),
    p99Ms: percentile(delays, 99),
    maxMs: delays.at(-1)!,
  };
}

export const pipelineBenchmark: Benchmark = {
  name: 'pipeline',
  description:
    'resident.registered outbox → BullMQ → employment and matching inboxes ' +
    "(burst throughput, sustained p50/p99 delay) vs raw BullMQ, with workers' RSS",
  run,
};
