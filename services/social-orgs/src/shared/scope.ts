import type { DataSource, EntityManager } from 'typeorm';
import { ForbiddenError, InputError, NotFoundError, type Principal, isUuid, pageSize } from '@anju/kit';
import { organizationScope } from '../organization/organization.service';

type Queryable = Pick<DataSource | EntityManager, 'query'>;

/**
 * The scope of an organization's own records (activities, workers, cases, referrals…) as SQL
 * over their `organization_id` column: an NGO member's token sees its own organization only;
 * province and county officers those of organizations serving a region inside theirs; everyone
 * else none (residents get narrower, feature-specific rules where they have any).
 */
export function ownedScope(p: Principal, orgColumn: string, firstParam: number): { sql: string; params: unknown[] } {
  if (p.role === 'ngo_member') return { sql: `${orgColumn} = $${firstParam}::uuid`, params: [p.organizationId] };
  if (p.role === 'province' || p.role === 'county') {
    const s = organizationScope(p, firstParam);
    return { sql: `${orgColumn} IN (SELECT o.id FROM organization o WHERE ${s.sql})`, params: s.params };
  }
  return { sql: 'false', params: [] };
}

/**
 * The scope of records that belong to a place as well as to an organization — contracts (the
 * purchasing region), venture applications (their call's region), cases (their site's region),
 * and the milestones, payments, reviews and referrals under them, each carrying `region_code`:
 * an NGO member sees its organization's; province and county officers those placed in their
 * regions — not every record of an organization that also serves another county.
 */
export function placedScope(p: Principal, alias: string, firstParam: number): { sql: string; params: unknown[] } {
  if (p.role === 'ngo_member') return { sql: `${alias}.organization_id = $${firstParam}::uuid`, params: [p.organizationId] };
  if (p.role === 'province' || p.role === 'county') return { sql: `${alias}.region_code LIKE ANY($${firstParam}::text[])`, params: [p.regions.map((r) => `${r}%`)] };
  return { sql: 'false', params: [] };
}

/** The region of a site social-orgs knows (from governance's site.registered), or null. */
export async function siteRegion(db: Queryable, siteId: string): Promise<string | null> {
  const [row] = await db.query(`SELECT region_code FROM site_directory WHERE site_id = $1`, [siteId]);
  return row?.region_code ?? null;
}

/** Whether an organization serves a region (one of its service regions contains it). */
export async function servesRegion(db: Queryable, organizationId: string, regionCode: string): Promise<boolean> {
  const rows = await db.query(`SELECT 1 FROM organization o WHERE o.id = $1 AND $2 LIKE ANY (SELECT c || '%' FROM unnest(o.service_region_codes) c)`, [organizationId, regionCode]);
  return rows.length > 0;
}

export { isUuid } from '@anju/kit';

/**
 * The organization a write acts for: an NGO member always its own (naming another is refused);
 * an officer must name one serving their regions. Returns its id.
 */
export async function organizationToManage(db: Queryable, p: Principal, requested: string | null | undefined, field = 'input.organizationId'): Promise<string> {
  if (p.role === 'ngo_member') {
    if (requested && requested !== p.organizationId) throw new ForbiddenError('An NGO member acts for its own organization only.');
    return p.organizationId!;
  }
  if (p.role !== 'province' && p.role !== 'county') throw new ForbiddenError('This needs an NGO member or a province or county officer.');
  if (!isUuid(requested)) throw new NotFoundError(field, 'Name the organization (organizationId) this is for.');
  const s = organizationScope(p, 2);
  const rows = await db.query(`SELECT o.id FROM organization o WHERE o.id = $1 AND ${s.sql}`, [requested, ...s.params]);
  if (!rows.length) throw new NotFoundError(field, 'No such organization in your scope.');
  return requested;
}

/** One row by id inside the caller's scope, or NOT_FOUND (records of other organizations do not exist for the caller). */
export async function scopedRow<T>(
  db: Queryable, p: Principal, table: string, id: string, field: string, opts: { lock?: boolean; what?: string; placed?: boolean } = {},
): Promise<T & { id: string; organization_id: string }> {
  if (!isUuid(id)) throw new NotFoundError(field, `No such ${opts.what ?? 'record'}.`);
  const s = opts.placed ? placedScope(p, 't', 2) : ownedScope(p, 't.organization_id', 2);
  const rows = await db.query(`SELECT t.* FROM ${table} t WHERE t.id = $1 AND ${s.sql}${opts.lock ? ' FOR UPDATE' : ''}`, [id, ...s.params]);
  if (!rows.length) throw new NotFoundError(field, `No such ${opts.what ?? 'record'} in your scope.`);
  return rows[0];
}

/** Keyset pages over a table's `seq` column: `{ nodes, totalCount, endCursor }`. */
export function pageArgs(first: number | null | undefined, after: string | null | undefined): { limit: number; afterSeq: string } {
  const limit = pageSize(first);
  if (after && !/^\d{1,18}$/.test(after)) {
    throw new InputError('after', 'after is not a cursor of this list: pass the endCursor of the previous page.', 'MALFORMED_CURSOR');
  }
  const afterSeq = after || '0';
  return { limit, afterSeq };
}

export function toPage<T extends { seq: string }>(rows: T[], limit: number, totalCount: number) {
  const nodes = rows.slice(0, limit);
  return { nodes, totalCount, endCursor: rows.length > limit ? String(nodes.at(-1)!.seq) : null };
}

/** ISO-8601 UTC text of a timestamptz column, for the graph. */
export const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** An amount in yuan: above zero, below a trillion, at most 2 decimals (fen); else RANGE. */
export function moneyYuan(v: number, field: string): number {
  if (!Number.isFinite(v) || v <= 0 || v >= 1e12 || Math.abs(Math.round(v * 100) - v * 100) > 1e-6) {
    throw new InputError(field, 'An amount in yuan, above zero, with at most 2 decimals.', 'RANGE');
  }
  return v;
}

/** A non-empty trimmed text of at most `max` characters, or a typed error. */
export function text(raw: string | null | undefined, field: string, max = 200): string {
  const v = (raw ?? '').trim();
  if (!v || v.length > max) throw new InputError(field, `Give 1 to ${max} characters.`, 'LENGTH');
  return v;
}

export function optionalText(raw: string | null | undefined, field: string, max = 2000): string | null {
  const v = (raw ?? '').trim();
  if (!v) return null;
  if (v.length > max) throw new InputError(field, `At most ${max} characters.`, 'LENGTH');
  return v;
}

/** An ISO date (YYYY-MM-DD) that exists in the calendar. */
export function isoDate(raw: string, field: string): string {
  const d = new Date(`${raw}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== raw) {
    throw new InputError(field, 'Give a date as YYYY-MM-DD.', 'FORMAT');
  }
  return raw;
}

export function isoDateTime(raw: string, field: string): Date {
  const d = new Date(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(d.getTime())) throw new InputError(field, 'Give a date and time in ISO 8601 with an offset, e.g. 2026-12-01T14:30:00+08:00.', 'FORMAT');
  return d;
}

/** Rows of an UPDATE/DELETE … RETURNING through TypeORM (which answers `[rows, affectedCount]` for those). */
export function returned<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
