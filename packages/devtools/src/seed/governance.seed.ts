import { maskNationalId, maskPhone } from '@anju/kit';
import { service as governance } from '@anju/governance';
import { nationalId } from './people';
import { rng } from './prng';
import { eachSite, type ServiceSeeder } from './seeder';
import { governanceStory } from './story.seed';

/**
 * Governance: regions, sites, grids, buildings, households, residents. ID numbers and phones are
 * sealed with the platform's PersonalDataVault and hashed with its lookup key, exactly as
 * ResidentService.register does, so the running system can find and reveal them.
 */
const POINTS_RULES: readonly (readonly [string, string | null, number, number | null, number | null])[] = [
  ['参加社区活动', 'activity.attended', 5, 10, 60],
  ['志愿服务（经核实的服务时长）', 'service.verified', 10, 20, 200],
  ['完成职业技能培训', 'training.completed', 20, null, 40],
  ['反映并协助解决楼栋微难题', 'micro_issue.resolved', 5, 10, 30],
  ['门前三包、环境卫生评比优秀', null, 5, null, 20],
  ['调解邻里纠纷', null, 10, null, 30],
];
const REWARDS: readonly (readonly [string, string, 'goods' | 'service' | 'privilege', number, number])[] = [
  ['洗衣液一瓶', '积分超市兑换', 'goods', 30, 200],
  ['食用油5升', '积分超市兑换', 'goods', 80, 100],
  ['免费理发一次', '社区志愿理发服务', 'service', 20, 300],
  ['优先参加技能培训', '下一期培训优先报名', 'privilege', 50, 50],
];

export const governanceSeeder: ServiceSeeder = {
  service: 'governance',
  data: governance.data as ServiceSeeder['data'],
  async write({ world, vault, log }, db) {
    const counts: Record<string, number> = {};
    counts.region = await db.copy(
      'region',
      ['code', 'name', 'level', 'parent_code'],
      world.regions.map((r) => [r.code, r.name, r.level, r.parentCode]),
    );
    counts.site = await db.copy(
      'site',
      ['id', 'name', 'region_code', 'address', 'latitude', 'longitude', 'planned_households'],
      world.sites.map((s) => [s.id, s.name, s.regionCode, s.address, s.latitude, s.longitude, s.plannedHouseholds]),
    );
    log(`governance: ${counts.region} regions, ${counts.site} sites`);

    const hasGrids = Boolean(await db.columns('grid')) && Boolean(await db.columns('building'));
    const householdColumns = (await db.columns('household'))!;
    const withBuilding = hasGrids && householdColumns.has('building_id');
    if (hasGrids) {
      counts.grid = await db.copy(
        'grid',
        ['id', 'site_id', 'name', 'grid_worker_subject', 'grid_worker_name'],
        (function* () {
          for (const { site, people } of eachSite(world))
            for (const g of people.grids) yield [g.id, site.id, g.name, g.workerSubject, g.workerName];
        })(),
      );
      const withLeader = (await db.columns('building'))!.has('leader_resident_id');
      counts.building = await db.copy(
        'building',
        ['id', 'site_id', 'grid_id', 'name', 'floors', ...(withLeader ? ['leader_resident_id'] : [])],
        (function* () {
          for (const { site, people } of eachSite(world)) {
            for (const b of people.buildings) {
              // The building leader (楼栋长): the first adult of working age in the building, if any.
              const leader = people.households
                .filter((h) => h.buildingId === b.id)
                .flatMap((h) => h.members)
                .find((p) => p.age >= 25 && p.age <= 65);
              yield [b.id, site.id, b.gridId, b.name, b.floors, ...(withLeader ? [leader?.id ?? null] : [])];
            }
          }
        })(),
      );
      log(`governance: ${counts.grid} grids, ${counts.building} buildings`);
    }
    counts.household = await db.copy(
      'household',
      ['id', 'site_id', 'household_number', 'address', ...(withBuilding ? ['building_id'] : [])],
      (function* () {
        for (const { site, people } of eachSite(world)) {
          for (const h of people.households)
            yield [h.id, site.id, h.number, h.address, ...(withBuilding ? [h.buildingId] : [])];
        }
      })(),
    );
    log(`governance: ${counts.household} households`);

    const taken = new Set<string>();
    counts.resident = await db.copy(
      'resident',
      [
        'id',
        'household_id',
        'site_id',
        'region_code',
        'name',
        'national_id_sealed',
        'national_id_hash',
        'national_id_masked',
        'phone_sealed',
        'phone_masked',
        'gender',
        'birth_date',
        'ethnicity',
        'labour_capacity',
        'can_work_away',
        'wants_work',
        'relation_to_head',
        'moved_in_on',
      ],
      (function* () {
        for (const { site, people } of eachSite(world)) {
          const r = rng(world.seed, 'national-id', site.index);
          for (const h of people.households) {
            for (const p of h.members) {
              const id = nationalId(site.regionCode, p.birthDate, p.gender, r, taken);
              yield [
                p.id,
                h.id,
                site.id,
                site.regionCode,
                p.name,
                vault.seal(id),
                vault.lookupHash(id),
                maskNationalId(id),
                p.phone ? vault.seal(p.phone) : null,
                p.phone ? maskPhone(p.phone) : null,
                p.gender,
                p.birthDate,
                p.ethnicity,
                p.labourCapacity,
                p.canWorkAway,
                p.wantsWork,
                p.relation,
                p.movedInOn,
              ];
            }
          }
        }
      })(),
    );
    log(`governance: ${counts.resident} residents`);

    // The co-governance list (共治清单) of each county and a few rewards per site, so that points
    // start flowing as soon as residents attend, serve or train.
    if (await db.columns('points_rule')) {
      counts.points_rule = await db.copy(
        'points_rule',
        ['region_code', 'action', 'event', 'points', 'daily_cap', 'monthly_cap', 'expires_after_days', 'created_by'],
        world.regions
          .filter((x) => x.level === 'county')
          .flatMap((county) =>
            POINTS_RULES.map(([action, event, points, daily, monthly]) => [
              county.code,
              action,
              event,
              points,
              daily,
              monthly,
              365,
              'seed',
            ]),
          ),
      );
    }
    if (await db.columns('points_reward')) {
      counts.points_reward = await db.copy(
        'points_reward',
        ['site_id', 'region_code', 'name', 'description', 'kind', 'price', 'stock', 'created_by'],
        world.sites.flatMap((site) =>
          REWARDS.map(([name, description, kind, price, stock]) => [
            site.id,
            site.regionCode,
            name,
            description,
            kind,
            price,
            stock,
            'seed',
          ]),
        ),
      );
    }
    // The demo's story (issue 20) on the demo and county scales; the province's benchmark stays people and jobs.
    if (world.scale !== 'province') Object.assign(counts, await governanceStory(db));
    return counts;
  },
};
