import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { execSync } from 'node:child_process';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { XlsxSheetWriter, checkCharacter, maskNationalId, PersonalDataVault, personalDataKeys } from '@anju/kit';
import { declarationOf } from '@anju/contracts';
import type { Benchmark } from './index';
import { benchSecrets, serviceDatabaseEnv } from './platform';
import {
  API_NODE_OPTIONS,
  IMPORT_WORKER_NODE_OPTIONS,
  workerNodeOptions,
  Children,
  freePort,
  machine,
  recreateDatabase,
  table,
  waitForOk,
  writeReport,
} from './harness';
import { PeakRss } from './memory';

/**
 * `pnpm bench import`: a county's register of 40,000 residents in 10,000 households (an .xlsx
 * made here: valid ID numbers, one head per household, 40 sites of 10 buildings) uploaded to
 * governance as a county officer would, checked, written in one transaction, and its
 * `resident.registered` events applied by employment (labour profiles) and matching (its
 * resident directory): seconds to each stage and the import worker's peak RSS (its own process,
 * `import-worker.ts`: the subgraph runs with the 160 MiB heap of compose and Kubernetes, in which a
 * county's 40,000 rows checked in memory do not fit). The floor, in
 * the same run: the same 40,000 rows, sealed and hashed the same way, written by one COPY into
 * a copy of the resident table — what the database needs, without checks, events or audit.
 */
