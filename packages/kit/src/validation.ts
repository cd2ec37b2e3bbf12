import { InputError } from './errors';
import { isIsoDate } from './ids';

/**
 * Checks of a single input value that every service shares: each returns the clean value or throws
 * a typed `InputError` naming the field (BAD_USER_INPUT with a `reason`), so nothing is written.
 */

/** A non-empty trimmed text of at most `max` characters (LENGTH otherwise). */
export function requireText(raw: string | null | undefined, field: string, max = 200): string {
  const v = (raw ?? '').trim();
  if (!v || v.length > max) throw new InputError(field, `Give 1 to ${max} characters.`, 'LENGTH');
  return v;
}

/** A trimmed text of at most `max` characters, or null when blank. */
export function optionalText(raw: string | null | undefined, field: string, max = 2000): string | null {
  const v = (raw ?? '').trim();
  if (!v) return null;
  if (v.length > max) throw new InputError(field, `At most ${max} characters.`, 'LENGTH');
  return v;
}

/** A calendar date `YYYY-MM-DD` that exists (FORMAT otherwise). */
export function requireDate(raw: string, field: string): string {
  if (!isIsoDate(raw)) throw new InputError(field, 'A date is written YYYY-MM-DD and must exist.', 'FORMAT');
  return raw;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An instant written ISO 8601 with an offset, e.g. 2026-12-01T14:30:00+08:00 (FORMAT otherwise). */
export function requireInstant(raw: string, field: string): Date {
  const d = new Date(raw);
  // The offset is required: without one, the same text is another instant on a server in another zone.
  // The date must exist: V8 reads 30 February as 2 March.
  if (!INSTANT.test(raw) || !isIsoDate(raw.slice(0, 10)) || Number.isNaN(d.getTime())) {
    throw new InputError(
      field,
      'Give a date and time in ISO 8601 with an offset, e.g. 2026-12-01T14:30:00+08:00.',
      'FORMAT',
    );
  }
  return d;
}

/** A sum of money or a quantity: a number, not below zero, not implausibly large; rounded to 2 decimals. */
export function requireAmount(value: number, field: string, what: string): number {
  if (!Number.isFinite(value)) throw new InputError(field, `${what} must be a number.`, 'FORMAT');
  if (value < 0) throw new InputError(field, `${what} cannot be below zero.`, 'NEGATIVE');
  if (value > 1e9) throw new InputError(field, `${what} is implausibly large.`, 'TOO_LARGE');
  return Math.round(value * 100) / 100;
}

/** A payment in yuan (元): above zero, below a trillion, in whole fen (at most 2 decimals); RANGE otherwise. */
export function requireYuan(v: number, field: string): number {
  if (!Number.isFinite(v) || v <= 0 || v >= 1e12 || Math.abs(Math.round(v * 100) - v * 100) > 1e-6) {
    throw new InputError(field, 'An amount in yuan, above zero, with at most 2 decimals.', 'RANGE');
  }
  return v;
}

/** Numeric columns arrive from pg as strings; null is 0. */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** SQL: ISO-8601 UTC text of a timestamptz column, for the graph. */
export const isoSql = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
