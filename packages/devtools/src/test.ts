/**
 * `pnpm test [jest args]`: the type check, then every jest suite (against the real PostgreSQL and
 * Redis of the configuration), then one summary line — always the last line printed:
 *   tests: N passed, N failed
 * Above it, the wall time of the whole run and of each part. A suite that could not run counts as
 * a failure. Exits non-zero when the type check failed, anything failed, or no test ran at all.
 *
 * `--clock-edges` (CI passes it) also runs the date-sensitive suites again with the test clock held at
 * each of the calendar's edges (CLOCK_AT), in the same jest run (one project per edge), and counts
 * those runs in the same summary line.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const RESULTS_FILE = path.join(REPO_ROOT, '.jest-results.json');

/**
 * Instants where a day, a month or a year turns in the province (Asia/Shanghai, UTC+8). Three, as
 * each stands for an edge a month's turn has too, and a year's turn is a month's turn:
 * - the last second of a year (a 31-day month; UTC on the same date): "today", "this month" and
 *   "this year" must still be the old ones;
 * - the first second of the next (UTC still on 31 December): the local day, month and year have
 *   turned while the UTC ones have not, and Friday in Yunnan is still Thursday in UTC;
 * - 00:00 on 29 February 2028 (UTC on the 28th, a Monday; Tuesday in Yunnan): a leap day, the last
 *   day of a month of fewer than 31 days, again with the UTC date one behind.
 * Three more ran until 2026-12-01, each a case of one above at twice the run time: 23:59:59 on
 * 30 November (a month's last second, of a short month: the first and third), 00:00 on 1 December
 * (local month turned, UTC's not, Tuesday in Yunnan and Monday in UTC: the second and third) and
 * 16:30 UTC on 30 November (the same, at 00:30 in Yunnan).
 */
export const CLOCK_EDGES = ['2026-12-31T23:59:59+08:00', '2027-01-01T00:00:00+08:00', '2028-02-29T00:00:00+08:00'];

/** Suites whose expectations depend on today, this month or this year: they run again at every clock edge. */
export const DATE_SENSITIVE_SUITES = [
  'services/governance/test/points.int.spec.ts',
  'services/governance/test/party-and-lists.int.spec.ts',
  'services/governance/test/micro-issues.int.spec.ts',
  'services/governance/test/notices.int.spec.ts',
  'services/governance/test/rule-of-law.int.spec.ts',
  'services/governance/test/model-residents.int.spec.ts',
  'services/governance/test/places-and-people.int.spec.ts',
  'services/matching/test/matching.int.spec.ts',
  'services/social-orgs/test/lifecycles.int.spec.ts',
  'services/social-orgs/test/activities.int.spec.ts',
  'services/social-orgs/test/services-contracts-venture.int.spec.ts',
];

/** The part of jest's `--json` output the summary needs. */
export interface JestResults {
  numPassedTests: number;
  numFailedTests: number;
  numRuntimeErrorTestSuites: number;
  numTotalTests: number;
  success: boolean;
}

export interface Verdict {
  passed: number;
  failed: number;
  ok: boolean;
  /** Why the run fails although no test failed (shown above the summary line). */
  notes: string[];
}

export function verdict(opts: {
  typecheckOk: boolean;
  jestExitCode: number | null;
  results: JestResults | null;
}): Verdict {
  const notes: string[] = [];
  if (!opts.typecheckOk) notes.push('the type check failed (tsc --noEmit, see above)');
  if (!opts.results) {
    notes.push('jest wrote no results (it crashed or its configuration is broken, see above)');
    return { passed: 0, failed: 0, ok: false, notes };
  }
  const passed = opts.results.numPassedTests;
  const failed = opts.results.numFailedTests + opts.results.numRuntimeErrorTestSuites;
  if (passed + failed === 0) notes.push('no test ran');
  if (failed === 0 && opts.jestExitCode !== 0) notes.push(`jest exited with code ${opts.jestExitCode} (see above)`);
  const ok = opts.typecheckOk && failed === 0 && passed > 0 && opts.jestExitCode === 0;
  return { passed, failed, ok, notes };
}

