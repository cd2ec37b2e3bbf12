import { ageOn } from '@anju/kit';
import { PREFECTURES, PROVINCE, countyFactor, findCounty, type County, type Prefecture } from './regions';
import { apportion, rng, type Rng } from './prng';
import { ETHNICITIES, mobilePhone, personName, surnameFor } from './people';

/**
 * The generated world: where the sites are and who lives in them. Planning (regions, sites and
 * their sizes) is cheap and kept in memory; the people of one site are generated on demand from
 * the site's own random streams, so that each service's module can walk the sites in turn and
 * get the same people without the whole province being held in memory.
 */
export type Scale = 'demo' | 'county' | 'province';
export const SCALES: readonly Scale[] = ['demo', 'county', 'province'];

/** Ages are computed on this day; every birth date is before it. */
export const REFERENCE_DATE = '2026-01-01';
const REF_YEAR = 2026;

interface ScalePlan {
  counties: () => { prefecture: Prefecture; county: County; weight: number }[];
  sites: number;
  residents: number;
}

const allCounties = () =>
  PREFECTURES.flatMap((prefecture) => {
    const factors = prefecture.counties.map(countyFactor);
    const sum = factors.reduce((a, b) => a + b, 0);
    return prefecture.counties.map((county, i) => ({
      prefecture,
      county,
      weight: (prefecture.share * factors[i]) / sum,
    }));
  });
const oneCounty = (code: string) => () => {
  const found = findCounty(code)!;
  return [{ ...found, weight: 1 }];
};

/** Yunnan: 2,832 centralized sites, 996,000 people (the province's own figures). */
export const PLANS: Record<Scale, ScalePlan> = {
  demo: { counties: oneCounty('530627'), sites: 4, residents: 600 },
  county: { counties: oneCounty('530627'), sites: 40, residents: 40_000 },
  province: { counties: allCounties, sites: 2_832, residents: 996_000 },
};

export interface RegionRow {
  code: string;
  name: string;
  level: 'province' | 'prefecture' | 'county';
  parentCode: string | null;
}

export interface SitePlan {
  index: number;
  id: string;
  name: string;
  regionCode: string;
  countyName: string;
  prefectureCode: string;
  address: string;
  latitude: number;
  longitude: number;
  plannedHouseholds: number;
  residents: number;
}

export interface World {
  seed: number;
  scale: Scale;
  regions: RegionRow[];
  sites: SitePlan[];
  /** People already generated, by site index (see sitePeople). */
  cache?: Map<number, SitePeople>;
}

const PLACES = [
  '幸福',
  '安居',
  '阳光',
  '和谐',
  '团结',
  '同心',
  '感恩',
  '振兴',
  '福康',
  '新村',
  '康乐',
  '金沙',
  '锦绣',
  '彩云',
  '乌蒙',
  '卯家湾',
  '靖安',
  '兴隆',
  '龙泉',
  '青山',
  '绿水',
  '红旗',
  '向阳',
  '新华',
  '丰收',
  '吉祥',
  '平安',
  '和美',
  '兴盛',
  '富民',
  '朝阳',
  '映山',
  '凤凰',
  '金鸡',
  '梨园',
  '桃源',
  '翠湖',
  '白云',
  '双河',
  '石门',
];
const KINDS = ['安置点', '安置区', '社区', '新区', '家园'];
const ROADS = ['迎宾', '建设', '民族', '团结', '振兴', '和平', '文化', '新城'];

