/**
 * `pnpm test [jest args]`: the type check, then every jest suite (against the real PostgreSQL and
 * Redis of the configuration), then one summary line — always the last line printed:
 *   tests: N passed, N failed
 * Above it, the wall time of the whole run and of each part. A suite that could not run counts as a failure. Exits non-zero when the type check failed,
 * anything failed, or no test ran at all.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const RESULTS_FILE = path.join(REPO_ROOT, '.jest-results.json');

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

export function verdict(opts: { typecheckOk: boolean; jestExitCode: number | null; results: JestResults | null }): Verdict {
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

function run(title: string, file: string, args: string[]): number | null {
  process.stdout.write(`\n▶ ${title}\n`);
  const res = spawnSync(process.execPath, [file, ...args], { cwd: REPO_ROOT, stdio: 'inherit' });
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

function main(): void {
  const passThrough = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));
  const started = Date.now();
  // The workspace (Node), then the portal's browser code (DOM, JSX): two programs, two settings.
  const typecheckOk = ['tsconfig.json', 'packages/portal/tsconfig.json']
    .map((project) => run(`type check: tsc -p ${project} --noEmit`, binOf('typescript', 'bin/tsc'), ['-p', project, '--noEmit']) === 0)
    .every(Boolean);
  const typechecked = Date.now();
  fs.rmSync(RESULTS_FILE, { force: true });
  const jestArgs = ['--json', `--outputFile=${path.relative(REPO_ROOT, RESULTS_FILE)}`, ...passThrough];
  const jestExitCode = run(`jest ${passThrough.join(' ')}`.trim(), binOf('jest', 'bin/jest.js'), jestArgs);
  const finished = Date.now();
  const v = verdict({ typecheckOk, jestExitCode, results: readResults() });
  process.stdout.write(`\nwall time: ${seconds(finished - started)} (type check ${seconds(typechecked - started)}, jest ${seconds(finished - typechecked)})\n`);
  for (const note of v.notes) process.stdout.write(`✗ ${note}\n`);
  process.stdout.write(`tests: ${v.passed} passed, ${v.failed} failed\n`);
  process.exitCode = v.ok ? 0 : 1;
}

if (require.main === module) main();
