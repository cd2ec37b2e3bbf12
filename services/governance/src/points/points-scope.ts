import type { DataSource } from 'typeorm';
import { ForbiddenError, NotFoundError, coversPlace, type Principal } from '@anju/kit';
import { scopeSql } from '../scope';
import { isUuid } from './ledger';

export interface PlaceRow {
  id: string;
  regionCode: string;
}

/** Officers reach the sites they govern; a resident reaches only the site they live at. */
export async function siteInScope(db: DataSource, p: Principal, siteId: string, field: string): Promise<PlaceRow> {
  const [site]: PlaceRow[] = isUuid(siteId) ? await db.query(`SELECT id, region_code AS "regionCode" FROM site WHERE id = $1`, [siteId]) : [];
  if (!site) throw new NotFoundError(field, 'No such site.');
  if (p.role === 'resident') {
    const [own] = isUuid(p.residentId) ? await db.query(`SELECT 1 FROM resident WHERE id = $1 AND site_id = $2`, [p.residentId, siteId]) : [];
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
export async function residentInScope(db: DataSource, p: Principal, residentId: string, field: string): Promise<ResidentPlace> {
  const scope = scopeSql(p, 'r', 2, 'resident');
  const [r]: ResidentPlace[] = isUuid(residentId)
    ? await db.query(
      `SELECT r.id, r.household_id AS "householdId", r.site_id AS "siteId", r.region_code AS "regionCode" FROM resident r WHERE r.id = $1 AND ${scope.sql}`,
      [residentId, ...scope.params],
    )
    : [];
  if (!r) throw new NotFoundError(field, 'No such resident in your scope.');
  return r;
}

/** Writes on a resident's points are officers' work (province, county, site officer) within their scope. */
export async function residentForOfficer(db: DataSource, p: Principal, residentId: string, field: string): Promise<ResidentPlace> {
  if (!['province', 'county', 'site_officer'].includes(p.role)) throw new ForbiddenError('Only officers grant or deduct points.');
  return residentInScope(db, p, residentId, field);
}