function binOf(pkg: string, bin: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`, { paths: [REPO_ROOT] })), bin);
}

function run(title: string, file: string, args: string[], env: Record<string, string> = {}): number | null {
  process.stdout.write(`\n▶ ${title}\n`);
  const res = spawnSync(process.execPath, [file, ...args], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (res.error) process.stdout.write(`could not run ${title}: ${res.error.message}\n`);
  return res.status ?? (res.signal ? 128 : null);
}

function readResults(): JestResults | null {
  try {
    return JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) as JestResults;
  } catch {
    return null;
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function jest(title: string, args: string[]): { exitCode: number | null; results: JestResults | null } {
  fs.rmSync(RESULTS_FILE, { force: true });
  const exitCode = run(title, binOf('jest', 'bin/jest.js'), [
    '--json',
    `--outputFile=${path.relative(REPO_ROOT, RESULTS_FILE)}`,
    ...args,
  ]);
  return { exitCode, results: readResults() };
}

/** The settings of package.json's `jest` that apply to a whole run, not to one project. */
export const RUN_SETTINGS = ['maxWorkers', 'workerIdleMemoryLimit', 'workerGracefulExitTimeout'];

/**
 * The jest configuration of a run with the clock edges: package.json's, as the main project, plus
 * one project per edge with the date-sensitive suites, whose setup file holds the clock at that
 * edge. One run, not one per edge: the workers, the run's migrated template databases and the
 * global set-up and teardown serve every edge, and both workers stay busy until the last suite.
 */
export function clockEdgeConfig(
  base: Record<string, unknown>,
  rootDir: string,
  edges: readonly string[] = CLOCK_EDGES,
  suites: readonly string[] = DATE_SENSITIVE_SUITES,
): Record<string, unknown> {
  const run = Object.fromEntries(Object.entries(base).filter(([k]) => RUN_SETTINGS.includes(k)));
  const project: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(base).filter(([k]) => !RUN_SETTINGS.includes(k))),
    rootDir,
  };
  const setupFiles = (project.setupFiles as string[] | undefined) ?? [];
  const globals = (project.globals as Record<string, unknown> | undefined) ?? {};
  return {
    ...run,
    rootDir,
    testTimeout: project.testTimeout,
    projects: [
      project,
      ...edges.map((at) => ({
        ...project,
        displayName: `clock ${at}`,
        testMatch: suites.map((s) => `<rootDir>/${s}`),
        setupFiles: [...setupFiles, '<rootDir>/packages/testing/src/clock-edge.ts'],
        globals: { ...globals, ANJU_CLOCK_AT: at },
      })),
    ],
  };
}

function main(): void {
  const args = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));
  const clockEdges = args.includes('--clock-edges');
  const passThrough = args.filter((a) => a !== '--clock-edges');
  const started = Date.now();
  // The workspace (Node), then the portal's browser code (DOM, JSX): two programs, two settings.
  const typecheckOk = ['tsconfig.json', 'packages/portal/tsconfig.json']
    .map(
      (project) =>
        run(`type check: tsc -p ${project} --noEmit`, binOf('typescript', 'bin/tsc'), ['-p', project, '--noEmit']) ===
        0,
    )
    .every(Boolean);
  const typechecked = Date.now();
  const config = clockEdges
    ? [
        `--config=${JSON.stringify(
          clockEdgeConfig(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).jest, REPO_ROOT),
        )}`,
      ]
    : [];
  const title = clockEdges
    ? `jest ${passThrough.join(' ')} (and the date-sensitive suites at ${CLOCK_EDGES.length} clock edges)`
    : `jest ${passThrough.join(' ')}`;
  const { exitCode: jestExitCode, results } = jest(title.replace(/ +/g, ' ').trim(), [...config, ...passThrough]);
  const finished = Date.now();
  const v = verdict({ typecheckOk, jestExitCode, results });
  const edges = clockEdges ? ` with the clock edges` : '';
  process.stdout.write(
    `\nwall time: ${seconds(finished - started)} (type check ${seconds(typechecked - started)}, ` +
      `jest${edges} ${seconds(finished - typechecked)})\n`,
  );
  for (const note of v.notes) process.stdout.write(`✗ ${note}\n`);
  process.stdout.write(`tests: ${v.passed} passed, ${v.failed} failed\n`);
  process.exitCode = v.ok ? 0 : 1;
}

if (require.main === module) main();
