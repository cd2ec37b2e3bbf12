import { householdGapDetected } from './household-gap-detected.handler';
import { householdGapClosed } from './household-gap-closed.handler';

/** Every event governance consumes; the worker refuses to start if this and the contract disagree. */
export const handlers = [
  // Grid-worker tasks (网格员任务) fed by other services' events.
  householdGapDetected, householdGapClosed,
];
