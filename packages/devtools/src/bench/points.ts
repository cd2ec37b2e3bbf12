import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { Client } from 'pg';
import {
  EVENTS,
  RELAY_BATCH,
  declarationOf,
  eventJobOptions,
  inboxQueueName,
  type EventEnvelope,
} from '@anju/contracts';

const GOVERNANCE = declarationOf('governance');
import { loadConfig, mintToken, platformSettings, setting } from '@anju/kit';
import type { Benchmark } from './index';
import { benchSecrets, serviceDatabaseEnv } from './platform';
import {
  API_NODE_OPTIONS,
  workerNodeOptions,
  Children,
  freePort,
  machine,
  recreateDatabase,
  table,
  waitForOk,
  writeReport,
} from './harness';

/**
 * Points (积分制) under load, on the real governance api and worker (production mode, their own
 * database):
 * 1. 100,000 `activity.attended` events put on governance's inbox queue as the relay would (plus
 *    1,000 redeliveries of events already sent, under new job ids), credited by one worker
 *    process: events/s from the first publish to the last credit, and the delay from each
 *    event's publish to the start of the transaction that credited it (p50/p99). Checks: every
 *    event credited exactly once, every balance equal to its ledger sum.
 * 2. 1,000 residents redeem the same reward (stock 300) at once, straight to the governance
 *    subgraph: redemptions/s, latency, and the oversell check (300 succeed, stock 0, no balance
 *    below zero, balances equal their ledgers).
 */
const DATABASE = 'anju_bench_points';
const RESIDENTS = 1_000;
const settings = {
  BENCH_POINTS_EVENTS: setting.int(
    100_000,
    'events the points benchmark credits through the queue (a multiple of 1,000)',
    1_000,
    10_000_000,
  ),
};
const EVENTS_TOTAL = loadConfig(settings).BENCH_POINTS_EVENTS;
const REDELIVERIES = EVENTS_TOTAL / 100;
const PUBLISH_BATCH = 1_000;
const REDEMPTIONS = 1_000;
const STOCK = 300;
const PRICE = 50;
const WORKER_CONCURRENCY = 16;
const POOL = 20;

const uuid = (expr: string) =>
  `(substr(md5(${expr}), 1, 12) || '4' || substr(md5(${expr}), 14, 3) || '8' || substr(md5(${expr}), 18, 15))::uuid`;

async function seed(databaseUrl: string): Promise<{ siteId: string; residentIds: string[] }> {
  const c = new Client({ connectionString: databaseUrl, options: '-c search_path=governance,public' });
  await c.connect();
  try {
    await c.query(
      `INSERT INTO region (code, name, level, parent_code)
        VALUES ('53', '云南省', 'province', NULL), ('5301', '昆明市', 'prefecture', '53'),
        ('530102', '五华区', 'county', '5301')`,
    );
    const [{ id: siteId }] = (
      await c.query(
        `INSERT INTO site (name, region_code, address, latitude, longitude, planned_households)
          VALUES ('积分基准安置点', '530102', '五华区基准路1号', 25.04, 102.71, ${RESIDENTS}) RETURNING id`,
      )
    ).rows;
    await c.query(
      `INSERT INTO household (id, site_id, household_number) SELECT ${uuid(`'hh' || h`)}, $1, 'BENCH-' || h
        FROM generate_series(0, ${RESIDENTS - 1}) h`,
      [siteId],
    );
    // Sealed columns hold filler bytes: the benchmark never reads personal data.
    await c.query(
      `INSERT INTO resident (id, household_id, site_id, region_code, name, national_id_sealed, national_id_hash,
        national_id_masked, gender, birth_date,
                             ethnicity, labour_capacity, can_work_away, wants_work, relation_to_head)
       SELECT ${uuid(`'res' || r`)}, ${uuid(`'hh' || r`)}, $1, '530102', '居民' || r, '\\x00'::bytea,
         decode(md5('id' || r), 'hex'), '530102********000X',
              'male', DATE '1985-01-01', '彝族', 'full', true, true, 'head'
         FROM generate_series(0, ${RESIDENTS - 1}) r`,
      [siteId],
    );
    await c.query(
      `INSERT INTO points_rule (site_id, region_code, action, event, points, created_by)
        VALUES ($1, '530102', '参加社区活动', 'activity.attended', 1, 'bench')`,
      [siteId],
    );
    const residentIds = (await c.query(`SELECT id FROM resident ORDER BY id`)).rows.map((r: { id: string }) => r.id);
    return { siteId, residentIds };
  } finally {
    await c.end();
  }
}

