/**
 * `pnpm run import <kind> <file> [--mode dry-run|all-or-nothing|valid-rows]`: uploads a county's
 * spreadsheet (.xlsx, or .csv in UTF-8 or GBK) through the gateway as the portal does, follows
 * the import job with a progress bar (rows checked, rows written, of the total), prints the
 * outcome and the first row errors, and saves the error report beside the file.
 *   TOKEN=$(pnpm -s token --role county --region 530627) pnpm run import households 花名册.xlsx --mode dry-run
 * (`pnpm run import`, not `pnpm import`: pnpm has a built-in command of that name, which wins.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, setting } from '@anju/kit';

export const IMPORT_USAGE =
  'Usage: pnpm run import <kind> <file> [--mode dry-run|all-or-nothing|valid-rows] [--report <path>]\n' +
  `
Kinds: households (户籍花名册: households with their residents), employment (就业信息: residents' jobs),
  land (三块地: households' land), trainings (培训信息: residents' skills trainings),
  volunteers (志愿者: volunteers, residents or not, at their home sites).
  --mode     dry-run: check every row, write nothing; all-or-nothing (default): write every row or none;
             valid-rows: write the households whose rows are all good
  --report   where to save the report (.xlsx; default: <file>.report.xlsx)
Settings: TOKEN (a bearer token: pnpm -s token --role county --region <code>), GATEWAY_URL (http://127.0.0.1:4000).
Exit code: 0 done without row errors, 2 done with row errors, 1 refused or failed.`;

const importSettings = {
  TOKEN: setting.string('-', 'bearer token of the officer who imports (pnpm -s token …)'),
  GATEWAY_URL: setting.url('http://127.0.0.1:4000', 'the gateway the file is sent through'),
};

export interface ImportArgs {
  kind: string;
  file: string;
  mode: string;
  report?: string;
}

/** The service that imports each kind (the gateway forwards /files/<service>/… to it). */
export const IMPORT_SERVICES: Readonly<Record<string, string>> = {
  households: 'governance',
  employment: 'employment',
  land: 'employment',
  trainings: 'employment',
  volunteers: 'matching',
};

export function parseImportArgs(argv: readonly string[]): ImportArgs | 'help' {
  const rest: string[] = [];
  let mode = 'all_or_nothing';
  let report: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') continue;
    if (a === '--help' || a === '-h') return 'help';
    const m = /^--(mode|report)(?:=(.*))?$/.exec(a);
    if (m) {
      const value = m[2] ?? argv[++i];
      if (!value) throw new Error(`--${m[1]} needs a value`);
      if (m[1] === 'mode') mode = value.replace(/-/g, '_');
      else report = value;
    } else if (a.startsWith('--')) throw new Error(`unknown flag ${a}`);
    else rest.push(a);
  }
  if (rest.length !== 2) throw new Error('give the kind and the file: pnpm run import households 花名册.xlsx');
  if (!Object.hasOwn(IMPORT_SERVICES, rest[0]))
    throw new Error(`no import of ${rest[0]}: one of ${Object.keys(IMPORT_SERVICES).join(', ')}`);
  if (!['dry_run', 'all_or_nothing', 'valid_rows'].includes(mode))
    throw new Error(`--mode is dry-run, all-or-nothing or valid-rows, not ${mode}`);
  return { kind: rest[0], file: rest[1], mode, report };
}

/** `[##########··········]  50%  checked 20,000 / 40,000  written 0` */
export function progressBar(
  job: { total: number | null; rowsChecked: number; rowsWritten: number; status: string; mode: string },
  width = 30,
): string {
  const total = job.total ?? 0;
  const writes = job.mode !== 'DRY_RUN';
  // Checking is the first half of the bar and writing the second (a dry run checks only).
  // A finished job is a full bar: with valid rows only, fewer rows are written than checked.
  const done =
    job.status === 'DONE'
      ? 1
      : total
        ? writes
          ? (job.rowsChecked + job.rowsWritten) / (2 * total)
          : job.rowsChecked / total
        : 0;
  const filled = Math.round(Math.min(1, done) * width);
  const n = (x: number) => x.toLocaleString('en-US');
  return (
    `[${'#'.repeat(filled)}${'·'.repeat(width - filled)}] ${String(Math.round(done * 100)).padStart(3)}%  ` +
    `checked ${n(job.rowsChecked)} ` +
    `/ ${total ? n(total) : '?'}${writes ? `  written ${n(job.rowsWritten)}` : ''}  ${job.status.toLowerCase()}`
  );
}

