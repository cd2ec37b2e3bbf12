import type { DataSource } from 'typeorm';
import { audit, exportRoute, provinceMonth, type FileRequest, type FileRoute, PROVINCE_ZONE_SQL } from '@anju/kit';
import { scopeSql } from '../scope';
import { siteInScope } from '../scope';
import { PointsReportService, type MonthlyTotalRow } from '../points/points-report.service';
import { HOUSEHOLD_COLUMNS, LABOUR_LABELS, RELATION_LABELS, type HouseholdSheetKey } from '../import/household-sheet';
import type { LabourCapacity, RelationToHead } from '../resident/resident.types';

const OFFICERS = ['province', 'county', 'site_officer'] as const;
/** Rows per page read from the database while an export streams. */
const PAGE = 2_000;

interface ResidentLine {
  id: string;
  siteId: string;
  name: string;
  nationalIdMasked: string;
  relation: RelationToHead;
  ethnicity: string;
  phoneMasked: string | null;
  labour: LabourCapacity;
  siteName: string;
  buildingName: string | null;
  address: string | null;
  householdNumber: string;
  movedInOn: string | null;
  headName: string | null;
}

/** 3栋2单元501 → [3栋, 2单元, 501] (the register's dwelling); anything else stays whole in 房号. */
function splitAddress(address: string | null, building: string | null): [string, string, string] {
  const m = /^(.+?栋)(.+?单元)(.+)$/.exec(address ?? '');
  return m ? [building ?? m[1], m[2], m[3]] : [building ?? '', '', address ?? ''];
}

const RESIDENT_VALUE: Record<HouseholdSheetKey, (r: ResidentLine) => unknown> = {
  head: (r) => r.headName ?? '',
  name: (r) => r.name,
  nationalId: (r) => r.nationalIdMasked,
  relation: (r) => RELATION_LABELS[r.relation] ?? r.relation,
  ethnicity: (r) => r.ethnicity,
  phone: (r) => r.phoneMasked ?? '',
  labour: (r) => LABOUR_LABELS[r.labour],
  site: (r) => r.siteName,
  building: (r) => splitAddress(r.address, r.buildingName)[0],
  unit: (r) => splitAddress(r.address, r.buildingName)[1],
  room: (r) => splitAddress(r.address, r.buildingName)[2],
  movedInOn: (r) => r.movedInOn ?? '',
  householdNumber: (r) => r.householdNumber,
};

/** An optional site to narrow an export to; checked in the caller's scope. */
async function siteParam(db: DataSource, req: FileRequest): Promise<string | null> {
  if (!req.query.siteId) return null;
  return (await siteInScope(db, req.principal, req.query.siteId, 'siteId')).id;
}

function audited(db: DataSource, what: string) {
  return async (req: FileRequest) => {
    const siteId = await siteParam(db, req);
    await audit(db, req.principal, {
      action: `export.${what}`,
      entityType: 'Export',
      entityId: req.requestId,
      siteId,
      regionCode: req.principal.regions[0] ?? null,
      detail: { query: Object.keys(req.query).filter((k) => req.query[k]) },
    });
  };
}

/**
 * Governance's exports (导出), each in the caller's scope, audited, streamed page by page:
 * residents as the register (户籍花名册, in the import's own columns, ID numbers and phones masked —
 * a clerk may correct it and import it back: masked cells change nothing), households, grid tasks
 * and the points board's monthly totals.
 */
