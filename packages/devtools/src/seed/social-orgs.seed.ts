import { socialOrgsData } from '../../../../services/social-orgs/src/data-source';
import { rng, type Rng } from './prng';
import type { ServiceSeeder } from './seeder';
import type { World } from './world';

const THEMES = ['彩云', '同心', '乌蒙', '阳光', '红土地', '春雨', '暖心', '山花', '启明', '连心', '金沙江', '邻里', '绿野', '益行', '滇源'];
const KINDS = [
  ['professional', ['社会工作服务中心', '社工服务站', '心理咨询服务中心'], 45],
  ['public_welfare', ['公益发展中心', '志愿服务协会', '助学促进会'], 35],
  ['mutual_aid', ['邻里互助协会', '老年协会', '妇女互助会'], 20],
] as const;
const STAGES = [['applied', 10], ['incubating', 25], ['registered', 50], ['graduated', 15]] as const;

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
    let name = `${home.name.replace(/(彝族|苗族|回族|哈尼族|傣族|白族|拉祜族|佤族|布朗族|纳西族|傈僳族|独龙族|怒族|普米族|藏族|瑶族)+自治县$/, '县')}${r.pick(THEMES)}${r.pick(suffixes)}`;
    for (let k = 2; names.has(name); k++) name = `${name.replace(/（\d+）$/, '')}（${k}）`;
    names.add(name);
    let code = creditCode(r, home.code);
    while (codes.has(code)) code = creditCode(r, home.code);
    codes.add(code);
    return { id: r.uuid(), name, kind, stage: r.weighted(STAGES), served, creditCode: code };
  });
}

/** Social-orgs: the partner NGOs, then their activities and social workers as those tables land. */
export const socialOrgsSeeder: ServiceSeeder = {
  service: 'social-orgs',
  data: socialOrgsData as ServiceSeeder['data'],
  async write({ world, log }, db) {
    const counts: Record<string, number> = {};
    const orgs = organizations(world);
    counts.organization = await db.copy('organization', ['id', 'name', 'kind', 'stage', 'service_region_codes', 'credit_code'],
      orgs.map((o) => [o.id, o.name, o.kind, o.stage, o.served, o.creditCode]));
    log(`social-orgs: ${counts.organization} organizations`);
    return counts;
  },
};
