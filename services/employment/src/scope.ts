import { findSite } from '@anju/contracts';
import {
  ForbiddenError,
  InputError,
  NotFoundError,
  OFFICER_ROLES,
  coversPlace,
  isUuid,
  reachesByGrid,
  requireRole,
  scopeFilter,
  uuidsOf,
  type Placement,
  type Principal,
  type SqlFilter,
  type SqlRunner,
} from '@anju/kit';

/** Who may change employment records: officers and grid workers, each within their scope. */
export const WRITERS = OFFICER_ROLES;

/**
 * Employment's scope rules over its own tables, declared through the kit's `scopeFilter`: over a
 * table with `site_id` and `region_code` (and `household_id` for household-level rows). Residents
 * see their own household's rows and their own site's courses, jobs and projects; a grid worker
 * (网格员) with grids reaches the households placed in them only, as in governance.
 */
export function scopeSql(
  p: Principal,
  alias: string,
  firstParam: number,
  kind: 'household' | 'site' = 'household',
): SqlFilter {
  const col = kind === 'household' ? 'household_id' : 'site_id';
  return scopeFilter(
    p,
    {
      place: { site: `${alias}.site_id`, region: `${alias}.region_code` },
      roles: {
        grid_worker: (g, n) => (kind === 'household' && reachesByGrid(g) ? gridHouseholdsSql(alias, n, g) : undefined),
        resident: (r, n) => ({
          sql: `${alias}.${col} IN (SELECT ${col} FROM labour_profile WHERE resident_id = $${n}::uuid)`,
          params: [r.residentId],
        }),
      },
    },
    firstParam,
  );
}

/**
 * Household-level rows of a grid worker's grids (household_place has each household's grid from governance's events).
 */
export function gridHouseholdsSql(alias: string, firstParam: number, p: Principal): SqlFilter {
  return {
    sql: `${alias}.household_id IN (SELECT hp.household_id FROM household_place hp
            WHERE hp.grid_id = ANY($${firstParam}::uuid[]))`,
    params: [uuidsOf(p.grids)],
  };
}

/** Whether the caller may write a household-level row: a grid worker in their grids only; others by site and region. */
export function coversHousehold(p: Principal, place: Placement): boolean {
  if (reachesByGrid(p)) return place.gridId != null && p.grids.includes(place.gridId);
  return coversPlace(p, place);
}

export interface ResidentPlace {
  residentId: string;
  householdId: string;
  siteId: string;
  regionCode: string;
  movedOutOn: string | null;
}

/** A resident employment knows (from governance's events), in the caller's write scope. */
export async function residentForWrite(
  db: SqlRunner,
  p: Principal,
  residentId: string,
  field: string,
): Promise<ResidentPlace> {
  requireRole(p, ...WRITERS);
  if (!isUuid(residentId)) throw new InputError(field, 'Not a resident id.', 'FORMAT');
  const [row]: (ResidentPlace & { gridId: string | null })[] = await db.query(
    `SELECT lp.resident_id AS "residentId", lp.household_id AS "householdId", lp.site_id AS "siteId",
            lp.region_code AS "regionCode", to_char(lp.moved_out_on, 'YYYY-MM-DD') AS "movedOutOn",
              hp.grid_id AS "gridId"
       FROM labour_profile lp LEFT JOIN household_place hp ON hp.household_id = lp.household_id
       WHERE lp.resident_id = $1`,
    [residentId],
  );
  if (!row) throw new NotFoundError(field, 'No such resident.');
  if (!coversHousehold(p, row)) throw new ForbiddenError('The resident is outside your scope.');
  if (row.movedOutOn) throw new InputError(field, 'The resident has moved out of the site.', 'MOVED_OUT');
  return row;
}

export interface HouseholdPlace {
  householdId: string;
  siteId: string;
  regionCode: string;
}

export async function householdForWrite(
  db: SqlRunner,
  p: Principal,
  householdId: string,
  field: string,
): Promise<HouseholdPlace> {
  requireRole(p, ...WRITERS);
  if (!isUuid(householdId)) throw new InputError(field, 'Not a household id.', 'FORMAT');
  const [row]: (HouseholdPlace & { gridId: string | null })[] = await db.query(
    `SELECT household_id AS "householdId", site_id AS "siteId", region_code AS "regionCode", grid_id AS "gridId"
       FROM household_place WHERE household_id = $1`,
    [householdId],
  );
  if (!row)
    throw new NotFoundError(field, 'No such household (employment knows households from their registered residents).');
  if (!coversHousehold(p, row)) throw new ForbiddenError('The household is outside your scope.');
  return row;
}

export async function siteForWrite(
  db: SqlRunner,
  p: Principal,
  siteId: string,
  field: string,
): Promise<{ siteId: string; regionCode: string }> {
  requireRole(p, ...WRITERS);
  if (!isUuid(siteId)) throw new InputError(field, 'Not a site id.', 'FORMAT');
  const site = await findSite(db as never, siteId);
  if (!site) throw new NotFoundError(field, 'No such site.');
  if (!coversPlace(p, site)) throw new ForbiddenError('The site is outside your scope.');
  return { siteId: site.siteId, regionCode: site.regionCode };
}

/** A row of a table with site_id/region_code, in the caller's write scope. */
export async function rowForWrite<T extends { siteId: string; regionCode: string }>(
  db: SqlRunner,
  p: Principal,
  sql: string,
  id: string,
  field: string,
  what: string,
): Promise<T> {
  requireRole(p, ...WRITERS);
  if (!isUuid(id)) throw new InputError(field, `Not ${what} id.`, 'FORMAT');
  const [row]: T[] = await db.query(sql, [id]);
  if (!row) throw new NotFoundError(field, `No such ${what.replace(/^an? /, '')}.`);
  // A household's row (a job, an enrollment, land): a grid worker needs the household's grid.
  const householdId = (row as { householdId?: string }).householdId;
  const [place] =
    householdId && reachesByGrid(p)
      ? ((await db.query(`SELECT grid_id AS "gridId" FROM household_place WHERE household_id = $1`, [householdId])) as {
          gridId: string | null;
        }[])
      : [];
  const covered = householdId ? coversHousehold(p, { ...row, gridId: place?.gridId ?? null }) : coversPlace(p, row);
  if (!covered) throw new ForbiddenError(`The ${what.replace(/^an? /, '')} is outside your scope.`);
  return row;
}
