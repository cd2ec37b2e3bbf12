import { maskNationalId, maskPhone } from '@anju/kit';
import { governanceData } from '../../../../services/governance/src/data-source';
import { nationalId } from './people';
import { rng } from './prng';
import { eachSite, type ServiceSeeder } from './seeder';

/**
 * Governance: regions, sites, grids, buildings, households, residents. ID numbers and phones are
 * sealed with the platform's PersonalDataVault and hashed with its lookup key, exactly as
 * ResidentService.register does, so the running system can find and reveal them.
 */
export const governanceSeeder: ServiceSeeder = {
  service: 'governance',
  data: governanceData as ServiceSeeder['data'],
  async write({ world, vault, log }, db) {
    const counts: Record<string, number> = {};
    counts.region = await db.copy('region', ['code', 'name', 'level', 'parent_code'], world.regions.map((r) => [r.code, r.name, r.level, r.parentCode]));
    counts.site = await db.copy('site', ['id', 'name', 'region_code', 'address', 'latitude', 'longitude', 'planned_households'],
      world.sites.map((s) => [s.id, s.name, s.regionCode, s.address, s.latitude, s.longitude, s.plannedHouseholds]));
    log(`governance: ${counts.region} regions, ${counts.site} sites`);

    const hasGrids = Boolean(await db.columns('grid')) && Boolean(await db.columns('building'));
    const householdColumns = (await db.columns('household'))!;
    const withBuilding = hasGrids && householdColumns.has('building_id');
    if (hasGrids) {
      counts.grid = await db.copy('grid', ['id', 'site_id', 'name', 'grid_worker_subject', 'grid_worker_name'], (function* () {
        for (const { site, people } of eachSite(world)) for (const g of people.grids) yield [g.id, site.id, g.name, g.workerSubject, g.workerName];
      })());
      counts.building = await db.copy('building', ['id', 'site_id', 'grid_id', 'name', 'floors'], (function* () {
        for (const { site, people } of eachSite(world)) for (const b of people.buildings) yield [b.id, site.id, b.gridId, b.name, b.floors];
      })());
      log(`governance: ${counts.grid} grids, ${counts.building} buildings`);
    }
    counts.household = await db.copy('household', ['id', 'site_id', 'household_number', 'address', ...(withBuilding ? ['building_id'] : [])], (function* () {
      for (const { site, people } of eachSite(world)) {
        for (const h of people.households) yield [h.id, site.id, h.number, h.address, ...(withBuilding ? [h.buildingId] : [])];
      }
    })());
    log(`governance: ${counts.household} households`);

    const taken = new Set<string>();
    counts.resident = await db.copy('resident', [
      'id', 'household_id', 'site_id', 'region_code', 'name', 'national_id_sealed', 'national_id_hash', 'national_id_masked',
      'phone_sealed', 'phone_masked', 'gender', 'birth_date', 'ethnicity', 'labour_capacity', 'can_work_away', 'wants_work',
      'relation_to_head', 'moved_in_on',
    ], (function* () {
      for (const { site, people } of eachSite(world)) {
        const r = rng(world.seed, 'national-id', site.index);
        for (const h of people.households) {
          for (const p of h.members) {
            const id = nationalId(site.regionCode, p.birthDate, p.gender, r, taken);
            yield [
              p.id, h.id, site.id, site.regionCode, p.name, vault.seal(id), vault.lookupHash(id), maskNationalId(id),
              p.phone ? vault.seal(p.phone) : null, p.phone ? maskPhone(p.phone) : null, p.gender, p.birthDate, p.ethnicity,
              p.labourCapacity, p.canWorkAway, p.wantsWork, p.relation, p.movedInOn,
            ];
          }
        }
      }
    })());
    log(`governance: ${counts.resident} residents`);
    return counts;
  },
};
