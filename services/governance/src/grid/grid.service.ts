import type { DataSource } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  coversPlace,
  requireRole,
  type Clock,
  type Principal,
  audit,
  isUuid,
} from '@anju/kit';
import { gridScopeSql, scopeSql } from '../scope';

export interface GridRow {
  id: string;
  siteId: string;
  regionCode: string;
  name: string;
  gridWorkerSubject: string | null;
  gridWorkerName: string | null;
}

const COLUMNS = `g.id, g.site_id AS "siteId", s.region_code AS "regionCode", g.name,
                   g.grid_worker_subject AS "gridWorkerSubject", g.grid_worker_name AS "gridWorkerName"`;

export interface RegisterGridInput {
  siteId: string;
  name: string;
  gridWorkerSubject?: string | null;
  gridWorkerName?: string | null;
}

/** The place of a site for a write: it must exist and be in the caller's scope. */
export async function siteForWrite(
  db: Pick<DataSource, 'query'>,
  p: Principal,
  siteId: string,
  field: string,
): Promise<{ id: string; regionCode: string }> {
  if (!isUuid(siteId)) throw new InputError(field, 'Not a site id.', 'FORMAT');
  const [site] = await db.query(`SELECT id, region_code AS "regionCode" FROM site WHERE id = $1`, [siteId]);
  if (!site) throw new NotFoundError(field, 'No such site.');
  if (!coversPlace(p, { siteId: site.id, regionCode: site.regionCode }))
    throw new ForbiddenError('The site is outside your scope.');
  return site;
}

/** 网格职责 — one line of a grid's responsibilities list. */
export interface GridDutyRow {
  id: string;
  gridId: string;
  position: number;
  title: string;
  detail: string | null;
}

/** The most duties a grid's list holds: a list a grid worker can keep in mind. */
export const MAX_GRID_DUTIES = 30;

export class GridService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  private scope(n: number) {
    return this.principal.role === 'grid_worker' && this.principal.grids.length
      ? gridScopeSql(this.principal, 'g', n, 'grid')
      : scopeSql(this.principal, 's', n, 'site');
  }

  byIds(ids: readonly string[]): Promise<GridRow[]> {
    const scope = this.scope(2);
    return this.db.query(
      `SELECT ${COLUMNS} FROM grid g JOIN site s ON s.id = g.site_id WHERE g.id = ANY(as_uuids($1)) AND ${scope.sql}`,
      [ids, ...scope.params],
    );
  }

  ofSite(siteId: string): Promise<GridRow[]> {
    const scope = this.scope(2);
    return this.db.query(
      `SELECT ${COLUMNS} FROM grid g JOIN site s ON s.id = g.site_id WHERE g.site_id = as_uuid($1) AND ${scope.sql}
         ORDER BY g.name`,
      [siteId, ...scope.params],
    );
  }

  async register(input: RegisterGridInput): Promise<GridRow> {
    requireRole(this.principal, 'province', 'county', 'site_officer');
    const site = await siteForWrite(this.db, this.principal, input.siteId, 'input.siteId');
    const name = input.name.trim();
    if (!name || name.length > 50) throw new InputError('input.name', 'A grid name has 1 to 50 characters.');
    return this.db.transaction(async (m) => {
      const rows = await m.query(
        `INSERT INTO grid (site_id, name, grid_worker_subject, grid_worker_name) VALUES ($1, $2, $3, $4)
         ON CONFLICT (site_id, name) DO NOTHING RETURNING id`,
        [site.id, name, input.gridWorkerSubject?.trim() || null, input.gridWorkerName?.trim() || null],
      );
      if (!rows.length)
        throw new ConflictError('input.name', `A grid named ${name} already exists at this site.`, 'DUPLICATE');
      await audit(m, this.principal, {
        action: 'grid.register',
        entityType: 'Grid',
        entityId: rows[0].id,
        siteId: site.id,
        regionCode: site.regionCode,
      });
      return {
        id: rows[0].id,
        siteId: site.id,
        regionCode: site.regionCode,
        name,
        gridWorkerSubject: input.gridWorkerSubject?.trim() || null,
        gridWorkerName: input.gridWorkerName?.trim() || null,
      };
    });
  }

  /** The duties of grids the caller can read (the grid carries the scope), in order. */
  duties(gridIds: readonly string[]): Promise<GridDutyRow[]> {
    return this.db.query(
      `SELECT d.id, d.grid_id AS "gridId", d.position, d.title, d.detail FROM grid_duty d
       WHERE d.grid_id = ANY(as_uuids($1)) ORDER BY d.grid_id, d.position`,
      [gridIds],
    );
  }

  /** Replaces a grid's duties (网格职责) whole, in order: officers of its site and region. */
  async setDuties(gridId: string, duties: { title: string; detail?: string | null }[]): Promise<GridRow> {
    requireRole(this.principal, 'province', 'county', 'site_officer');
    if (!isUuid(gridId)) throw new InputError('gridId', 'Not a grid id.', 'FORMAT');
    if (duties.length > MAX_GRID_DUTIES)
      throw new InputError('duties', `A grid has at most ${MAX_GRID_DUTIES} duties.`, 'TOO_MANY');
    const list = duties.map((d, i) => {
      const title = d.title.trim();
      if (title.length < 2 || title.length > 50)
        throw new InputError(`duties.${i}.title`, 'A duty has a title of 2 to 50 characters.');
      const detail = d.detail?.trim() || null;
      if (detail && detail.length > 500)
        throw new InputError(`duties.${i}.detail`, "A duty's detail has at most 500 characters.");
      return { title, detail };
    });
    const seen = new Set<string>();
    for (const [i, d] of list.entries()) {
      if (seen.has(d.title))
        throw new InputError(`duties.${i}.title`, `The duty ${d.title} is listed twice.`, 'DUPLICATE');
      seen.add(d.title);
    }
    const [grid]: GridRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM grid g JOIN site s ON s.id = g.site_id WHERE g.id = $1`,
      [gridId],
    );
    // A grid outside the caller's scope is not told apart from one that does not exist.
    if (!grid || !coversPlace(this.principal, { siteId: grid.siteId, regionCode: grid.regionCode }))
      throw new NotFoundError('gridId', 'No such grid.');
    return this.db.transaction(async (m) => {
      // The grid row is locked so that two lists set at once end as one of them, never a mix.
      await m.query(`SELECT 1 FROM grid WHERE id = $1 FOR UPDATE`, [gridId]);
      const [{ before }] = await m.query(
        `WITH gone AS (DELETE FROM grid_duty WHERE grid_id = $1 RETURNING 1) SELECT count(*)::int AS before FROM gone`,
        [gridId],
      );
      await m.query(
        `INSERT INTO grid_duty (grid_id, site_id, region_code, position, title, detail, set_by, set_at)
         SELECT $1, $2, $3, x.n, x.title, x.detail, $6, $7
         FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS x(title, detail, n)`,
        [
          gridId,
          grid.siteId,
          grid.regionCode,
          list.map((d) => d.title),
          list.map((d) => d.detail),
          this.principal.subject,
          this.clock.now(),
        ],
      );
      await audit(m, this.principal, {
        action: 'grid.set_duties',
        entityType: 'Grid',
        entityId: gridId,
        siteId: grid.siteId,
        regionCode: grid.regionCode,
        detail: { before, after: list.length },
      });
      return grid;
    });
  }
}
