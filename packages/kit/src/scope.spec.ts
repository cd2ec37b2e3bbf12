import type { Principal } from './auth';
import { coversPlace, placeFilter, regionFilter, scopeFilter, type ScopeRule } from './scope';

const county: Principal = { subject: 'c', role: 'county', regions: ['530102'], sites: [], grids: [] };
const officer: Principal = { subject: 'o', role: 'site_officer', regions: [], sites: ['A'], grids: [] };
const G1 = '6f1c2a4e-8b0d-4c55-9a1e-2f3b4c5d6e7f';
const S1 = '0b9a7c1e-1d2e-4f30-8a4b-5c6d7e8f9a0b';

describe('place scope', () => {
  it('covers by region prefix for officers and by site for site officers', () => {
    expect(coversPlace(county, { siteId: 'X', regionCode: '530102' })).toBe(true);
    expect(coversPlace(county, { siteId: 'X', regionCode: '530103' })).toBe(false);
    expect(coversPlace(officer, { siteId: 'A', regionCode: '530102' })).toBe(true);
    expect(coversPlace(officer, { siteId: 'B', regionCode: '530102' })).toBe(false);
  });

  it('produces the same rule as SQL', () => {
    expect(placeFilter(county, { site: 's.id', region: 's.region_code' }, 3)).toEqual({
      sql: 's.region_code LIKE ANY($3::text[])',
      params: [['530102%']],
    });
    expect(placeFilter({ ...officer, role: 'volunteer' }, { site: 's.id', region: 's.region_code' })).toEqual({
      sql: 'false',
      params: [],
    });
  });
});

describe('scopeFilter: one table rule, every role', () => {
  const rule: ScopeRule = {
    place: { site: 't.site_id', region: 't.region_code' },
    roles: {
      resident: (p, n) => ({ sql: `t.resident_id = $${n}::uuid`, params: [p.residentId] }),
      grid_worker: (p, n) =>
        p.grids.length ? { sql: `t.grid_id = ANY($${n}::uuid[])`, params: [p.grids] } : undefined,
    },
  };

  it('reads officers by place, numbering parameters from the one given', () => {
    expect(scopeFilter(county, rule, 4)).toEqual({ sql: 't.region_code LIKE ANY($4::text[])', params: [['530102%']] });
    expect(scopeFilter({ ...officer, sites: [S1] }, rule)).toEqual({
      sql: 't.site_id = ANY($1::uuid[])',
      params: [[S1]],
    });
  });

  it('gives a role its own rule, and falls back to place when that rule answers nothing', () => {
    const resident: Principal = { subject: 'r', role: 'resident', regions: [], sites: [], grids: [], residentId: 'R' };
    expect(scopeFilter(resident, rule, 2)).toEqual({ sql: 't.resident_id = $2::uuid', params: ['R'] });
    const gridWorker: Principal = { subject: 'g', role: 'grid_worker', regions: [], sites: [S1], grids: [G1] };
    expect(scopeFilter(gridWorker, rule)).toEqual({ sql: 't.grid_id = ANY($1::uuid[])', params: [[G1]] });
    expect(scopeFilter({ ...gridWorker, grids: [] }, rule)).toEqual({
      sql: 't.site_id = ANY($1::uuid[])',
      params: [[S1]],
    });
  });

  it('reaches no row for a role the table has no rule for, and none by place without place columns', () => {
    const volunteer: Principal = {
      subject: 'v',
      role: 'volunteer',
      regions: [],
      sites: [],
      grids: [],
      volunteerId: 'V',
    };
    expect(scopeFilter(volunteer, rule)).toEqual({ sql: 'false', params: [] });
    expect(scopeFilter(county, { roles: {} })).toEqual({ sql: 'false', params: [] });
    // A fresh answer each time: a caller that appends parameters cannot leak them into the next.
    const a = scopeFilter(volunteer, rule);
    a.params.push('x');
    expect(scopeFilter(volunteer, rule).params).toEqual([]);
  });

  it('filters by region for province and county only', () => {
    expect(regionFilter({ ...county, role: 'province', regions: ['53'] }, 'c.region_code', 2)).toEqual({
      sql: 'c.region_code LIKE ANY($2::text[])',
      params: [['53%']],
    });
    expect(regionFilter(officer, 'c.region_code')).toEqual({ sql: 'false', params: [] });
  });
});
