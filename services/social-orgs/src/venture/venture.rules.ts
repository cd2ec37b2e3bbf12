/**
 * 公益创投 — a venture application's path: applied → under review (scored) → public notice (公示)
 * → funded → mid-term evaluation → final evaluation; it may be rejected before funding.
 */
export type VentureStatus =
  'APPLIED' | 'UNDER_REVIEW' | 'PUBLIC_NOTICE' | 'FUNDED' | 'MIDTERM_EVALUATED' | 'FINAL_EVALUATED' | 'REJECTED';

export const VENTURE_TRANSITIONS: Record<VentureStatus, readonly VentureStatus[]> = {
  APPLIED: ['UNDER_REVIEW', 'REJECTED'],
  UNDER_REVIEW: ['UNDER_REVIEW', 'PUBLIC_NOTICE', 'REJECTED'],
  PUBLIC_NOTICE: ['FUNDED', 'REJECTED'],
  FUNDED: ['MIDTERM_EVALUATED'],
  MIDTERM_EVALUATED: ['FINAL_EVALUATED'],
  FINAL_EVALUATED: [],
  REJECTED: [],
};

export const canMove = (from: VentureStatus, to: VentureStatus) => VENTURE_TRANSITIONS[from].includes(to);
