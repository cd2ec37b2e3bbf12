import DataLoader from 'dataloader';

/**
 * A per-request loader that fetches many rows by key in one query and returns them in the order
 * asked (null for keys not found or out of scope). `__resolveReference` and nested fields use it,
 * so 100 entities cost one SQL `= ANY($1)`, not 100 queries.
 */
export function byKeyLoader<T>(
  fetch: (keys: readonly string[]) => Promise<T[]>,
  keyOf: (row: T) => string,
): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(
    async (keys) => {
      const rows = await fetch(keys);
      const byKey = new Map(rows.map((r) => [keyOf(r), r]));
      return keys.map((k) => byKey.get(k) ?? null);
    },
    { maxBatchSize: 1_000 },
  );
}

export function byIdLoader<T extends { id: string }>(
  fetch: (ids: readonly string[]) => Promise<T[]>,
): DataLoader<string, T | null> {
  return byKeyLoader(fetch, (r) => r.id);
}

/**
 * A per-request loader of the rows that belong to each key (a demand's assignments, a grid's
 * buildings): one query for all the parents a list shows, the rows handed out by `keyOf`, in the
 * order the query gave them; an empty list for a key with none.
 */
export function byGroupLoader<T>(
  fetch: (keys: readonly string[]) => Promise<T[]>,
  keyOf: (row: T) => string,
): DataLoader<string, T[]> {
  return new DataLoader<string, T[]>(
    async (keys) => {
      const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
      for (const row of await fetch(keys)) groups.get(keyOf(row))?.push(row);
      return keys.map((k) => groups.get(k) ?? []);
    },
    { maxBatchSize: 1_000 },
  );
}
