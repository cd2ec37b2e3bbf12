import { scoreOf } from './score';
import type { DemandSpec, VolunteerSpec } from './types';

/**
 * The true optimum of a small batch by branch and bound over every pair (no candidate limit,
 * mixed hours allowed): each demand goes to one eligible volunteer with hours left, or to nobody.
 * Exponential: for checking the engine on instances of about 8 × 8, never in production.
 */
export function exactOptimum(
  demands: readonly DemandSpec[],
  volunteers: readonly VolunteerSpec[],
): { total: number; assignment: number[] } {
  const weights = demands.map((d) =>
    volunteers.map((v) => {
      const s = scoreOf(d, v);
      return s === null ? null : d.priority * s;
    }),
  );
  const bestOf = weights.map((row) => Math.max(0, ...row.map((w) => w ?? 0)));
  // Bound: what the remaining demands could add at most.
  const rest = new Array<number>(demands.length + 1).fill(0);
  for (let i = demands.length - 1; i >= 0; i--) rest[i] = rest[i + 1] + bestOf[i];
  const free = volunteers.map((v) => Math.max(0, v.capacityHours - v.loadHours));
  let best = 0;
  let bestAssignment = demands.map(() => -1);
  const current = demands.map(() => -1);
  const visit = (i: number, total: number) => {
    if (total + rest[i] <= best + 1e-12) return;
    if (i === demands.length) {
      best = total;
      bestAssignment = [...current];
      return;
    }
    const order = volunteers
      .map((_, j) => j)
      .filter((j) => weights[i][j] !== null)
      .sort((a, b) => weights[i][b]! - weights[i][a]!);
    for (const j of order) {
      if (free[j] + 1e-9 < demands[i].hours) continue;
      free[j] -= demands[i].hours;
      current[i] = j;
      visit(i + 1, total + weights[i][j]!);
      free[j] += demands[i].hours;
      current[i] = -1;
    }
    visit(i + 1, total);
  };
  visit(0, 0);
  return { total: best, assignment: bestAssignment };
}
