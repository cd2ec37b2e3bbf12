import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Client } from 'pg';
import { SERVICES } from '@anju/contracts';
import { checkCharacter, setting, loadConfig } from '@anju/kit';
import { ThrowawayRedis } from '@anju/testing';
import { ThrowawayPostgres } from '../throwaway-postgres';
import type { Benchmark } from './index';
import { Children, workerNodeOptions, freePort, machine, table, waitForOk, writeReport } from './harness';
import { benchSecrets, envName, serviceDatabaseEnv, startPlatform } from './platform';

/**
 * Faults under load: while a client registers residents through the gateway at a steady rate
 * (each one a `resident.registered` event for employment, social-orgs and matching) and another
 * asks a site dashboard over four subgraphs, one fault after another — a worker killed (-9) and
 * restarted at once, Redis flushed (what its restart does), PostgreSQL restarted, a subgraph
 * restarted (a deploy). Per fault: the requests clients saw fail, the recovery time (until every
 * event registered before the fault ended is applied by every consumer and every process is
 * ready), and — the point — events lost and effects applied twice, checked in the database.
 * PostgreSQL and Redis are the benchmark's own (embedded, on spare ports), never the shared ones.
 */
const settings = {
  BENCH_CHAOS_EVENTS_PER_S: setting.int(
    4,
    '`pnpm bench chaos`: registrations (events) per second through the gateway',
    1,
  ),
  BENCH_CHAOS_QUERIES_PER_S: setting.int(8, '`pnpm bench chaos`: dashboard queries per second through the gateway', 1),
  BENCH_CHAOS_QUIET_S: setting.int(
    10,
    '`pnpm bench chaos`: seconds of load before the first fault and after each recovery',
    1,
  ),
};
const DATABASE = 'anju_chaos';
const CONSUMER_SCHEMAS = ['employment', 'social_orgs', 'matching'];
const RECOVERY_TIMEOUT_MS = 300_000;
const DASHBOARD = `query($id: ID!) { site(id: $id) { name householdCount residentCount openDemandCount }
  labourProfiles(siteId: $id, first: 2) { totalCount } organizations(first: 3) { totalCount } }`;

interface Outcome {
  at: number;
  ok: boolean;
  error?: string;
}

async function gql<T>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await res.json().catch(() => ({}))) as {
    data?: T;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  if (!res.ok || body.errors?.length || !body.data) {
    throw new Error(
      `HTTP ${res.status} ${body.errors?.map((e) => e.extensions?.code ?? e.message).join(', ') ?? ''}`.trim(),
    );
  }
  return body.data;
}

/** Runs `fn` `perSecond` times a second (each call on its own, so a slow one does not slow the rate) until stopped. */
function steady(perSecond: number, fn: () => Promise<void>): { stop(): Promise<void> } {
  const inFlight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const p = fn().finally(() => inFlight.delete(p));
    inFlight.add(p);
  }, 1000 / perSecond);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inFlight);
    },
  };
}

