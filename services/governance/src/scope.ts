import { placeFilter, type Principal, uuidsOf } from '@anju/kit';

/**
 * Governance's reading of a token's scope as SQL over a table with `site_id` and `region_code`
 * (and for residents, `id`). Province and county officers: by region prefix; site officers and
 * grid workers: by site; residents: themselves.
 */
export function scopeSql(p: Principal, alias: string, firstParam: number, kind: 'site' | 'resident' | 'household'): { sql: string; params: unknown[] } {
  if (p.role === 'resident') {
    if (kind === 'resident') return { sql: `${alias}.id = $${firstParam}::uuid`, params: [p.residentId] };
    return { sql: `${alias}.${kind === 'site' ? 'id' : 'site_id'} = ANY($${firstParam}::uuid[])`, params: [uuidsOf(p.sites)] };
  }
  if (p.role === 'grid_worker' && p.grids.length) return gridScopeSql(p, alias, firstParam, kind);
  const site = kind === 'site' ? `${alias}.id` : `${alias}.site_id`;
  return placeFilter(p, { site, region: `${alias}.region_code` }, firstParam);
}

/**
 * A grid worker's reach (网格员): residents of households in buildings of their grids; the
 * households and buildings of those grids; the sites their grids lie in.
 */
export function gridScopeSql(p: Principal, alias: string, n: number, kind: 'site' | 'resident' | 'household' | 'building' | 'grid') {
  const grids = `$${n}::text[]`;
  const sql = {
    resident: `${alias}.household_id IN (SELECT gh.id FROM household gh JOIN building gb ON gb.id = gh.building_id WHERE gb.grid_id = ANY(${grids}::uuid[]))`,
    household: `${alias}.building_id IN (SELECT gb.id FROM building gb WHERE gb.grid_id = ANY(${grids}::uuid[]))`,
    building: `${alias}.grid_id = ANY(${grids}::uuid[])`,
    grid: `${alias}.id = ANY(${grids}::uuid[])`,
    site: `${alias}.id IN (SELECT gg.site_id FROM grid gg WHERE gg.id = ANY(${grids}::uuid[]))`,
  }[kind];
  return { sql, params: [uuidsOf(p.grids)] as unknown[] };
}

/**
 * Who sees the records of a site that its residents take part in (proposals, surveys), over a table
 * with `site_id` and `region_code`: officers by place; grid workers the sites of their grids;
 * residents the site they live in now (a moved-out resident no longer); nobody else.
 */
export function siteCommunityScope(p: Principal, alias: string, n: number): { sql: string; params: unknown[] } {
  switch (p.role) {
    case 'province':
    case 'county':
    case 'site_officer':
      return placeFilter(p, { site: `${alias}.site_id`, region: `${alias}.region_code` }, n);
    case 'grid_worker':
      return {
        sql: `(${alias}.site_id = ANY($${n}::uuid[]) OR ${alias}.site_id IN (SELECT site_id FROM grid WHERE id = ANY($${n + 1}::uuid[])))`,
        params: [uuidsOf(p.sites), uuidsOf(p.grids)],
      };
    case 'resident':
      return {
        sql: `${alias}.site_id IN (SELECT site_id FROM resident WHERE id = $${n}::uuid AND moved_out_on IS NULL)`,
        params: [p.residentId],
      };
    default:
      return { sql: 'false', params: [] };
  }
}

/** Anything that runs SQL (a DataSource, an EntityManager, a test client): what scheduled tasks need. */
export interface SqlRunner {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(text: string, params?: unknown[]): Promise<any>;
}

/** Keyset pagination lives in the kit; re-exported for this service's features. */
export { cursor, pageSize } from '@anju/kit';
