const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID.test(v);
}

/**
 * The ids that are uuids, for `col = ANY($1::uuid[])`: the comparison stays on the uuid column
 * (its index serves it; `col::text = …` would scan), and a malformed id matches nothing instead
 * of failing the whole query.
 */
export function uuidsOf(ids: readonly unknown[] | null | undefined): string[] {
  return (ids ?? []).filter(isUuid);
}

/**
 * SQL for positional parameter `$n` as a uuid, or NULL when it is not one: `col = ${uuidParam(1)}`
 * keeps the comparison on the uuid column (and its index) without failing on a malformed id.
 */
export function uuidParam(n: number): string {
  return `(CASE WHEN $${n}::text ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    THEN $${n}::text::uuid END)`;
}

/** A calendar date written `YYYY-MM-DD` that exists (no 2026-02-30). */
export function isIsoDate(v: unknown): v is string {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const t = Date.parse(`${v}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(v);
}
