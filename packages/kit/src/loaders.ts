import DataLoader from 'dataloader';

/**
 * A per-request loader that fetches many rows by id in one query and returns them in the order
 * asked (null for ids not found or out of scope). `__resolveReference` and nested fields use it,
 * so 100 entities cost one SQL `= ANY($1)`, not 100 queries.
 */
export function byIdLoader<T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(
    async (ids) => {
      const rows = await fetch(ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    { maxBatchSize: 1_000 },
  );
}
