import type { DataSource } from 'typeorm';
import {
  ForbiddenError,
  InputError,
  audit,
  coversPlace,
  exportRoute,
  isUuid,
  type ColumnSpec,
  type ExportColumn,
  type FileRequest,
  type FileRoute,
} from '@anju/kit';
import type { EmploymentKind, LandState } from '../monitoring/rules';
import type { LandRow } from '../land/land.service';
import { scopeSql } from '../scope';
import { EMPLOYMENT_COLUMNS, KIND_LABELS, type EmploymentSheetKey } from './employment-import';
import { KIND_LABELS as LAND_KIND_LABELS, LAND_COLUMNS, STATE_LABELS, type LandSheetKey } from './land-import';

const OFFICERS = ['province', 'county', 'site_officer'] as const;
/** Rows per page read from the database while an export streams. */
const PAGE = 2_000;

interface JobLine {
  id: string;
  residentId: string;
  kind: EmploymentKind;
  employer: string | null;
  post: string | null;
  destination: string | null;
  startedOn: string;
  endedOn: string | null;
  endReason: string | null;
  income: number;
}
interface LandLine {
  id: string;
  residentId: string;
  kind: LandRow['kind'];
  area: number;
  state: LandState;
  income: number;
  note: string | null;
}

/**
 * An export in an import's own columns, so that it comes back through the import unchanged: the
 * resident is named by 居民编号 (employment holds no ID number nor name: those cells stay empty).
 */
function columnsOf<K extends string, T>(
  columns: readonly ColumnSpec<K>[],
  value: Partial<Record<K, (row: T) => unknown>>,
): ExportColumn<T>[] {
  return columns.map((c) => ({
    header: c.header,
    value: value[c.key] ?? (() => ''),
    width: c.key === 'residentId' ? 38 : undefined,
  }));
}

/** An optional site to narrow an export to, in the caller's scope (else FORBIDDEN), and the audit row. */
function audited(db: DataSource, what: string) {
  return async (req: FileRequest) => {
    const siteId = req.query.siteId ?? null;
    if (siteId) {
      if (!isUuid(siteId)) throw new InputError('siteId', 'Not a site id.', 'FORMAT');
      const [site] = await db.query(
        `SELECT site_id AS "siteId", region_code AS "regionCode" FROM site_directory WHERE site_id = $1`,
        [siteId],
      );
      if (!site || !coversPlace(req.principal, site)) throw new ForbiddenError('The site is outside your scope.');
    }
    await audit(db, req.principal, {
      action: `export.${what}`,
      entityType: 'Export',
      entityId: req.requestId,
      siteId,
      detail: { query: Object.keys(req.query) },
    });
  };
}

/**
 * Employment's exports (导出) for the round trip through its imports: residents' jobs (就业信息)
 * and households' land (三块地), in the caller's scope (a grid worker's grids, an officer's sites
 * and regions), only of residents still living at their site (a moved-out one cannot be imported),
 * audited, streamed page by page.
 */
export function employmentExports(db: DataSource): FileRoute[] {
  return [
    exportRoute<JobLine>({
      name: 'employment',
      roles: OFFICERS,
      fileName: '就业信息',
      sheet: '就业信息',
      columns: columnsOf<EmploymentSheetKey, JobLine>(EMPLOYMENT_COLUMNS, {
        kind: (r) => KIND_LABELS[r.kind],
        employer: (r) => r.employer ?? '',
        post: (r) => r.post ?? '',
        destination: (r) => r.destination ?? '',
        startedOn: (r) => r.startedOn,
        endedOn: (r) => r.endedOn ?? '',
        endReason: (r) => r.endReason ?? '',
        income: (r) => r.income,
        residentId: (r) => r.residentId,
      }),
      audit: audited(db, 'employment'),
      page: (req, after) => {
        const scope = scopeSql(req.principal, 'r', 1);
        const n = scope.params.length;
        return db.query(
          `SELECT r.id, r.resident_id AS "residentId", r.kind, e.name AS employer, j.title AS post, r.destination,
                  to_char(r.started_on, 'YYYY-MM-DD') AS "startedOn", to_char(r.ended_on, 'YYYY-MM-DD') AS "endedOn",
                  r.end_reason AS "endReason",
                  r.monthly_income::float8 AS income
             FROM employment_record r
             JOIN labour_profile lp ON lp.resident_id = r.resident_id AND lp.moved_out_on IS NULL
             LEFT JOIN employer e ON e.id = r.employer_id LEFT JOIN job_posting j ON j.id = r.posting_id
            WHERE ${scope.sql} AND ($${n + 1}::uuid IS NULL OR r.site_id = $${n + 1}::uuid)
              AND ($${n + 2}::uuid IS NULL OR r.id > $${n + 2}::uuid)
            ORDER BY r.id LIMIT ${PAGE}`,
          [...scope.params, req.query.siteId ?? null, after?.id ?? null],
        );
      },
    }),
    exportRoute<LandLine>({
      name: 'land',
      roles: OFFICERS,
      fileName: '三块地',
      sheet: '三块地',
      columns: columnsOf<LandSheetKey, LandLine>(LAND_COLUMNS, {
        kind: (r) => LAND_KIND_LABELS[r.kind],
        area: (r) => r.area,
        state: (r) => STATE_LABELS[r.state],
        income: (r) => r.income,
        note: (r) => r.note ?? '',
        residentId: (r) => r.residentId,
      }),
      audit: audited(db, 'land'),
      page: (req, after) => {
        const scope = scopeSql(req.principal, 'l', 1);
        const n = scope.params.length;
        // The household is named by a member still living there (the import finds the household by any member).
        return db.query(
          `SELECT l.id, m.resident_id AS "residentId", l.kind, l.area_mu::float8 AS area, l.state,
            l.annual_income::float8 AS income, l.note
             FROM land_asset l
             CROSS JOIN LATERAL (SELECT lp.resident_id FROM labour_profile lp
                                  WHERE lp.household_id = l.household_id AND lp.moved_out_on IS NULL
                                  ORDER BY lp.resident_id LIMIT 1) m
            WHERE ${scope.sql} AND ($${n + 1}::uuid IS NULL OR l.site_id = $${n + 1}::uuid)
              AND ($${n + 2}::uuid IS NULL OR l.id > $${n + 2}::uuid)
            ORDER BY l.id LIMIT ${PAGE}`,
          [...scope.params, req.query.siteId ?? null, after?.id ?? null],
        );
      },
    }),
  ];
}
