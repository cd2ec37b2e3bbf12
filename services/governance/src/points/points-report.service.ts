import type { DataSource } from 'typeorm';
import {
  ForbiddenError,
  InputError,
  placeFilter,
  type Principal,
  PROVINCE_ZONE_SQL,
  pageSize,
  isUuid,
} from '@anju/kit';
import { siteInScope } from '../scope';

export interface RankRow {
  rank: number;
  residentId: string;
  score: number;
  balance: number;
}

export interface MonthlyTotalRow {
  siteId: string;
  month: string;
  credited: number;
  granted: number;
  deducted: number;
  redeemed: number;
  refunded: number;
  expired: number;
  net: number;
  residentsCredited: number;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const monthStart = (param: string) => `((${param} || '-01')::date::timestamp AT TIME ZONE ${PROVINCE_ZONE_SQL})`;
const monthEnd = (param: string) =>
  `(((${param} || '-01')::date + interval '1 month')::timestamp AT TIME ZONE ${PROVINCE_ZONE_SQL})`;

/** Rankings (积分排行) and the disclosure board's monthly totals (居务公开). */
export class PointsReportService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
  ) {}

  /**
   * Residents of a site — or of one building or grid of it — ranked by participation score
   * (credits, grants and deductions; spending does not lower it), over all time or in one month.
   * Ties share a rank. Officers and grid workers only: it names residents.
   */
  async leaderboard(args: {
    siteId: string;
    buildingId?: string | null;
    gridId?: string | null;
    month?: string | null;
    first?: number | null;
  }): Promise<RankRow[]> {
    if (this.principal.role === 'resident')
      throw new ForbiddenError(
        'Rankings are shown to residents on the disclosure board, not through their own account.',
      );
    const site = await siteInScope(this.db, this.principal, args.siteId, 'siteId');
    if (args.month != null && !MONTH.test(args.month)) throw new InputError('month', 'A month, YYYY-MM.', 'FORMAT');
    if (args.buildingId != null && !isUuid(args.buildingId))
      throw new InputError('buildingId', 'Not a building id.', 'FORMAT');
    if (args.gridId != null && !isUuid(args.gridId)) throw new InputError('gridId', 'Not a grid id.', 'FORMAT');
    const limit = pageSize(args.first, 20);
    const params: unknown[] = [site.id];
    // Buildings and grids: household.building_id → building(grid_id), from the buildings-and-grids migration.
    let join = '';
    // Residents who moved out (迁出) keep their ledger but leave the rankings.
    let where = 'r.site_id = $1 AND r.moved_out_on IS NULL';
    if (args.buildingId) {
      join = ' JOIN household h ON h.id = r.household_id';
      params.push(args.buildingId);
      where += ` AND h.building_id = $${params.length}`;
    }
    if (args.gridId) {
      join = ' JOIN household h ON h.id = r.household_id JOIN building b ON b.id = h.building_id';
      params.push(args.gridId);
      where += ` AND b.grid_id = $${params.length}`;
    }
    let scores: string;
    if (args.month) {
      params.push(args.month);
      const m = `$${params.length}`;
      scores = `SELECT e.resident_id, sum(e.points)::int AS score FROM points_entry e
                 WHERE e.site_id = $1 AND e.kind IN ('credit', 'grant', 'deduct') AND e.occurred_at >= ${monthStart(m)}
                   AND e.occurred_at < ${monthEnd(m)}
                 GROUP BY e.resident_id`;
    } else {
      scores = `SELECT a.resident_id, a.score FROM points_account a`;
    }
    params.push(limit);
    return this.db.query(
      `SELECT rank() OVER (ORDER BY s.score DESC)::int AS rank, r.id AS "residentId", s.score,
           coalesce(a.balance, 0) AS balance
         FROM (${scores}) s JOIN resident r ON r.id = s.resident_id${join} LEFT JOIN points_account a
         ON a.resident_id = r.id
        WHERE ${where} AND s.score <> 0
        ORDER BY s.score DESC, r.id LIMIT $${params.length}`,
      params,
    );
  }

  /** Points per site and month (China time) for sites in scope, optionally one site or one region. */
  async monthlyTotals(args: {
    siteId?: string | null;
    regionCode?: string | null;
    fromMonth: string;
    toMonth: string;
  }): Promise<MonthlyTotalRow[]> {
    if (!MONTH.test(args.fromMonth)) throw new InputError('fromMonth', 'A month, YYYY-MM.', 'FORMAT');
    if (!MONTH.test(args.toMonth)) throw new InputError('toMonth', 'A month, YYYY-MM.', 'FORMAT');
    if (args.toMonth < args.fromMonth) throw new InputError('toMonth', 'The period ends on or after it starts.');
    if (args.regionCode != null && !/^\d{2,6}$/.test(args.regionCode))
      throw new InputError('regionCode', 'A region code (2, 4 or 6 digits).', 'FORMAT');
    const p = this.principal;
    let scope: { sql: string; params: unknown[] };
    if (p.role === 'resident') {
      // Residents read their own site's board (aggregates only, nobody named).
      if (!args.siteId)
        throw new InputError('siteId', 'Residents read the board of their own site: give its id.', 'REQUIRED');
      await siteInScope(this.db, p, args.siteId, 'siteId');
      scope = { sql: 'true', params: [] };
    } else {
      if (args.siteId) await siteInScope(this.db, p, args.siteId, 'siteId');
      scope = placeFilter(p, { site: 'e.site_id', region: 'e.region_code' }, 5);
    }
    if (args.siteId && !isUuid(args.siteId)) return [];
    return this.db.query(
      `SELECT e.site_id AS "siteId", to_char(date_trunc('month', e.occurred_at AT TIME ZONE ${PROVINCE_ZONE_SQL}),
                'YYYY-MM') AS month,
              coalesce(sum(e.points) FILTER (WHERE e.kind = 'credit'), 0)::int AS credited,
              coalesce(sum(e.points) FILTER (WHERE e.kind = 'grant'), 0)::int AS granted,
              coalesce(-sum(e.points) FILTER (WHERE e.kind = 'deduct'), 0)::int AS deducted,
              coalesce(-sum(e.points) FILTER (WHERE e.kind = 'redeem'), 0)::int AS redeemed,
              coalesce(sum(e.points) FILTER (WHERE e.kind = 'refund'), 0)::int AS refunded,
              coalesce(-sum(e.points) FILTER (WHERE e.kind = 'expire'), 0)::int AS expired,
              coalesce(sum(e.points), 0)::int AS net,
              (count(DISTINCT e.resident_id) FILTER (WHERE e.kind = 'credit'
                AND e.points > 0))::int AS "residentsCredited"
         FROM points_entry e
        WHERE e.occurred_at >= ${monthStart('$1')} AND e.occurred_at < ${monthEnd('$2')}
          AND ($3::uuid IS NULL OR e.site_id = $3::uuid) AND ($4::text IS NULL OR e.region_code LIKE $4 || '%')
            AND ${scope.sql}
        GROUP BY 1, 2 ORDER BY 2, 1`,
      [args.fromMonth, args.toMonth, args.siteId ?? null, args.regionCode ?? null, ...scope.params],
    );
  }
}
