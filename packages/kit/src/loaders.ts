import DataLoader from 'dataloader';

/**
 * A per-request loader that fetches many rows by key in one query and returns them in the order
 * asked (null for keys not found or out of scope). `__resolveReference` and nested fields use it,
 * so 100 entities cost one SQL `= ANY($1)`, not 100 queries.
 */
export function byKeyLoader<T>(fetch: (keys: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(
    async (keys) => {
      const rows = await fetch(keys);
      const byKey = new Map(rows.map((r) => [keyOf(r), r]));
      return keys.map((k) => byKey.get(k) ?? null);
    },
    { maxBatchSize: 1_000 },
  );
}

export function byIdLoader<T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return byKeyLoader(fetch, (r) => r.id);
}
