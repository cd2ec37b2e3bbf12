import { scopeFilter, uuidParam, type Principal, type SqlFilter } from '@anju/kit';

/**
 * Which demands (alias `d`) a caller sees, as SQL: officers by place; a unit member the demands
 * in the regions of their unit (区域单位); a volunteer the demands they are assigned to and the
 * open ones they could take (same county, every language needed spoken); a resident the demands
 * of their own household.
 */
export function demandScope(p: Principal, n: number): SqlFilter {
  return scopeFilter(
    p,
    {
      place: { site: 'd.site_id', region: 'd.region_code' },
      roles: {
        unit_member: (u) => ({
          sql: `d.region_code LIKE ANY (ARRAY(SELECT r || '%' FROM unit u, unnest(u.regions) r
                WHERE u.id = ${uuidParam(n)}))`,
          params: [u.unitId],
        }),
        volunteer: (v) => ({
          sql: `(EXISTS (SELECT 1 FROM assignment a WHERE a.demand_id = d.id AND a.volunteer_id = ${uuidParam(n)})
          OR (d.status = 'open' AND EXISTS (SELECT 1 FROM volunteer v WHERE v.id = ${uuidParam(n)}
                AND d.languages <@ v.languages AND d.region_code = v.region_code)))`,
          params: [v.volunteerId],
        }),
        resident: (r) => ({
          sql: `d.household_id IN (SELECT household_id FROM resident_directory
                WHERE resident_id = ${uuidParam(n)} AND moved_out_on IS NULL)`,
          params: [r.residentId],
        }),
      },
    },
    n,
  );
}

/** Volunteers (alias `v`) an officer may see: by home site; a volunteer sees themself. */
export function volunteerScope(p: Principal, n: number): SqlFilter {
  return scopeFilter(
    p,
    {
      place: { site: 'v.home_site_id', region: 'v.region_code' },
      roles: { volunteer: (v) => ({ sql: `v.id = ${uuidParam(n)}`, params: [v.volunteerId] }) },
    },
    n,
  );
}
