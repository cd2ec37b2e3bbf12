import type { Cell } from './copy';
import type { World } from './world';

/** The consumers' local copies of governance's sites (contracts' site_directory), from the same generated sites. */
export const SITE_DIRECTORY_COLUMNS = [
  'site_id',
  'region_code',
  'name',
  'latitude',
  'longitude',
  'planned_households',
] as const;

export function siteDirectoryRows(world: World): Cell[][] {
  return world.sites.map((s) => [s.id, s.regionCode, s.name, s.latitude, s.longitude, s.plannedHouseholds]);
}