async function run(): Promise<void> {
  const children = new Children();
  const redis = new IORedis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const queue = new Queue(inboxQueueName('governance'), { connection: redis, prefix });
  const databaseUrl = await recreateDatabase(DATABASE);
  const db = new Client({ connectionString: databaseUrl, options: '-c search_path=governance,public' });
  try {
    const secrets = await benchSecrets();
    const common = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      QUEUE_PREFIX: prefix,
      ...secrets.env,
    };
    const apiPort = await freePort();
    children.start(
      'governance-api',
      GOVERNANCE.api.entry,
      {
        ...common,
        ...serviceDatabaseEnv(databaseUrl, 'governance'),
        GOVERNANCE_PORT: String(apiPort),
        DATABASE_POOL_SIZE: String(POOL),
      },
      API_NODE_OPTIONS,
    );
    await waitForOk(`http://127.0.0.1:${apiPort}/ready`, children);
    const workerPort = await freePort();
    children.start(
      'governance-worker',
      GOVERNANCE.worker.entry,
      {
        ...common,
        ...serviceDatabaseEnv(databaseUrl, 'governance'),
        GOVERNANCE_WORKER_HEALTH_PORT: String(workerPort),
        JOB_CONCURRENCY: String(WORKER_CONCURRENCY),
        DATABASE_POOL_SIZE: String(POOL),
      },
      workerNodeOptions('governance'),
    );
    await waitForOk(`http://127.0.0.1:${workerPort}/ready`, children);
    console.log(
      `started governance api and worker (NODE_ENV=production, ` +
        `JOB_CONCURRENCY=${WORKER_CONCURRENCY}, DATABASE_POOL_SIZE=${POOL} each, database ${DATABASE})`,
    );
    const { siteId, residentIds } = await seed(databaseUrl);
    await db.connect();

    // ── 1. Credits through the queue ─────────────────────────────────────────────────────────
    console.log(
      `publishing ${EVENTS_TOTAL.toLocaleString('en-US')} activity.attended ` +
        `events (+${REDELIVERIES} redeliveries) to ${inboxQueueName('governance')}…`,
    );
    const jobOptions = eventJobOptions(loadConfig(platformSettings, {}));
    const started = Date.now();
    for (let i = 0; i < EVENTS_TOTAL; i += PUBLISH_BATCH) {
      const at = new Date().toISOString();
      const batch: EventEnvelope<'activity.attended'>[] = [];
      for (let k = i; k < Math.min(i + PUBLISH_BATCH, EVENTS_TOTAL); k++) {
        batch.push({
          id: randomUUID(),
          name: 'activity.attended',
          version: EVENTS['activity.attended'].version,
          producer: 'social-orgs',
          occurredAt: at,
          payload: {
            attendanceId: randomUUID(),
            activityId: randomUUID(),
            organizationId: randomUUID(),
            residentId: residentIds[k % RESIDENTS],
            siteId,
            attendedAt: at,
            activityKind: 'bench', // the residents' own site: governance credits no other
          },
        });
      }
      // A redelivery of events already published (same event id, new job id), as a retry or a re-send would.
      // Sent right behind the originals, so some run concurrently with them.
      const again = batch.slice(0, REDELIVERIES / (EVENTS_TOTAL / PUBLISH_BATCH));
      // As the relay sends them: one job per RELAY_BATCH events (named by its first event; the relay's is a digest).
      const jobs = [];
      for (let k = 0; k < batch.length; k += RELAY_BATCH) {
        const part = batch.slice(k, k + RELAY_BATCH);
        jobs.push({ name: 'events', data: { batch: part }, opts: { ...jobOptions, jobId: part[0].id } });
      }
      jobs.push({ name: 'events', data: { batch: again }, opts: { ...jobOptions, jobId: `${again[0].id}.again` } });
      await queue.addBulk(jobs);
    }
    const published = Date.now();
    console.log(`published in ${((published - started) / 1000).toFixed(1)} s; waiting for the credits…`);
    const deadline = Date.now() + 15 * 60_000;
    let credited = 0;
    while (Date.now() < deadline) {
      children.assertAlive();
      credited = Number((await db.query(`SELECT count(*) AS n FROM points_entry`)).rows[0].n);
      if (credited >= EVENTS_TOTAL) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    // Let the last redeliveries drain too, then check nothing more was credited.
    while (Date.now() < deadline) {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(c).every((n) => n === 0)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const [credit] = (
      await db.query(
        `SELECT count(*)::int AS entries, count(DISTINCT source_event_id)::int AS events, sum(points)::bigint AS points,
              extract(epoch FROM max(recorded_at)) * 1000 AS last_ms,
                extract(epoch FROM min(recorded_at)) * 1000 AS first_ms,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM recorded_at - occurred_at) * 1000)
                AS p50_ms,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM recorded_at - occurred_at) * 1000)
                AS p99_ms,
              max(extract(epoch FROM recorded_at - occurred_at) * 1000) AS max_ms
         FROM points_entry`,
      )
    ).rows;
    const [inbox] = (await db.query(`SELECT count(*)::int AS n FROM inbox`)).rows;
    const mismatched = Number(
      (
        await db.query(
          `SELECT count(*)::int AS n FROM points_account a
            WHERE a.balance <> (SELECT coalesce(sum(points), 0) FROM points_entry e WHERE e.resident_id =
            a.resident_id)`,
        )
      ).rows[0].n,
    );
    const creditSeconds = (Number(credit.last_ms) - started) / 1000;
    const creditResult = {
      events: EVENTS_TOTAL,
      redeliveries: REDELIVERIES,
      entries: credit.entries,
      distinctEvents: credit.events,
      inboxRows: inbox.n,
      points: Number(credit.points),
      seconds: creditSeconds,
      eventsPerSecond: EVENTS_TOTAL / creditSeconds,
      publishSeconds: (published - started) / 1000,
      delayP50Ms: Number(credit.p50_ms),
      delayP99Ms: Number(credit.p99_ms),
      delayMaxMs: Number(credit.max_ms),
      balancesNotEqualToLedger: mismatched,
    };
    // Printed at once, so that the figures of phase 1 survive a failure of phase 2.
    console.log(
      `credits: ${creditResult.entries} entries for ${creditResult.distinctEvents} ` +
        `events in ${creditSeconds.toFixed(1)} s = ` +
        `${Math.round(creditResult.eventsPerSecond)} credits/s; p50/p99 ` +
        `publish→credit ${Math.round(creditResult.delayP50Ms)}/${Math.round(creditResult.delayP99Ms)} ms; ` +
        `balances not equal to their ledger: ${mismatched}`,
    );

    // ── 2. 1,000 concurrent redemptions of a reward with stock 300 ───────────────────────────────
    const officer = await secrets.mint({ sub: 'bench-officer', role: 'county', regions: ['530102'] });
    const [site] = (await db.query(`SELECT id FROM site LIMIT 1`)).rows;
    const url = `http://127.0.0.1:${apiPort}/graphql`;
    const call = async (token: string, query: string, variables: Record<string, unknown>) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as {
        data?: Record<string, { id: string }> | null;
        errors?: { extensions?: { reason?: string; code?: string } }[];
      };
    };
    const added = await call(officer, `mutation($i: AddRewardInput!) { addReward(input: $i) { id } }`, {
      i: { siteId: site.id, name: '基准奖品', kind: 'GOODS', price: PRICE, stock: STOCK },
    });
    if (!added.data?.addReward) throw new Error(`addReward failed: ${JSON.stringify(added.errors)}`);
    const rewardId = added.data.addReward.id;
    const redeemers = residentIds.slice(0, REDEMPTIONS);
    // Every redeemer can afford the reward whatever phase 1
    // credited: a grant of the price each, as an officer's would be.
    await db.query(
      `WITH g AS (
         INSERT INTO points_entry (resident_id, site_id, region_code, kind, points, balance_after, reason, actor,
           occurred_at)
         SELECT a.resident_id, r.site_id, r.region_code, 'grant', ${PRICE}, a.balance + ${PRICE},
           'bench: enough to redeem', 'bench', now()
           FROM points_account a JOIN resident r ON r.id = a.resident_id WHERE a.resident_id = ANY($1::uuid[])
         RETURNING resident_id, points)
       UPDATE points_account a SET balance = a.balance + g.points, score = a.score + g.points FROM g
         WHERE a.resident_id = g.resident_id`,
      [redeemers],
    );
    const tokens = await Promise.all(
      redeemers.map((r) => secrets.mint({ sub: `bench-${r}`, role: 'resident', resident: r })),
    );
    console.log(`${REDEMPTIONS} residents redeem one reward (stock ${STOCK}, price ${PRICE}) at once…`);
    const latencies: number[] = [];
    const t0 = performance.now();
    const outcomes = await Promise.all(
      tokens.map(async (t) => {
        const s = performance.now();
        const r = await call(t, `mutation($i: RedeemRewardInput!) { redeemReward(input: $i) { id } }`, {
          i: { rewardId },
        });
        latencies.push(performance.now() - s);
        return r.data?.redeemReward
          ? 'ok'
          : (r.errors?.[0]?.extensions?.reason ?? r.errors?.[0]?.extensions?.code ?? 'unknown');
      }),
    );
    const redeemSeconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
    const byOutcome: Record<string, number> = {};
    for (const o of outcomes) byOutcome[o] = (byOutcome[o] ?? 0) + 1;
    const [after] = (
      await db.query(
        `SELECT (SELECT stock FROM points_reward WHERE id = $1) AS stock,
              (SELECT count(*) FROM points_redemption WHERE reward_id = $1)::int AS redemptions,
              (SELECT count(*) FROM points_entry WHERE kind = 'redeem')::int AS redeem_entries,
              (SELECT count(*) FROM points_account WHERE balance < 0)::int AS negative,
              (SELECT count(*) FROM points_account a WHERE a.balance <> (SELECT coalesce(sum(points), 0) FROM
                points_entry e WHERE e.resident_id = a.resident_id))::int AS mismatched`,
        [rewardId],
      )
    ).rows;
    // Oversold: more redemptions than stock, stock below zero, or a
    // balance below zero. Every unit must also be sold (stock 0).
    const oversold = after.redemptions > STOCK || after.redeem_entries > STOCK || after.stock < 0 || after.negative > 0;
    const soldOut = after.stock === 0 && after.redemptions === STOCK && (byOutcome.ok ?? 0) === STOCK;
    const redeemResult = {
      attempts: REDEMPTIONS,
      stock: STOCK,
      price: PRICE,
      outcomes: byOutcome,
      seconds: redeemSeconds,
      attemptsPerSecond: REDEMPTIONS / redeemSeconds,
      latencyP50Ms: pct(0.5),
      latencyP99Ms: pct(0.99),
      stockAfter: after.stock,
      redemptionRows: after.redemptions,
      redeemEntries: after.redeem_entries,
      negativeBalances: after.negative,
      balancesNotEqualToLedger: after.mismatched,
      oversold,
      soldOutExactly: soldOut,
    };

    const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
    console.log(
      `\n${table([
        ['credits through the queue', 'value'],
        ['events published (+ redeliveries)', `${fmt(EVENTS_TOTAL)} (+${fmt(REDELIVERIES)})`],
        ['ledger entries / distinct events', `${fmt(credit.entries)} / ${fmt(credit.events)}`],
        ['first publish → last credit', `${fmt(creditSeconds, 1)} s`],
        ['events/s', fmt(creditResult.eventsPerSecond)],
        [
          'publish → credit p50 / p99 / max',
          `${fmt(creditResult.delayP50Ms)} / ${fmt(creditResult.delayP99Ms)} / ${fmt(creditResult.delayMaxMs)} ms`,
        ],
        ['balances ≠ ledger sum', fmt(mismatched)],
      ])}\n\n${table([
        ['concurrent redemptions', 'value'],
        ['attempts (all at once)', fmt(REDEMPTIONS)],
        [
          'outcomes',
          Object.entries(byOutcome)
            .map(([k, v]) => `${k} ${v}`)
            .join(', '),
        ],
        ['redemptions/s (attempts)', fmt(redeemResult.attemptsPerSecond)],
        ['latency p50 / p99', `${fmt(redeemResult.latencyP50Ms)} / ${fmt(redeemResult.latencyP99Ms)} ms`],
        ['stock after / redemption rows', `${after.stock} / ${after.redemptions}`],
        ['oversold (redemptions > stock, stock or a balance < 0)', oversold ? 'YES' : 'no'],
        ['sold out exactly (stock 0, 300 redemptions, 300 ok)', soldOut ? 'yes' : 'NO'],
      ])}`,
    );
    const file = writeReport('points', {
      benchmark: 'points',
      at: new Date().toISOString(),
      machine: machine(),
      workerConcurrency: WORKER_CONCURRENCY,
      poolSize: POOL,
      residents: RESIDENTS,
      credit: creditResult,
      redemption: redeemResult,
    });
    console.log(`\nreport: ${path.relative(process.cwd(), file)}`);
    const problems = [
      credit.entries !== EVENTS_TOTAL && `ledger has ${credit.entries} entries for ${EVENTS_TOTAL} events`,
      credit.events !== EVENTS_TOTAL && `${credit.events} distinct events credited`,
      mismatched > 0 && `${mismatched} balances differ from their ledger (credits)`,
      oversold && 'the reward was OVERSOLD',
      !soldOut && 'the stock was not sold exactly',
      after.mismatched > 0 && `${after.mismatched} balances differ from their ledger (redemptions)`,
      Object.keys(byOutcome).some((k) => k !== 'ok' && k !== 'OUT_OF_STOCK') &&
        `unexpected outcomes ${JSON.stringify(byOutcome)}`,
    ].filter(Boolean);
    if (problems.length)
      throw new Error(`THE BENCHMARK FAILED ITS CHECKS: ${problems.join('; ')}\n${children.report()}`);
  } finally {
    await db.end().catch(() => undefined);
    await children.stopAll();
    const keys = await redis.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 1_000) await redis.del(...keys.slice(i, i + 1_000));
    await queue.close();
    redis.disconnect();
  }
}

export const pointsBenchmark: Benchmark = {
  name: 'points',
  description:
    '100,000 activity.attended credits through the queue (events/s, p99 ' +
    'publish→credit) and 1,000 concurrent redemptions (throughput, oversell check)',
  run,
};