async function main(): Promise<number> {
  const args = parseImportArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(IMPORT_USAGE);
    return 0;
  }
  const config = loadConfig(importSettings);
  if (config.TOKEN === '-')
    throw new ConfigError(['TOKEN: set a bearer token (TOKEN=$(pnpm -s token --role county --region <code>))']);
  const root = config.GATEWAY_URL.replace(/\/$/, '');
  const auth = { authorization: `Bearer ${config.TOKEN}` };
  const body = fs.readFileSync(args.file);
  const service = IMPORT_SERVICES[args.kind];
  const up = await fetch(
    `${root}/files/${service}/imports/${encodeURIComponent(args.kind)}?mode=${args.mode}` +
      `&fileName=${encodeURIComponent(path.basename(args.file))}`,
    {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(body),
    },
  );
  const answer = (await up.json()) as {
    id?: string;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
  if (!up.ok || !answer.id) {
    const e = answer.errors?.[0];
    console.error(`refused: ${e?.message ?? up.status}${e?.extensions?.reason ? ` (${e.extensions.reason})` : ''}`);
    return 1;
  }
  // Every service answers its jobs as JSON at /files/<service>/imports/<id> (governance also through GraphQL).
  const jobOf = async () => {
    const res = await fetch(`${root}/files/${service}/imports/${answer.id}`, { headers: auth });
    const out = (await res.json()) as Record<string, any> & { errors?: { message: string }[] };
    if (!res.ok) throw new Error(out.errors?.map((e) => e.message).join('; ') ?? String(res.status));
    return out;
  };
  const tty = process.stdout.isTTY;
  let job: Record<string, any>;
  for (;;) {
    job = await jobOf();
    if (tty) process.stdout.write(`\r${progressBar(job as never)}`);
    if (job.status === 'DONE' || job.status === 'FAILED') break;
    await new Promise((r) => setTimeout(r, 300));
  }
  process.stdout.write(`${tty ? '\r' : ''}${progressBar(job as never)}\n`);
  if (job.status === 'FAILED') {
    console.error(
      `refused: ${job.failure.message} (${job.failure.code}${job.failure.cell ? `, cell ${job.failure.cell}` : ''})`,
    );
    return 1;
  }
  console.log(
    `${job.mode === 'DRY_RUN' ? 'dry run' : 'import'} ${answer.id}: ${job.total} rows; ` +
      `added ${job.created}, updated ${job.updated}, unchanged ${job.unchanged}; ${job.errorCount} row errors`,
  );
  for (const e of job.errors.slice(0, 20))
    console.log(`  row ${e.row}${e.column ? ` ${e.column}` : ''}: ${e.code} ${e.message}`);
  if (job.errorCount > 20) console.log(`  … and ${job.errorCount - 20} more in the report`);
  if (job.reportPath) {
    const report = await fetch(`${root}${job.reportPath}`, { headers: auth });
    const file = args.report ?? `${args.file.replace(/\.(xlsx|csv)$/i, '')}.report.xlsx`;
    fs.writeFileSync(file, Buffer.from(await report.arrayBuffer()));
    console.log(`report: ${file}`);
  }
  return job.errorCount ? 2 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(
        err instanceof ConfigError ? err.message : `pnpm run import: ${(err as Error).message}\n\n${IMPORT_USAGE}`,
      );
      process.exit(1);
    },
  );
}
