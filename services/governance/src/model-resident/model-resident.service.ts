import type { DataSource } from 'typeorm';
import {
  ConflictError,
  InputError,
  NotFoundError,
  coversPlace,
  placeFilter,
  provinceDate,
  requireRole,
  type Clock,
  type Principal,
  audit,
  returning,
  isUuid,
} from '@anju/kit';
import { gridWorkerSites } from '../scope';

export interface ModelResidentRow {
  id: string;
  residentId: string;
  residentName: string;
  siteId: string;
  regionCode: string;
  title: string;
  reason: string;
  year: number;
  status: 'nominated' | 'recognized' | 'rejected';
  nominatedAt: Date;
  decidedAt: Date | null;
  decisionNote: string | null;
}

const COLUMNS = `m.id, m.resident_id AS "residentId", r.name AS "residentName", m.site_id AS "siteId",
    m.region_code AS "regionCode", m.title, m.reason, m.year,
  m.status, m.nominated_at AS "nominatedAt", m.decided_at AS "decidedAt", m.decision_note AS "decisionNote"`;
const FROM = `model_resident m JOIN resident r ON r.id = m.resident_id`;

/** 德治: model residents. Recognized ones are public to their site; nominations only to officers and grid workers. */
export class ModelResidentService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  private scope(n: number): { sql: string; params: unknown[] } {
    const p = this.principal;
    if (p.role === 'resident') {
      return {
        sql: `m.status = 'recognized' AND m.site_id IN
              (SELECT site_id FROM resident WHERE id = as_uuid($${n}) AND moved_out_on IS NULL)`,
        params: [p.residentId],
      };
    }
    if (p.role === 'grid_worker') return gridWorkerSites(p, 'm.site_id', n);
    return placeFilter(p, { site: 'm.site_id', region: 'm.region_code' }, n);
  }

  list(
    siteId: string,
    status: 'nominated' | 'recognized' | 'rejected' | null | undefined,
    year: number | null | undefined,
  ): Promise<ModelResidentRow[]> {
    const scope = this.scope(4);
    return this.db.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE m.site_id = as_uuid($1) AND ($2::text IS NULL OR m.status = $2)
          AND ($3::int IS NULL OR m.year = $3) AND ${scope.sql}
        ORDER BY m.year DESC, m.title, r.name LIMIT 500`,
      [siteId, status ?? null, year ?? null, ...scope.params],
    );
  }

  async nominate(input: {
    residentId: string;
    title: string;
    reason: string;
    year: number;
  }): Promise<ModelResidentRow> {
    const p = this.principal;
    requireRole(p, 'county', 'site_officer', 'grid_worker');
    if (!isUuid(input.residentId)) throw new InputError('input.residentId', 'Not a resident id.', 'FORMAT');
    const [r] = await this.db.query(
      `SELECT r.id, r.site_id AS "siteId", r.region_code AS "regionCode", b.grid_id AS "gridId",
           r.moved_out_on AS "movedOutOn"
         FROM resident r JOIN household h ON h.id = r.household_id LEFT JOIN building b ON b.id = h.building_id
         WHERE r.id = $1`,
      [input.residentId],
    );
    if (!r || !coversPlace(p, { siteId: r.siteId, regionCode: r.regionCode, gridId: r.gridId }))
      throw new NotFoundError('input.residentId', 'No such resident.');
    if (r.movedOutOn) throw new InputError('input.residentId', 'The resident has moved out.', 'MOVED_OUT');
    const title = input.title.trim();
    if (title.length < 2 || title.length > 50)
      throw new InputError('input.title', 'A title (e.g. 文明家庭) has 2 to 50 characters.');
    const reason = input.reason.trim();
    if (reason.length < 5 || reason.length > 2000)
      throw new InputError('input.reason', 'Say why (5 to 2000 characters).');
    const thisYear = Number(provinceDate(this.clock.now()).slice(0, 4));
    if (!Number.isInteger(input.year) || input.year < thisYear - 1 || input.year > thisYear)
      throw new InputError('input.year', 'Nominations are for this year or last year.');
    return this.db.transaction(async (m) => {
      const rows = await m.query(
        `INSERT INTO model_resident (resident_id, site_id, region_code, title, reason, year, nominated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (resident_id, title, year) DO NOTHING RETURNING id`,
        [r.id, r.siteId, r.regionCode, title, reason, input.year, p.subject],
      );
      if (!rows.length)
        throw new ConflictError(
          'input.title',
          'This resident is already nominated for this title this year.',
          'DUPLICATE',
        );
      await audit(m, p, {
        action: 'model_resident.nominate',
        entityType: 'ModelResident',
        entityId: rows[0].id,
        siteId: r.siteId,
        regionCode: r.regionCode,
      });
      const [row] = await m.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE m.id = $1`, [rows[0].id]);
      return row;
    });
  }

  /** Site or county officers recognize or reject a nomination. */
  async decide(id: string, recognize: boolean, note: string | null | undefined): Promise<ModelResidentRow> {
    const p = this.principal;
    requireRole(p, 'county', 'site_officer');
    if (!isUuid(id)) throw new InputError('id', 'Not a nomination id.', 'FORMAT');
    const [row]: ModelResidentRow[] = await this.db.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE m.id = $1`, [id]);
    if (!row || !coversPlace(p, { siteId: row.siteId, regionCode: row.regionCode }))
      throw new NotFoundError('id', 'No such nomination.');
    if (row.status !== 'nominated')
      throw new ConflictError('id', `The nomination is already ${row.status}.`, 'BAD_TRANSITION');
    return this.db.transaction(async (m) => {
      const done = returning<{ id: string }>(
        await m.query(
          `UPDATE model_resident SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4 WHERE id = $1
             AND status = 'nominated' RETURNING id`,
          [id, recognize ? 'recognized' : 'rejected', p.subject, note?.trim() || null],
        ),
      );
      if (!done.length) throw new ConflictError('id', 'The nomination was decided meanwhile.', 'BAD_TRANSITION');
      await audit(m, p, {
        action: recognize ? 'model_resident.recognize' : 'model_resident.reject',
        entityType: 'ModelResident',
        entityId: id,
        siteId: row.siteId,
        regionCode: row.regionCode,
      });
      const [after] = await m.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE m.id = $1`, [id]);
      return after;
    });
  }
}
