/**
 * The matching engine's own vocabulary: plain data, no database, no clock. The service maps
 * its rows to these; the benchmark generates them.
 */

/** A span of time in epoch milliseconds, [start, end). */
export interface Interval {
  start: number;
  end: number;
}

export interface Point {
  lat: number;
  lng: number;
}

/** A demand (需求) as the engine sees it. */
export interface DemandSpec {
  id: string;
  /** Where the help is needed (the demand's site). */
  location: Point;
  requiredSkills: readonly string[];
  /** Languages a helper must speak (hard constraint). */
  languages: readonly string[];
  /** When the help is wanted. */
  window: Interval;
  /** Hours of work the demand needs; must fit in the volunteer's availability and capacity. */
  hours: number;
  /** Urgency multiplier of the demand's score in a batch (≥ 1): critical demands are served first. */
  priority: number;
}

/** A volunteer (志愿者) as the engine sees it. */
export interface VolunteerSpec {
  id: string;
  /** The volunteer's home site. */
  location: Point;
  skills: readonly string[];
  languages: readonly string[];
  /** When the volunteer can serve, sorted or not. */
  availability: readonly Interval[];
  /** Weekly hour capacity. */
  capacityHours: number;
  /** Hours already taken by open assignments. */
  loadHours: number;
  /** Past record: assignments completed vs declined or not done. */
  completed: number;
  failed: number;
}

export type ComponentName = 'skills' | 'languages' | 'distance' | 'availability' | 'load' | 'reliability';

export interface ScoreComponent {
  name: ComponentName;
  /** In [0, 1]. */
  value: number;
  weight: number;
  /** What the value was computed from, in words a coordinator can check. */
  detail: string;
}

export type Violation = 'LANGUAGE' | 'AVAILABILITY' | 'CAPACITY' | 'DISTANCE';

export interface Explanation {
  volunteerId: string;
  demandId: string;
  /** Σ weight × value, in [0, 1]. */
  score: number;
  /** False when a hard constraint fails: such a pair is never proposed, whatever its score. */
  eligible: boolean;
  violations: Violation[];
  components: ScoreComponent[];
  distanceKm: number;
  overlapHours: number;
}

export interface Assignment {
  demandId: string;
  volunteerId: string;
  /** The pair's score (not multiplied by priority). */
  score: number;
  hours: number;
}

export interface BatchResult {
  assignments: Assignment[];
  /** Σ priority × score over the assignments: what the batch maximises. */
  totalScore: number;
  unassigned: string[];
  stats: { demands: number; volunteers: number; candidateArcs: number; candidateMs: number; flowMs: number };
}
