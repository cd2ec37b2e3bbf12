import type { DataSource } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  coversPlace,
  provinceDate,
  requireRole,
  type Clock,
  type Principal,
  audit,
  isUuid,
} from '@anju/kit';
import { publish } from '@anju/contracts';
import { siteForWrite } from '../grid/grid.service';
import { gridScopeSql, scopeSql } from '../scope';

export interface BuildingRow {
  id: string;
  siteId: string;
  regionCode: string;
  gridId: string | null;
  name: string;
  floors: number | null;
  leaderResidentId: string | null;
}

const COLUMNS = `b.id, b.site_id AS "siteId", s.region_code AS "regionCode", b.grid_id AS "gridId", b.name, b.floors,
                   b.leader_resident_id AS "leaderResidentId"`;

export interface RegisterBuildingInput {
  siteId: string;
  name: string;
  gridId?: string | null;
  floors?: number | null;
}

export class BuildingService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  private scope(n: number) {
    return this.principal.role === 'grid_worker' && this.principal.grids.length
      ? gridScopeSql(this.principal, 'b', n, 'building')
      : scopeSql(this.principal, 's', n, 'site');
  }

  byIds(ids: readonly string[]): Promise<BuildingRow[]> {
    const scope = this.scope(2);
    return this.db.query(
      `SELECT ${COLUMNS} FROM building b JOIN site s ON s.id = b.site_id WHERE b.id = ANY(as_uuids($1))
         AND ${scope.sql}`,
      [ids, ...scope.params],
    );
  }

  ofSite(siteId: string, gridId: string | null | undefined): Promise<BuildingRow[]> {
    const scope = this.scope(3);
    return this.db.query(
      `SELECT ${COLUMNS} FROM building b JOIN site s ON s.id = b.site_id
        WHERE b.site_id = as_uuid($1) AND ($2::text IS NULL OR b.grid_id = as_uuid($2)) AND ${scope.sql}
          ORDER BY b.name`,
      [siteId, gridId ?? null, ...scope.params],
    );
  }

  /** The buildings of many grids at once, in the caller's scope, by name. */
  ofGrids(gridIds: readonly string[]): Promise<BuildingRow[]> {
    const scope = this.scope(2);
    return this.db.query(
      `SELECT ${COLUMNS} FROM building b JOIN site s ON s.id = b.site_id WHERE b.grid_id = ANY(as_uuids($1))
         AND ${scope.sql} ORDER BY b.name`,
      [gridIds, ...scope.params],
    );
  }

  /** A building for a write: it must exist and be in the caller's scope. */
  async forWrite(id: string, field: string): Promise<BuildingRow> {
    if (!isUuid(id)) throw new InputError(field, 'Not a building id.', 'FORMAT');
    const [row]: BuildingRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM building b JOIN site s ON s.id = b.site_id WHERE b.id = $1`,
      [id],
    );
    if (!row) throw new NotFoundError(field, 'No such building.');
    if (!coversPlace(this.principal, { siteId: row.siteId, regionCode: row.regionCode, gridId: row.gridId }))
      throw new ForbiddenError('The building is outside your scope.');
    return row;
  }

  private async gridOfSite(gridId: string | null | undefined, siteId: string, field: string): Promise<string | null> {
    if (!gridId) return null;
    if (!isUuid(gridId)) throw new InputError(field, 'Not a grid id.', 'FORMAT');
    const [g] = await this.db.query(`SELECT site_id AS "siteId" FROM grid WHERE id = $1`, [gridId]);
    if (!g) throw new NotFoundError(field, 'No such grid.');
    if (g.siteId !== siteId) throw new InputError(field, 'The grid belongs to another site.', 'OTHER_SITE');
    return gridId;
  }

  async register(input: RegisterBuildingInput): Promise<BuildingRow> {
    requireRole(this.principal, 'province', 'county', 'site_officer');
    const site = await siteForWrite(this.db, this.principal, input.siteId, 'input.siteId');
    const name = input.name.trim();
    if (!name || name.length > 50) throw new InputError('input.name', 'A building name has 1 to 50 characters.');
    if (input.floors != null && !(Number.isInteger(input.floors) && input.floors > 0 && input.floors < 200)) {
      throw new InputError('input.floors', 'Floors is a whole number from 1 to 199.');
    }
    const gridId = await this.gridOfSite(input.gridId, site.id, 'input.gridId');
    return this.db.transaction(async (m) => {
      const rows = await m.query(
        `INSERT INTO building (site_id, grid_id, name, floors) VALUES ($1, $2, $3, $4) ON CONFLICT (site_id, name)
         DO NOTHING RETURNING id`,
        [site.id, gridId, name, input.floors ?? null],
      );
      if (!rows.length)
        throw new ConflictError('input.name', `A building named ${name} already exists at this site.`, 'DUPLICATE');
      await audit(m, this.principal, {
        action: 'building.register',
        entityType: 'Building',
        entityId: rows[0].id,
        siteId: site.id,
        regionCode: site.regionCode,
        detail: { gridId },
      });
      return {
        id: rows[0].id,
        siteId: site.id,
        regionCode: site.regionCode,
        gridId,
        name,
        floors: input.floors ?? null,
        leaderResidentId: null,
      };
    });
  }

  /** Puts a building in a grid (or takes it out with null); the grid worker's reach follows. */
  async assignToGrid(buildingId: string, gridId: string | null | undefined): Promise<BuildingRow> {
    requireRole(this.principal, 'province', 'county', 'site_officer');
    const b = await this.forWrite(buildingId, 'buildingId');
    const g = await this.gridOfSite(gridId, b.siteId, 'gridId');
    return this.db.transaction(async (m) => {
      await m.query(`UPDATE building SET grid_id = $2 WHERE id = $1`, [b.id, g]);
      await audit(m, this.principal, {
        action: 'building.assign_grid',
        entityType: 'Building',
        entityId: b.id,
        siteId: b.siteId,
        regionCode: b.regionCode,
        detail: { from: b.gridId, to: g },
      });
      if (b.gridId !== g) {
        // Employment's roll-ups by grid and the households' open grid tasks follow the building.
        const [{ households }] = await m.query(
          `SELECT coalesce(array_agg(id ORDER BY id), '{}') AS households FROM household WHERE building_id = $1`,
          [b.id],
        );
        await publish(m, 'building.grid_changed', {
          buildingId: b.id,
          siteId: b.siteId,
          regionCode: b.regionCode,
          gridId: g,
          previousGridId: b.gridId,
          householdIds: households,
          changedAt: this.clock.now().toISOString(),
        });
      }
      return { ...b, gridId: g };
    });
  }

  /** Names the building leader (楼栋长): a resident living in the building now. */
  async setLeader(buildingId: string, residentId: string): Promise<BuildingRow> {
    requireRole(this.principal, 'province', 'county', 'site_officer', 'grid_worker');
    const b = await this.forWrite(buildingId, 'buildingId');
    if (!isUuid(residentId)) throw new InputError('residentId', 'Not a resident id.', 'FORMAT');
    const [r] = await this.db.query(
      `SELECT r.id FROM resident r JOIN household h ON h.id = r.household_id WHERE r.id = $1 AND h.building_id = $2
         AND r.moved_out_on IS NULL`,
      [residentId, b.id],
    );
    if (!r)
      throw new InputError(
        'residentId',
        'The building leader must be a resident living in this building.',
        'NOT_IN_BUILDING',
      );
    return this.db.transaction(async (m) => {
      await m.query(`UPDATE building SET leader_resident_id = $2 WHERE id = $1`, [b.id, residentId]);
      await audit(m, this.principal, {
        action: 'building.set_leader',
        entityType: 'Building',
        entityId: b.id,
        siteId: b.siteId,
        regionCode: b.regionCode,
        detail: { residentId },
      });
      return { ...b, leaderResidentId: residentId };
    });
  }

  /** Adds a community enthusiast (热心人) to a building: a resident living in it who helps the building leader. */
  async addHelper(buildingId: string, residentId: string): Promise<BuildingRow> {
    requireRole(this.principal, 'province', 'county', 'site_officer', 'grid_worker');
    const b = await this.forWrite(buildingId, 'buildingId');
    if (!isUuid(residentId)) throw new InputError('residentId', 'Not a resident id.', 'FORMAT');
    const [r] = await this.db.query(
      `SELECT r.id FROM resident r JOIN household h ON h.id = r.household_id WHERE r.id = $1 AND h.building_id = $2
         AND r.moved_out_on IS NULL`,
      [residentId, b.id],
    );
    if (!r)
      throw new InputError(
        'residentId',
        'A community enthusiast is a resident living in this building.',
        'NOT_IN_BUILDING',
      );
    return this.db.transaction(async (m) => {
      const rows = await m.query(
        `INSERT INTO building_helper (building_id, resident_id, since) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING
         RETURNING id`,
        [b.id, residentId, provinceDate(this.clock.now())],
      );
      if (!rows.length)
        throw new ConflictError('residentId', 'Already a community enthusiast of this building.', 'DUPLICATE');
      await audit(m, this.principal, {
        action: 'building.add_helper',
        entityType: 'Building',
        entityId: b.id,
        siteId: b.siteId,
        regionCode: b.regionCode,
        detail: { residentId },
      });
      return b;
    });
  }

  /**
   * Resident ids of the community enthusiasts of buildings (the caller's scope is that of the buildings themselves).
   */
  helpers(buildingIds: readonly string[]): Promise<{ buildingId: string; residentId: string }[]> {
    return this.db.query(
      `SELECT building_id AS "buildingId", resident_id AS "residentId" FROM building_helper
       WHERE building_id = ANY(as_uuids($1)) ORDER BY since, resident_id`,
      [buildingIds],
    );
  }
}
