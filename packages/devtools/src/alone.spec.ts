import { exactName, failuresOf } from './alone';

describe('pnpm test:alone', () => {
  it('matches exactly one full name, whatever characters it holds', () => {
    const name = 'a site (A) costs ¥1.50 + tax? [yes] | no — 100% ^$';
    const re = new RegExp(exactName(name));
    expect(re.test(name)).toBe(true);
    expect(re.test(`${name} and more`)).toBe(false);
    expect(re.test(`before ${name}`)).toBe(false);
  });

  it('reports failed tests by name, a file that did not run, and a run with no results', () => {
    const result = (statuses: ('passed' | 'failed')[], runtimeErrors = 0) => ({
      numRuntimeErrorTestSuites: runtimeErrors,
      testResults: [
        {
          message: runtimeErrors ? 'Cannot find module x\n  at …' : '',
          assertionResults: statuses.map((status, i) => ({ fullName: `t${i}`, status })),
        },
      ],
    });
    expect(failuresOf(result(['passed', 'passed']))).toEqual([]);
    expect(failuresOf(result(['passed', 'failed', 'failed']))).toEqual(['t1', 't2']);
    expect(failuresOf(result([], 1))).toEqual(['the file did not run: Cannot find module x']);
    expect(failuresOf(null)).toEqual(['jest wrote no results (it crashed: see its output)']);
  });
});
