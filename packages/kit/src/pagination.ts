import { InputError } from './errors';
import { isIsoDate, isUuid } from './ids';

/** The kinds of value a cursor's sort key is made of, as its SQL compares them. */
export type CursorPart = 'text' | 'date' | 'timestamp' | 'uuid' | 'bigint';

const PART_CHECKS: Record<CursorPart, (v: unknown) => boolean> = {
  text: (v) => typeof v === 'string' && v.length <= 1_000 && !v.includes('\u0000'),
  date: isIsoDate,
  timestamp: (v) =>
    typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
  uuid: isUuid,
  bigint: (v) =>
    (typeof v === 'number' && Number.isSafeInteger(v)) || (typeof v === 'string' && /^-?\d{1,18}$/.test(v)),
};

/**
 * Keyset pagination, as every list in the graph pages: `{ nodes, totalCount, endCursor }`, the
 * cursor an opaque base64 of the sort key of the last row (no OFFSET: page 5,000 costs what
 * page 1 costs).
 */
export const cursor = {
  encode: (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url'),
  /**
   * The sort key of a cursor of this shape (`cursor.decode(after, 'text', 'uuid')`), null for no
   * cursor; a cursor that is not one we gave out (not base64 JSON, or not of this shape) is a
   * BAD_USER_INPUT on `after`, never a cast error in SQL.
   */
  decode: (raw: string | null | undefined, ...parts: CursorPart[]): unknown[] | null => {
    if (raw == null || raw === '') return null;
    let key: unknown;
    try {
      key = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    } catch {
      key = undefined;
    }
    const fits =
      Array.isArray(key) &&
      (parts.length === 0 || (key.length === parts.length && parts.every((p, i) => PART_CHECKS[p](key[i]))));
    if (!fits) {
      throw new InputError(
        'after',
        'after is not a cursor of this list: pass the endCursor of the previous page.',
        'MALFORMED_CURSOR',
      );
    }
    return key as unknown[];
  },
};

/** The largest page any list gives. */
export const MAX_PAGE_SIZE = 200;

/** `first` clamped to 1..`max` (200, default 50): no caller pulls a province in one page. */
export function pageSize(first: number | null | undefined, byDefault = 50, max = MAX_PAGE_SIZE): number {
  return Math.min(Math.max(first ?? byDefault, 1), max);
}

/**
 * Keyset pages over a table's `seq` column (an ever-growing bigint), where the cursor is the last
 * row's seq as text: the page's limit and the seq it starts after ('0' for the first page).
 */
export function seqPageArgs(
  first: number | null | undefined,
  after: string | null | undefined,
): { limit: number; afterSeq: string } {
  const limit = pageSize(first);
  if (after && !/^\d{1,18}$/.test(after)) {
    throw new InputError(
      'after',
      'after is not a cursor of this list: pass the endCursor of the previous page.',
      'MALFORMED_CURSOR',
    );
  }
  return { limit, afterSeq: after || '0' };
}

/** A page of `seqPageArgs`: rows fetched with `limit + 1`, so a further row means there is a next page. */
export function seqPage<T extends { seq: string }>(rows: T[], limit: number, totalCount: number) {
  const nodes = rows.slice(0, limit);
  return { nodes, totalCount, endCursor: rows.length > limit ? String(nodes.at(-1)!.seq) : null };
}
