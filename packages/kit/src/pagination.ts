/**
 * Keyset pagination, as every list in the graph pages: `{ nodes, totalCount, endCursor }`, the
 * cursor an opaque base64 of the sort key of the last row (no OFFSET: page 5,000 costs what
 * page 1 costs).
 */
export const cursor = {
  encode: (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url'),
  decode: (raw: string | null | undefined): unknown[] | null => {
    if (!raw) return null;
    try {
      const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
      return Array.isArray(v) ? v : null;
    } catch {
      return null;
    }
  },
};

/** `first` clamped to 1..200 (default 50): no caller pulls a province in one page. */
export function pageSize(first: number | null | undefined): number {
  return Math.min(Math.max(first ?? 50, 1), 200);
}
