import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig, setting } from '@anju/kit';
import type { Benchmark } from './index';
import { Children, assertNoLoadErrors, machine, table, writeReport } from './harness';
import { CPU_TABLE_TITLE, PeakRss, cpuTable, loadMeasuringCpu, memoryRows, snapshot } from './memory';
import { benchSecrets, seededDataSettings, seededDatabase, startGatewayChild, startPlatform } from './platform';

/**
 * A site dashboard, the page a county officer opens most: the site and its counts (governance),
 * its open demands (matching), its residents' labour profiles with their names and ages
 * (employment, each resident resolved back in governance) and the partner organizations of the
 * county (social-orgs): all four subgraphs in one gateway query, on a seeded Yunnan. Beside it,
 * the same governance part sent straight to governance: the floor.
 */
const MODES = ['cache-on', 'cache-off', 'many-sites'] as const;
type Mode = (typeof MODES)[number];

const settings = {
  ...seededDataSettings,
  BENCH_CONNECTIONS: setting.int(10, 'autocannon connections', 1, 1000),
  BENCH_DURATION_S: setting.int(15, 'seconds of load per path', 1, 3600),
  BENCH_REQUESTS: setting.int(
    0,
    'requests per path instead of BENCH_DURATION_S (0: by time); on a busy ' +
      'machine the CPU per request of a fixed count is the steadier figure',
    0,
  ),
  BENCH_DASHBOARD_MODES: setting.list(
    [...MODES],
    `which runs besides the floor (${MODES.join(', ')}), e.g. cache-off alone under BENCH_CPU_PROFILE`,
  ),
};

const GOVERNANCE_PART = `site(id: $siteId) {
    id name address latitude longitude plannedHouseholds householdCount residentCount
    region { code name parent { code name } }`;
export const DASHBOARD_QUERY = `query SiteDashboard($siteId: ID!) {
  ${GOVERNANCE_PART}
    openDemandCount
  }
  labourProfiles(siteId: $siteId, first: 20) {
    totalCount
    nodes { labourCapacity canWorkAway wantsWork birthYear resident { id name age ethnicity } }
  }
  organizations(first: 10) { totalCount nodes { id name kind stage } }
}`;
/** The dashboard with the page size a variable too (the "many sites" run varies both). */
const DASHBOARD_QUERY_PAGED = DASHBOARD_QUERY.replace('($siteId: ID!)', '($siteId: ID!, $first: Int!)').replace(
  'first: 20',
  'first: $first',
);
export const DIRECT_QUERY = `query SiteDashboardGovernancePart($siteId: ID!) {
  ${GOVERNANCE_PART}
  }
}`;

interface DashboardData {
  site: {
    id: string;
    householdCount: number;
    residentCount: number;
    openDemandCount: number;
    region: { code: string };
  } | null;
  labourProfiles: { totalCount: number; nodes: { resident: { name: string } | null }[] };
  organizations: { totalCount: number };
}

