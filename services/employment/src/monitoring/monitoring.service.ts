import type { DataSource } from 'typeorm';
import {
  ForbiddenError,
  InputError,
  audit,
  isUuid,
  type Principal,
  addDays,
  uuidsOf,
  uuidParam,
  PROVINCE_ZONE_SQL,
  requireDate,
  keysetPage,
  asc,
} from '@anju/kit';
import { scopeSql } from '../scope';
import { LEVELS, ROLLUP_COUNTS, levelCode, type Level } from './monitoring.sql';
import { RULES, reasonFor, type HouseholdFigures, type Rule } from './rules';

export interface StatusRow extends HouseholdFigures {
  householdId: string;
  siteId: string;
  regionCode: string;
  gridId: string | null;
  failed: Rule[];
  changedAt: Date;
}
export interface GapRow {
  id: string;
  householdId: string;
  rules: Rule[];
  needsJobHelp: boolean;
  detectedOn: string;
  closedOn: string | null;
}
export interface RollupRow {
  level: Level;
  code: string;
  households: number;
  passing: number;
  failingTraining: number;
  failingWelfarePost: number;
  failingEmployed: number;
  failingIncome: number;
}
export interface GapFilter {
  regionCode?: string | null;
  siteId?: string | null;
  rules?: Rule[] | null;
  needsJobHelp?: boolean | null;
}

const STATUS = `s.household_id AS "householdId", s.site_id AS "siteId", s.region_code AS "regionCode",
    s.grid_id AS "gridId", s.failed,
  s.members, s.able, s.untrained, s.employed, s.welfare_posts AS "welfarePosts", s.income_sources AS "incomeSources",
    s.changed_at AS "changedAt"`;
const GAP = `g.id, g.household_id AS "householdId", g.rules, g.needs_job_help AS "needsJobHelp",
    to_char(g.detected_on, 'YYYY-MM-DD') AS "detectedOn",
  to_char(g.closed_on, 'YYYY-MM-DD') AS "closedOn"`;
const ROLLUP_FIELDS = `households, passing, failing_training AS "failingTraining",
    failing_welfare_post AS "failingWelfarePost",
  failing_employed AS "failingEmployed", failing_income AS "failingIncome"`;

/** Reasons a household fails, from its stored figures. */
export const reasonsOf = (s: StatusRow) => s.failed.map((rule) => ({ rule, reason: reasonFor(rule, s) }));

