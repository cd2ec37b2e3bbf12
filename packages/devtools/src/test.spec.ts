import { verdict, type JestResults } from './test';

const results = (r: Partial<JestResults>): JestResults => ({ numPassedTests: 0, numFailedTests: 0, numRuntimeErrorTestSuites: 0, numTotalTests: 0, success: true, ...r });

describe('pnpm test verdict', () => {
  it('passes when tests passed, none failed, the type check passed and jest exited 0', () => {
    expect(verdict({ typecheckOk: true, jestExitCode: 0, results: results({ numPassedTests: 12 }) })).toEqual({ passed: 12, failed: 0, ok: true, notes: [] });
  });

  it('counts a suite that failed to run as a failure', () => {
    const v = verdict({ typecheckOk: true, jestExitCode: 1, results: results({ numPassedTests: 3, numFailedTests: 1, numRuntimeErrorTestSuites: 2 }) });
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
    expect(verdict({ typecheckOk: true, jestExitCode: 1, results: null })).toMatchObject({ passed: 0, failed: 0, ok: false });
  });
});
