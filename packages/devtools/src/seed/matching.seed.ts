import { service as matching } from '@anju/matching';
import type { Cell } from './copy';
import { LANGUAGE_OF, personName } from './people';
import { rng } from './prng';
import { eachSite, type ServiceSeeder } from './seeder';
import { siteDirectoryRows, SITE_DIRECTORY_COLUMNS } from './site-directory';
import type { World } from './world';
import { matchingStory } from './story.seed';

/** Demands (需求清单) by category: what residents ask for, and the skills a helper needs. */
const CATEGORIES: readonly (readonly [{ category: string; texts: string[]; skills: string[] }, number])[] = [
  [
    {
      category: 'job_help',
      texts: ['想在附近扶贫车间找一份工作', '希望推荐外出务工岗位', '想学一门手艺后就业'],
      skills: ['职业指导'],
    },
    26,
  ],
  [
    {
      category: 'training',
      texts: ['想参加电工培训', '想学家政服务', '想学电商直播带货', '想参加挖掘机驾驶培训'],
      skills: ['职业培训'],
    },
    14,
  ],
  [
    {
      category: 'elderly_care',
      texts: ['独居老人需要定期探访', '老人行动不便，需要代购药品', '老人需要助餐服务'],
      skills: ['养老护理'],
    },
    16,
  ],
  [
    {
      category: 'child_care',
      texts: ['父母外出务工，孩子放学后无人看管', '孩子需要课业辅导（四点半课堂）'],
      skills: ['课业辅导'],
    },
    14,
  ],
  [{ category: 'health', texts: ['慢性病需要定期随访', '需要陪同就医', '残疾人康复训练'], skills: ['医疗护理'] }, 10],
  [
    {
      category: 'legal_aid',
      texts: ['土地流转合同纠纷需要法律咨询', '讨要拖欠工资需要法律援助'],
      skills: ['法律咨询'],
    },
    5,
  ],
  [
    {
      category: 'integration',
      texts: ['刚搬来，不熟悉社区办事流程', '想加入社区文艺队', '需要普通话学习帮助'],
      skills: ['社区融入'],
    },
    9,
  ],
  [
    {
      category: 'daily_life',
      texts: ['家里水管漏水需要维修', '需要帮助办理医保', '燃气使用需要指导'],
      skills: ['维修'],
    },
    5,
  ],
  [{ category: 'other', texts: ['其他生活困难，需要上门了解'], skills: [] }, 1],
];
const VOLUNTEER_SKILLS = [
  '职业指导',
  '职业培训',
  '养老护理',
  '课业辅导',
  '医疗护理',
  '法律咨询',
  '社区融入',
  '维修',
  '文艺',
  '心理疏导',
];
const STATUSES = [
  ['open', 42],
  ['claimed', 14],
  ['in_progress', 10],
  ['fulfilled', 28],
  ['closed', 4],
  ['cancelled', 2],
] as const;
const URGENCIES = [
  ['low', 20],
  ['normal', 55],
  ['high', 20],
  ['critical', 5],
] as const;
const UNIT_KINDS = [
  ['party_org', '党支部'],
  ['department', '局'],
  ['enterprise', '有限公司'],
  ['social_org', '协会'],
] as const;
const UNIT_NAMES: Record<string, string[]> = {
  party_org: ['县人社局机关', '县卫健局机关', '县教育体育局机关', '县供电局'],
  department: ['县人力资源和社会保障', '县卫生健康', '县民政', '县司法'],
  enterprise: ['云岭建设', '乌蒙物流', '滇东电力', '金江商贸'],
  social_org: ['县青年志愿者', '县老年体育', '县个体劳动者', '县慈善'],
};

/** Regional units (区域单位) of each county that claim demands: party organizations, departments, enterprises. */
function units(world: World) {
  const r = rng(world.seed, 'units');
  return world.regions
    .filter((x) => x.level === 'county')
    .flatMap((county) =>
      UNIT_KINDS.map(([kind, suffix]) => ({
        id: r.uuid(),
        name: `${county.name}${r.pick(UNIT_NAMES[kind])}${suffix}`,
        kind,
        regions: [county.code],
      })),
    );
}

/**
 * Matching: its local site directory and resident directory (what site.registered and
 * resident.registered would have filled), the regional units, the demand list (about one demand
 * for every eight households; claimed ones by a unit of their county) and volunteers — about one
 * adult resident in thirty, speaking their own language besides Mandarin, and a few from outside.
 */
