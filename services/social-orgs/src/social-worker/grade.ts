/**
 * A social worker's grade for a period (考核等级), from the period's assessment and the residents'
 * feedback given within it. The formula, stated once (the schema repeats it for portal developers):
 *
 *   S = the assessment score (0–100); n = ratings given in the period; R = their mean (1–5)
 *   F = (R − 1) / 4 × 100                       residents' feedback on the same 0–100 scale
 *   C = S                     when n < 3         (too few ratings to weigh)
 *   C = 0.7 × S + 0.3 × F     when n ≥ 3         (rounded to 2 decimals)
 *   优秀 EXCELLENT when C ≥ 85; 合格 PASS when 60 ≤ C < 85; 不合格 FAIL when C < 60 —
 *   and FAIL whatever C when n ≥ 3 and R < 2 (residents broadly dissatisfied).
 */
export type WorkerGrade = 'EXCELLENT' | 'PASS' | 'FAIL';

export const MIN_RATINGS = 3;
export const ASSESSMENT_WEIGHT = 0.7;

export interface PeriodGrade {
  period: string;
  assessmentScore: number;
  ratingCount: number;
  averageRating: number | null;
  compositeScore: number;
  grade: WorkerGrade;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/** The grade of one period from its assessment score and the ratings given in it. */
export function gradePeriod(period: string, assessmentScore: number, ratings: number[]): PeriodGrade {
  const n = ratings.length;
  const mean = n ? ratings.reduce((a, b) => a + b, 0) / n : null;
  const weighed = n >= MIN_RATINGS && mean != null;
  const composite = round2(
    weighed ? ASSESSMENT_WEIGHT * assessmentScore + (1 - ASSESSMENT_WEIGHT) * ((mean - 1) / 4) * 100 : assessmentScore,
  );
  const dissatisfied = weighed && mean < 2;
  const grade: WorkerGrade = dissatisfied || composite < 60 ? 'FAIL' : composite >= 85 ? 'EXCELLENT' : 'PASS';
  return {
    period,
    assessmentScore,
    ratingCount: n,
    averageRating: mean == null ? null : round2(mean),
    compositeScore: composite,
    grade,
  };
}

/**
 * The province dates a period covers, `to` exclusive: 2026 → 2026-01-01…2027-01-01, 2026-H2 →
 * 2026-07-01…2027-01-01, 2026-Q3 → 2026-07-01…2026-10-01, 2026-09 → 2026-09-01…2026-10-01.
 */
export function periodRange(period: string): { from: string; to: string } {
  const year = Number(period.slice(0, 4));
  const rest = period.slice(5);
  let first = 1;
  let months = 12;
  if (rest.startsWith('H')) [first, months] = [rest === 'H1' ? 1 : 7, 6];
  else if (rest.startsWith('Q')) [first, months] = [(Number(rest.slice(1)) - 1) * 3 + 1, 3];
  else if (rest) [first, months] = [Number(rest), 1];
  const at = (m0: number) => `${year + Math.floor((m0 - 1) / 12)}-${String(((m0 - 1) % 12) + 1).padStart(2, '0')}-01`;
  return { from: at(first), to: at(first + months) };
}
