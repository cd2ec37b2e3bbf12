import { execSync } from 'node:child_process';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { loadConfig } from '@anju/kit';
import { declarationOf } from '@anju/contracts';
import type { Benchmark } from './index';
import { benchSecrets, databaseUrl, seededDataSettings, serviceDatabaseEnv } from './platform';
import { API_NODE_OPTIONS, Children, freePort, machine, table, waitForOk, writeReport } from './harness';
import { PeakRss } from './memory';

/**
 * `BENCH_DATABASE=<copy> pnpm bench export`: the province's register (996,000 residents) exported
 * as .xlsx by a province officer, straight from governance's /files/exports/residents: seconds,
 * bytes and governance's peak RSS while it streams. The floor, in the same run: PostgreSQL's own
 * `COPY (the same SELECT, in the same order) TO STDOUT`, read to the end — what the database
 * needs to hand the rows over, without paging, xlsx or HTTP. Runs on a copy (the governance api
 * migrates it); it never touches the template.
 */
async function run(): Promise<void> {
  const name = loadConfig(seededDataSettings).BENCH_DATABASE[0];
  if (!name || name === 'anju_bench_province') {
    throw new Error(
      'give a copy: createdb -h 127.0.0.1 -U postgres -T ' +
        'anju_bench_province <copy>; BENCH_DATABASE=<copy> pnpm bench export',
    );
  }
  const url = databaseUrl(name);
  const children = new Children();
  const db = new Client({ connectionString: url });
  try {
    const secrets = await benchSecrets(name);
    const port = await freePort();
    children.start(
      'governance-api',
      declarationOf('governance').api.entry,
      {
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        EXPENSIVE_RATE_LIMIT_PER_HOUR: '0',
        ...secrets.env,
        ...serviceDatabaseEnv(url, 'governance'),
        GOVERNANCE_PORT: String(port),
      },
      API_NODE_OPTIONS,
    );
    await waitForOk(`http://127.0.0.1:${port}/ready`, children);
    await db.connect();
    const residents = Number(
      (await db.query(`SELECT count(*) AS n FROM governance.resident WHERE moved_out_on IS NULL`)).rows[0].n,
    );
    const token = await secrets.mint({ sub: 'bench-province', role: 'province', regions: ['53'] });

    const peak = new PeakRss(children);
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/files/exports/residents`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok || !res.body) throw new Error(`the export answered ${res.status}: ${await res.text()}`);
    let bytes = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
    const seconds = (performance.now() - t0) / 1000;
    const rss = peak.stop();

    const f0 = performance.now();
    let floorBytes = 0;
    const copy = db.query(
      copyTo(`COPY (
      SELECT r.name, r.national_id_masked, r.relation_to_head, r.ethnicity, r.phone_masked, r.labour_capacity, s.name,
        b.name, h.address, h.household_number,
             to_char(r.moved_in_on, 'YYYY-MM-DD'),
             (SELECT hr.name FROM governance.resident hr
               WHERE hr.household_id = r.household_id AND hr.relation_to_head = 'head' AND hr.moved_out_on IS NULL
               LIMIT 1)
        FROM governance.resident r JOIN governance.household h ON h.id = r.household_id
          JOIN governance.site s ON s.id = r.site_id
        LEFT JOIN governance.building b ON b.id = h.building_id
       WHERE r.moved_out_on IS NULL ORDER BY r.site_id, r.name, r.id) TO STDOUT`),
    );
    for await (const chunk of copy) floorBytes += (chunk as Buffer).length;
    const floor = (performance.now() - f0) / 1000;
    const load = execSync('uptime')
      .toString()
      .trim()
      .replace(/.*load average: /, '');

    console.log(
      table([
        ['run', 'seconds', 'MiB', 'rows/s', 'vs floor'],
        [
          'floor: COPY (same SELECT) TO STDOUT',
          floor.toFixed(1),
          (floorBytes / 1_048_576).toFixed(0),
          Math.round(residents / floor).toLocaleString('en-US'),
          '1.0×',
        ],
        [
          'export: /files/exports/residents (.xlsx)',
          seconds.toFixed(1),
          (bytes / 1_048_576).toFixed(0),
          Math.round(residents / seconds).toLocaleString('en-US'),
          `${(seconds / floor).toFixed(1)}×`,
        ],
      ]),
    );
    console.log(
      `${residents.toLocaleString('en-US')} residents; governance-api peak ` +
        `RSS ${Math.round(rss['governance-api'] ?? 0)} MiB; load average: ${load}`,
    );
    console.log(
      `target (≤ 120 s, RSS ≤ 512 MiB): ${seconds <= 120 && (rss['governance-api'] ?? 0) <= 512 ? 'met' : 'NOT met'}`,
    );
    console.log(
      `report: ${writeReport('export', {
        machine: machine(),
        load,
        database: name,
        residents,
        seconds,
        bytes,
        floorSeconds: floor,
        floorBytes,
        peakRssMiB: rss,
      })}`,
    );
  } finally {
    await db.end().catch(() => undefined);
    await children.stopAll();
  }
}

export const exportBenchmark: Benchmark = {
  name: 'export',
  description:
    'the province register (996,000 residents) exported as .xlsx, streamed, vs COPY TO STDOUT (BENCH_DATABASE=<copy>)',
  run,
};
