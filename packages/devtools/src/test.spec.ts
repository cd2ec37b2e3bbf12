import fs from 'node:fs';
import path from 'node:path';
import { testClockStart } from '@anju/testing';
import { CLOCK_EDGES, clockEdgeConfig, DATE_SENSITIVE_SUITES, RUN_SETTINGS, verdict, type JestResults } from './test';

const results = (r: Partial<JestResults>): JestResults => ({
  numPassedTests: 0,
  numFailedTests: 0,
  numRuntimeErrorTestSuites: 0,
  numTotalTests: 0,
  success: true,
  ...r,
});

describe('pnpm test verdict', () => {
  it('passes when tests passed, none failed, the type check passed and jest exited 0', () => {
    expect(verdict({ typecheckOk: true, jestExitCode: 0, results: results({ numPassedTests: 12 }) })).toEqual({
      passed: 12,
      failed: 0,
      ok: true,
      notes: [],
    });
  });

  it('counts a suite that failed to run as a failure', () => {
    const v = verdict({
      typecheckOk: true,
      jestExitCode: 1,
      results: results({ numPassedTests: 3, numFailedTests: 1, numRuntimeErrorTestSuites: 2 }),
    });
    expect(v).toMatchObject({ passed: 3, failed: 3, ok: false });
  });

  it('fails when no test ran', () => {
    const v = verdict({ typecheckOk: true, jestExitCode: 0, results: results({}) });
    expect(v.ok).toBe(false);
    expect(v.notes).toEqual(['no test ran']);
  });

  it('fails on a type error even when every test passed', () => {
    const v = verdict({ typecheckOk: false, jestExitCode: 0, results: results({ numPassedTests: 5 }) });
    expect(v).toMatchObject({ passed: 5, failed: 0, ok: false });
    expect(v.notes[0]).toMatch(/type check failed/);
  });

  it('fails when jest exits non-zero without a failed test, and says why', () => {
    const v = verdict({ typecheckOk: true, jestExitCode: 1, results: results({ numPassedTests: 5 }) });
    expect(v.ok).toBe(false);
    expect(v.notes).toEqual(['jest exited with code 1 (see above)']);
  });

  it('fails when jest wrote no results', () => {
    expect(verdict({ typecheckOk: true, jestExitCode: 1, results: null })).toMatchObject({
      passed: 0,
      failed: 0,
      ok: false,
    });
  });
});

describe('pnpm test --clock-edges: one jest run, one project per edge', () => {
  const root = path.resolve(__dirname, '..', '..', '..');
  const base = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).jest;
  const config = clockEdgeConfig(base, root) as { maxWorkers: unknown; projects: Record<string, any>[] };

  it("keeps package.json's configuration as the main project and adds the date-sensitive suites at each edge", () => {
    const [main, ...edges] = config.projects;
    expect(config.maxWorkers).toBe(base.maxWorkers);
    expect(main).toEqual({
      ...Object.fromEntries(Object.entries(base).filter(([k]) => !RUN_SETTINGS.includes(k))),
      rootDir: root,
    });
    expect(edges.map((p) => p.globals.ANJU_CLOCK_AT)).toEqual(CLOCK_EDGES);
    expect(new Set(edges.map((p) => p.displayName)).size).toBe(CLOCK_EDGES.length);
    for (const edge of edges) {
      expect(edge.testMatch).toEqual(DATE_SENSITIVE_SUITES.map((s) => `<rootDir>/${s}`));
      expect(edge.setupFiles).toEqual(['<rootDir>/packages/testing/src/clock-edge.ts']);
      expect(edge).toMatchObject({
        transform: base.transform,
        globalSetup: base.globalSetup,
        globalTeardown: base.globalTeardown,
      });
    }
    for (const suite of DATE_SENSITIVE_SUITES) expect(fs.existsSync(path.join(root, suite))).toBe(true);
  });

  it("holds a test file's clock at its project's edge, and refuses a project without one", () => {
    const saved = process.env.CLOCK_AT;
    const g = globalThis as { ANJU_CLOCK_AT?: string };
    try {
      g.ANJU_CLOCK_AT = '2027-01-01T00:00:00+08:00';
      jest.isolateModules(() => require('../../testing/src/clock-edge'));
      expect(process.env.CLOCK_AT).toBe('2027-01-01T00:00:00+08:00');
      expect(testClockStart().toISOString()).toBe('2026-12-31T16:00:00.000Z');
      delete g.ANJU_CLOCK_AT;
      expect(() => jest.isolateModules(() => require('../../testing/src/clock-edge'))).toThrow(/ANJU_CLOCK_AT/);
    } finally {
      delete g.ANJU_CLOCK_AT;
      if (saved === undefined) delete process.env.CLOCK_AT;
      else process.env.CLOCK_AT = saved;
    }
  });
});
