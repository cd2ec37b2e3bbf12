import { InputError } from '@anju/kit';

export type Grade = 'A' | 'B' | 'C';

/**
 * The evaluation grade of a venture project or a purchase-of-service contract from a score out
 * of 100: A (优) at 85 or more, B (合格) from 60 to below 85, C (不合格) below 60.
 */
export function gradeOf(score: number): Grade {
  if (!Number.isFinite(score) || score < 0 || score > 100) throw new RangeError(`score ${score} is outside 0–100`);
  if (score >= 85) return 'A';
  if (score >= 60) return 'B';
  return 'C';
}

/** A score from input: 0–100, else a typed error. */
export function checkScore(score: number, field: string): number {
  if (!Number.isFinite(score) || score < 0 || score > 100)
    throw new InputError(field, 'A score is from 0 to 100.', 'RANGE');
  return score;
}
