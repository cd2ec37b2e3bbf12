import { service as socialOrgs } from '@anju/social-orgs';
import { rng, type Rng } from './prng';
import { maskPhone } from '@anju/kit';
import { ETHNICITIES, personName } from './people';
import { eachSite, type ServiceSeeder } from './seeder';
import { siteDirectoryRows, SITE_DIRECTORY_COLUMNS } from './site-directory';
import { sitePeople, type World } from './world';
import { socialOrgsStory } from './story.seed';

const THEMES = [
  '彩云',
  '同心',
  '乌蒙',
  '阳光',
  '红土地',
  '春雨',
  '暖心',
  '山花',
  '启明',
  '连心',
  '金沙江',
  '邻里',
  '绿野',
  '益行',
  '滇源',
];
const KINDS = [
  ['professional', ['社会工作服务中心', '社工服务站', '心理咨询服务中心'], 45],
  ['public_welfare', ['公益发展中心', '志愿服务协会', '助学促进会'], 35],
  ['mutual_aid', ['邻里互助协会', '老年协会', '妇女互助会'], 20],
] as const;
const STAGES = [
  ['applied', 10],
  ['incubating', 25],
  ['registered', 50],
  ['graduated', 15],
] as const;

/** 统一社会信用代码 (GB 32100): civil-affairs registration, region, organization code (GB 11714 check), check character. */
export function creditCode(r: Rng, regionCode: string): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const org8 = Array.from({ length: 8 }, () => r.int(0, 9)).join('');
  const w1 = [3, 7, 9, 10, 5, 8, 4, 2];
  const c9 = 11 - (org8.split('').reduce((s, d, i) => s + Number(d) * w1[i], 0) % 11);
  const body = `5${r.pick(['1', '2', '2', '2'])}${regionCode}${org8}${c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9)}`;
  const w2 = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = body.split('').reduce((s, ch, i) => s + chars.indexOf(ch) * w2[i], 0);
  return body + chars[(31 - (sum % 31)) % 31];
}

/** About one partner organization for every eight sites, each serving one to three counties of its prefecture. */
export function organizations(world: World) {
  const r = rng(world.seed, 'organizations');
  const counties = world.regions.filter((x) => x.level === 'county');
  const n = Math.max(3, Math.round(world.sites.length / 8));
  const names = new Set<string>();
  const codes = new Set<string>();
  return Array.from({ length: n }, (_, i) => {
    const home = counties[i % counties.length];
    const neighbours = counties.filter((x) => x.parentCode === home.parentCode && x.code !== home.code);
    const served = [home.code, ...(neighbours.length && r.chance(0.4) ? [r.pick(neighbours).code] : [])];
    const [kind, suffixes] = r.weighted(KINDS.map(([k, s, w]) => [[k, s] as const, w] as const));
    const county = home.name.replace(
      /(彝族|苗族|回族|哈尼族|傣族|白族|拉祜族|佤族|布朗族|纳西族|傈僳族|独龙族|怒族|普米族|藏族|瑶族)+自治县$/,
      '县',
    );
    let name = `${county}${r.pick(THEMES)}${r.pick(suffixes)}`;
    for (let k = 2; names.has(name); k++) name = `${name.replace(/（\d+）$/, '')}（${k}）`;
    names.add(name);
    let code = creditCode(r, home.code);
    while (codes.has(code)) code = creditCode(r, home.code);
    codes.add(code);
    return { id: r.uuid(), name, kind, stage: r.weighted(STAGES), served, creditCode: code };
  });
}

const ACTIVITIES = [
  ['CULTURAL', ['民族团结文艺汇演', '火把节联欢晚会', '广场舞展演', '民族刺绣展']],
  ['EDUCATION', ['四点半课堂', '普通话学习班', '防诈骗宣传讲座', '家庭教育讲座']],
  ['HEALTH', ['义诊进社区', '老年人健康讲座', '妇女健康筛查']],
  ['VOLUNTEERING', ['环境清洁日', '邻里互助日', '关爱独居老人走访']],
  ['COMPETITION', ['社区篮球赛', '厨艺比赛', '拔河比赛']],
] as const;

/**
 * Social-orgs: the partner NGOs, their social workers, and their
 * activities in the sites with residents' registrations and attendance.
 */