async function run(): Promise<void> {
  const cfg = loadConfig(settings);
  const children = new Children();
  const pg = await ThrowawayPostgres.start();
  const redis = await ThrowawayRedis.start();
  const db = new Client({ connectionString: `${pg.server}/postgres` });
  await db.connect();
  await db.query(`CREATE DATABASE ${DATABASE}`);
  await db.end();
  const databaseUrl = `${pg.server}/${DATABASE}`;
  let sql: Client | undefined;
  /** A query on the benchmark's database (a new session when PostgreSQL restarted). */
  const query = async <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => {
    if (!sql) {
      sql = new Client({ connectionString: databaseUrl });
      sql.on('error', () => undefined);
      await sql.connect();
    }
    try {
      return (await sql.query(text, params)).rows as T[];
    } catch (err) {
      await sql.end().catch(() => undefined);
      sql = undefined;
      throw err;
    }
  };
  try {
    const secrets = await benchSecrets();
    const env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `bench-chaos-${randomBytes(4).toString('hex')}`,
      GATEWAY_RESPONSE_CACHE: 'false',
      ...secrets.env,
    };
    const platform = await startPlatform(children, env);
    const ready: Record<string, string> = Object.fromEntries(
      Object.entries(platform.urls).map(([k, u]) => [k, u.replace('/graphql', '/ready')]),
    );
    ready.gateway = platform.gatewayUrl.replace('/graphql', '/ready');
    for (const s of SERVICES) {
      const port = await freePort();
      children.start(
        `${s}-worker`,
        `services/${s}/src/worker.ts`,
        {
          ...env,
          ...serviceDatabaseEnv(databaseUrl, s),
          [`${envName(s)}_WORKER_HEALTH_PORT`]: String(port),
        },
        workerNodeOptions(s),
      );
      ready[`${s}-worker`] = `http://127.0.0.1:${port}/ready`;
      await waitForOk(ready[`${s}-worker`], children);
    }
    console.log(
      `started ${children
        .pids()
        .map((p) => p.name)
        .join(', ')} on an embedded PostgreSQL (port ${pg.port}) and a Redis of its own (port ${redis.port})`,
    );

    // A place to register residents into, through the gateway as a province officer would.
    const province = await secrets.mint({ sub: 'bench-chaos', role: 'province', regions: ['53'] });
    for (const [code, name] of [
      ['53', '云南省'],
      ['5301', '昆明市'],
      ['530102', '五华区'],
    ]) {
      await gql(
        platform.gatewayUrl,
        province,
        'mutation($i: RegisterRegionInput!){ registerRegion(input:$i){ code } }',
        { i: { code, name } },
      );
    }
    const { registerSite: site } = await gql<{ registerSite: { id: string } }>(
      platform.gatewayUrl,
      province,
      'mutation($i: RegisterSiteInput!){ registerSite(input:$i){ id } }',
      {
        i: {
          regionCode: '530102',
          name: '故障演练安置点',
          address: '五华区演练路1号',
          latitude: 25.04,
          longitude: 102.71,
          plannedHouseholds: 5000,
        },
      },
    );
    const households: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { registerHousehold: h } = await gql<{ registerHousehold: { id: string } }>(
        platform.gatewayUrl,
        province,
        'mutation($i: RegisterHouseholdInput!){ registerHousehold(input:$i){ id } }',
        {
          i: { siteId: site.id, householdNumber: `CHAOS-${String(i).padStart(4, '0')}`, address: `${i + 1}栋1单元101` },
        },
      );
      households.push(h.id);
    }
    const officer = await secrets.mint({ sub: 'bench-chaos-officer', role: 'site_officer', sites: [site.id] });
    const county = await secrets.mint({ sub: 'bench-chaos-county', role: 'county', regions: ['530102'] });

    // The load: registrations (events) and dashboards, every outcome kept with its time.
    const writes: Outcome[] = [];
    const reads: Outcome[] = [];
    const registered = new Map<string, number>(); // resident id → when the client saw it registered
    let seq = 0;
    const register = async () => {
      const n = seq++;
      const birth = new Date(Date.UTC(1960, 0, 1) + Math.floor(n / 500) * 86_400_000)
        .toISOString()
        .slice(0, 10)
        .replace(/-/g, '');
      const first17 = `530102${birth}${String((n % 500) * 2 + 1).padStart(3, '0')}`;
      const at = Date.now();
      try {
        const { registerResident: r } = await gql<{ registerResident: { id: string } }>(
          platform.gatewayUrl,
          officer,
          'mutation($i: RegisterResidentInput!){ registerResident(input:$i){ id } }',
          {
            i: {
              householdId: households[n % households.length],
              name: `演练居民${n}`,
              nationalId: first17 + checkCharacter(first17),
              ethnicity: '彝族',
              labourCapacity: 'FULL',
              canWorkAway: n % 2 === 0,
              wantsWork: true,
              relationToHead: 'OTHER',
            },
          },
        );
        registered.set(r.id, at);
        writes.push({ at, ok: true });
      } catch (err) {
        writes.push({ at, ok: false, error: (err as Error).message });
      }
    };
    const dashboard = async () => {
      const at = Date.now();
      try {
        const d = await gql<{ site: { name: string } }>(platform.gatewayUrl, county, DASHBOARD, { id: site.id });
        if (d.site?.name !== '故障演练安置点') throw new Error('wrong site');
        reads.push({ at, ok: true });
      } catch (err) {
        reads.push({ at, ok: false, error: (err as Error).message });
      }
    };
    const loads = [steady(cfg.BENCH_CHAOS_EVENTS_PER_S, register), steady(cfg.BENCH_CHAOS_QUERIES_PER_S, dashboard)];

    /**
     * Events of residents the client saw registered before `before` not
     * yet applied by every consumer; -1 while PostgreSQL does not answer.
     */
    const pendingBefore = async (before: number): Promise<number> => {
      const ids = [...registered].filter(([, at]) => at < before).map(([id]) => id);
      const [row] = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM unnest($1::uuid[]) AS r(id)
          WHERE NOT EXISTS (SELECT 1 FROM governance.outbox o WHERE o.event = 'resident.registered' AND
            (o.payload->>'residentId')::uuid = r.id
                              AND ${CONSUMER_SCHEMAS.map(
                                (s) => `EXISTS (SELECT 1 FROM ${s}.inbox i WHERE i.event_id =
                                o.id)`,
                              ).join(' AND ')})`,
        [ids],
      ).catch(() => [{ n: -1 }]);
      return row.n;
    };
    const allReady = async () =>
      (
        await Promise.all(
          Object.values(ready).map((u) =>
            fetch(u, { signal: AbortSignal.timeout(2_000) }).then(
              (r) => r.ok,
              () => false,
            ),
          ),
        )
      ).every(Boolean);
    /**
     * Effects applied twice, counted in the database: counters that disagree
     * with a fresh count, profiles or directory rows beyond one per resident.
     */
    const doubled = async (): Promise<number> => {
      const [row] = await query<{ n: number }>(`SELECT (
          (SELECT coalesce(sum(abs(coalesce(c.labour_profiles, 0) - (SELECT count(*) FROM employment.labour_profile p
            WHERE p.site_id = c.site_id))), 0)
             FROM employment.site_counter c)
        + (SELECT coalesce(sum(abs(coalesce(c.residents, 0) - (SELECT count(*) FROM governance.resident r WHERE
          r.site_id = c.site_id AND r.moved_out_on IS NULL))), 0)
             FROM governance.site_counter c)
        + (SELECT count(*) - count(DISTINCT resident_id) FROM employment.labour_profile)
        + (SELECT count(*) - count(DISTINCT resident_id) FROM social_orgs.resident_directory)
        + (SELECT count(*) - count(DISTINCT resident_id) FROM matching.resident_directory)
        + (SELECT count(*) FROM governance.outbox o WHERE o.event = 'resident.registered'
             AND (SELECT count(*) FROM governance.resident r WHERE r.id = (o.payload->>'residentId')::uuid) <> 1)
        )::int AS n`);
      return row.n;
    };

    const faults: { name: string; inject: () => Promise<void> }[] = [
      {
        name: 'kill -9 employment worker (restarted at once)',
        inject: async () => {
          await children.kill('employment-worker', 'SIGKILL');
          children.restart('employment-worker');
        },
      },
      { name: 'Redis FLUSHALL', inject: () => redis.client((c) => c.flushall()).then(() => undefined) },
      {
        name: 'PostgreSQL restart',
        inject: async () => {
          await pg.down();
          await pg.up();
        },
      },
      {
        name: 'matching subgraph restart (SIGTERM)',
        inject: async () => {
          await children.kill('matching-api', 'SIGTERM');
          children.restart('matching-api');
        },
      },
    ];
    const quiet = () => new Promise((r) => setTimeout(r, cfg.BENCH_CHAOS_QUIET_S * 1_000));
    const results: Record<string, string | number>[] = [];
    await quiet();
    for (const fault of faults) {
      const start = Date.now();
      console.log(`\n>> ${fault.name}`);
      await fault.inject();
      const restored = Date.now();
      let recovered = 0;
      while (!recovered) {
        if (Date.now() - start > RECOVERY_TIMEOUT_MS)
          throw new Error(`${fault.name}: not recovered after ${RECOVERY_TIMEOUT_MS / 1000} s\n${children.report()}`);
        if ((await pendingBefore(restored)) === 0 && (await allReady())) recovered = Date.now();
        else await new Promise((r) => setTimeout(r, 250));
      }
      const window = (o: Outcome) => o.at >= start && o.at <= recovered;
      const failed = (list: Outcome[]) => list.filter((o) => window(o) && !o.ok);
      const sample = [...failed(writes), ...failed(reads)]
        .map((o) => o.error)
        .filter((e, i, all) => all.indexOf(e) === i)
        .slice(0, 3);
      results.push({
        fault: fault.name,
        recoverySeconds: (recovered - start) / 1000,
        writeErrors: failed(writes).length,
        writes: writes.filter(window).length,
        readErrors: failed(reads).length,
        reads: reads.filter(window).length,
        doubledAtRecovery: await doubled(),
        errorSamples: sample.join(' | '),
        start,
        recovered,
      });
      console.log(
        `   recovered in ${((recovered - start) / 1000).toFixed(1)} s; client ` +
          `errors: ${failed(writes).length} writes, ${failed(reads).length} ` +
          `reads${sample.length ? ` (${sample.join(' | ')})` : ''}`,
      );
      await quiet();
    }
    await Promise.all(loads.map((l) => l.stop()));

    // Every event settles; then lost and doubled, per fault window and in all, from the database.
    const end = Date.now();
    const deadline = end + RECOVERY_TIMEOUT_MS;
    while ((await pendingBefore(end + 1)) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    const lostIds = new Set(
      (
        await query<{ id: string }>(
          `SELECT r.id::text FROM unnest($1::uuid[]) AS r(id)
        WHERE NOT EXISTS (SELECT 1 FROM governance.outbox o WHERE o.event = 'resident.registered' AND
          (o.payload->>'residentId')::uuid = r.id
                            AND ${CONSUMER_SCHEMAS.map(
                              (s) => `EXISTS (SELECT 1 FROM ${s}.inbox i WHERE i.event_id =
                              o.id)`,
                            ).join(' AND ')})`,
          [[...registered.keys()]],
        )
      ).map((r) => r.id),
    );
    // Registrations the client saw fail but that committed all the same must be delivered too.
    const [{ undelivered }] = await query<{ undelivered: number }>(
      `SELECT count(*)::int AS undelivered FROM governance.outbox o WHERE o.event = 'resident.registered'
          AND NOT (${CONSUMER_SCHEMAS.map((s) => `EXISTS (SELECT 1 FROM ${s}.inbox i WHERE i.event_id = o.id)`).join(
            ' AND ',
          )})`,
    );
    const [{ dead }] = await query<{ dead: number }>(
      `SELECT (${['governance', ...CONSUMER_SCHEMAS]
        .map(
          (s) => `(SELECT count(*) FROM ${s}.dead_letter
        WHERE resolved_at IS NULL)`,
        )
        .join(' + ')})::int AS dead`,
    );
    const [{ events }] = await query<{ events: number }>(
      `SELECT count(*)::int AS events FROM governance.outbox WHERE event = 'resident.registered'`,
    );
    const doubledAtEnd = await doubled();
    const rows: string[][] = [['fault', 'recovery', 'write errors', 'read errors', 'events lost', 'applied twice']];
    for (const r of results) {
      const inWindow = [...registered].filter(([, at]) => at >= (r.start as number) && at <= (r.recovered as number));
      const lost = inWindow.filter(([id]) => lostIds.has(id)).length;
      r.eventsLost = lost;
      r.eventsInWindow = inWindow.length;
      rows.push([
        String(r.fault),
        `${(r.recoverySeconds as number).toFixed(1)} s`,
        `${r.writeErrors} of ${r.writes}`,
        `${r.readErrors} of ${r.reads}`,
        `${lost} of ${inWindow.length}`,
        String(r.doubledAtRecovery),
      ]);
    }
    rows.push([
      'whole run',
      '',
      `${writes.filter((o) => !o.ok).length} of ${writes.length}`,
      `${reads.filter((o) => !o.ok).length} of ${reads.length}`,
      `${lostIds.size + undelivered} of ${events}`,
      String(doubledAtEnd),
    ]);
    console.log(
      `\nload: ${cfg.BENCH_CHAOS_EVENTS_PER_S} registrations/s (each one event for 3 consumers) and ` +
        `${cfg.BENCH_CHAOS_QUERIES_PER_S} dashboards/s through the gateway; ` +
        `load average ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    );
    console.log(table(rows));
    console.log(
      `events lost: ${lostIds.size} of the ${registered.size} the clients ` +
        `saw registered, ${undelivered} of all ${events} published (must be 0); ` +
        `effects applied twice: ${doubledAtEnd} (must be 0); unresolved dead letters: ${dead}`,
    );
    const file = writeReport('chaos', {
      machine: machine(),
      loadAverage: os.loadavg(),
      settings: cfg,
      results,
      lost: lostIds.size,
      undelivered,
      events,
      doubled: doubledAtEnd,
      dead,
    });
    console.log(`report: ${file}`);
    if (lostIds.size || undelivered || doubledAtEnd)
      throw new Error('EVENTS WERE LOST OR APPLIED TWICE: see the table above');
  } finally {
    await children.stopAll();
    await sql?.end().catch(() => undefined);
    await redis.down();
    await pg.destroy();
  }
}

export const chaosBenchmark: Benchmark = {
  name: 'chaos',
  description:
    'faults under load (worker kill -9, Redis flush, PostgreSQL restart, ' +
    'subgraph restart): client errors, recovery, events lost and applied twice',
  run,
};
