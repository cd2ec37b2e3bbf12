import type { DataSource, EntityManager } from 'typeorm';
import { findSite } from '@anju/contracts';
import { ForbiddenError, InputError, NotFoundError, coversPlace, placeFilter, requireRole, type Principal, isIsoDate } from '@anju/kit';

/** Who may change employment records: officers and grid workers, each within their scope. */
export const WRITERS = ['province', 'county', 'site_officer', 'grid_worker'] as const;

type Db = DataSource | EntityManager;

export const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/**
 * Employment's reading of a token's scope as SQL over a table with `site_id` and `region_code`
 * (and `household_id` for household-level rows). Residents see their own household's rows and
 * their own site's courses, jobs and projects.
 */
export function scopeSql(p: Principal, alias: string, firstParam: number, kind: 'household' | 'site' = 'household'): { sql: string; params: unknown[] } {
  if (p.role === 'resident') {
    const col = kind === 'household' ? 'household_id' : 'site_id';
    return {
      sql: `${alias}.${col} IN (SELECT ${col} FROM labour_profile WHERE resident_id = $${firstParam}::uuid)`,
      params: [p.residentId],
    };
  }
  return placeFilter(p, { site: `${alias}.site_id`, region: `${alias}.region_code` }, firstParam);
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
  const [row]: ResidentPlace[] = await db.query(
    `SELECT resident_id AS "residentId", household_id AS "householdId", site_id AS "siteId", region_code AS "regionCode",
            to_char(moved_out_on, 'YYYY-MM-DD') AS "movedOutOn"
       FROM labour_profile WHERE resident_id = $1`,
    [residentId],
  );
  if (!row) throw new NotFoundError(field, 'No such resident.');
  if (!coversPlace(p, row)) throw new ForbiddenError('The resident is outside your scope.');
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
  const [row]: HouseholdPlace[] = await db.query(
    `SELECT household_id AS "householdId", site_id AS "siteId", region_code AS "regionCode" FROM household_place WHERE household_id = $1`,
    [householdId],
  );
  if (!row) throw new NotFoundError(field, 'No such household (employment knows households from their registered residents).');
  if (!coversPlace(p, row)) throw new ForbiddenError('The household is outside your scope.');
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
  if (!coversPlace(p, row)) throw new ForbiddenError(`The ${what.replace(/^an? /, '')} is outside your scope.`);
  return row;
}

/** Numeric columns arrive from pg as strings. */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Keyset pagination lives in the kit; re-exported for this service's features. */
export { cursor, pageSize } from '@anju/kit';
