import { employmentData } from '../../../../services/employment/src/data-source';
import { eachSite, type ServiceSeeder } from './seeder';
import { siteDirectoryRows, SITE_DIRECTORY_COLUMNS } from './site-directory';

/**
 * Employment: its local site directory (what site.registered would have filled) and a labour
 * profile per resident (what resident.registered would have created), then the tables of
 * trainings, jobs, posts and land as they land in employment's migrations.
 */
export const employmentSeeder: ServiceSeeder = {
  service: 'employment',
  data: employmentData as ServiceSeeder['data'],
  async write({ world, log }, db) {
    const counts: Record<string, number> = {};
    counts.site_directory = await db.copy('site_directory', SITE_DIRECTORY_COLUMNS, siteDirectoryRows(world));
    counts.labour_profile = await db.copy('labour_profile', [
      'resident_id', 'household_id', 'site_id', 'region_code', 'labour_capacity', 'can_work_away', 'wants_work', 'birth_year', 'source_event_id',
    ], (function* () {
      for (const { site, people } of eachSite(world)) {
        for (const h of people.households) {
          for (const p of h.members) {
            // No event carried these rows: the source is the seed run, one id per resident.
            yield [p.id, h.id, site.id, site.regionCode, p.labourCapacity, p.canWorkAway, p.wantsWork, Number(p.birthDate.slice(0, 4)), p.id];
          }
        }
      }
    })());
    log(`employment: ${counts.labour_profile} labour profiles`);
    return counts;
  },
};
