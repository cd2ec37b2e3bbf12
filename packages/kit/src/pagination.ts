import type { SqlRunner } from './database';
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

/** A page of a list, as every list in the graph returns it. */
export interface Page<T> {
  nodes: T[];
  totalCount: number;
  endCursor: string | null;
}

/** What a list pages over: the rows of `from` (table, alias, joins) that `where` keeps. */
export interface PageSource {
  /** `SELECT` list of a page's rows. */
  columns: string;
  /** `FROM` of a page, e.g. `proposal p` or `activity a JOIN organization o ON o.id = a.organization_id`. */
  from: string;
  /** `FROM` of the count where the page's joins add nothing to it (default `from`). */
  countFrom?: string;
  /** The list's filter and scope; its parameters are `params`, `$1`…`$n`. */
  where: string;
  params: readonly unknown[];
  /**
   * The count where the list makes it itself: a number it already has, or a query to run alongside
   * the page's (no count query of `where` then).
   */
  totalCount?: number | (() => Promise<number>);
}

/** The page a caller asks for: `first` rows (see `pageSize`) after the cursor `after`. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/**
 * One column of a keyset sort key: the SQL compared, the kind of value the cursor holds for it,
 * the row's field it is read from, and what to ORDER BY where the comparison is on a value
 * derived from it (default the SQL compared).
 */
export type KeyColumn<T> = readonly [sql: string, part: CursorPart, field: keyof T & string, orderBy?: string];

/** A keyset sort: its columns, the last one unique (usually the id), all ascending or all descending. */
export interface KeysetSort<T> {
  order: 'asc' | 'desc';
  key: readonly KeyColumn<T>[];
}

/** Oldest/smallest first by these key columns. */
export const asc = <T>(...key: KeyColumn<T>[]): KeysetSort<T> => ({ order: 'asc', key });
/** Newest/largest first by these key columns. */
export const desc = <T>(...key: KeyColumn<T>[]): KeysetSort<T> => ({ order: 'desc', key });

const SQL_TYPE: Record<CursorPart, string> = {
  text: 'text',
  date: 'date',
  timestamp: 'timestamptz',
  uuid: 'uuid',
  bigint: 'bigint',
};

/**
 * The keyset part of a page's SQL, its parameters numbered after the list's `n`: `after`, to AND
 * to the list's filter (every row when the cursor parameters are null), `orderBy`, and `limit`
 * (the parameter after the key's).
 */
export function keysetSql<T>(sort: KeysetSort<T>, n: number) {
  const ps = sort.key.map(([, part], i) => `$${n + i + 1}::${SQL_TYPE[part]}`);
  const op = sort.order === 'desc' ? '<' : '>';
  const cols = sort.key.map(([sql]) => sql);
  const compared = cols.length === 1 ? `${cols[0]} ${op} ${ps[0]}` : `(${cols.join(', ')}) ${op} (${ps.join(', ')})`;
  return {
    after: `(${ps[0]} IS NULL OR ${compared})`,
    orderBy: sort.key.map(([sql, , , by]) => `${by ?? sql}${sort.order === 'desc' ? ' DESC' : ''}`).join(', '),
    limit: `$${n + sort.key.length + 1}`,
  };
}

async function countOf(db: SqlRunner, list: PageSource): Promise<number> {
  if (typeof list.totalCount === 'function') return list.totalCount();
  if (list.totalCount !== undefined) return list.totalCount;
  const from = list.countFrom ?? list.from;
  const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM ${from} WHERE ${list.where}`, [
    ...list.params,
  ]);
  return count;
}

/**
 * A keyset page of a list: the count of every row its filter keeps, then `first` rows after the
 * cursor `after` in the order of `sort` (one more fetched, to know whether a next page exists).
 * The cursor is `cursor.encode` of the last node's key fields, a timestamp as ISO text, so it reads
 * back with `cursor.decode(after, ...parts)`; a malformed one is a BAD_USER_INPUT before any query.
 *
 * ```ts
 * keysetPage<ProposalRow>(db, { columns: COLUMNS, from: 'proposal p', where, params }, args,
 *   desc(['p.raised_at', 'timestamp', 'raisedAt'], ['p.id', 'uuid', 'id']));
 * ```
 */
export async function keysetPage<T>(
  db: SqlRunner,
  list: PageSource,
  page: PageArgs,
  sort: KeysetSort<T>,
): Promise<Page<T>> {
  const limit = pageSize(page.first);
  const after = cursor.decode(page.after, ...sort.key.map(([, part]) => part));
  const ks = keysetSql(sort, list.params.length);
  const select = (): Promise<T[]> =>
    db.query(
      `SELECT ${list.columns} FROM ${list.from} WHERE ${list.where} AND ${ks.after}
        ORDER BY ${ks.orderBy} LIMIT ${ks.limit}`,
      [...list.params, ...sort.key.map((_, i) => after?.[i] ?? null), limit + 1],
    );
  const [totalCount, rows] =
    typeof list.totalCount === 'function'
      ? await Promise.all([countOf(db, list), select()])
      : [await countOf(db, list), await select()];
  const nodes = rows.slice(0, limit);
  const last = nodes.at(-1);
  const keyOf = (row: T) =>
    sort.key.map(([, part, field]) =>
      part === 'timestamp' ? new Date(row[field] as unknown as string).toISOString() : row[field],
    );
  return { nodes, totalCount, endCursor: rows.length > limit && last ? cursor.encode(keyOf(last)) : null };
}

/**
 * A page of a list by its `seq` column (`seq` names it, e.g. `a.seq`), oldest first: the count,
 * then the rows after the cursor of `seqPageArgs`, assembled by `seqPage`.
 */
export async function seqKeysetPage<T extends { seq: string }>(
  db: SqlRunner,
  list: PageSource,
  page: PageArgs,
  seq: string,
): Promise<Page<T>> {
  const { limit, afterSeq } = seqPageArgs(page.first, page.after);
  const totalCount = await countOf(db, list);
  const n = list.params.length;
  const rows: T[] = await db.query(
    `SELECT ${list.columns} FROM ${list.from} WHERE ${list.where} AND ${seq} > $${n + 1}::bigint
      ORDER BY ${seq} LIMIT $${n + 2}`,
    [...list.params, afterSeq, limit + 1],
  );
  return seqPage(rows, limit, totalCount);
}