export function governanceExports(db: DataSource): FileRoute[] {
  return [
    exportRoute<ResidentLine>({
      name: 'residents',
      roles: OFFICERS,
      fileName: '户籍花名册',
      sheet: '户籍花名册',
      columns: HOUSEHOLD_COLUMNS.map((c) => ({
        header: c.header,
        value: RESIDENT_VALUE[c.key],
        width: c.key === 'nationalId' ? 22 : undefined,
      })),
      audit: audited(db, 'residents'),
      page: async (req, after) => {
        const scope = scopeSql(req.principal, 'r', 1, 'resident');
        const n = scope.params.length;
        return db.query(
          `SELECT r.id, r.site_id AS "siteId", r.name, r.national_id_masked AS "nationalIdMasked",
                    r.relation_to_head AS relation, r.ethnicity,
                  r.phone_masked AS "phoneMasked", r.labour_capacity AS labour, s.name AS "siteName",
                    b.name AS "buildingName", h.address,
                  h.household_number AS "householdNumber", to_char(r.moved_in_on, 'YYYY-MM-DD') AS "movedInOn",
                  (SELECT hr.name FROM resident hr WHERE hr.household_id = r.household_id
                    AND hr.relation_to_head = 'head' AND hr.moved_out_on IS NULL LIMIT 1) AS "headName"
             FROM resident r JOIN household h ON h.id = r.household_id JOIN site s ON s.id = r.site_id LEFT
             JOIN building b ON b.id = h.building_id
            WHERE ${scope.sql} AND r.moved_out_on IS NULL AND ($${n + 1}::uuid IS NULL OR r.site_id = $${n + 1}::uuid)
              AND ($${n + 2}::uuid IS NULL OR (r.site_id, r.name, r.id) > ($${n + 2}::uuid, $${n + 3}::text,
                $${n + 4}::uuid))
            ORDER BY r.site_id, r.name, r.id LIMIT ${PAGE}`,
          [...scope.params, await siteParam(db, req), after?.siteId ?? null, after?.name ?? null, after?.id ?? null],
        );
      },
    }),
    exportRoute<{
      id: string;
      siteId: string;
      siteName: string;
      number: string;
      address: string | null;
      buildingName: string | null;
      headName: string | null;
      members: number;
    }>({
      name: 'households',
      roles: OFFICERS,
      fileName: '搬迁户',
      sheet: '搬迁户',
      columns: [
        { header: '安置点', value: (h) => h.siteName },
        { header: '户编号', value: (h) => h.number, width: 20 },
        { header: '地址', value: (h) => h.address ?? '' },
        { header: '楼栋', value: (h) => h.buildingName ?? '' },
        { header: '户主', value: (h) => h.headName ?? '' },
        { header: '在住人数', value: (h) => h.members },
      ],
      audit: audited(db, 'households'),
      page: async (req, after) => {
        const scope = scopeSql(req.principal, 's', 1, 'site');
        const n = scope.params.length;
        return db.query(
          `SELECT h.id, h.site_id AS "siteId", s.name AS "siteName", h.household_number AS number, h.address,
                    b.name AS "buildingName",
                  (SELECT hr.name FROM resident hr WHERE hr.household_id = h.id AND hr.relation_to_head = 'head'
                    AND hr.moved_out_on IS NULL LIMIT 1) AS "headName",
                  (SELECT count(*)::int FROM resident m WHERE m.household_id = h.id
                    AND m.moved_out_on IS NULL) AS members
             FROM household h JOIN site s ON s.id = h.site_id LEFT JOIN building b ON b.id = h.building_id
            WHERE ${scope.sql} AND ($${n + 1}::uuid IS NULL OR h.site_id = $${n + 1}::uuid)
              AND ($${n + 2}::uuid IS NULL OR (h.site_id, h.household_number) > ($${n + 2}::uuid, $${n + 3}::text))
            ORDER BY h.site_id, h.household_number LIMIT ${PAGE}`,
          [...scope.params, await siteParam(db, req), after?.siteId ?? null, after?.number ?? null],
        );
      },
    }),
    exportRoute<{
      id: string;
      siteName: string;
      gridName: string | null;
      kind: string;
      title: string;
      status: string;
      openedAt: string;
      dueOn: string | null;
      doneAt: string | null;
    }>({
      name: 'grid-tasks',
      roles: OFFICERS,
      fileName: '网格任务',
      sheet: '网格任务',
      columns: [
        { header: '安置点', value: (t) => t.siteName },
        { header: '网格', value: (t) => t.gridName ?? '' },
        { header: '类型', value: (t) => t.kind },
        { header: '任务', value: (t) => t.title, width: 40 },
        { header: '状态', value: (t) => ({ open: '待办', done: '已完成', closed: '已关闭' })[t.status] ?? t.status },
        { header: '下达时间', value: (t) => t.openedAt },
        { header: '期限', value: (t) => t.dueOn ?? '' },
        { header: '完成时间', value: (t) => t.doneAt ?? '' },
      ],
      audit: audited(db, 'grid_tasks'),
      page: async (req, after) => {
        const scope = scopeSql(req.principal, 't', 1, 'household');
        const n = scope.params.length;
        return db.query(
          `SELECT t.id, s.name AS "siteName", g.name AS "gridName", t.kind, t.title, t.status,
                  to_char(t.opened_at AT TIME ZONE ${PROVINCE_ZONE_SQL}, 'YYYY-MM-DD HH24:MI') AS "openedAt",
                    to_char(t.due_on, 'YYYY-MM-DD') AS "dueOn",
                  to_char(t.done_at AT TIME ZONE ${PROVINCE_ZONE_SQL}, 'YYYY-MM-DD HH24:MI') AS "doneAt"
             FROM grid_task t JOIN site s ON s.id = t.site_id LEFT JOIN grid g ON g.id = t.grid_id
            WHERE ${scope.sql} AND ($${n + 1}::uuid IS NULL OR t.site_id = $${n + 1}::uuid)
              AND ($${n + 2}::uuid IS NULL OR t.id > $${n + 2}::uuid)
            ORDER BY t.id LIMIT ${PAGE}`,
          [...scope.params, await siteParam(db, req), after?.id ?? null],
        );
      },
    }),
    exportRoute<MonthlyTotalRow & { siteName?: string }>({
      name: 'points-monthly',
      roles: OFFICERS,
      fileName: '积分月度汇总',
      sheet: '积分月度汇总',
      columns: [
        { header: '安置点', value: (r) => r.siteName ?? r.siteId },
        { header: '月份', value: (r) => r.month },
        { header: '获得', value: (r) => r.credited },
        { header: '奖励', value: (r) => r.granted },
        { header: '扣减', value: (r) => r.deducted },
        { header: '兑换', value: (r) => r.redeemed },
        { header: '退回', value: (r) => r.refunded },
        { header: '过期', value: (r) => r.expired },
        { header: '净增', value: (r) => r.net },
        { header: '获积分人数', value: (r) => r.residentsCredited },
      ],
      audit: audited(db, 'points_monthly'),
      // Totals per site and month: bounded by sites × months, one page.
      page: async (req, after) => {
        if (after) return [];
        const month = provinceMonth(req.clock.now());
        const rows = await new PointsReportService(db, req.principal).monthlyTotals({
          siteId: req.query.siteId ?? null,
          regionCode: req.query.regionCode ?? null,
          fromMonth: req.query.fromMonth ?? `${month.slice(0, 4)}-01`,
          toMonth: req.query.toMonth ?? month,
        });
        const names = new Map<string, string>(
          (await db.query(`SELECT id, name FROM site WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.siteId)])).map(
            (s: { id: string; name: string }) => [s.id, s.name],
          ),
        );
        return rows.map((r) => ({ ...r, siteName: names.get(r.siteId) }));
      },
    }),
  ];
}
