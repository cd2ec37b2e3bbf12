import { randomUUID } from 'node:crypto';
import { TestSystem, seedPlace, tokenFor, type Place } from '@anju/testing';

const FLOW = `query($l: MonitoringLevel!, $c: ID!, $f: String!, $t: String!) { gapFlow(level: $l, code: $c, from: $f,
  to: $t) { day opened closed } }`;

/**
 * Gaps opened and closed per day (缺口新增与销号), through the gateway: every day of the range with
 * zeros, counted at a site, county, prefecture and the province, in the caller's scope only.
 * The gap rows are written with chosen days (a week in 2020) so the counts are known exactly.
 */
describe('gap flow: gaps opened and closed per day', () => {
  let sys: TestSystem;
  let place: Place;
  let officerA: string;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'gap-flow', workers: ['governance', 'employment'] });
    place = await seedPlace(sys, 2);
    officerA = await tokenFor({ role: 'site_officer', sites: [place.siteIds[0]] });
    await sys.waitForIdle();
    const [a, b] = place.siteIds;
    const gap = (site: string, detected: string, closed: string | null) =>
      sys.sql(
        `INSERT INTO employment.household_gap (household_id, site_id, region_code, rules, needs_job_help, detected_on,
          closed_on)
               VALUES ($1, $2, '530102', '{EMPLOYED_MEMBER}', true, $3, $4)`,
        [randomUUID(), site, detected, closed],
      );
    await gap(a, '2020-03-02', '2020-03-04');
    await gap(a, '2020-03-02', null);
    await gap(b, '2020-03-03', '2020-03-04');
    await gap(b, '2020-02-20', '2020-03-03'); // opened before the range, closed inside it
  }, 120_000);
  afterAll(() => sys?.stop(), 60_000);

  const flow = async (vars: Record<string, string>, token = place.provinceToken) => sys.query(FLOW, vars, token);

  it('counts every day of the range at each level, zeros included', async () => {
    const week = { f: '2020-03-01', t: '2020-03-05' };
    const county = [
      { day: '2020-03-01', opened: 0, closed: 0 },
      { day: '2020-03-02', opened: 2, closed: 0 },
      { day: '2020-03-03', opened: 1, closed: 1 },
      { day: '2020-03-04', opened: 0, closed: 2 },
      { day: '2020-03-05', opened: 0, closed: 0 },
    ];
    for (const [l, c] of [
      ['COUNTY', '530102'],
      ['PREFECTURE', '5301'],
      ['PROVINCE', '53'],
    ]) {
      const answer = await flow({ l, c, ...week });
      expect({ l, errors: answer.errors, flow: answer.data?.gapFlow }).toEqual({ l, errors: undefined, flow: county });
    }
    const siteA = await flow({ l: 'SITE', c: place.siteIds[0], ...week }, officerA);
    expect(siteA.data?.gapFlow).toEqual([
      { day: '2020-03-01', opened: 0, closed: 0 },
      { day: '2020-03-02', opened: 2, closed: 0 },
      { day: '2020-03-03', opened: 0, closed: 0 },
      { day: '2020-03-04', opened: 0, closed: 1 },
      { day: '2020-03-05', opened: 0, closed: 0 },
    ]);
    // Another county's place, where there are none: every day with zeros, not an error.
    expect((await flow({ l: 'COUNTY', c: '530103', ...week })).data?.gapFlow).toEqual(
      county.map(({ day }) => ({ day, opened: 0, closed: 0 })),
    );
  });

  it('refuses places outside the scope and bad ranges with typed errors', async () => {
    const week = { f: '2020-03-01', t: '2020-03-05' };
    const otherCounty = await tokenFor({ role: 'county', regions: ['530103'] });
    const resident = await tokenFor({ role: 'resident', resident: randomUUID() });
    const refusals: [Record<string, string>, string, string | undefined][] = [
      [{ l: 'SITE', c: place.siteIds[1], ...week }, 'FORBIDDEN', undefined],
      [{ l: 'COUNTY', c: '530102', ...week }, 'FORBIDDEN', undefined],
      [{ l: 'COUNTY', c: '530102', f: '2020-02-30', t: '2020-03-05' }, 'BAD_USER_INPUT', 'from'],
      [{ l: 'COUNTY', c: '530102', f: '2020-03-05', t: '2020-03-01' }, 'BAD_USER_INPUT', 'to'],
      [{ l: 'COUNTY', c: '530102', f: '2020-01-01', t: '2021-01-02' }, 'BAD_USER_INPUT', 'to'],
      [{ l: 'GRID', c: randomUUID(), ...week }, 'BAD_USER_INPUT', 'level'],
      [{ l: 'COUNTY', c: '5301', ...week }, 'BAD_USER_INPUT', 'code'],
    ];
    const tokens = [
      officerA,
      otherCounty,
      place.provinceToken,
      place.provinceToken,
      place.provinceToken,
      place.provinceToken,
      place.provinceToken,
    ];
    for (const [i, [vars, code, field]] of refusals.entries()) {
      const answer = await flow(vars, tokens[i]);
      expect({
        vars,
        code: answer.errors?.[0]?.extensions?.code,
        field: answer.errors?.[0]?.extensions?.field,
        data: answer.data,
      }).toEqual({ vars, code, field, data: null });
    }
    expect((await flow({ l: 'COUNTY', c: '530102', ...week }, resident)).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
  });
});
