import { placeFilter, type Principal, type Role, uuidParam } from '@anju/kit';

/** Roles that record and govern demands for the places they cover. */
export const OFFICERS: Role[] = ['province', 'county', 'site_officer', 'grid_worker'];
export const isOfficer = (p: Principal) => OFFICERS.includes(p.role);

/**
 * Which demands (alias `d`) a caller sees, as SQL: officers by place; a unit member the demands
 * in the regions of their unit (区域单位); a volunteer the demands they are assigned to and the
 * open ones they could take (same county, every language needed spoken); a resident the demands
 * of their own household.
 */
export function demandScope(p: Principal, n: number): { sql: string; params: unknown[] } {
  switch (p.role) {
    case 'unit_member':
      return { sql: `d.region_code LIKE ANY (ARRAY(SELECT r || '%' FROM unit u, unnest(u.regions) r WHERE u.id = ${uuidParam(n)}))`, params: [p.unitId] };
    case 'volunteer':
      return {
        sql: `(EXISTS (SELECT 1 FROM assignment a WHERE a.demand_id = d.id AND a.volunteer_id = ${uuidParam(n)})
          OR (d.status = 'open' AND EXISTS (SELECT 1 FROM volunteer v WHERE v.id = ${uuidParam(n)} AND d.languages <@ v.languages AND d.region_code = v.region_code)))`,
        params: [p.volunteerId],
      };
    case 'resident':
      return { sql: `d.household_id IN (SELECT household_id FROM resident_directory WHERE resident_id = ${uuidParam(n)} AND moved_out_on IS NULL)`, params: [p.residentId] };
    default:
      return placeFilter(p, { site: 'd.site_id', region: 'd.region_code' }, n);
  }
}

/** Volunteers (alias `v`) an officer may see: by home site; a volunteer sees themself. */
export function volunteerScope(p: Principal, n: number): { sql: string; params: unknown[] } {
  if (p.role === 'volunteer') return { sql: `v.id = ${uuidParam(n)}`, params: [p.volunteerId] };
  return placeFilter(p, { site: 'v.home_site_id', region: 'v.region_code' }, n);
}


/** Shared id and date checks live in the kit. */
export { isIsoDate as isDate, isUuid } from '@anju/kit';
