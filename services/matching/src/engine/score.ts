import type { DemandSpec, Explanation, Interval, Point, ScoreComponent, VolunteerSpec, Violation } from './types';

/** How much each part of the score weighs; they sum to 1. */
export const WEIGHTS = {
  skills: 0.35,
  languages: 0.1,
  distance: 0.2,
  availability: 0.15,
  load: 0.1,
  reliability: 0.1,
} as const;

/** Volunteers serve in person: a home site further than this from the demand's site is not eligible. */
export const MAX_DISTANCE_KM = 50;

/** Distance at which the distance component falls to 1/e. */
export const DISTANCE_SCALE_KM = 25;
const HOUR = 3_600_000;

/** Great-circle distance between two points, in km. */
export function distanceKm(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Hours of `windows` that fall inside `span` (windows of one volunteer do not overlap each other). */
export function overlapHours(span: Interval, windows: readonly Interval[]): number {
  let ms = 0;
  for (const w of windows) {
    const s = Math.max(span.start, w.start);
    const e = Math.min(span.end, w.end);
    if (e > s) ms += e - s;
  }
  return ms / HOUR;
}

const norm = (s: string) => s.trim().toLowerCase();

/** Whether the volunteer speaks every language the demand needs (hard constraint). */
export function speaksAll(demand: DemandSpec, volunteer: VolunteerSpec): boolean {
  if (demand.languages.length === 0) return true;
  const spoken = new Set(volunteer.languages.map(norm));
  return demand.languages.every((l) => spoken.has(norm(l)));
}

export function remainingHours(v: VolunteerSpec): number {
  return Math.max(0, v.capacityHours - v.loadHours);
}

/**
 * The explainable score of one volunteer for one demand: six components in [0, 1] with fixed
 * weights, and the hard constraints (language, availability, capacity, distance) checked separately.
 */
export function explain(demand: DemandSpec, volunteer: VolunteerSpec): Explanation {
  const skills = new Set(volunteer.skills.map(norm));
  const required = demand.requiredSkills.map(norm);
  const matched = required.filter((s) => skills.has(s));
  const km = distanceKm(demand.location, volunteer.location);
  const overlap = overlapHours(demand.window, volunteer.availability);
  const remaining = remainingHours(volunteer);
  const violations: Violation[] = [];
  if (!speaksAll(demand, volunteer)) violations.push('LANGUAGE');
  if (overlap + 1e-9 < demand.hours) violations.push('AVAILABILITY');
  if (remaining + 1e-9 < demand.hours) violations.push('CAPACITY');
  if (km > MAX_DISTANCE_KM) violations.push('DISTANCE');
  const spoken = new Set(volunteer.languages.map(norm));
  const langMatched = demand.languages.filter((l) => spoken.has(norm(l))).length;
  const components: ScoreComponent[] = [
    {
      name: 'skills',
      weight: WEIGHTS.skills,
      value: required.length ? matched.length / required.length : 1,
      detail: required.length ? `${matched.length} of ${required.length} required skills` : 'no skill required',
    },
    {
      name: 'languages',
      weight: WEIGHTS.languages,
      value: demand.languages.length ? langMatched / demand.languages.length : 1,
      detail: demand.languages.length
        ? `speaks ${langMatched} of ${demand.languages.length} needed languages`
        : 'no language required',
    },
    {
      name: 'distance',
      weight: WEIGHTS.distance,
      value: Math.exp(-km / DISTANCE_SCALE_KM),
      detail: `${km.toFixed(1)} km from home site`,
    },
    {
      name: 'availability',
      weight: WEIGHTS.availability,
      value: demand.hours > 0 ? Math.min(1, overlap / (2 * demand.hours)) : 1,
      detail: `${overlap.toFixed(1)} h available in the window for ${demand.hours} h of work`,
    },
    {
      name: 'load',
      weight: WEIGHTS.load,
      value: volunteer.capacityHours > 0 ? remaining / volunteer.capacityHours : 0,
      detail: `${volunteer.loadHours} of ${volunteer.capacityHours} weekly hours taken`,
    },
    {
      name: 'reliability',
      weight: WEIGHTS.reliability,
      value: (volunteer.completed + 1) / (volunteer.completed + volunteer.failed + 2),
      detail: `${volunteer.completed} done, ${volunteer.failed} declined or missed`,
    },
  ];
  const score = components.reduce((s, c) => s + c.weight * c.value, 0);
  return {
    volunteerId: volunteer.id,
    demandId: demand.id,
    score,
    eligible: violations.length === 0,
    violations,
    components,
    distanceKm: km,
    overlapHours: overlap,
  };
}

/** The score alone, or null when a hard constraint fails (the batch's hot path). */
export function scoreOf(demand: DemandSpec, volunteer: VolunteerSpec): number | null {
  const e = explain(demand, volunteer);
  return e.eligible ? e.score : null;
}

/** Volunteers able to take the demand, best first, with their explanations. */
export function rankCandidates(demand: DemandSpec, volunteers: readonly VolunteerSpec[], limit = 10): Explanation[] {
  return volunteers
    .map((v) => explain(demand, v))
    .filter((e) => e.eligible)
    .sort((a, b) => b.score - a.score || a.volunteerId.localeCompare(b.volunteerId))
    .slice(0, limit);
}
