import type { DataSource, EntityManager } from 'typeorm';
import { findSite } from '@anju/contracts';
import { ForbiddenError, InputError, NotFoundError, audit, coversPlace, placeFilter, requireRole, type Principal, isIsoDate, isUuid, uuidsOf } from '@anju/kit';

/** Who may change employment records: officers and grid workers, each within their scope. */
export const WRITERS = ['province', 'county', 'site_officer', 'grid_worker'] as const;

type Db = DataSource | EntityManager;

/**
 * Employment's reading of a token's scope as SQL over a table with `site_id` and `region_code`
 * (and `household_id` for household-level rows). Residents see their own household's rows and
 * their own site's courses, jobs and projects.
 */
export function scopeSql(p: Principal, alias: string, firstParam: number, kind: 'household' | 'site' = 'household'): { sql: string; params: unknown[] } {
  if (kind === 'household' && byGrid(p)) return gridHouseholdsSql(alias, firstParam, p);
  if (p.role === 'resident') {
    const col = kind === 'household' ? 'household_id' : 'site_id';
    return {
      sql: `${alias}.${col} IN (SELECT ${col} FROM labour_profile WHERE resident_id = $${firstParam}::uuid)`,
      params: [p.residentId],
    };
  }
  return placeFilter(p, { site: `${alias}.site_id`, region: `${alias}.region_code` }, firstParam);
}

/** A grid worker (网格员) with grids reaches the households placed in them only, as in governance — not the whole site. */
export const byGrid = (p: Principal) => p.role === 'grid_worker' && p.grids.length > 0;

/** Household-level rows of a grid worker's grids (household_place has each household's grid from governance's events). */
export function gridHouseholdsSql(alias: string, firstParam: number, p: Principal): { sql: string; params: unknown[] } {
  return {
    sql: `${alias}.household_id IN (SELECT hp.household_id FROM household_place hp WHERE hp.grid_id = ANY($${firstParam}::uuid[]))`,
    params: [uuidsOf(p.grids)],
  };
}

/** Whether the caller may write a household-level row: a grid worker in their grids only; others by site and region. */
export function coversHousehold(p: Principal, place: { siteId: string; regionCode: string; gridId?: string | null }): boolean {
  if (byGrid(p)) return place.gridId != null && p.grids.includes(place.gridId);
  return coversPlace(p, place);
}

/** A calendar date `YYYY-MM-DD` that exists. */
export function requireDate(value: string, field: string): string {
  if (!isIsoDate(value)) {
    throw new InputError(field, 'A date is written YYYY-MM-DD and must exist.', 'FORMAT');
  }
  return value;
}

export function requireText(value: string | null | undefined, field: string, max = 200): string {
  const t = (value ?? '').trim();
  if (!t || t.length > max) throw new InputError(field, `Required, 1 to ${max} characters.`);
  return t;
}

export function requireAmount(value: number, field: string, what: string): number {
  if (!Number.isFinite(value)) throw new InputError(field, `${what} must be a number.`, 'FORMAT');
  if (value < 0) throw new InputError(field, `${what} cannot be below zero.`, 'NEGATIVE');
  if (value > 1e9) throw new InputError(field, `${what} is implausibly large.`, 'TOO_LARGE');
  return Math.round(value * 100) / 100;
}

export interface ResidentPlace {
  residentId: string;
  householdId: string;
  siteId: string;
  regionCode: string;
  movedOutOn: string | null;
}

/** A resident employment knows (from governance's events), in the caller's write scope. */
export async function residentForWrite(db: Db, p: Principal, residentId: string, field: string): Promise<ResidentPlace> {
  requireRole(p, ...WRITERS);
  if (!isUuid(residentId)) throw new InputError(field, 'Not a resident id.', 'FORMAT');
  const [row]: (ResidentPlace & { gridId: string | null })[] = await db.query(
    `SELECT lp.resident_id AS "residentId", lp.household_id AS "householdId", lp.site_id AS "siteId", lp.region_code AS "regionCode",
            to_char(lp.moved_out_on, 'YYYY-MM-DD') AS "movedOutOn", hp.grid_id AS "gridId"
       FROM labour_profile lp LEFT JOIN household_place hp ON hp.household_id = lp.household_id WHERE lp.resident_id = $1`,
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

export async function householdForWrite(db: Db, p: Principal, householdId: string, field: string): Promise<HouseholdPlace> {
  requireRole(p, ...WRITERS);
  if (!isUuid(householdId)) throw new InputError(field, 'Not a household id.', 'FORMAT');
  const [row]: (HouseholdPlace & { gridId: string | null })[] = await db.query(
    `SELECT household_id AS "householdId", site_id AS "siteId", region_code AS "regionCode", grid_id AS "gridId" FROM household_place WHERE household_id = $1`,
    [householdId],
  );
  if (!row) throw new NotFoundError(field, 'No such household (employment knows households from their registered residents).');
  if (!coversHousehold(p, row)) throw new ForbiddenError('The household is outside your scope.');
  return row;
}

export async function siteForWrite(db: Db, p: Principal, siteId: string, field: string): Promise<{ siteId: string; regionCode: string }> {
  requireRole(p, ...WRITERS);
  if (!isUuid(siteId)) throw new InputError(field, 'Not a site id.', 'FORMAT');
  const site = await findSite(db as never, siteId);
  if (!site) throw new NotFoundError(field, 'No such site.');
  if (!coversPlace(p, site)) throw new ForbiddenError('The site is outside your scope.');
  return { siteId: site.siteId, regionCode: site.regionCode };
}

/** A row of a table with site_id/region_code, in the caller's write scope. */
export async function rowForWrite<T extends { siteId: string; regionCode: string }>(
  db: Db, p: Principal, sql: string, id: string, field: string, what: string,
): Promise<T> {
  requireRole(p, ...WRITERS);
  if (!isUuid(id)) throw new InputError(field, `Not ${what} id.`, 'FORMAT');
  const [row]: T[] = await db.query(sql, [id]);
  if (!row) throw new NotFoundError(field, `No such ${what.replace(/^an? /, '')}.`);
  // A household's row (a job, an enrollment, land): a grid worker needs the household's grid.
  const householdId = (row as { householdId?: string }).householdId;
  const [place] = householdId && byGrid(p)
    ? await db.query(`SELECT grid_id AS "gridId" FROM household_place WHERE household_id = $1`, [householdId]) as { gridId: string | null }[]
    : [];
  const covered = householdId ? coversHousehold(p, { ...row, gridId: place?.gridId ?? null }) : coversPlace(p, row);
  if (!covered) throw new ForbiddenError(`The ${what.replace(/^an? /, '')} is outside your scope.`);
  return row;
}

/**
 * The audit row of an employment write, in the transaction of the change: the record (its type is
 * the action's first word), its place, and for a resident's or household's record whose it is —
 * an officer or grid worker acting on the resident's behalf.
 */
export function auditWrite(
  m: EntityManager, p: Principal, action: string,
  row: { id: string; siteId: string; regionCode: string; residentId?: string | null; householdId?: string | null },
  detail: Record<string, unknown> = {},
): Promise<void> {
  return audit(m, p, {
    action, entityType: action.split('.')[0], entityId: row.id, siteId: row.siteId, regionCode: row.regionCode,
    detail: { ...(row.residentId ? { residentId: row.residentId } : {}), ...(row.householdId ? { householdId: row.householdId } : {}), ...detail },
  });
}

/** Numeric columns arrive from pg as strings. */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Keyset pagination lives in the kit; re-exported for this service's features. */
export { cursor, pageSize } from '@anju/kit';
