/** The matching engine: pure functions over plain data (no database, no clock). */
export * from './types';
export {
  WEIGHTS,
  DISTANCE_SCALE_KM,
  MAX_DISTANCE_KM,
  distanceKm,
  overlapHours,
  explain,
  scoreOf,
  rankCandidates,
  speaksAll,
  remainingHours,
} from './score';
export { assignBatch, buildCandidates, solveFlow, type BatchOptions, type CandidateGraph } from './batch';
export { exactOptimum } from './exact';
export { generateInstance, rng, SKILLS, LANGUAGES, type InstanceOptions } from './generate';
