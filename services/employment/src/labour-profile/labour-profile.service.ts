import type { DataSource } from 'typeorm';
import {
  isUuid,
  placeFilter,
  siteCountSql,
  type Principal,
  uuidsOf,
  uuidParam,
  reachesByGrid,
  keysetPage,
  asc,
} from '@anju/kit';
import { gridHouseholdsSql } from '../scope';

export interface LabourProfileRow {
  residentId: string;
  householdId: string;
  siteId: string;
  regionCode: string;
  labourCapacity: 'full' | 'weak' | 'none';
  canWorkAway: boolean;
  wantsWork: boolean;
  birthYear: number;
  createdAt: Date;
}

const COLUMNS = `p.resident_id AS "residentId", p.household_id AS "householdId", p.site_id AS "siteId",
    p.region_code AS "regionCode",
  p.labour_capacity AS "labourCapacity", p.can_work_away AS "canWorkAway", p.wants_work AS "wantsWork",
    p.birth_year AS "birthYear", p.created_at AS "createdAt"`;

/** Employment reads the same scope rules as governance, over its own copy of site and region. */
function scope(p: Principal, firstParam: number) {
  if (p.role === 'resident') return { sql: `p.resident_id = $${firstParam}::uuid`, params: [p.residentId] };
  if (reachesByGrid(p)) return gridHouseholdsSql('p', firstParam, p);
  return placeFilter(p, { site: 'p.site_id', region: 'p.region_code' }, firstParam);
}

export class LabourProfileService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
  ) {}

  byResidentIds(ids: readonly string[]): Promise<LabourProfileRow[]> {
    const s = scope(this.principal, 2);
    return this.db.query(`SELECT ${COLUMNS} FROM labour_profile p WHERE p.resident_id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  /** An officer's count comes from the site's counter (site_counter); other callers' scopes cut through a site. */
  private async count(siteId: string, where: string, params: unknown[]): Promise<number> {
    const counter = isUuid(siteId) ? siteCountSql(this.principal, 'site_counter', 'labour_profiles') : null;
    if (counter) {
      const [row] = await this.db.query(counter.sql, [[siteId], ...counter.params]);
      return row?.n ?? 0;
    }
    const [{ count }] = await this.db.query(
      `SELECT count(*)::int AS count FROM labour_profile p WHERE ${where}`,
      params,
    );
    return count;
  }

  async list(siteId: string, first: number | null | undefined, after: string | null | undefined) {
    const s = scope(this.principal, 2);
    const where = `p.site_id = ${uuidParam(1)} AND ${s.sql}`;
    const params = [siteId, ...s.params];
    // The count runs alongside the page, as before (a site's counter row, or a count of the page's rows).
    const list = {
      columns: COLUMNS,
      from: 'labour_profile p',
      where,
      params,
      totalCount: () => this.count(siteId, where, params),
    };
    return keysetPage<LabourProfileRow>(this.db, list, { first, after }, asc(['p.resident_id', 'uuid', 'residentId']));
  }
}