export function planWorld(scale: Scale, seed: number): World {
  const plan = PLANS[scale];
  const counties = plan.counties();
  const regions: RegionRow[] = [{ code: PROVINCE.code, name: PROVINCE.name, level: 'province', parentCode: null }];
  for (const prefecture of PREFECTURES.filter((p) => counties.some((x) => x.prefecture === p))) {
    regions.push({ code: prefecture.code, name: prefecture.name, level: 'prefecture', parentCode: PROVINCE.code });
  }
  for (const { prefecture, county } of counties)
    regions.push({ code: county.code, name: county.name, level: 'county', parentCode: prefecture.code });

  const weights = counties.map((x) => x.weight);
  const sitesPerCounty = apportion(plan.sites, weights, 1);
  const residentsPerCounty = apportion(plan.residents, weights, 0);
  const sites: SitePlan[] = [];
  counties.forEach(({ prefecture, county }, ci) => {
    const r = rng(seed, 'sites', county.code);
    const n = sitesPerCounty[ci];
    // A few large sites and many small ones (靖安, 卯家湾 held tens of thousands).
    const sizes = apportion(
      residentsPerCounty[ci],
      Array.from({ length: n }, () => Math.exp(0.9 * r.normal())),
      1,
    );
    const used = new Set<string>();
    for (let i = 0; i < n; i++) {
      let name = `${r.pick(PLACES)}${r.pick(KINDS)}`;
      for (let k = 2; used.has(name); k++)
        name = `${name.replace(/[一二三四五六七八九十]+期$/, '')}${'一二三四五六七八九十'[Math.min(k, 10) - 1]}期`;
      used.add(name);
      const households = Math.ceil(sizes[i] / 3.97);
      sites.push({
        index: sites.length,
        id: r.uuid(),
        name,
        regionCode: county.code,
        countyName: county.name,
        prefectureCode: prefecture.code,
        address: `${county.name}${r.pick(ROADS)}路${r.int(1, 299)}号`,
        // Within about 5 km of the county seat.
        latitude: round6(county.lat + (r.next() - 0.5) * 0.09),
        longitude: round6(county.lng + (r.next() - 0.5) * 0.09),
        plannedHouseholds: Math.ceil(households * (1 + r.next() * 0.15)),
        residents: sizes[i],
      });
    }
  });
  return { seed, scale, regions, sites, cache: new Map() };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export type LabourCapacity = 'full' | 'weak' | 'none';
export type Relation = 'head' | 'spouse' | 'child' | 'parent' | 'grandchild' | 'sibling' | 'other';

export interface Person {
  id: string;
  householdId: string;
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
  /** Whole years on REFERENCE_DATE. */
  age: number;
  ethnicity: string;
  phone: string | null;
  labourCapacity: LabourCapacity;
  canWorkAway: boolean;
  wantsWork: boolean;
  relation: Relation;
  movedInOn: string;
}

export interface GridPlan {
  id: string;
  name: string;
  workerSubject: string;
  workerName: string;
}
export interface BuildingPlan {
  id: string;
  name: string;
  gridId: string;
  floors: number;
}
export interface HouseholdPlan {
  id: string;
  number: string;
  address: string;
  buildingId: string;
  members: Person[];
}
export interface SitePeople {
  grids: GridPlan[];
  buildings: BuildingPlan[];
  households: HouseholdPlan[];
}

/** Household sizes (人/户) with a mean of about 3.97. */
const SIZES: readonly (readonly [number, number])[] = [
  [1, 6],
  [2, 12],
  [3, 20],
  [4, 27],
  [5, 19],
  [6, 10],
  [7, 4],
  [8, 2],
];
const HOUSEHOLDS_PER_BUILDING = 24; // 6 floors × 2 units × 2 flats
const HOUSEHOLDS_PER_GRID = 300;

/**
 * The people of one site. Kept for the rest of the run (every service's module walks them), so
 * each site is generated once: about 1 GB at province scale.
 */
export function sitePeople(world: World, site: SitePlan): SitePeople {
  let people = world.cache?.get(site.index);
  if (!people) {
    people = generateSitePeople(world, site);
    world.cache?.set(site.index, people);
  }
  return people;
}

function generateSitePeople(world: World, site: SitePlan): SitePeople {
  const r = rng(world.seed, 'people', site.index);
  const sizes: number[] = [];
  for (let left = site.residents; left > 0;) {
    const size = Math.min(r.weighted(SIZES), left);
    sizes.push(size);
    left -= size;
  }
  const buildingsCount = Math.ceil(sizes.length / HOUSEHOLDS_PER_BUILDING);
  const gridsCount = Math.max(1, Math.ceil(sizes.length / HOUSEHOLDS_PER_GRID));
  const grids: GridPlan[] = Array.from({ length: gridsCount }, (_, g) => {
    const ethnicity = r.weighted(ETHNICITIES);
    return {
      id: r.uuid(),
      name: `第${g + 1}网格`,
      workerSubject: `grid-worker-${site.index + 1}-${g + 1}`,
      workerName: personName(r, ethnicity, r.chance(0.6) ? 'female' : 'male'),
    };
  });
  const buildings: BuildingPlan[] = Array.from({ length: buildingsCount }, (_, b) => ({
    id: r.uuid(),
    name: `${b + 1}栋`,
    gridId: grids[Math.floor((b * gridsCount) / buildingsCount)].id,
    floors: 6,
  }));
  const households = sizes.map((size, h): HouseholdPlan => {
    const id = r.uuid();
    const b = Math.floor(h / HOUSEHOLDS_PER_BUILDING);
    const slot = h % HOUSEHOLDS_PER_BUILDING;
    const unit = 1 + Math.floor(slot / 12);
    const floor = 1 + Math.floor((slot % 12) / 2);
    const flat = 1 + (slot % 2);
    return {
      id,
      number: `${site.regionCode}-${String(site.index + 1).padStart(4, '0')}-${String(h + 1).padStart(4, '0')}`,
      address: `${b + 1}栋${unit}单元${floor}0${flat}`,
      buildingId: buildings[b].id,
      members: household(r, id, size),
    };
  });
  return { grids, buildings, households };
}

function household(r: Rng, householdId: string, size: number): Person[] {
  const ethnicity = r.weighted(ETHNICITIES);
  const movedIn = `${r.int(2017, 2020)}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}`;
  const headAge = size === 1 ? r.int(45, 85) : r.int(26, 72);
  const headGender: 'male' | 'female' = r.chance(size === 1 ? 0.5 : 0.85) ? 'male' : 'female';
  const surname = surnameFor(r, ethnicity);
  const spec: { relation: Relation; age: number; gender: 'male' | 'female'; sameName: boolean; ethnicity: string }[] = [
    { relation: 'head', age: headAge, gender: headGender, sameName: true, ethnicity },
  ];
  let left = size - 1;
  if (left > 0 && r.chance(0.88)) {
    spec.push({
      relation: 'spouse',
      age: clamp(headAge + r.int(-6, 4), 20, 90),
      gender: headGender === 'male' ? 'female' : 'male',
      sameName: false,
      ethnicity: r.chance(0.88) ? ethnicity : r.weighted(ETHNICITIES),
    });
    left--;
  }
  if (left > 0 && headAge < 50 && r.chance(0.35)) {
    spec.push({
      relation: 'parent',
      age: clamp(headAge + r.int(22, 32), 45, 95),
      gender: r.chance(0.5) ? 'male' : 'female',
      sameName: true,
      ethnicity,
    });
    left--;
  }
  const grandparent = headAge >= 52;
  while (left > 0) {
    if (grandparent && spec.some((s) => s.relation === 'child') && r.chance(0.5)) {
      spec.push({
        relation: 'grandchild',
        age: r.int(0, Math.min(17, headAge - 40)),
        gender: r.chance(0.52) ? 'male' : 'female',
        sameName: true,
        ethnicity,
      });
    } else if (r.chance(0.04)) {
      spec.push({
        relation: 'sibling',
        age: clamp(headAge + r.int(-8, 8), 16, 90),
        gender: r.chance(0.5) ? 'male' : 'female',
        sameName: true,
        ethnicity,
      });
    } else {
      spec.push({
        relation: 'child',
        age: Math.max(0, headAge - r.int(20, 36)),
        gender: r.chance(0.52) ? 'male' : 'female',
        sameName: true,
        ethnicity,
      });
    }
    left--;
  }
  return spec.map((s) => person(r, householdId, s, surname, movedIn));
}

function person(
  r: Rng,
  householdId: string,
  s: { relation: Relation; age: number; gender: 'male' | 'female'; sameName: boolean; ethnicity: string },
  surname: string,
  movedIn: string,
): Person {
  // Born between REFERENCE_DATE minus (age + 1) years and REFERENCE_DATE minus age years.
  const year = REF_YEAR - s.age - 1;
  const dayOfYear = r.int(1, 365);
  const birth = new Date(Date.UTC(year, 0, 1) + dayOfYear * 86_400_000);
  const birthDate = birth.toISOString().slice(0, 10);
  const name = personName(r, s.ethnicity, s.gender, s.sameName && surname ? surname : undefined);
  const labourCapacity = capacity(r, s.age);
  const canWorkAway = labourCapacity === 'full' && s.age >= 18 && s.age <= 50 && r.chance(0.65);
  const wantsWork = labourCapacity !== 'none' && s.age >= 16 && s.age <= 64 && r.chance(0.85);
  const phone = s.age >= 18 && s.age <= 70 && r.chance(0.8) ? mobilePhone(r) : null;
  return {
    id: r.uuid(),
    householdId,
    name,
    gender: s.gender,
    birthDate,
    age: ageOn(birthDate, REFERENCE_DATE),
    ethnicity: s.ethnicity,
    phone,
    labourCapacity,
    canWorkAway,
    wantsWork,
    relation: s.relation,
    movedInOn: birthDate > movedIn ? birthDate : movedIn,
  };
}

function capacity(r: Rng, age: number): LabourCapacity {
  if (age < 16) return 'none';
  if (age < 60)
    return r.weighted([
      ['full', 80],
      ['weak', 12],
      ['none', 8],
    ] as const);
  if (age < 65)
    return r.weighted([
      ['full', 20],
      ['weak', 50],
      ['none', 30],
    ] as const);
  return r.weighted([
    ['weak', 20],
    ['none', 80],
  ] as const);
}

const pad = (n: number) => String(n).padStart(2, '0');
const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));
