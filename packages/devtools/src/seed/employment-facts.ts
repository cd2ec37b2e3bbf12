import { rng } from './prng';
import type { SitePeople, SitePlan, World } from './world';

/**
 * What employment knows of one site: courses and who completed them, skills, employers and their
 * postings (public-welfare posts among them), who works where, land and industry links. The
 * proportions leave gaps in some households and not others, as the province's own monitoring
 * finds them: most able residents trained, most households wanting work with someone employed,
 * most households with nobody able to work away holding a public-welfare post — not all.
 */
const SKILLS = [
  '电工',
  '焊工',
  '家政服务',
  '中式烹调',
  '电子商务',
  '挖掘机操作',
  '缝纫',
  '养殖技术',
  '种植技术',
  '美容美发',
  '保育员',
  '汽车维修',
  '砌筑工',
  '茶叶加工',
];
const WELFARE_POSTS = ['保洁员', '护林员', '治安巡逻员', '公共服务岗', '河道管理员', '楼栋管理员', '护路员'];
const WORKSHOP_GOODS = ['服装加工', '竹编', '电子元件组装', '鞋帽加工', '刺绣', '食品包装'];
const PROJECTS = ['食用菌种植基地', '中药材种植合作社', '生猪养殖合作社', '光伏扶贫电站', '蔬菜大棚', '花椒种植基地'];
/** Each project's industry, form of organization, policy support and technical services, by its place in PROJECTS. */
const PROJECT_FACTS: readonly (readonly [
  string,
  'cooperative' | 'leading_enterprise' | 'workshop',
  string[],
  string[],
])[] = [
  ['食用菌', 'leading_enterprise', ['产业奖补资金', '贴息贷款'], ['菌种供应', '农技员驻点指导']],
  ['中药材', 'cooperative', ['产业奖补资金'], ['种苗供应', '订单收购']],
  ['生猪养殖', 'cooperative', ['贴息贷款', '政策性养殖保险'], ['防疫服务', '饲养技术培训']],
  ['光伏发电', 'leading_enterprise', ['东西部协作资金'], ['运维服务']],
  ['蔬菜种植', 'workshop', ['就业帮扶车间补贴'], ['大棚技术指导']],
  ['花椒种植', 'cooperative', ['产业奖补资金'], ['修剪嫁接培训']],
];
const DESTINATIONS = [
  '广东省东莞市',
  '广东省深圳市',
  '浙江省宁波市',
  '浙江省义乌市',
  '福建省晋江市',
  '江苏省苏州市',
  '云南省昆明市',
  '上海市',
];

export interface Course {
  id: string;
  skill: string;
  provider: string;
  place: string;
  startsOn: string;
  endsOn: string;
  capacity: number;
  enrolled: number;
}
export interface Enrollment {
  id: string;
  courseId: string;
  residentId: string;
  householdId: string;
  status: 'enrolled' | 'completed' | 'dropped';
  attendance: number | null;
  completedOn: string | null;
  droppedReason: string | null;
}
export interface Skill {
  id: string;
  residentId: string;
  householdId: string;
  name: string;
  level: string;
  certificate: string | null;
  certifiedOn: string | null;
  enrollmentId: string | null;
}
export interface Employer {
  id: string;
  name: string;
  kind: 'poverty_workshop' | 'enterprise' | 'cooperative';
  address: string;
}
export interface Posting {
  id: string;
  employerId: string | null;
  title: string;
  kind: 'regular' | 'public_welfare_post';
  funding: string | null;
  termStart: string | null;
  termEnd: string | null;
  capacity: number;
  filled: number;
  wage: number;
}
export interface Job {
  id: string;
  residentId: string;
  householdId: string;
  kind: string;
  employerId: string | null;
  postingId: string | null;
  destination: string | null;
  startedOn: string;
  endedOn: string | null;
  endReason: string | null;
  income: number;
}
export interface Land {
  id: string;
  householdId: string;
  kind: 'contracted' | 'forest' | 'homestead';
  area: number;
  state: 'idle' | 'leased' | 'pooled';
  income: number;
}
export interface Project {
  id: string;
  name: string;
  description: string;
  industry: string;
  form: string;
  policySupport: string[];
  technicalServices: string[];
}
export interface Link {
  projectId: string;
  householdId: string;
  dividend: number;
  linkedOn: string;
}

export interface SiteEmployment {
  courses: Course[];
  enrollments: Enrollment[];
  skills: Skill[];
  employers: Employer[];
  postings: Posting[];
  jobs: Job[];
  land: Land[];
  projects: Project[];
  links: Link[];
}

