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
 * An enum stored as its GraphQL values in lower case (`'POVERTY_WORKSHOP'` → `'poverty_workshop'`): its resolver map.
 */
export const lowerEnum = <V extends string>(...values: V[]) =>
  Object.fromEntries(values.map((v) => [v, v.toLowerCase()])) as { [K in V]: Lowercase<K> };
