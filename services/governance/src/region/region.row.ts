export type RegionLevel = 'province' | 'prefecture' | 'county';

/** 行政区划 — an administrative region, keyed by its GB/T 2260 code. */
export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

/** 53 → province, 5301 → prefecture, 530102 → county; the parent is the code two digits shorter. */
export function regionLevelOf(code: string): { level: RegionLevel; parentCode: string | null } | null {
  if (/^\d{2}$/.test(code)) return { level: 'province', parentCode: null };
  if (/^\d{4}$/.test(code)) return { level: 'prefecture', parentCode: code.slice(0, 2) };
  if (/^\d{6}$/.test(code)) return { level: 'county', parentCode: code.slice(0, 4) };
  return null;
}
