import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  coversPlace,
  requireRole,
  type Principal,
  audit,
  keysetPage,
  asc,
} from '@anju/kit';
import { publish } from '@anju/contracts';
import { scopeSql } from '../scope';

export interface SiteRow {
  id: string;
  name: string;
  regionCode: string;
  address: string;
  latitude: number;
  longitude: number;
  plannedHouseholds: number;
}

const COLUMNS = `s.id, s.name, s.region_code AS "regionCode", s.address, s.latitude, s.longitude,
                   s.planned_households AS "plannedHouseholds"`;

export interface RegisterSiteInput {
  regionCode: string;
  name: string;
  address: string;
  latitude: number;
  longitude: number;
  plannedHouseholds: number;
}

export class SiteService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
  ) {}

  /** Sites by id, only those in scope (others come back missing). */
  byIds(ids: readonly string[]): Promise<SiteRow[]> {
    const scope = scopeSql(this.principal, 's', 2, 'site');
    return this.db.query(`SELECT ${COLUMNS} FROM site s WHERE s.id = ANY(as_uuids($1)) AND ${scope.sql}`, [
      ids,
      ...scope.params,
    ]);
  }

  async list(
    regionCode: string | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ) {
    const scope = scopeSql(this.principal, 's', 1, 'site');
    const params: unknown[] = [...scope.params, regionCode ? `${regionCode}%` : null];
    const where = `${scope.sql} AND ($${params.length}::text IS NULL OR s.region_code LIKE $${params.length})`;
    const list = { columns: COLUMNS, from: 'site s', where, params };
    const sort = asc<SiteRow>(['s.name', 'text', 'name'], ['s.id', 'uuid', 'id']);
    return keysetPage(this.db, list, { first, after }, sort);
  }

  /** Households and residents (not moved out) of sites, from the counters triggers keep (site_counter). */
  countsLoader() {
    return new DataLoader<string, { households: number; residents: number }>(async (ids) => {
      const rows: { id: string; households: number; residents: number }[] = await this.db.query(
        `SELECT c.site_id AS id, c.households, c.residents FROM site_counter c WHERE c.site_id = ANY(as_uuids($1))`,
        [ids],
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? { households: 0, residents: 0 });
    });
  }

  async register(input: RegisterSiteInput): Promise<SiteRow> {
    requireRole(this.principal, 'province', 'county');
    if (!/^\d{6}$/.test(input.regionCode))
      throw new InputError('input.regionCode', 'A site lies in a county-level region: a 6-digit code.', 'FORMAT');
    if (!coversPlace(this.principal, { siteId: '', regionCode: input.regionCode }))
      throw new ForbiddenError('The region is outside your scope.');
    const name = input.name.trim();
    if (!name || name.length > 100) throw new InputError('input.name', 'A site name has 1 to 100 characters.');
    if (!input.address.trim()) throw new InputError('input.address', 'The address is required.');
    if (!(input.latitude >= -90 && input.latitude <= 90))
      throw new InputError('input.latitude', 'Latitude is between -90 and 90 degrees.');
    if (!(input.longitude >= -180 && input.longitude <= 180))
      throw new InputError('input.longitude', 'Longitude is between -180 and 180 degrees.');
    if (!Number.isInteger(input.plannedHouseholds) || input.plannedHouseholds < 0) {
      throw new InputError('input.plannedHouseholds', 'Planned households is a whole number, zero or more.');
    }
    return this.db.transaction(async (m) => {
      const [region] = await m.query(`SELECT level FROM region WHERE code = $1`, [input.regionCode]);
      if (!region) throw new NotFoundError('input.regionCode', `Region ${input.regionCode} is not registered.`);
      const rows: SiteRow[] = await m.query(
        `INSERT INTO site AS s (name, region_code, address, latitude, longitude, planned_households)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (region_code, name) DO NOTHING RETURNING ${COLUMNS}`,
        [name, input.regionCode, input.address.trim(), input.latitude, input.longitude, input.plannedHouseholds],
      );
      if (!rows.length)
        throw new ConflictError('input.name', `A site named ${name} already exists in this region.`, 'DUPLICATE');
      const site = rows[0];
      await audit(m, this.principal, {
        action: 'site.register',
        entityType: 'Site',
        entityId: site.id,
        siteId: site.id,
        regionCode: site.regionCode,
      });
      await publish(m, 'site.registered', {
        siteId: site.id,
        regionCode: site.regionCode,
        name: site.name,
        latitude: site.latitude,
        longitude: site.longitude,
        plannedHouseholds: site.plannedHouseholds,
      });
      return site;
    });
  }
}