const DATABASE = 'anju_bench_import';
const COUNTY = '530627';
const SITES = 40;
const BUILDINGS = 10;
const HOUSEHOLDS = 10_000;
const PER_HOUSEHOLD = 4;
const HEADERS = [
  '户主',
  '姓名',
  '身份证号',
  '与户主关系',
  '民族',
  '联系电话',
  '劳动力状况',
  '安置点',
  '楼栋',
  '单元',
  '房号',
  '搬迁时间',
];
const RELATIONS = ['户主', '配偶', '子女', '子女'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '兴国华明丽芳强伟秀英军平刚桂兰文志红梅';

interface Person {
  head: string;
  name: string;
  id: string;
  relation: string;
  phone: string;
  labour: string;
  site: string;
  building: string;
  unit: string;
  room: string;
}

function people(): Person[] {
  const out: Person[] = [];
  let seq = 0;
  for (let h = 0; h < HOUSEHOLDS; h++) {
    const surname = SURNAMES[h % SURNAMES.length];
    const site = `基准安置点${(h % SITES) + 1}`;
    const slot = Math.floor(h / SITES);
    const building = `${(slot % BUILDINGS) + 1}栋`;
    const unit = `${(Math.floor(slot / BUILDINGS) % 4) + 1}单元`;
    const room = String(100 + Math.floor(slot / (BUILDINGS * 4)));
    const head = `${surname}${GIVEN[h % GIVEN.length]}${GIVEN[(h * 7) % GIVEN.length]}`;
    for (let m = 0; m < PER_HOUSEHOLD; m++) {
      seq += 1;
      const year = m < 2 ? 1960 + (h % 30) : 2000 + (h % 15);
      const day = 1 + (seq % 365);
      const date = new Date(Date.UTC(year, 0, day)).toISOString().slice(0, 10).replace(/-/g, '');
      const first17 = `${COUNTY}${date}${String(seq % 1000).padStart(3, '0')}`;
      const name = m === 0 ? head : `${surname}${GIVEN[(h + m) % GIVEN.length]}${GIVEN[(seq * 3) % GIVEN.length]}`;
      out.push({
        head,
        name,
        id: first17 + checkCharacter(first17),
        relation: RELATIONS[m],
        phone: m === 0 ? `139${String(seq).padStart(8, '0')}` : '',
        labour: m < 2 ? '全劳动力' : '无劳动力',
        site,
        building,
        unit,
        room,
      });
    }
  }
  return out;
}

async function xlsx(rows: Person[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = once(out, 'end');
  const w = new XlsxSheetWriter(
    out,
    '户籍花名册',
    HEADERS.map((header) => ({ header })),
  );
  for (const p of rows)
    await w.add([
      p.head,
      p.name,
      p.id,
      p.relation,
      '汉族',
      p.phone,
      p.labour,
      p.site,
      p.building,
      p.unit,
      p.room,
      '2019-06-01',
    ]);
  await w.end();
  await done;
  return Buffer.concat(chunks);
}

async function places(c: Client): Promise<void> {
  await c.query(
    `INSERT INTO governance.region (code, name, level, parent_code)
      VALUES ('53', '云南省', 'province', NULL), ('5306', '昭通市', 'prefecture', '53'),
      ('${COUNTY}', '镇雄县', 'county', '5306')`,
  );
  await c.query(`INSERT INTO governance.site (name, region_code, address, latitude, longitude, planned_households)
                 SELECT '基准安置点' || s, '${COUNTY}', '镇雄县基准路' || s || '号', 27.4, 104.9, 300
                   FROM generate_series(1, ${SITES}) s`);
  await c.query(
    `INSERT INTO governance.building (site_id, name) SELECT s.id, b || '栋'
      FROM governance.site s, generate_series(1, ${BUILDINGS}) b`,
  );
  for (const schema of ['employment', 'matching']) {
    await c.query(`INSERT INTO ${schema}.site_directory (site_id, region_code, name, latitude, longitude,
      planned_households)
                   SELECT id, region_code, name, latitude, longitude, planned_households FROM governance.site`);
  }
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  children: Children,
  timeoutMs = 600_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    children.assertAlive();
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
}

async function run(): Promise<void> {
  const children = new Children();
  const databaseUrl = await recreateDatabase(DATABASE);
  const db = new Client({ connectionString: databaseUrl });
  try {
    const secrets = await benchSecrets();
    const prefix = `bench-${randomBytes(4).toString('hex')}`;
    const common = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      QUEUE_PREFIX: prefix,
      EXPENSIVE_RATE_LIMIT_PER_HOUR: '0',
      IMPORTS_IN_API: 'false',
      ...secrets.env,
    };
    const ports: Record<string, number> = {};
    for (const s of ['governance', 'employment', 'matching']) {
      ports[s] = await freePort();
      // The import runs in governance's api, with the V8 heap compose and Kubernetes give every api.
      children.start(
        `${s}-api`,
        `services/${s}/src/api.ts`,
        { ...common, ...serviceDatabaseEnv(databaseUrl, s), [`${s.toUpperCase()}_PORT`]: String(ports[s]) },
        API_NODE_OPTIONS,
      );
      await waitForOk(`http://127.0.0.1:${ports[s]}/ready`, children);
      const health = await freePort();
      children.start(
        `${s}-worker`,
        `services/${s}/src/worker.ts`,
        {
          ...common,
          ...serviceDatabaseEnv(databaseUrl, s),
          [`${s.toUpperCase()}_WORKER_HEALTH_PORT`]: String(health),
        },
        workerNodeOptions(s),
      );
      await waitForOk(`http://127.0.0.1:${health}/ready`, children);
    }
    // The import runs in its own process (the subgraph's heap is bounded as in compose and Kubernetes).
    const importHealth = await freePort();
    children.start(
      'governance-import-worker',
      declarationOf('governance').otherEntries!['import-worker'],
      {
        ...common,
        ...serviceDatabaseEnv(databaseUrl, 'governance'),
        GOVERNANCE_IMPORT_WORKER_HEALTH_PORT: String(importHealth),
      },
      IMPORT_WORKER_NODE_OPTIONS,
    );
    await waitForOk(`http://127.0.0.1:${importHealth}/ready`, children);
    await db.connect();
    await places(db);
    const rows = people();
    const file = await xlsx(rows);
    console.log(
      `file: ${rows.length.toLocaleString('en-US')} residents in ${HOUSEHOLDS.toLocaleString('en-US')} ` +
        `households, ${(file.length / 1_048_576).toFixed(1)} MiB .xlsx`,
    );
    const token = await secrets.mint({ sub: 'bench-county', role: 'county', regions: [COUNTY] });
    const base = `http://127.0.0.1:${ports.governance}`;
    const count = async (sql: string) => Number((await db.query(sql)).rows[0].n);

    const peak = new PeakRss(children);
    const t0 = performance.now();
    const up = await fetch(`${base}/files/imports/households?mode=all_or_nothing&fileName=county.xlsx`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(file),
    });
    const { id, errors } = (await up.json()) as { id?: string; errors?: unknown };
    if (!id) throw new Error(`the upload was refused: ${JSON.stringify(errors)}`);
    let checkedAt = 0;
    await waitFor(
      'the import',
      async () => {
        const [job] = (
          await db.query(
            `SELECT status, rows_checked, total, error_count, failure FROM governance.import_job WHERE id = $1`,
            [id],
          )
        ).rows;
        if (!checkedAt && job.total && job.rows_checked === job.total) checkedAt = performance.now();
        if (job.status === 'failed') throw new Error(`the import failed: ${JSON.stringify(job.failure)}`);
        if (job.status === 'done' && job.error_count)
          throw new Error(`the import reported ${job.error_count} row errors`);
        return job.status === 'done';
      },
      children,
    );
    const written = performance.now();
    if ((await count(`SELECT count(*) AS n FROM governance.resident`)) !== rows.length)
      throw new Error('not every resident was written');
    await waitFor(
      'employment and matching',
      async () =>
        (await count(`SELECT count(*) AS n FROM employment.labour_profile`)) === rows.length &&
        (await count(`SELECT count(*) AS n FROM matching.resident_directory`)) === rows.length,
      children,
    );
    const applied = performance.now();
    const rss = peak.stop();

    // The floor: the same rows, sealed and hashed, one COPY into a copy of the table.
    const vault = new PersonalDataVault(personalDataKeys({ NODE_ENV: 'production', ...secrets.env }));
    const [{ household_id: hh, site_id: site }] = (
      await db.query(`SELECT household_id, site_id FROM governance.resident LIMIT 1`)
    ).rows;
    await db.query(`CREATE TABLE governance.resident_floor (LIKE governance.resident INCLUDING DEFAULTS)`);
    const f0 = performance.now();
    const stream = db.query(
      copyFrom(`COPY governance.resident_floor (household_id, site_id, region_code, name, national_id_sealed,
        national_id_hash,
      national_id_masked, phone_sealed, phone_masked, gender, birth_date, ethnicity, labour_capacity, can_work_away,
        wants_work, relation_to_head, moved_in_on) FROM STDIN`),
    );
    const hex = (b: Buffer) => `\\\\x${b.toString('hex')}`;
    for (const p of rows) {
      const birth = `${p.id.slice(6, 10)}-${p.id.slice(10, 12)}-${p.id.slice(12, 14)}`;
      const line = [
        hh,
        site,
        COUNTY,
        p.name,
        hex(vault.seal(p.id)),
        hex(vault.lookupHash(p.id)),
        maskNationalId(p.id),
        p.phone ? hex(vault.seal(p.phone)) : '\\N',
        p.phone ? `${p.phone.slice(0, 3)}****${p.phone.slice(-4)}` : '\\N',
        Number(p.id[16]) % 2 ? 'male' : 'female',
        birth,
        '汉族',
        'full',
        'f',
        't',
        'head',
        '2019-06-01',
      ].join('\t');
      if (!stream.write(`${line}\n`)) await once(stream, 'drain');
    }
    stream.end();
    await once(stream, 'finish');
    const floor = (performance.now() - f0) / 1000;

    const s = (ms: number) => (ms / 1000).toFixed(1);
    const load = execSync('uptime')
      .toString()
      .trim()
      .replace(/.*load average: /, '');
    console.log(
      table([
        ['stage', 'seconds', 'vs floor'],
        ['floor: one COPY of the same 40,000 sealed rows', floor.toFixed(1), '1.0×'],
        ['upload → every row checked', s(checkedAt - t0), ''],
        [
          'upload → written (one transaction, events in the outbox)',
          s(written - t0),
          `${((written - t0) / 1000 / floor).toFixed(1)}×`,
        ],
        [
          'upload → applied by employment and matching',
          s(applied - t0),
          `${((applied - t0) / 1000 / floor).toFixed(1)}×`,
        ],
      ]),
    );
    console.log(
      table([['process', 'peak RSS (MiB)'], ...Object.entries(rss).map(([k, v]) => [k, String(Math.round(v))])]),
    );
    console.log(`load average: ${load}`);
    const target = (applied - t0) / 1000 <= 120 && (rss['governance-import-worker'] ?? 0) <= 512;
    console.log(`target (≤ 120 s to applied, import process ≤ 512 MiB): ${target ? 'met' : 'NOT met'}`);
    console.log(
      `report: ${writeReport('import', {
        machine: machine(),
        load,
        residents: rows.length,
        households: HOUSEHOLDS,
        fileBytes: file.length,
        floorSeconds: floor,
        checkedSeconds: (checkedAt - t0) / 1000,
        writtenSeconds: (written - t0) / 1000,
        appliedSeconds: (applied - t0) / 1000,
        peakRssMiB: rss,
      })}`,
    );
  } finally {
    await db.end().catch(() => undefined);
    await children.stopAll();
  }
}

export const importBenchmark: Benchmark = {
  name: 'import',
  description:
    'a county register (40,000 residents, 10,000 households, .xlsx) ' +
    'imported and applied by employment and matching vs one COPY',
  run,
};
