import type { DataSource } from 'typeorm';
import { ConflictError, ForbiddenError, InputError, NotFoundError, coversPlace, requireRole, type Principal } from '@anju/kit';
import { scopeSql } from '../scope';

export interface HouseholdRow {
  id: string;
  siteId: string;
  regionCode: string;
  householdNumber: string;
  address: string | null;
}

const COLUMNS = `h.id, h.site_id AS "siteId", s.region_code AS "regionCode", h.household_number AS "householdNumber", h.address`;

export class HouseholdService {
  constructor(private readonly db: DataSource, private readonly principal: Principal) {}

  byIds(ids: readonly string[]): Promise<HouseholdRow[]> {
    const scope = this.principal.role === 'resident'
      ? { sql: `h.id IN (SELECT household_id FROM resident WHERE id = $2::uuid)`, params: [this.principal.residentId] }
      : scopeSql(this.principal, 's', 2, 'site');
    return this.db.query(`SELECT ${COLUMNS} FROM household h JOIN site s ON s.id = h.site_id WHERE h.id::text = ANY($1) AND ${scope.sql}`, [ids, ...scope.params]);
  }

  /** A household for a write: it must exist and be in the caller's scope. */
  async forWrite(id: string, field: string): Promise<HouseholdRow> {
    if (!isUuid(id)) throw new InputError(field, 'Not a household id.', 'FORMAT');
    const [row]: HouseholdRow[] = await this.db.query(`SELECT ${COLUMNS} FROM household h JOIN site s ON s.id = h.site_id WHERE h.id = $1`, [id]);
    if (!row) throw new NotFoundError(field, 'No such household.');
    if (!coversPlace(this.principal, { siteId: row.siteId, regionCode: row.regionCode })) throw new ForbiddenError('The household is outside your scope.');
    return row;
  }

  async register(input: { siteId: string; householdNumber: string; address?: string | null }): Promise<HouseholdRow> {
    requireRole(this.principal, 'province', 'county', 'site_officer');
    if (!isUuid(input.siteId)) throw new InputError('input.siteId', 'Not a site id.', 'FORMAT');
    const number = input.householdNumber.trim();
    if (!number || number.length > 40) throw new InputError('input.householdNumber', 'A household number has 1 to 40 characters.');
    const [site] = await this.db.query(`SELECT id, region_code AS "regionCode" FROM site WHERE id = $1`, [input.siteId]);
    if (!site) throw new NotFoundError('input.siteId', 'No such site.');
    if (!coversPlace(this.principal, { siteId: site.id, regionCode: site.regionCode })) throw new ForbiddenError('The site is outside your scope.');
    const rows = await this.db.query(
      `INSERT INTO household (site_id, household_number, address) VALUES ($1, $2, $3)
       ON CONFLICT (site_id, household_number) DO NOTHING RETURNING id`,
      [input.siteId, number, input.address?.trim() || null],
    );
    if (!rows.length) throw new ConflictError('input.householdNumber', `Household ${number} is already registered at this site.`, 'DUPLICATE');
    return { id: rows[0].id, siteId: site.id, regionCode: site.regionCode, householdNumber: number, address: input.address?.trim() || null };
  }
}

export function isUuid(v: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
}