export const matchingSeeder: ServiceSeeder = {
  service: 'matching',
  data: matching.data as ServiceSeeder['data'],
  async write({ world, log }, db) {
    const counts: Record<string, number> = {};
    counts.site_directory = await db.copy('site_directory', SITE_DIRECTORY_COLUMNS, siteDirectoryRows(world));
    const demandColumns = (await db.columns('demand'))!;
    const allUnits = (await db.columns('unit')) ? units(world) : [];
    if (allUnits.length)
      counts.unit = await db.copy(
        'unit',
        ['id', 'name', 'kind', 'regions', 'registered_by'],
        allUnits.map((u) => [u.id, u.name, u.kind, u.regions, 'seed']),
      );
    const unitsOf = new Map<string, string[]>();
    for (const u of allUnits) unitsOf.set(u.regions[0], [...(unitsOf.get(u.regions[0]) ?? []), u.id]);
    const claims =
      demandColumns.has('unit_id') &&
      demandColumns.has('claimed_at') &&
      demandColumns.has('promised_on') &&
      allUnits.length > 0;

    await Promise.all([
      (async () => {
        counts.demand = await db.copy(
          'demand',
          [
            'id',
            'site_id',
            'region_code',
            'category',
            'description',
            'urgency',
            'status',
            'languages',
            'required_skills',
            'window_start',
            'window_end',
            'household_id',
            'recorded_by',
            'recorded_at',
            ...(claims ? ['unit_id', 'claimed_at', 'promised_on'] : []),
          ],
          (function* () {
            for (const { site, people } of eachSite(world)) {
              const r = rng(world.seed, 'demand', site.index);
              for (const h of people.households) {
                if (!r.chance(0.125)) continue;
                const kind = r.weighted(CATEGORIES);
                const language = LANGUAGE_OF[h.members[0].ethnicity];
                const recorded = new Date(
                  Date.UTC(2025, 0, 1) + r.int(0, 330) * 86_400_000 + r.int(8 * 3600, 18 * 3600) * 1000,
                );
                const windowStart = new Date(recorded.getTime() + r.int(1, 14) * 86_400_000).toISOString().slice(0, 10);
                const windowEnd = new Date(Date.parse(windowStart) + r.int(7, 60) * 86_400_000)
                  .toISOString()
                  .slice(0, 10);
                const status = r.weighted(STATUSES);
                const row: Cell[] = [
                  r.uuid(),
                  site.id,
                  site.regionCode,
                  kind.category,
                  r.pick(kind.texts),
                  r.weighted(URGENCIES),
                  status,
                  language && r.chance(0.6) ? [language] : [],
                  kind.skills,
                  windowStart,
                  windowEnd,
                  h.id,
                  `site-officer-${site.index + 1}`,
                  recorded.toISOString(),
                ];
                if (claims) {
                  const claimed = ['claimed', 'in_progress', 'fulfilled'].includes(status);
                  const at = new Date(recorded.getTime() + r.int(1, 5) * 86_400_000);
                  row.push(
                    claimed ? r.pick(unitsOf.get(site.regionCode)!) : null,
                    claimed ? at.toISOString() : null,
                    claimed ? windowEnd : null,
                  );
                }
                yield row;
              }
            }
          })(),
        );
        log(`matching: ${counts.demand} demands`);
      })(),
      (async () => {
        if (!(await db.columns('resident_directory'))) return;
        counts.resident_directory = await db.copy(
          'resident_directory',
          ['resident_id', 'household_id', 'site_id', 'region_code'],
          (function* () {
            for (const { site, people } of eachSite(world))
              for (const h of people.households)
                for (const p of h.members) yield [p.id, h.id, site.id, site.regionCode];
          })(),
        );
      })(),
      (async () => {
        if (!(await db.columns('volunteer'))) return;
        counts.volunteer = await db.copy(
          'volunteer',
          ['id', 'display_name', 'resident_id', 'home_site_id', 'region_code', 'skills', 'languages', 'weekly_hours'],
          (function* () {
            for (const { site, people } of eachSite(world)) {
              const r = rng(world.seed, 'volunteer', site.index);
              for (const h of people.households) {
                for (const p of h.members) {
                  if (p.age < 18 || p.age > 70 || !r.chance(0.03)) continue;
                  const skills = [...new Set([r.pick(VOLUNTEER_SKILLS), r.pick(VOLUNTEER_SKILLS)])];
                  const own = LANGUAGE_OF[p.ethnicity];
                  yield [
                    r.uuid(),
                    p.name,
                    p.id,
                    site.id,
                    site.regionCode,
                    skills,
                    own ? ['普通话', own] : ['普通话'],
                    r.int(2, 12),
                  ];
                }
              }
              // Volunteers from outside the site: officers, teachers, doctors of the county.
              for (let i = 0, n = Math.ceil(people.households.length / 100); i < n; i++) {
                yield [
                  r.uuid(),
                  personName(r, '汉族', r.chance(0.5) ? 'male' : 'female'),
                  null,
                  site.id,
                  site.regionCode,
                  [r.pick(VOLUNTEER_SKILLS)],
                  ['普通话'],
                  r.int(2, 8),
                ];
              }
            }
          })(),
        );
        log(`matching: ${counts.volunteer} volunteers`);
      })(),
    ]);
    // The demo's story (issue 20) on the demo and county scales; the province's benchmark stays people and jobs.
    if (world.scale !== 'province') Object.assign(counts, await matchingStory(db));
    return counts;
  },
};