export const socialOrgsSeeder: ServiceSeeder = {
  service: 'social-orgs',
  data: socialOrgs.data as ServiceSeeder['data'],
  async write({ world, log }, db) {
    const counts: Record<string, number> = {};
    const orgs = organizations(world);
    // Its site directory, what site.registered would have filled (scoping cases and activities by site).
    if (await db.columns('site_directory'))
      counts.site_directory = await db.copy('site_directory', SITE_DIRECTORY_COLUMNS, siteDirectoryRows(world));
    // And resident → site, what resident.registered would have filled (registrations are for a site's residents only).
    if (await db.columns('resident_directory')) {
      counts.resident_directory = await db.copy(
        'resident_directory',
        ['resident_id', 'household_id', 'site_id', 'region_code'],
        (function* () {
          for (const { site, people } of eachSite(world))
            for (const h of people.households) for (const p of h.members) yield [p.id, h.id, site.id, site.regionCode];
        })(),
      );
    }
    counts.organization = await db.copy(
      'organization',
      ['id', 'name', 'kind', 'stage', 'service_region_codes', 'credit_code'],
      orgs.map((o) => [o.id, o.name, o.kind, o.stage, o.served, o.creditCode]),
    );
    const orgsOf = new Map<string, typeof orgs>();
    for (const o of orgs) for (const code of o.served) orgsOf.set(code, [...(orgsOf.get(code) ?? []), o]);
    const sitesOf = new Map<string, string[]>();
    for (const s of world.sites) sitesOf.set(s.regionCode, [...(sitesOf.get(s.regionCode) ?? []), s.id]);

    if (await db.columns('social_worker')) {
      const r = rng(world.seed, 'social-workers');
      counts.social_worker = await db.copy(
        'social_worker',
        ['id', 'organization_id', 'name', 'qualification', 'certificate_number', 'site_ids', 'status', 'joined_on'],
        orgs.flatMap((o) =>
          Array.from({ length: r.int(2, 6) }, () => {
            const qualification = r.weighted([
              ['NONE', 20],
              ['ASSISTANT_SOCIAL_WORKER', 45],
              ['SOCIAL_WORKER', 30],
              ['SENIOR_SOCIAL_WORKER', 5],
            ] as const);
            const sites = o.served.flatMap((c) => sitesOf.get(c) ?? []);
            return [
              r.uuid(),
              o.id,
              personName(r, r.weighted(ETHNICITIES), r.chance(0.7) ? 'female' : 'male'),
              qualification,
              qualification === 'NONE'
                ? null
                : `SW${r.int(2015, 2025)}${String(r.int(0, 99_999_999)).padStart(8, '0')}`,
              [...new Set([r.pick(sites), r.pick(sites)])],
              'ACTIVE',
              `${r.int(2018, 2025)}-${String(r.int(1, 12)).padStart(2, '0')}-01`,
            ];
          }),
        ),
      );
      log(`social-orgs: ${counts.social_worker} social workers`);
    }
    if (await db.columns('activity')) {
      const activities: { id: string; orgId: string; siteIndex: number; startsAt: Date; capacity: number }[] = [];
      counts.activity = await db.copy(
        'activity',
        ['id', 'organization_id', 'site_id', 'title', 'kind', 'starts_at', 'ends_at', 'capacity'],
        (function* () {
          for (const site of world.sites) {
            const r = rng(world.seed, 'activities', site.index);
            const serving = orgsOf.get(site.regionCode) ?? [];
            if (!serving.length) continue;
            for (let i = 0, n = 2 + Math.min(6, Math.floor(site.residents / 400)); i < n; i++) {
              const [kind, titles] = r.pick(ACTIVITIES);
              const startsAt = new Date(Date.UTC(2025, 0, 1) + r.int(0, 320) * 86_400_000 + r.int(1, 10) * 3_600_000);
              const a = {
                id: r.uuid(),
                orgId: r.pick(serving).id,
                siteIndex: site.index,
                startsAt,
                capacity: r.int(3, 10) * 10,
              };
              activities.push(a);
              yield [
                a.id,
                a.orgId,
                site.id,
                r.pick(titles),
                kind,
                startsAt.toISOString(),
                new Date(startsAt.getTime() + r.int(2, 4) * 3_600_000).toISOString(),
                a.capacity,
              ];
            }
          }
        })(),
      );
      if (await db.columns('activity_registration')) {
        counts.activity_registration = await db.copy(
          'activity_registration',
          [
            'id',
            'activity_id',
            'organization_id',
            'resident_id',
            'participant_name',
            'contact_masked',
            'status',
            'registered_by',
            'registered_at',
            'cancelled_at',
            'attended_at',
          ],
          (function* () {
            for (const a of activities) {
              const r = rng(world.seed, 'registrations', a.id);
              const residents = sitePeople(world, world.sites[a.siteIndex]).households.flatMap((h) => h.members);
              const chosen = new Set<number>();
              const n = Math.min(residents.length, Math.round(a.capacity * (0.4 + r.next() * 0.5)));
              while (chosen.size < n) chosen.add(r.int(0, residents.length - 1));
              for (const i of chosen) {
                const p = residents[i];
                const status = r.weighted([
                  ['ATTENDED', 82],
                  ['REGISTERED', 8],
                  ['CANCELLED', 10],
                ] as const);
                const registeredAt = new Date(a.startsAt.getTime() - r.int(1, 10) * 86_400_000);
                yield [
                  r.uuid(),
                  a.id,
                  a.orgId,
                  p.id,
                  p.name,
                  p.phone ? maskPhone(p.phone) : null,
                  status,
                  'seed',
                  registeredAt.toISOString(),
                  status === 'CANCELLED' ? new Date(registeredAt.getTime() + 86_400_000).toISOString() : null,
                  status === 'ATTENDED' ? a.startsAt.toISOString() : null,
                ];
              }
            }
          })(),
        );
      }
      log(`social-orgs: ${counts.activity} activities, ${counts.activity_registration ?? 0} registrations`);
    }
    log(`social-orgs: ${counts.organization} organizations`);
    // The demo's story (issue 20) on the demo and county scales; the province's benchmark stays people and jobs.
    if (world.scale !== 'province') Object.assign(counts, await socialOrgsStory(db));
    return counts;
  },
};
