import type { DataSource } from 'typeorm';
import {
  ConflictError, ForbiddenError, InputError, NotFoundError, coversPlace, requireRole, type Principal, audit, isUuid,
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

const COLUMNS = `g.id, g.site_id AS "siteId", s.region_code AS "regionCode", g.name, g.grid_worker_subject AS "gridWorkerSubject", g.grid_worker_name AS "gridWorkerName"`;

export interface RegisterGridInput {
  siteId: string;
  name: string;
  gridWorkerSubject?: string | null;
  gridWorkerName?: string | null;
}

/** The place of a site for a write: it must exist and be in the caller's scope. */
export async function siteForWrite(db: Pick<DataSource, 'query'>, p: Principal, siteId: string, field: string): Promise<{ id: string; regionCode: string }> {
  if (!isUuid(siteId)) throw new InputError(field, 'Not a site id.', 'FORMAT');
  const [site] = await db.query(`SELECT id, region_code AS "regionCode" FROM site WHERE id = $1`, [siteId]);
  if (!site) throw new NotFoundError(field, 'No such site.');
  if (!coversPlace(p, { siteId: site.id, regionCode: site.regionCode })) throw new ForbiddenError('The site is outside your scope.');
  return site;
}

export class GridService {
  constructor(private readonly db: DataSource, private readonly principal: Principal) {}

  private scope(n: number) {
    return this.principal.role === 'grid_worker' && this.principal.grids.length
      ? gridScopeSql(this.principal, 'g', n, 'grid')
      : scopeSql(this.principal, 's', n, 'site');
  }

  byIds(ids: readonly string[]): Promise<GridRow[]> {
    const scope = this.scope(2);
    return this.db.query(`SELECT ${COLUMNS} FROM grid g JOIN site s ON s.id = g.site_id WHERE g.id = ANY(as_uuids($1)) AND ${scope.sql}`, [ids, ...scope.params]);
  }

  ofSite(siteId: string): Promise<GridRow[]> {
    const scope = this.scope(2);
    return this.db.query(`SELECT ${COLUMNS} FROM grid g JOIN site s ON s.id = g.site_id WHERE g.site_id = as_uuid($1) AND ${scope.sql} ORDER BY g.name`, [siteId, ...scope.params]);
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
      if (!rows.length) throw new ConflictError('input.name', `A grid named ${name} already exists at this site.`, 'DUPLICATE');
      await audit(m, this.principal, { action: 'grid.register', entityType: 'Grid', entityId: rows[0].id, siteId: site.id, regionCode: site.regionCode });
      return { id: rows[0].id, siteId: site.id, regionCode: site.regionCode, name, gridWorkerSubject: input.gridWorkerSubject?.trim() || null, gridWorkerName: input.gridWorkerName?.trim() || null };
    });
  }
}
