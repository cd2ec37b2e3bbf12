import {
  ForbiddenError,
  NotFoundError,
  coversPlace,
  isUuid,
  scopeFilter,
  uuidsOf,
  type Principal,
  type SqlFilter,
  type SqlRunner,
} from '@anju/kit';

/**
 * Governance's scope rules over its own tables, declared through the kit's `scopeFilter`: over a
 * table with `site_id` and `region_code` (and for residents, `id`). Province and county officers:
 * by region prefix; site officers: by site; grid workers with grids: by grid; residents: themselves.
 */
export function scopeSql(
  p: Principal,
  alias: string,
  firstParam: number,
  kind: 'site' | 'resident' | 'household',
): SqlFilter {
  return scopeFilter(
    p,
    {
      place: { site: kind === 'site' ? `${alias}.id` : `${alias}.site_id`, region: `${alias}.region_code` },
      roles: {
        resident: (r, n) =>
          kind === 'resident'
            ? { sql: `${alias}.id = $${n}::uuid`, params: [r.residentId] }
            : {
                sql: `${alias}.${kind === 'site' ? 'id' : 'site_id'} = ANY($${n}::uuid[])`,
                params: [uuidsOf(r.sites)],
              },
        grid_worker: (g, n) => (g.grids.length ? gridScopeSql(g, alias, n, kind) : undefined),
      },
    },
    firstParam,
  );
}

/**
 * A grid worker's reach (网格员): residents of households in buildings of their grids; the
 * households and buildings of those grids; the sites their grids lie in.
 */
export function gridScopeSql(
  p: Principal,
  alias: string,
  n: number,
  kind: 'site' | 'resident' | 'household' | 'building' | 'grid',
): SqlFilter {
  const grids = `$${n}::text[]`;
  const sql = {
    resident: `${alias}.household_id IN (SELECT gh.id FROM household gh JOIN building gb ON gb.id = gh.building_id
                WHERE gb.grid_id = ANY(${grids}::uuid[]))`,
    household: `${alias}.building_id IN (SELECT gb.id FROM building gb WHERE gb.grid_id = ANY(${grids}::uuid[]))`,
    building: `${alias}.grid_id = ANY(${grids}::uuid[])`,
    grid: `${alias}.id = ANY(${grids}::uuid[])`,
    site: `${alias}.id IN (SELECT gg.site_id FROM grid gg WHERE gg.id = ANY(${grids}::uuid[]))`,
  }[kind];
  return { sql, params: [uuidsOf(p.grids)] };
}

/**
 * The sites a grid worker reaches, as SQL over a site id column: those they were given and those of
 * their grids. Site-level records (councils, party organizations, advisers, proposals) use it.
 */
export function gridWorkerSites(p: Principal, col: string, n: number): SqlFilter {
  return {
    sql: `(${col} = ANY($${n}::uuid[]) OR ${col} IN (SELECT site_id FROM grid WHERE id = ANY($${n + 1}::uuid[])))`,
    params: [uuidsOf(p.sites), uuidsOf(p.grids)],
  };
}

/**
 * Who sees the records of a site that its residents take part in (proposals, surveys), over a table
 * with `site_id` and `region_code`: officers by place; grid workers the sites of their grids;
 * residents the site they live in now (a moved-out resident no longer); nobody else.
 */
export function siteCommunityScope(p: Principal, alias: string, n: number): SqlFilter {
  return scopeFilter(
    p,
    {
      place: { site: `${alias}.site_id`, region: `${alias}.region_code` },
      roles: {
        grid_worker: (g) => gridWorkerSites(g, `${alias}.site_id`, n),
        resident: (r) => ({
          sql: `${alias}.site_id IN (SELECT site_id FROM resident WHERE id = $${n}::uuid AND moved_out_on IS NULL)`,
          params: [r.residentId],
        }),
      },
    },
    n,
  );
}

export interface PlaceRow {
  id: string;
  regionCode: string;
}

/** Officers reach the sites they govern; a resident reaches only the site they live at. */
export async function siteInScope(db: SqlRunner, p: Principal, siteId: string, field: string): Promise<PlaceRow> {
  const [site]: PlaceRow[] = isUuid(siteId)
    ? await db.query(`SELECT id, region_code AS "regionCode" FROM site WHERE id = $1`, [siteId])
    : [];
  if (!site) throw new NotFoundError(field, 'No such site.');
  if (p.role === 'resident') {
    const [own] = isUuid(p.residentId)
      ? await db.query(`SELECT 1 FROM resident WHERE id = $1 AND site_id = $2`, [p.residentId, siteId])
      : [];
    if (!own) throw new ForbiddenError('Residents see the points of their own site only.');
  } else if (!coversPlace(p, { siteId: site.id, regionCode: site.regionCode })) {
    throw new ForbiddenError('The site is outside your scope.');
  }
  return site;
}

export interface ResidentPlace {
  id: string;
  householdId: string;
  siteId: string;
  regionCode: string;
}

/**
 * A resident the caller may see: a resident token only itself, officers residents of their sites.
 * Out of scope and unknown look the same (NOT_FOUND), so ids cannot be probed.
 */
export async function residentInScope(
  db: SqlRunner,
  p: Principal,
  residentId: string,
  field: string,
): Promise<ResidentPlace> {
  const scope = scopeSql(p, 'r', 2, 'resident');
  const [r]: ResidentPlace[] = isUuid(residentId)
    ? await db.query(
        `SELECT r.id, r.household_id AS "householdId", r.site_id AS "siteId", r.region_code AS "regionCode"
         FROM resident r WHERE r.id = $1 AND ${scope.sql}`,
        [residentId, ...scope.params],
      )
    : [];
  if (!r) throw new NotFoundError(field, 'No such resident in your scope.');
  return r;
}

/** Writes on a resident's points are officers' work (province, county, site officer) within their scope. */
export async function residentForOfficer(
  db: SqlRunner,
  p: Principal,
  residentId: string,
  field: string,
): Promise<ResidentPlace> {
  if (!['province', 'county', 'site_officer'].includes(p.role)) {
    throw new ForbiddenError('Only officers grant or deduct points.');
  }
  return residentInScope(db, p, residentId, field);
}

/**
 * Sites the caller may read site-level records of (法治: advisers, visits, the indicator), as SQL over
 * a site id column and its region column: officers by place; grid workers their sites and the sites
 * of their grids; residents the site they live in now.
 */
export function siteReaderScope(p: Principal, col: string, regionCol: string, n: number): SqlFilter {
  return scopeFilter(
    p,
    {
      place: { site: col, region: regionCol },
      roles: {
        resident: (r) => ({
          sql: `${col} IN (SELECT site_id FROM resident WHERE id = as_uuid($${n}) AND moved_out_on IS NULL)`,
          params: [r.residentId],
        }),
        grid_worker: (g) => gridWorkerSites(g, col, n),
      },
    },
    n,
  );
}