async function run(): Promise<void> {
  const cfg = loadConfig(settings);
  const unknownModes = cfg.BENCH_DASHBOARD_MODES.filter((m) => !(MODES as readonly string[]).includes(m));
  if (unknownModes.length)
    throw new Error(`BENCH_DASHBOARD_MODES: unknown ${unknownModes.join(', ')}; known: ${MODES.join(', ')}`);
  const modes = new Set(cfg.BENCH_DASHBOARD_MODES as Mode[]);
  // A copy keeps the keys of the database it was copied from, so keys follow the canonical name.
  const canonical = `anju_bench_${cfg.BENCH_SCALE}`;
  const database = cfg.BENCH_DATABASE[0] ?? canonical;
  const secrets = await benchSecrets(canonical);
  const seeded = await seededDatabase(database, cfg.BENCH_SCALE, cfg.BENCH_SEED, secrets);

  // The busiest site of the data: its county's officer asks for its dashboard.
  const db = new Client({ connectionString: seeded.url });
  await db.connect();
  const {
    rows: [site],
  } = await db.query(
    `SELECT s.id, s.name, s.region_code AS county, count(r.id)::int AS residents FROM governance.site s
      JOIN governance.resident r ON r.site_id = s.id
      GROUP BY s.id ORDER BY residents DESC, s.id LIMIT 1`,
  );
  // Every site of the province, for the "many sites" run (a province officer, another site each request).
  const { rows: allSites } = await db.query<{ id: string }>(`SELECT id FROM governance.site ORDER BY id`);
  const {
    rows: [truth],
  } = await db.query(
    `SELECT (SELECT count(*) FROM governance.household WHERE site_id = $1)::int AS households,
            (SELECT count(*) FROM matching.demand WHERE site_id = $1 AND status = 'open')::int AS "openDemands",
            (SELECT count(*) FROM employment.labour_profile WHERE site_id = $1)::int AS profiles,
            (SELECT count(*) FROM social_orgs.organization WHERE $2 = ANY(service_region_codes))::int AS organizations`,
    [site.id, site.county],
  );
  await db.end();

  const children = new Children();
  try {
    const env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: seeded.url,
      QUEUE_PREFIX: `bench-dash-${Date.now()}`,
      ...secrets.env,
    };
    const platform = await startPlatform(children, env);
    // The same gateway without its response cache: what every request costs when nothing is reused.
    const uncachedUrl = await startGatewayChild(children, 'gateway-nocache', {
      ...env,
      ...platform.urls,
      GATEWAY_RESPONSE_CACHE: 'false',
    });
    console.log(
      `started ${[...platform.services, 'gateway', 'gateway-nocache'].join(', ')} (NODE_ENV=production) on ${database}`,
    );
    const token = await secrets.mint({ sub: 'bench-county-officer', role: 'county', regions: [site.county] });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const provinceToken = await secrets.mint({ sub: 'bench-province-officer', role: 'province', regions: ['53'] });
    const provinceHeaders = { ...headers, authorization: `Bearer ${provinceToken}` };
    const variables = { siteId: site.id };

    const ask = async (url: string, query: string) => {
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      const text = await res.text();
      const parsed = JSON.parse(text) as { data?: DashboardData; errors?: unknown };
      if (!res.ok || parsed.errors || !parsed.data?.site)
        throw new Error(`${url} did not answer the dashboard: HTTP ${res.status} ${text.slice(0, 2000)}`);
      return { text, data: parsed.data };
    };
    const via = await ask(platform.gatewayUrl, DASHBOARD_QUERY);
    const d = via.data;
    const wrong = [
      d.site!.householdCount !== truth.households && `householdCount ${d.site!.householdCount} ≠ ${truth.households}`,
      d.site!.residentCount !== site.residents && `residentCount ${d.site!.residentCount} ≠ ${site.residents}`,
      d.site!.openDemandCount !== truth.openDemands &&
        `openDemandCount ${d.site!.openDemandCount} ≠ ${truth.openDemands}`,
      d.labourProfiles.totalCount !== truth.profiles &&
        `labourProfiles.totalCount ${d.labourProfiles.totalCount} ≠ ${truth.profiles}`,
      d.labourProfiles.nodes.some((n) => !n.resident?.name) && 'a labour profile without its resident',
      d.organizations.totalCount !== truth.organizations &&
        `organizations.totalCount ${d.organizations.totalCount} ≠ ${truth.organizations}`,
    ].filter(Boolean);
    if (wrong.length) throw new Error(`the dashboard disagrees with the database: ${wrong.join('; ')}`);
    const uncached = await ask(uncachedUrl, DASHBOARD_QUERY);
    if (uncached.text !== via.text)
      throw new Error('the gateway without its cache answers differently from the one with it');
    const direct = await ask(platform.urls.GOVERNANCE_URL, DIRECT_QUERY);
    console.log(
      `site ${site.name} (${site.county}): ${site.residents} residents, ${truth.households} ` +
        `households, ${truth.openDemands} open demands, ${truth.organizations} organizations in the county`,
    );

    // Many sites: each request asks another (site, page size) of the province, so the cache misses
    // (2,832 sites × 10 page sizes before a key comes round again); every answer must hold its site.
    let turn = 0;
    let badAnswers = 0;
    const badSamples: string[] = [];
    const manySites = [
      {
        setupRequest: (req: { body?: string }) => {
          const i = turn++;
          const vars = { siteId: allSites[i % allSites.length].id, first: 20 - (Math.floor(i / allSites.length) % 10) };
          return { ...req, body: JSON.stringify({ query: DASHBOARD_QUERY_PAGED, variables: vars }) };
        },
        onResponse: (status: number, body: string) => {
          if (status === 200 && body.startsWith('{"data":{"site":{"id"') && !body.includes('"errors"')) return;
          if (badAnswers++ < 5) badSamples.push(`HTTP ${status} ${body.slice(0, 300)}`);
        },
      },
    ];

    const atRest = snapshot(children);
    const peak = new PeakRss(children);
    const results: Awaited<ReturnType<typeof loadMeasuringCpu>>[] = [];
    const warmup = { connections: cfg.BENCH_CONNECTIONS, duration: 3 };
    type Run = [string, string, string, string | undefined, Record<string, string>, typeof manySites | undefined];
    const runs: [Mode | 'floor', ...Run][] = [
      [
        'floor',
        'governance part, direct (floor)',
        platform.urls.GOVERNANCE_URL,
        DIRECT_QUERY,
        direct.text,
        headers,
        undefined,
      ],
      [
        'cache-on',
        'dashboard via gateway, cache on',
        platform.gatewayUrl,
        DASHBOARD_QUERY,
        via.text,
        headers,
        undefined,
      ],
      ['cache-off', 'dashboard via gateway, cache off', uncachedUrl, DASHBOARD_QUERY, via.text, headers, undefined],
      [
        'many-sites',
        'many sites via gateway, cache on (misses)',
        platform.gatewayUrl,
        DASHBOARD_QUERY_PAGED,
        undefined,
        provinceHeaders,
        manySites,
      ],
    ];
    for (const [mode, label, url, query, expected, hdrs, requests] of runs) {
      if (mode !== 'floor' && !modes.has(mode)) continue;
      const howMuch = cfg.BENCH_REQUESTS ? `${cfg.BENCH_REQUESTS} requests` : `${cfg.BENCH_DURATION_S} s`;
      console.log(
        `autocannon: ${label}, ${cfg.BENCH_CONNECTIONS} ` +
          `connections, ${howMuch} (after a ${warmup.duration} s warm-up)…`,
      );
      results.push(
        await loadMeasuringCpu(children, label, {
          url,
          method: 'POST',
          headers: hdrs,
          body: JSON.stringify({ query, variables }),
          ...(requests ? { requests } : { expectBody: expected }),
          connections: cfg.BENCH_CONNECTIONS,
          duration: cfg.BENCH_DURATION_S,
          ...(cfg.BENCH_REQUESTS ? { amount: cfg.BENCH_REQUESTS } : {}),
          warmup,
        }),
      );
      children.assertAlive();
    }
    const many = results.find((r) => r.label.startsWith('many sites'));
    if (many) {
      many.errors += badAnswers;
      many.samples.push(...badSamples);
    }
    const underLoad = peak.stop();

    const [floor] = results;
    const fmt = (n: number, dd = 0) =>
      n.toLocaleString('en-US', { minimumFractionDigits: dd, maximumFractionDigits: dd });
    const ratioOf = (r: (typeof results)[number]) => ({
      requestsPerSecond: r.requestsPerSecond / floor.requestsPerSecond,
      p50: r.p50Ms / Math.max(floor.p50Ms, 0.001),
      p99: r.p99Ms / Math.max(floor.p99Ms, 0.001),
    });
    console.log(`\n${DASHBOARD_QUERY}\n`);
    console.log(
      table([
        ['path', 'requests/s', 'p50 ms', 'p99 ms', 'requests', 'errors/non-2xx', '÷ floor req/s'],
        ...results.map((r, i) => [
          r.label,
          fmt(r.requestsPerSecond),
          fmt(r.p50Ms),
          fmt(r.p99Ms),
          fmt(r.totalRequests),
          fmt(r.errors),
          i ? `${fmt(ratioOf(r).requestsPerSecond, 2)}×` : '',
        ]),
      ]),
    );
    const ratio = Object.fromEntries(results.slice(1).map((r) => [r.label, ratioOf(r)]));
    console.log(
      `\nload average (1, 5, 15 min) at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
    console.log(`\n${CPU_TABLE_TITLE}:\n`);
    console.log(cpuTable(results));
    console.log(`\nmemory (RSS) of each process, at rest after start and at its peak under both loads:\n`);
    console.log(table(memoryRows(atRest, underLoad)));

    const file = writeReport('dashboard', {
      benchmark: 'dashboard',
      at: new Date().toISOString(),
      machine: machine(),
      data: {
        scale: cfg.BENCH_SCALE,
        seed: cfg.BENCH_SEED,
        database,
        seededNow: seeded.seededNow,
        loadSeconds: seeded.loadSeconds,
      },
      site: { id: site.id, name: site.name, county: site.county, residents: site.residents, ...truth },
      query: DASHBOARD_QUERY,
      floorQuery: DIRECT_QUERY,
      connections: cfg.BENCH_CONNECTIONS,
      durationSeconds: cfg.BENCH_DURATION_S,
      results: Object.fromEntries(results.map((r) => [r.label, r])),
      ratio,
      memoryMiB: { atRest, underLoad },
      loadAverage: os.loadavg(),
    });
    console.log(`\nreport: ${path.relative(process.cwd(), file)}`);

    assertNoLoadErrors(results, children);
  } finally {
    await children.stopAll();
  }
}

export const dashboardBenchmark: Benchmark = {
  name: 'dashboard',
  description:
    'a site dashboard joining all four subgraphs through the gateway vs its ' +
    'governance part direct, on seeded data (BENCH_SCALE, default province)',
  run,
};
