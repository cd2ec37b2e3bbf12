import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SERVICES, declarationOf } from '@anju/contracts';
import { checkCharacter, loadConfig, mintToken, platformSettings } from '@anju/kit';
import type { Benchmark } from './index';
import { CPU_TABLE_TITLE, cpuTable, loadMeasuringCpu } from './memory';
import { benchSecrets, serviceDatabaseEnv } from './platform';
import {
  API_NODE_OPTIONS,
  Children,
  REPO_ROOT,
  assertNoLoadErrors,
  freePort,
  machine,
  recreateDatabase,
  table,
  waitForOk,
  writeReport,
} from './harness';

/**
 * One resident by id, straight to the governance subgraph and through the gateway: what the
 * gateway (token check, limits, planning, one subgraph hop) costs on this machine. Every
 * subgraph of the supergraph runs (the gateway is ready only when all answer), in production
 * mode, on a database of the benchmark's own.
 */
const DATABASE = 'anju_bench_gateway';
const CONNECTIONS = 10;
const DURATION_S = 10;
const WARMUP = { connections: CONNECTIONS, duration: 3 };
const QUERY = 'query($id: ID!){ resident(id:$id){ id name nationalIdMasked age labourCapacity } }';

const envName = (service: string) => service.toUpperCase().replace(/-/g, '_');

