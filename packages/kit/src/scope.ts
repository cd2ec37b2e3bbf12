import type { Principal, Role } from './auth';
import { uuidsOf } from './ids';

/**
 * Scope (数据范围): which records a token's holder reaches. Every service reads scope through this
 * one module: a rule is declared per table (the columns that place a row, and the roles that
 * reach it some other way) and `scopeFilter` turns it into SQL; `coversPlace` is the same rule for
 * one record already read. The rules over a service's own tables sit in that service's `scope.ts`.
 */

/** A predicate over rows in SQL with its positional parameters (`$n`, `$n+1`, …). */
export interface SqlFilter {
  sql: string;
  params: unknown[];
}

/** Reaches no row: the answer for a role a table has no rule for (a fresh object: callers may extend params). */
export const noRows = (): SqlFilter => ({ sql: 'false', params: [] });

/** Where a record lives, for scope checks: its site and the region code of that site. */
export interface Placement {
  siteId: string;
  regionCode: string;
  gridId?: string | null;
}

/** The columns (or SQL expressions) that place a row: its site, its region code, and its grid where it has one. */
export interface PlaceColumns {
  site: string;
  region: string;
  grid?: string;
}

/** A role's own way to a table's rows; `undefined` falls back to the place rule. */
export type RoleRule = (p: Principal, firstParam: number) => SqlFilter | undefined;

/** How one table is scoped: officers by place, and the roles that reach rows another way. */
export interface ScopeRule {
  place?: PlaceColumns;
  roles?: Partial<Record<Role, RoleRule>>;
}

/** Officers who govern places (province and county by region, site officers and grid workers by site). */
export const OFFICER_ROLES: readonly Role[] = ['province', 'county', 'site_officer', 'grid_worker'];
export const isOfficer = (p: Principal): boolean => OFFICER_ROLES.includes(p.role);

/** A grid worker (网格员) who has grids reaches the records placed in them, not the whole site. */
export const reachesByGrid = (p: Principal): boolean => p.role === 'grid_worker' && p.grids.length > 0;

/** One table's scope rule for one caller, as SQL with its parameters from `$firstParam` on. */
export function scopeFilter(p: Principal, rule: ScopeRule, firstParam = 1): SqlFilter {
  const own = rule.roles?.[p.role]?.(p, firstParam);
  if (own) return own;
  return rule.place ? placeFilter(p, rule.place, firstParam) : noRows();
}

/** Province and county officers: rows whose region code lies under one of theirs. */
export function regionFilter(p: Principal, regionColumn: string, firstParam = 1): SqlFilter {
  if (p.role !== 'province' && p.role !== 'county') return noRows();
  return { sql: `${regionColumn} LIKE ANY($${firstParam}::text[])`, params: [p.regions.map((r) => `${r}%`)] };
}

/** Whether the caller's scope covers a place (province and county by region prefix). */
export function coversPlace(p: Principal, place: Placement): boolean {
  switch (p.role) {
    case 'province':
    case 'county':
      return p.regions.some((r) => place.regionCode.startsWith(r));
    case 'site_officer':
      return p.sites.includes(place.siteId);
    case 'grid_worker':
      return place.gridId ? p.grids.includes(place.gridId) : p.sites.includes(place.siteId);
    default:
      return false;
  }
}

/**
 * The same rule as SQL: a predicate over a row's site id and region code columns, with its
 * parameters. Lists filter in the database, never in Node.
 */
export function placeFilter(p: Principal, cols: PlaceColumns, firstParam = 1): SqlFilter {
  switch (p.role) {
    case 'province':
    case 'county':
      return regionFilter(p, cols.region, firstParam);
    case 'site_officer':
      return { sql: `${cols.site} = ANY($${firstParam}::uuid[])`, params: [uuidsOf(p.sites)] };
    case 'grid_worker':
      return cols.grid && p.grids.length
        ? { sql: `${cols.grid} = ANY($${firstParam}::uuid[])`, params: [uuidsOf(p.grids)] }
        : { sql: `${cols.site} = ANY($${firstParam}::uuid[])`, params: [uuidsOf(p.sites)] };
    default:
      return noRows();
  }
}
