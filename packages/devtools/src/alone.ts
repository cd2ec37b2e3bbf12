/**
 * `pnpm test:alone <file…> [--seeds=N]`: runs every test of each file alone (`jest <file> -t '^<full name>$'`),
 * then the whole file in N shuffled orders (`--randomize --seed=1…N`, default 2), and prints one line per run
 * and a table of what failed. A test that passes in the suite but fails here depends on another test of
 * its file; the suite must not hide that (a green run means each test holds by itself).
 *
 * Listing a file's tests runs jest with a name that matches none: every test is reported as pending and no
 * hook runs, so listing costs jest's start only. Files run one after the other, in band: the machine's two
 * cores are shared with the services each file starts.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const JEST = path.join(path.dirname(require.resolve('jest/package.json', { paths: [REPO_ROOT] })), 'bin/jest.js');
const NO_TEST = '^a name no test has$';

interface AssertionResult {
  fullName: string;
  status: 'passed' | 'failed' | 'pending' | 'todo' | 'skipped' | 'disabled';
}
interface FileResults {
  testResults: { assertionResults: AssertionResult[]; message: string }[];
  numRuntimeErrorTestSuites: number;
}

/** One jest run of one file; its results, or null when jest wrote none (it crashed). */
function runJest(file: string, args: string[]): { results: FileResults | null; seconds: number; output: string } {
  const out = path.join(os.tmpdir(), `anju-alone-${process.pid}.json`);
  fs.rmSync(out, { force: true });
  const started = Date.now();
  const res = spawnSync(process.execPath, [JEST, file, '-i', '--json', `--outputFile=${out}`, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (Date.now() - started) / 1000;
  let results: FileResults | null = null;
  try {
    results = JSON.parse(fs.readFileSync(out, 'utf8')) as FileResults;
  } catch {
    results = null;
  }
  fs.rmSync(out, { force: true });
  return { results, seconds, output: `${res.stdout ?? ''}${res.stderr ?? ''}` };
}

/** A regular expression that matches exactly this name (jest's -t matches the full name). */
export function exactName(name: string): string {
  return `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

/** What a run found wrong: failed tests by name, or why the file did not run. */
export function failuresOf(results: FileResults | null): string[] {
  if (!results) return ['jest wrote no results (it crashed: see its output)'];
  const failed = results.testResults.flatMap((f) =>
    f.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName),
  );
  if (results.numRuntimeErrorTestSuites > 0) {
    failed.push(`the file did not run: ${results.testResults[0]?.message.split('\n')[0] ?? ''}`);
  }
  return failed;
}

function main(): void {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const seedsArg = args.find((a) => a.startsWith('--seeds='));
  const seeds = seedsArg ? Number(seedsArg.slice('--seeds='.length)) : 2;
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length === 0 || !Number.isInteger(seeds) || seeds < 0) {
    process.stderr.write('usage: pnpm test:alone <test file…> [--seeds=N]\n');
    process.exitCode = 2;
    return;
  }
  const problems: string[] = [];
  let runs = 0;
  for (const file of files) {
    const listed = runJest(file, ['-t', NO_TEST]);
    const names = [
      ...new Set(listed.results?.testResults.flatMap((f) => f.assertionResults.map((a) => a.fullName)) ?? []),
    ];
    if (names.length === 0) {
      problems.push(`${file}: no test found`);
      process.stdout.write(`✗ ${file}: no test found\n${listed.output.slice(-2000)}\n`);
      continue;
    }
    const plan: { label: string; args: string[] }[] = [
      ...names.map((n) => ({ label: `alone: ${n}`, args: ['-t', exactName(n)] })),
      ...Array.from({ length: seeds }, (_, i) => ({
        label: `shuffled, seed ${i + 1}`,
        args: ['--randomize', `--seed=${i + 1}`],
      })),
    ];
    for (const step of plan) {
      const { results, seconds, output } = runJest(file, step.args);
      runs += 1;
      const failed = failuresOf(results);
      const ran = results?.testResults.flatMap((f) => f.assertionResults).filter((a) => a.status !== 'pending');
      if (results && failed.length === 0 && (ran?.length ?? 0) === 0) failed.push('no test ran');
      process.stdout.write(`${failed.length ? '✗' : '✓'} ${file} — ${step.label} (${seconds.toFixed(1)} s)\n`);
      for (const f of failed) {
        problems.push(`${file} — ${step.label}: ${f}`);
        process.stdout.write(`    failed: ${f}\n`);
      }
      if (failed.length) process.stdout.write(`${output.slice(-4000)}\n`);
    }
  }
  process.stdout.write(`\n${runs} runs, ${problems.length} problems\n`);
  for (const p of problems) process.stdout.write(`✗ ${p}\n`);
  process.exitCode = problems.length ? 1 : 0;
}

if (require.main === module) main();
