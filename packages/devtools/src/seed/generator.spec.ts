import { parseSeedArgs, UsageError } from './index';
import { apportion, rng } from './prng';
import { PREFECTURES } from './regions';
import { creditCode } from './social-orgs.seed';
import { planWorld } from './world';

describe('seed generator, pure parts', () => {
  it('parses its arguments and refuses bad ones', () => {
    expect(parseSeedArgs(['--scale', 'demo'], {})).toEqual({
      scale: 'demo',
      seed: 1,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/anju',
    });
    expect(parseSeedArgs(['--scale=province', '--seed', '42', '--database-url', 'postgres://x@h/db'], {})).toEqual({
      scale: 'province',
      seed: 42,
      databaseUrl: 'postgres://x@h/db',
    });
    expect(() => parseSeedArgs(['--scale', 'huge'], {})).toThrow(UsageError);
    expect(() => parseSeedArgs(['--seed', '1'], {})).toThrow('--scale is required');
    expect(() => parseSeedArgs(['--scale', 'demo', '--seed', 'x'], {})).toThrow(UsageError);
  });

  it('holds Yunnan: 16 prefectures, 129 counties, codes under their prefecture', () => {
    expect(PREFECTURES).toHaveLength(16);
    const counties = PREFECTURES.flatMap((p) => p.counties.map((c) => ({ p, c })));
    expect(counties).toHaveLength(129);
    expect(new Set(counties.map(({ c }) => c.code)).size).toBe(129);
    for (const { p, c } of counties) expect(c.code.startsWith(p.code)).toBe(true);
  });

  it('plans the province at its real size: 2,832 sites and 996,000 residents, every county with a site', () => {
    const world = planWorld('province', 1);
    expect(world.sites).toHaveLength(2_832);
    expect(world.sites.reduce((a, s) => a + s.residents, 0)).toBe(996_000);
    expect(new Set(world.sites.map((s) => s.regionCode)).size).toBe(129);
    expect(new Set(world.sites.map((s) => s.id)).size).toBe(2_832);
  });

  it('splits totals exactly and makes valid unified social credit codes', () => {
    expect(apportion(10, [1, 1, 1], 1)).toEqual([4, 3, 3]);
    expect(apportion(996_000, [0.36, 0.1, 0.54]).reduce((a, b) => a + b, 0)).toBe(996_000);
    const r = rng(1, 'test');
    for (let i = 0; i < 50; i++)
      expect(creditCode(r, '530627')).toMatch(/^5[12]530627[0-9]{8}[0-9X][0-9A-HJ-NPQRTUWXY]$/);
  });
});
