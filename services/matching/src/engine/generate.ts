import { seededRandom } from '@anju/kit';
import type { DemandSpec, Interval, Point, VolunteerSpec } from './types';

/** The kit's seeded PRNG (mulberry32): the same seed gives the same instance everywhere. */
export const rng = seededRandom;

export const SKILLS = [
  'job_coaching',
  'elderly_care',
  'tutoring',
  'first_aid',
  'legal',
  'counselling',
  'repairs',
  'cooking',
  'driving',
  'computer',
];
export const LANGUAGES = ['普通话', '彝语', '苗语', '哈尼语', '白语', '傣语'];

export interface InstanceOptions {
  demands: number;
  volunteers: number;
  /** Number of sites the people live at (default: one per 20 volunteers, at least 3). */
  sites?: number;
  /** Every demand needs the same hours (default false: 1 to 6 hours). */
  unitHours?: boolean;
  /** Days covered by the demand windows and availability (default 7). */
  days?: number;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const EPOCH = Date.UTC(2026, 0, 5);

/** A random batch over sites scattered across Yunnan (lat 21–29, lng 97–106). */
export function generateInstance(
  seed: number,
  opts: InstanceOptions,
): { demands: DemandSpec[]; volunteers: VolunteerSpec[] } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const some = <T>(xs: readonly T[], n: number) => [...new Set(Array.from({ length: n }, () => pick(xs)))];
  const days = opts.days ?? 7;
  const siteCount = opts.sites ?? Math.max(3, Math.round(opts.volunteers / 20));
  const sites: Point[] = Array.from({ length: siteCount }, () => ({ lat: 21 + r() * 8, lng: 97 + r() * 9 }));
  const near = (p: Point): Point => ({ lat: p.lat, lng: p.lng });
  const volunteers: VolunteerSpec[] = Array.from({ length: opts.volunteers }, (_, j) => {
    const availability: Interval[] = [];
    for (let day = 0; day < days; day++) {
      if (r() < 0.5) continue;
      const startH = 8 + Math.floor(r() * 8);
      const len = 2 + Math.floor(r() * 6);
      availability.push({ start: EPOCH + day * DAY + startH * HOUR, end: EPOCH + day * DAY + (startH + len) * HOUR });
    }
    const capacityHours = opts.unitHours ? 1 + Math.floor(r() * 3) : 2 + Math.floor(r() * 10);
    return {
      id: `v${j}`,
      location: near(pick(sites)),
      skills: some(SKILLS, 1 + Math.floor(r() * 3)),
      languages: r() < 0.4 ? ['普通话', pick(LANGUAGES)] : ['普通话'],
      availability,
      capacityHours,
      loadHours: r() < 0.2 ? Math.floor(r() * capacityHours) : 0,
      completed: Math.floor(r() * 20),
      failed: Math.floor(r() * 4),
    };
  });
  const demands: DemandSpec[] = Array.from({ length: opts.demands }, (_, i) => {
    const day = Math.floor(r() * days);
    const span = 1 + Math.floor(r() * 3);
    return {
      id: `d${i}`,
      location: near(pick(sites)),
      requiredSkills: some(SKILLS, Math.floor(r() * 3)),
      languages: r() < 0.3 ? [pick(LANGUAGES.slice(1))] : [],
      window: { start: EPOCH + day * DAY, end: EPOCH + Math.min(days, day + span) * DAY },
      hours: opts.unitHours ? 1 : 1 + Math.floor(r() * 6),
      priority: pick([1, 1.25, 1.25, 1.6, 2]),
    };
  });
  return { demands, volunteers };
}
