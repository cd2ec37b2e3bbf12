import { matchingData } from '../../../../services/matching/src/data-source';
import { LANGUAGE_OF } from './people';
import { rng } from './prng';
import { eachSite, type ServiceSeeder } from './seeder';
import { siteDirectoryRows, SITE_DIRECTORY_COLUMNS } from './site-directory';

/** Demands (需求清单) by category: what residents ask for, and the skills a helper needs. */
const CATEGORIES: readonly (readonly [{ category: string; texts: string[]; skills: string[] }, number])[] = [
  [{ category: 'job_help', texts: ['想在附近扶贫车间找一份工作', '希望推荐外出务工岗位', '想学一门手艺后就业'], skills: ['职业指导'] }, 26],
  [{ category: 'training', texts: ['想参加电工培训', '想学家政服务', '想学电商直播带货', '想参加挖掘机驾驶培训'], skills: ['职业培训'] }, 14],
  [{ category: 'elderly_care', texts: ['独居老人需要定期探访', '老人行动不便，需要代购药品', '老人需要助餐服务'], skills: ['养老护理'] }, 16],
  [{ category: 'child_care', texts: ['父母外出务工，孩子放学后无人看管', '孩子需要课业辅导（四点半课堂）'], skills: ['课业辅导'] }, 14],
  [{ category: 'health', texts: ['慢性病需要定期随访', '需要陪同就医', '残疾人康复训练'], skills: ['医疗护理'] }, 10],
  [{ category: 'legal_aid', texts: ['土地流转合同纠纷需要法律咨询', '讨要拖欠工资需要法律援助'], skills: ['法律咨询'] }, 5],
  [{ category: 'integration', texts: ['刚搬来，不熟悉社区办事流程', '想加入社区文艺队', '需要普通话学习帮助'], skills: ['社区融入'] }, 9],
  [{ category: 'daily_life', texts: ['家里水管漏水需要维修', '需要帮助办理医保', '燃气使用需要指导'], skills: ['维修'] }, 5],
  [{ category: 'other', texts: ['其他生活困难，需要上门了解'], skills: [] }, 1],
];
const STATUSES = [['open', 42], ['claimed', 14], ['in_progress', 10], ['fulfilled', 28], ['closed', 4], ['cancelled', 2]] as const;
const URGENCIES = [['low', 20], ['normal', 55], ['high', 20], ['critical', 5]] as const;

/** Matching: its local site directory and the demand list, about one demand for every eight households. */
export const matchingSeeder: ServiceSeeder = {
  service: 'matching',
  data: matchingData as ServiceSeeder['data'],
  async write({ world, log }, db) {
    const counts: Record<string, number> = {};
    counts.site_directory = await db.copy('site_directory', SITE_DIRECTORY_COLUMNS, siteDirectoryRows(world));
    counts.demand = await db.copy('demand', [
      'id', 'site_id', 'region_code', 'category', 'description', 'urgency', 'status', 'languages', 'required_skills',
      'window_start', 'window_end', 'household_id', 'recorded_by', 'recorded_at',
    ], (function* () {
      for (const { site, people } of eachSite(world)) {
        const r = rng(world.seed, 'demand', site.index);
        for (const h of people.households) {
          if (!r.chance(0.125)) continue;
          const kind = r.weighted(CATEGORIES);
          const language = LANGUAGE_OF[h.members[0].ethnicity];
          const day = r.int(0, 330);
          const recorded = new Date(Date.UTC(2025, 0, 1) + day * 86_400_000 + r.int(8 * 3600, 18 * 3600) * 1000);
          const windowStart = new Date(recorded.getTime() + r.int(1, 14) * 86_400_000).toISOString().slice(0, 10);
          const windowEnd = new Date(Date.parse(windowStart) + r.int(7, 60) * 86_400_000).toISOString().slice(0, 10);
          yield [
            r.uuid(), site.id, site.regionCode, kind.category, r.pick(kind.texts), r.weighted(URGENCIES), r.weighted(STATUSES),
            language && r.chance(0.6) ? [language] : [], kind.skills, windowStart, windowEnd, h.id,
            `site-officer-${site.index + 1}`, recorded.toISOString(),
          ];
        }
      }
    })());
    log(`matching: ${counts.demand} demands`);
    return counts;
  },
};
