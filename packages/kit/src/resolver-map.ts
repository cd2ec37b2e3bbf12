import { NotFoundError } from './errors';

/**
 * Feature resolver maps merged type by type (`Query`, `Mutation`, `Site`… are shared by features): each
 * map is typed with the service's generated `Resolvers`, so the merge is one too. A later map's field wins.
 */
export function mergeResolverMaps<R extends object>(...maps: R[]): R {
  const all: Record<string, object> = {};
  for (const map of maps)
    for (const [type, fields] of Object.entries(map)) all[type] = { ...all[type], ...(fields as object) };
  return all as R;
}

/**
 * An instant as the schema's `String` (ISO 8601, UTC); null stays null, so a non-null column gives a non-null field.
 */
export function isoInstant(d: Date | string): string;
export function isoInstant(d: Date | string | null | undefined): string | null;
export function isoInstant(d: Date | string | null | undefined): string | null {
  return d == null ? null : new Date(d).toISOString();
}

/** A federation reference to an entity another subgraph owns (or this one extends): its key alone. */
export interface EntityRef {
  id: string;
}

/**
 * An enum whose GraphQL values are its stored values in upper case (`'vice_chair'` → `VICE_CHAIR`): its resolver map.
 */
export const upperEnum = <V extends string>(...values: V[]) =>
  Object.fromEntries(values.map((v) => [v.toUpperCase(), v])) as { [K in V as Uppercase<K>]: K };

/**
 * An enum stored as its GraphQL values in lower case (`'POVERTY_WORKSHOP'` → `'poverty_workshop'`): its resolver map.
 */
export const lowerEnum = <V extends string>(...values: V[]) =>
  Object.fromEntries(values.map((v) => [v, v.toLowerCase()])) as { [K in V]: Lowercase<K> };

/**
 * A row the schema promises (a non-null field or a mutation's result) read through the caller's scoped loader:
 * absent — out of the caller's sight, or gone — it is a typed NOT_FOUND on `field`, where returning the null
 * would have been GraphQL's internal "Cannot return null for non-nullable field".
 */
export async function required<T>(row: Promise<T | null> | T | null, field: string): Promise<T> {
  const found = await row;
  if (found === null) throw new NotFoundError(field, 'Not found, or not visible to you.');
  return found;
}

/** The rows of a list field through a loader: those out of the caller's sight (null) are left out; errors throw. */
export async function loadPresent<K, T>(
  loader: { loadMany(keys: readonly K[]): Promise<(T | null | Error)[]> },
  keys: readonly K[],
): Promise<T[]> {
  const rows = await loader.loadMany(keys);
  const failed = rows.find((r): r is Error => r instanceof Error);
  if (failed) throw failed;
  return rows.filter((r): r is T => r !== null);
}