/** Reads of the income-stability monitoring: per household, the gap list, roll-ups and trends. */
export class MonitoringService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
  ) {}

  statusByHouseholds(ids: readonly string[]): Promise<StatusRow[]> {
    const s = scopeSql(this.principal, 's', 2);
    return this.db.query(
      `SELECT ${STATUS} FROM household_status s WHERE s.household_id = ANY($1::uuid[]) AND ${s.sql}`,
      [uuidsOf(ids), ...s.params],
    );
  }

  openGapsOfHouseholds(ids: readonly string[]): Promise<GapRow[]> {
    const s = scopeSql(this.principal, 'g', 2);
    return this.db.query(
      `SELECT ${GAP} FROM household_gap g WHERE g.household_id = ANY($1::uuid[]) AND g.closed_on IS NULL AND ${s.sql}
         ORDER BY g.detected_on, g.id`,
      [uuidsOf(ids), ...s.params],
    );
  }

  private gapWhere(filter: GapFilter) {
    this.requireOfficer();
    const s = scopeSql(this.principal, 's', 1);
    const params: unknown[] = [...s.params];
    let where = `cardinality(s.failed) > 0 AND ${s.sql}`;
    if (filter.regionCode) {
      if (!/^\d{2}(\d{2}){0,2}$/.test(filter.regionCode))
        throw new InputError('filter.regionCode', 'A region code has 2, 4 or 6 digits.', 'FORMAT');
      params.push(`${filter.regionCode}%`);
      where += ` AND s.region_code LIKE $${params.length}`;
    }
    if (filter.siteId) {
      params.push(filter.siteId);
      where += ` AND s.site_id = ${uuidParam(params.length)}`;
    }
    if (filter.rules?.length) {
      params.push(filter.rules);
      where += ` AND s.failed && $${params.length}::text[]`;
    }
    if (filter.needsJobHelp != null) {
      where += ` AND ${filter.needsJobHelp ? '' : 'NOT '}(s.failed && ARRAY['PUBLIC_WELFARE_POST', 'EMPLOYED_MEMBER'])`;
    }
    return { where, params };
  }

  /** Households failing at least one rule, filtered, by household id (keyset). */
  async gaps(filter: GapFilter, first?: number | null, after?: string | null) {
    const { where, params } = this.gapWhere(filter);
    const list = { columns: STATUS, from: 'household_status s', where, params };
    return keysetPage<StatusRow>(this.db, list, { first, after }, asc(['s.household_id', 'uuid', 'householdId']));
  }

  /**
   * The same list as CSV (UTF-8 with a header row), built by PostgreSQL; at most 100,000 rows. An
   * export: its audit row (who, the filter, how many households) is written in the transaction that
   * reads the rows, so no export leaves without one.
   */
  async gapsCsv(filter: GapFilter): Promise<string> {
    const { where, params } = this.gapWhere(filter);
    return this.db.transaction(async (m) => {
      const rows: { line: string }[] = await m.query(
        `SELECT concat_ws(',', s.household_id, s.site_id, s.region_code, coalesce(s.grid_id::text, ''),
                array_to_string(s.failed, ';'),
              s.members, s.able, s.untrained, s.employed, s.welfare_posts, s.income_sources,
                to_char(s.changed_at AT TIME ZONE ${PROVINCE_ZONE_SQL}, 'YYYY-MM-DD"T"HH24:MI:SS')) AS line
           FROM household_status s WHERE ${where} ORDER BY s.region_code, s.site_id, s.household_id LIMIT 100000`,
        params,
      );
      await audit(m, this.principal, {
        action: 'household_gaps.export',
        entityType: 'household_gaps',
        entityId: filter.siteId ?? filter.regionCode ?? '*',
        siteId: isUuid(filter.siteId) ? filter.siteId : null,
        regionCode: filter.regionCode?.slice(0, 6) ?? null,
        detail: { filter: { ...filter }, rows: rows.length, format: 'csv' },
      });
      const header =
        'household_id,site_id,region_code,grid_id,failed_rules,members,able_to_work,untrained,employed,' +
        'welfare_posts,income_sources,changed_at';
      return [header, ...rows.map((r) => r.line)].join('\n') + '\n';
    });
  }

  /** One page of the gap list for the .xlsx export, after a household id (keyset), with site names. */
  async gapsPage(
    filter: GapFilter,
    after: string | null,
    limit: number,
  ): Promise<(StatusRow & { siteName: string | null })[]> {
    const { where, params } = this.gapWhere(filter);
    const n = params.length;
    return this.db.query(
      `SELECT ${STATUS}, d.name AS "siteName" FROM household_status s LEFT JOIN site_directory d
        ON d.site_id = s.site_id
        WHERE ${where} AND ($${n + 1}::uuid IS NULL OR s.household_id > $${n + 1}::uuid) ORDER BY s.household_id
        LIMIT ${limit}`,
      [...params, after],
    );
  }

  /** Live roll-up at one level over the caller's households, optionally under a region code. */
  async rollup(level: Level, under: string | null | undefined): Promise<RollupRow[]> {
    this.requireOfficer();
    if (!LEVELS.includes(level)) throw new InputError('level', 'Unknown level.', 'FORMAT');
    const s = scopeSql(this.principal, 's', 1);
    const params: unknown[] = [...s.params];
    let where = s.sql;
    if (under) {
      if (!/^\d{2}(\d{2}){0,2}$/.test(under))
        throw new InputError('under', 'A region code has 2, 4 or 6 digits.', 'FORMAT');
      params.push(`${under}%`);
      where += ` AND s.region_code LIKE $${params.length}`;
    }
    if (level === 'grid') where += ' AND s.grid_id IS NOT NULL';
    return this.db.query(
      `SELECT '${level}' AS level, ${levelCode[level]} AS code,
           ${ROLLUP_COUNTS.replace(/ AS (\w+)/g, (_m, c: string) => ` AS "${camel(c)}"`)}
         FROM household_status s WHERE ${where} GROUP BY 2 ORDER BY 2`,
      params,
    );
  }

  /** The daily snapshots of one place (a code at a level) between two days, for trend charts. */
  async trend(level: Level, code: string, from: string, to: string): Promise<(RollupRow & { day: string })[]> {
    this.requireOfficer();
    if (!(await this.coversCode(level, code))) throw new ForbiddenError('That place is outside your scope.');
    return this.db.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, level, code, ${ROLLUP_FIELDS} FROM monitoring_snapshot
        WHERE level = $1 AND code = $2 AND day BETWEEN $3::date AND $4::date ORDER BY day`,
      [level, code, from, to],
    );
  }

  /**
   * Gaps opened (detected) and closed on each day of a range in one place — every day, zeros
   * included — counted from the gap table (two index range scans, whatever the level).
   */
  async gapFlow(
    level: Level,
    code: string,
    from: string,
    to: string,
  ): Promise<{ day: string; opened: number; closed: number }[]> {
    this.requireOfficer();
    requireDate(from, 'from');
    requireDate(to, 'to');
    if (to < from) throw new InputError('to', 'The range ends before it starts.', 'ENDS_BEFORE_START');
    if (addDays(from, 366) <= to) throw new InputError('to', 'A range holds at most 366 days.', 'RANGE_TOO_LONG');
    if (level === 'grid') throw new InputError('level', 'Gaps are counted by site and region, not by grid.', 'FORMAT');
    const digits = { province: 2, prefecture: 4, county: 6 }[level as 'province' | 'prefecture' | 'county'];
    if (digits && !new RegExp(`^\\d{${digits}}$`).test(code))
      throw new InputError('code', `A ${level} code has ${digits} digits.`, 'FORMAT');
    if (!(await this.coversCode(level, code))) throw new ForbiddenError('That place is outside your scope.');
    const place = level === 'site' ? `site_id = ${uuidParam(3)}` : `region_code LIKE $3 || '%'`;
    return this.db.query(
      `SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(o.n, 0)::int AS opened, coalesce(c.n, 0)::int AS closed
         FROM generate_series($1::date, $2::date, interval '1 day') AS d(day)
         LEFT JOIN (SELECT detected_on AS day, count(*) AS n FROM household_gap
                     WHERE detected_on BETWEEN $1::date AND $2::date AND ${place} GROUP BY 1) o ON o.day = d.day::date
         LEFT JOIN (SELECT closed_on AS day, count(*) AS n FROM household_gap
                     WHERE closed_on BETWEEN $1::date AND $2::date AND ${place} GROUP BY 1) c ON c.day = d.day::date
        ORDER BY d.day`,
      [from, to, code],
    );
  }

  /** Officers see a snapshot row only for places wholly inside their scope. */
  private async coversCode(level: Level, code: string): Promise<boolean> {
    const p = this.principal;
    if (p.role === 'province' || p.role === 'county') {
      if (level === 'site') {
        const [site] = await this.db.query(
          `SELECT region_code AS "regionCode" FROM site_directory WHERE site_id = ${uuidParam(1)}`,
          [code],
        );
        return !!site && p.regions.some((r) => site.regionCode.startsWith(r));
      }
      return level !== 'grid' && p.regions.some((r) => code.startsWith(r));
    }
    if (p.role === 'site_officer' || p.role === 'grid_worker')
      return level === 'site' ? p.sites.includes(code) : level === 'grid' && p.grids.includes(code);
    return false;
  }

  private requireOfficer() {
    if (!['province', 'county', 'site_officer', 'grid_worker'].includes(this.principal.role))
      throw new ForbiddenError('Monitoring lists are for officers and grid workers.');
  }
}

const camel = (s: string) => s.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase());
export { RULES };
