import type { DataSource } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  coversPlace,
  requireRole,
  type Principal,
  isUuid,
  audit,
  keysetPage,
  asc,
} from '@anju/kit';
import { publish } from '@anju/contracts';
import { gridScopeSql, scopeSql } from '../scope';

export interface HouseholdRow {
  id: string;
  siteId: string;
  regionCode: string;
  householdNumber: string;
  address: string | null;
  buildingId: string | null;
  gridId: string | null;
  /** The latest grid worker's visit (入户走访), YYYY-MM-DD. */
  lastVisitedOn?: string | null;
}

const COLUMNS = `h.id, h.site_id AS "siteId", s.region_code AS "regionCode", h.household_number AS "householdNumber",
    h.address,
  h.building_id AS "buildingId", b.grid_id AS "gridId", to_char(h.last_visited_on, 'YYYY-MM-DD') AS "lastVisitedOn"`;
const FROM = `household h JOIN site s ON s.id = h.site_id LEFT JOIN building b ON b.id = h.building_id`;

export class HouseholdService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
  ) {}

  private scope(n: number) {
    const p = this.principal;
    if (p.role === 'resident')
      return {
        sql: `h.id IN (SELECT household_id FROM resident WHERE id = $${n}::uuid)`,
        params: [p.residentId] as unknown[],
      };
    if (p.role === 'grid_worker' && p.grids.length) return gridScopeSql(p, 'h', n, 'household');
    return scopeSql(p, 's', n, 'site');
  }

  byIds(ids: readonly string[]): Promise<HouseholdRow[]> {
    const scope = this.scope(2);
    return this.db.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE h.id = ANY(as_uuids($1)) AND ${scope.sql}`, [
      ids,
      ...scope.params,
    ]);
  }

  /** Households of a site, optionally of one building or grid, by household number. */
  async list(args: {
    siteId: string;
    buildingId?: string | null;
    gridId?: string | null;
    first?: number | null;
    after?: string | null;
  }) {
    const scope = this.scope(4);
    const params: unknown[] = [args.siteId, args.buildingId ?? null, args.gridId ?? null, ...scope.params];
    const where = `h.site_id = as_uuid($1) AND ($2::text IS NULL OR h.building_id = as_uuid($2))
                     AND ($3::text IS NULL OR b.grid_id = as_uuid($3)) AND ${scope.sql}`;
    const list = { columns: COLUMNS, from: FROM, where, params };
    const sort = asc<HouseholdRow>(['h.household_number', 'text', 'householdNumber'], ['h.id', 'uuid', 'id']);
    return keysetPage(this.db, list, args, sort);
  }

  /** A household for a write: it must exist and be in the caller's scope (a grid worker: in their grids). */
  async forWrite(id: string, field: string): Promise<HouseholdRow> {
    if (!isUuid(id)) throw new InputError(field, 'Not a household id.', 'FORMAT');
    const [row]: HouseholdRow[] = await this.db.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE h.id = $1`, [id]);
    if (!row) throw new NotFoundError(field, 'No such household.');
    if (!coversPlace(this.principal, { siteId: row.siteId, regionCode: row.regionCode, gridId: row.gridId }))
      throw new ForbiddenError('The household is outside your scope.');
    return row;
  }

  async register(input: {
    siteId: string;
    householdNumber: string;
    address?: string | null;
    buildingId?: string | null;
  }): Promise<HouseholdRow> {
    requireRole(this.principal, 'province', 'county', 'site_officer');
    if (!isUuid(input.siteId)) throw new InputError('input.siteId', 'Not a site id.', 'FORMAT');
    const number = input.householdNumber.trim();
    if (!number || number.length > 40)
      throw new InputError('input.householdNumber', 'A household number has 1 to 40 characters.');
    const [site] = await this.db.query(`SELECT id, region_code AS "regionCode" FROM site WHERE id = $1`, [
      input.siteId,
    ]);
    if (!site) throw new NotFoundError('input.siteId', 'No such site.');
    if (!coversPlace(this.principal, { siteId: site.id, regionCode: site.regionCode }))
      throw new ForbiddenError('The site is outside your scope.');
    let gridId: string | null = null;
    if (input.buildingId) {
      if (!isUuid(input.buildingId)) throw new InputError('input.buildingId', 'Not a building id.', 'FORMAT');
      const [b] = await this.db.query(`SELECT site_id AS "siteId", grid_id AS "gridId" FROM building WHERE id = $1`, [
        input.buildingId,
      ]);
      if (!b) throw new NotFoundError('input.buildingId', 'No such building.');
      if (b.siteId !== site.id)
        throw new InputError('input.buildingId', 'The building belongs to another site.', 'OTHER_SITE');
      gridId = b.gridId;
    }
    const address = input.address?.trim() || null;
    return this.db.transaction(async (m) => {
      const rows = await m.query(
        `INSERT INTO household (site_id, household_number, address, building_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (site_id, household_number) DO NOTHING RETURNING id`,
        [input.siteId, number, address, input.buildingId || null],
      );
      if (!rows.length)
        throw new ConflictError(
          'input.householdNumber',
          `Household ${number} is already registered at this site.`,
          'DUPLICATE',
        );
      const id: string = rows[0].id;
      await audit(m, this.principal, {
        action: 'household.register',
        entityType: 'Household',
        entityId: id,
        siteId: site.id,
        regionCode: site.regionCode,
        detail: { buildingId: input.buildingId || null },
      });
      await publish(m, 'household.registered', { householdId: id, siteId: site.id, regionCode: site.regionCode });
      return {
        id,
        siteId: site.id,
        regionCode: site.regionCode,
        householdNumber: number,
        address,
        buildingId: input.buildingId || null,
        gridId,
      };
    });
  }
}