const day = (y0: number, y1: number, r: { int: (a: number, b: number) => number }) =>
  `${r.int(y0, y1)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
const addDays = (d: string, n: number) => new Date(Date.parse(d) + n * 86_400_000).toISOString().slice(0, 10);
const money = (x: number) => Math.round(x * 100) / 100;

export function siteEmployment(world: World, site: SitePlan, people: SitePeople): SiteEmployment {
  const r = rng(world.seed, 'employment', site.index);
  const county = site.countyName;
  const out: SiteEmployment = {
    courses: [],
    enrollments: [],
    skills: [],
    employers: [],
    postings: [],
    jobs: [],
    land: [],
    projects: [],
    links: [],
  };

  // Courses: about one for every 40 households, each completed by whoever the draw sends to it.
  const courseCount = Math.max(1, Math.ceil(people.households.length / 40));
  for (let i = 0; i < courseCount; i++) {
    const startsOn = day(2018, 2025, r);
    out.courses.push({
      id: r.uuid(),
      skill: r.pick(SKILLS),
      provider: `${county}人社局职业技能培训中心`,
      place: `${site.name}党群服务中心`,
      startsOn,
      endsOn: addDays(startsOn, r.int(7, 45)),
      capacity: 0,
      enrolled: 0,
    });
  }
  // Employers: poverty-alleviation workshops (扶贫车间) in the site, an enterprise, a cooperative.
  const workshops = Math.max(1, Math.round(people.households.length / 120));
  for (let i = 0; i < workshops; i++)
    out.employers.push({
      id: r.uuid(),
      name: `${site.name}${r.pick(WORKSHOP_GOODS)}扶贫车间${i ? `${i + 1}` : ''}`,
      kind: 'poverty_workshop',
      address: `${site.name}${i + 1}号厂房`,
    });
  if (people.households.length > 60)
    out.employers.push({
      id: r.uuid(),
      name: `${county.replace(/自治县$/, '县')}${r.pick(['兴业', '乌蒙', '金江', '云岭'])}实业有限公司`,
      kind: 'enterprise',
      address: site.address,
    });
  const regular = out.employers.map((e) => ({
    id: r.uuid(),
    employerId: e.id,
    title: e.kind === 'poverty_workshop' ? '车间操作工' : r.pick(['仓储搬运工', '生产线工人', '销售员']),
    kind: 'regular' as const,
    funding: null,
    termStart: null,
    termEnd: null,
    capacity: 0,
    filled: 0,
    wage: r.int(1800, 3200),
  }));
  const welfare = WELFARE_POSTS.slice(0, r.int(2, 4)).map((title) => {
    const termStart = `${r.int(2024, 2025)}-01-01`;
    return {
      id: r.uuid(),
      employerId: null,
      title,
      kind: 'public_welfare_post' as const,
      funding: r.pick(['乡村公益性岗位专项资金', '衔接推进乡村振兴补助资金']),
      termStart,
      termEnd: addDays(termStart, 365 * 2 - 1),
      capacity: 0,
      filled: 0,
      wage: r.int(6, 12) * 100,
    };
  });
  out.postings.push(...regular, ...welfare);
  const projectCount = r.int(1, 2);
  for (let i = 0; i < projectCount; i++) {
    const kind = (site.index + i) % PROJECTS.length;
    const name = `${site.name}${PROJECTS[kind]}`;
    const [industry, form, policySupport, technicalServices] = PROJECT_FACTS[kind];
    out.projects.push({
      id: r.uuid(),
      name,
      description: '安置点配套产业，搬迁户以资金或土地入股，按年分红（利益联结）',
      industry,
      form,
      policySupport,
      technicalServices,
    });
  }

  for (const h of people.households) {
    const able = h.members.filter((p) => p.labourCapacity !== 'none');
    for (const p of able) {
      const roll = r.next();
      if (roll < 0.98) {
        const course = r.pick(out.courses);
        const status = roll < 0.93 ? 'completed' : roll < 0.96 ? 'enrolled' : 'dropped';
        const e: Enrollment = {
          id: r.uuid(),
          courseId: course.id,
          residentId: p.id,
          householdId: h.id,
          status,
          attendance: status === 'dropped' ? r.int(10, 50) : status === 'completed' ? r.int(80, 100) : r.int(30, 90),
          completedOn: status === 'completed' ? course.endsOn : null,
          droppedReason: status === 'dropped' ? r.pick(['外出务工', '家中有事', '身体原因']) : null,
        };
        course.enrolled++;
        out.enrollments.push(e);
        if (status === 'completed' && r.chance(0.97)) {
          out.skills.push({
            id: r.uuid(),
            residentId: p.id,
            householdId: h.id,
            name: course.skill,
            level: r.weighted([
              ['beginner', 60],
              ['intermediate', 30],
              ['advanced', 10],
            ] as const),
            certificate: r.chance(0.6)
              ? `${site.regionCode}${course.endsOn.slice(0, 4)}${String(r.int(0, 999_999)).padStart(6, '0')}`
              : null,
            certifiedOn: course.endsOn,
            enrollmentId: e.id,
          });
        }
      } else if (r.chance(0.15)) {
        // A skill learnt before moving (a mason, a cook), without a course here.
        out.skills.push({
          id: r.uuid(),
          residentId: p.id,
          householdId: h.id,
          name: r.pick(SKILLS),
          level: 'beginner',
          certificate: null,
          certifiedOn: null,
          enrollmentId: null,
        });
      }
    }

    // Work: most who want it have it; migrant work (外出务工) for those who can go away.
    for (const p of able.filter((x) => x.wantsWork)) {
      if (!r.chance(0.7)) continue;
      const kind = p.canWorkAway
        ? r.weighted([
            ['migrant_work', 60],
            ['workshop', 15],
            ['self_employed', 10],
            ['flexible', 15],
          ] as const)
        : r.weighted([
            ['workshop', 45],
            ['self_employed', 15],
            ['flexible', 40],
          ] as const);
      const startedOn = day(2018, 2025, r);
      const ended = r.chance(0.08);
      const job: Job = {
        id: r.uuid(),
        residentId: p.id,
        householdId: h.id,
        kind,
        employerId: null,
        postingId: null,
        destination: null,
        startedOn,
        endedOn: ended ? addDays(startedOn, r.int(60, 400)) : null,
        endReason: ended ? r.pick(['合同到期', '返乡照顾家庭', '企业减员']) : null,
        income: 0,
      };
      if (kind === 'workshop') {
        const posting = r.pick(regular);
        job.employerId = posting.employerId;
        job.postingId = posting.id;
        job.income = posting.wage;
        if (!ended) posting.filled++;
      } else if (kind === 'migrant_work') {
        job.destination = r.pick(DESTINATIONS);
        job.income = r.int(35, 65) * 100;
      } else job.income = kind === 'self_employed' ? r.int(15, 50) * 100 : r.int(8, 25) * 100;
      out.jobs.push(job);
    }
    // A household with nobody able to work away gets a public-welfare post (公益性岗位) — mostly.
    const someoneAway = h.members.some((p) => p.canWorkAway);
    const candidate = able.find((p) => p.age >= 18);
    if (!someoneAway && candidate && r.chance(0.85)) {
      const post = r.pick(welfare);
      post.filled++;
      out.jobs.push({
        id: r.uuid(),
        residentId: candidate.id,
        householdId: h.id,
        kind: 'public_welfare_post',
        employerId: null,
        postingId: post.id,
        destination: null,
        startedOn: post.termStart!,
        endedOn: null,
        endReason: null,
        income: post.wage,
      });
    }

    // 三块地: contracted land, forest, homestead left behind in the village.
    if (r.chance(0.9)) {
      const area = money(1 + r.next() * 7);
      const state = r.weighted([
        ['leased', 40],
        ['pooled', 25],
        ['idle', 35],
      ] as const);
      out.land.push({
        id: r.uuid(),
        householdId: h.id,
        kind: 'contracted',
        area,
        state,
        income: state === 'idle' ? 0 : money(area * r.int(300, 800)),
      });
    }
    if (r.chance(0.5)) {
      const area = money(5 + r.next() * 35);
      const state = r.weighted([
        ['pooled', 30],
        ['idle', 70],
      ] as const);
      out.land.push({
        id: r.uuid(),
        householdId: h.id,
        kind: 'forest',
        area,
        state,
        income: state === 'idle' ? 0 : money(area * r.int(20, 60)),
      });
    }
    if (r.chance(0.7))
      out.land.push({
        id: r.uuid(),
        householdId: h.id,
        kind: 'homestead',
        area: money(0.2 + r.next() * 0.3),
        state: 'idle',
        income: 0,
      });
    if (r.chance(0.3))
      out.links.push({
        projectId: r.pick(out.projects).id,
        householdId: h.id,
        dividend: r.int(3, 15) * 100,
        linkedOn: day(2019, 2024, r),
      });
  }
  for (const c of out.courses) c.capacity = Math.max(30, c.enrolled + r.int(0, 10));
  for (const p of out.postings) p.capacity = Math.max(p.filled + r.int(0, 3), 1);
  return out;
}
