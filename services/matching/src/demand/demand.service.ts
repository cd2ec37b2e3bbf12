import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { ForbiddenError, InputError, NotFoundError, coversPlace, placeFilter, requireRole, type Principal } from '@anju/kit';
import { findSite } from '@anju/contracts';
import type { DemandStatus, Urgency } from './demand.entity';

export interface DemandRow {
  id: string;
  siteId: string;
  regionCode: string;
  category: string;
  description: string;
  urgency: Urgency;
  status: DemandStatus;
  languages: string[];
  requiredSkills: string[];
  windowStart: string | null;
  windowEnd: string | null;
  householdId: string | null;
  recordedAt: Date;
}

const COLUMNS = `d.id, d.site_id AS "siteId", d.region_code AS "regionCode", d.category, d.description, d.urgency, d.status,
  d.languages, d.required_skills AS "requiredSkills", to_char(d.window_start, 'YYYY-MM-DD') AS "windowStart",
  to_char(d.window_end, 'YYYY-MM-DD') AS "windowEnd", d.household_id AS "householdId", d.recorded_at AS "recordedAt"`;

export interface RecordDemandInput {
  siteId: string;
  category: string;
  description: string;
  urgency?: Urgency | null;
  languages?: string[] | null;
  requiredSkills?: string[] | null;
  windowStart?: string | null;
  windowEnd?: string | null;
  householdId?: string | null;
}

function scope(p: Principal, firstParam: number) {
  return placeFilter(p, { site: 'd.site_id', region: 'd.region_code' }, firstParam);
}

export class DemandService {
  constructor(private readonly db: DataSource, private readonly principal: Principal) {}

  byIds(ids: readonly string[]): Promise<DemandRow[]> {
    const s = scope(this.principal, 2);
    return this.db.query(`SELECT ${COLUMNS} FROM demand d WHERE d.id::text = ANY($1) AND ${s.sql}`, [ids, ...s.params]);
  }

  async list(siteId: string, status: DemandStatus | null | undefined, first: number | null | undefined, after: string | null | undefined) {
    const limit = Math.min(Math.max(first ?? 50, 1), 200);
    const s = scope(this.principal, 3);
    const where = `d.site_id::text = $1 AND ($2::text IS NULL OR d.status = $2) AND ${s.sql}`;
    const params = [siteId, status ?? null, ...s.params];
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM demand d WHERE ${where}`, params);
    const [afterAt, afterId] = after ? Buffer.from(after, 'base64url').toString().split('|') : [null, null];
    const n = params.length;
    const rows: DemandRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM demand d WHERE ${where}
          AND ($${n + 1}::timestamptz IS NULL OR (d.recorded_at, d.id) < ($${n + 1}::timestamptz, $${n + 2}::uuid))
        ORDER BY d.recorded_at DESC, d.id DESC LIMIT $${n + 3}`,
      [...params, afterAt, afterId, limit + 1],
    );
    const nodes = rows.slice(0, limit);
    const last = nodes.at(-1);
    return {
      nodes,
      totalCount: count,
      endCursor: rows.length > limit && last ? Buffer.from(`${new Date(last.recordedAt).toISOString()}|${last.id}`).toString('base64url') : null,
    };
  }

  /** Open demands per site, for sites in scope (others count zero). */
  openCountLoader() {
    return new DataLoader<string, number>(async (siteIds) => {
      const s = scope(this.principal, 2);
      const rows: { siteId: string; n: number }[] = await this.db.query(
        `SELECT d.site_id AS "siteId", count(*)::int AS n FROM demand d
          WHERE d.site_id::text = ANY($1) AND d.status = 'open' AND ${s.sql} GROUP BY d.site_id`,
        [siteIds, ...s.params],
      );
      const bySite = new Map(rows.map((r) => [r.siteId, r.n]));
      return siteIds.map((id) => bySite.get(id) ?? 0);
    });
  }

  async record(input: RecordDemandInput): Promise<DemandRow> {
    requireRole(this.principal, 'province', 'county', 'site_officer', 'grid_worker');
    const site = await findSite(this.db, input.siteId);
    if (!site) throw new NotFoundError('input.siteId', 'No such site.');
    if (!coversPlace(this.principal, { siteId: site.siteId, regionCode: site.regionCode })) throw new ForbiddenError('The site is outside your scope.');
    const description = input.description.trim();
    if (!description || description.length > 1_000) throw new InputError('input.description', 'Describe the need in 1 to 1000 characters.');
    for (const field of ['windowStart', 'windowEnd'] as const) {
      const v = input[field];
      if (v && !isDate(v)) throw new InputError(`input.${field}`, 'A date is written YYYY-MM-DD.', 'FORMAT');
    }
    if (input.windowStart && input.windowEnd && input.windowEnd < input.windowStart) {
      throw new InputError('input.windowEnd', 'The time window ends before it starts.', 'WINDOW_REVERSED');
    }
    if (input.householdId && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.householdId)) {
      throw new InputError('input.householdId', 'Not a household id.', 'FORMAT');
    }
    const clean = (list: string[] | null | undefined) => [...new Set((list ?? []).map((s) => s.trim()).filter(Boolean))];
    const [row]: DemandRow[] = await this.db.query(
      `INSERT INTO demand AS d (site_id, region_code, category, description, urgency, languages, required_skills, window_start, window_end, household_id, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
      [site.siteId, site.regionCode, input.category, description, input.urgency ?? 'normal', clean(input.languages), clean(input.requiredSkills),
        input.windowStart ?? null, input.windowEnd ?? null, input.householdId ?? null, this.principal.subject],
    );
    return row;
  }
}

function isDate(s: string): boolean {
  const t = Date.parse(`${s}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
}