async function graphql<T>(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (!res.ok || body.errors?.length || !body.data)
    throw new Error(`GraphQL call failed (HTTP ${res.status}): ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

/** A region, a site, a household and one resident, registered through the gateway. */
async function seed(gatewayUrl: string, token: string): Promise<string> {
  for (const [code, name] of [
    ['53', '云南省'],
    ['5301', '昆明市'],
    ['530102', '五华区'],
  ]) {
    await graphql(gatewayUrl, token, 'mutation($i: RegisterRegionInput!){ registerRegion(input:$i){ code } }', {
      i: { code, name },
    });
  }
  const { registerSite: site } = await graphql<{ registerSite: { id: string } }>(
    gatewayUrl,
    token,
    'mutation($i: RegisterSiteInput!){ registerSite(input:$i){ id } }',
    {
      i: {
        regionCode: '530102',
        name: '基准安置点',
        address: '五华区基准路1号',
        latitude: 25.04,
        longitude: 102.71,
        plannedHouseholds: 500,
      },
    },
  );
  const { registerHousehold: household } = await graphql<{ registerHousehold: { id: string } }>(
    gatewayUrl,
    token,
    'mutation($i: RegisterHouseholdInput!){ registerHousehold(input:$i){ id } }',
    { i: { siteId: site.id, householdNumber: 'BENCH-0001', address: '1栋1单元101' } },
  );
  const first17 = '53010219800101123';
  const { registerResident: resident } = await graphql<{ registerResident: { id: string } }>(
    gatewayUrl,
    token,
    'mutation($i: RegisterResidentInput!){ registerResident(input:$i){ id } }',
    {
      i: {
        householdId: household.id,
        name: '基准居民',
        nationalId: first17 + checkCharacter(first17),
        ethnicity: '彝族',
        labourCapacity: 'FULL',
        canWorkAway: true,
        wantsWork: true,
        relationToHead: 'HEAD',
      },
    },
  );
  return resident.id;
}

async function run(): Promise<void> {
  const children = new Children();
  try {
    const databaseUrl = await recreateDatabase(DATABASE);
    // Production mode refuses the development keys, so the run makes its own.
    const secrets = await benchSecrets();
    const common = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      QUEUE_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
      ...secrets.env,
    };

    const services = SERVICES.filter((s) => existsSync(path.join(REPO_ROOT, declarationOf(s).api.entry)));
    const ports: Record<string, number> = {};
    for (const s of services) ports[s] = await freePort();
    const urls = Object.fromEntries(services.map((s) => [`${envName(s)}_URL`, `http://127.0.0.1:${ports[s]}/graphql`]));
    // One at a time: each runs its migrations at boot (under the advisory lock anyway).
    for (const s of services) {
      children.start(
        s,
        `services/${s}/src/api.ts`,
        { ...common, ...serviceDatabaseEnv(databaseUrl, s), [`${envName(s)}_PORT`]: String(ports[s]) },
        API_NODE_OPTIONS,
      );
      await waitForOk(`http://127.0.0.1:${ports[s]}/ready`, children);
    }
    const gatewayPort = await freePort();
    children.start(
      'gateway',
      'gateway/src/server.ts',
      { ...common, ...urls, GATEWAY_PORT: String(gatewayPort), GATEWAY_METRICS_PORT: '0' },
      API_NODE_OPTIONS,
    );
    await waitForOk(`http://127.0.0.1:${gatewayPort}/ready`, children);
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
    const directUrl = urls.GOVERNANCE_URL;
    console.log(`started ${[...services, 'gateway'].join(', ')} (NODE_ENV=production, database ${DATABASE})`);

    const token = await secrets.mint({ sub: 'bench-province', role: 'province', regions: ['53'] });
    const residentId = await seed(gatewayUrl, token);
    const body = JSON.stringify({ query: QUERY, variables: { id: residentId } });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

    // The body every answer must have, checked once by hand on each path: data, no errors.
    const expected = async (url: string) => {
      const res = await fetch(url, { method: 'POST', headers, body });
      const text = await res.text();
      const parsed = JSON.parse(text) as { data?: { resident?: { id: string } }; errors?: unknown };
      if (!res.ok || parsed.errors || parsed.data?.resident?.id !== residentId)
        throw new Error(`${url} did not answer the resident: HTTP ${res.status} ${text}`);
      return text;
    };
    const results: Awaited<ReturnType<typeof loadMeasuringCpu>>[] = [];
    for (const [label, url] of [
      ['direct to governance', directUrl],
      ['through the gateway', gatewayUrl],
    ] as const) {
      console.log(
        `autocannon: ${label}, ${CONNECTIONS} connections, ${DURATION_S} s (after a ${WARMUP.duration} s warm-up)…`,
      );
      results.push(
        await loadMeasuringCpu(children, label, {
          url,
          method: 'POST',
          headers,
          body,
          expectBody: await expected(url),
          connections: CONNECTIONS,
          duration: DURATION_S,
          warmup: WARMUP,
        }),
      );
      children.assertAlive();
    }

    const [direct, via] = results;
    const ratio = {
      requestsPerSecond: via.requestsPerSecond / direct.requestsPerSecond,
      p50: via.p50Ms / Math.max(direct.p50Ms, 0.001),
      p99: via.p99Ms / Math.max(direct.p99Ms, 0.001),
    };
    const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
    console.log(`\nquery: ${QUERY}\n`);
    console.log(
      table([
        ['path', 'requests/s', 'p50 ms', 'p99 ms', 'requests', 'errors/non-2xx'],
        ...results.map((r) => [
          r.label,
          fmt(r.requestsPerSecond),
          fmt(r.p50Ms),
          fmt(r.p99Ms),
          fmt(r.totalRequests),
          fmt(r.errors),
        ]),
        [
          'gateway / direct',
          `${fmt(ratio.requestsPerSecond, 2)}×`,
          `${fmt(ratio.p50, 2)}×`,
          `${fmt(ratio.p99, 2)}×`,
          '',
          '',
        ],
      ]),
    );
    console.log(`\n${CPU_TABLE_TITLE}:\n`);
    console.log(cpuTable(results));
    console.log(
      `\nload average (1, 5, 15 min) at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );

    const file = writeReport('gateway', {
      benchmark: 'gateway',
      at: new Date().toISOString(),
      machine: machine(),
      query: QUERY,
      connections: CONNECTIONS,
      durationSeconds: DURATION_S,
      warmupSeconds: WARMUP.duration,
      subgraphs: services,
      results: Object.fromEntries(results.map((r) => [r.label === results[0].label ? 'direct' : 'gateway', r])),
      ratio,
    });
    console.log(`\nreport: ${path.relative(process.cwd(), file)}`);

    assertNoLoadErrors(results, children);
  } finally {
    await children.stopAll();
  }
}

export const gatewayBenchmark: Benchmark = {
  name: 'gateway',
  description:
    'one resident by id, direct to governance vs through the gateway (autocannon, 10 connections, 10 s each)',
  run,
};
