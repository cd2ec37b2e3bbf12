import type { DataSource } from 'typeorm';
import {
  ForbiddenError,
  InputError,
  coversPlace,
  exportRoute,
  isUuid,
  audit,
  type FileRoute,
  PROVINCE_ZONE_SQL,
} from '@anju/kit';
import { demandScope } from '../scope';

interface DemandLine {
  id: string;
  siteName: string | null;
  category: string;
  description: string;
  urgency: string;
  status: string;
  recordedAt: string;
  unitName: string | null;
  claimedAt: string | null;
  promisedOn: string | null;
  overdue: boolean;
  hours: string;
}

const STATUS: Record<string, string> = {
  open: '待认领',
  claimed: '已认领',
  in_progress: '办理中',
  fulfilled: '已办结',
  closed: '已关闭',
  cancelled: '已取消',
};
const URGENCY: Record<string, string> = { low: '低', normal: '一般', high: '高', critical: '紧急' };

/**
 * 需求清单与认领 as .xlsx: the demand list with its claims (which unit claimed, when, by which
 * promised date, overdue or not), in the caller's scope — officers by place, a unit member the
 * demands of its regions — audited, streamed by id, an expensive operation.
 */
export function demandsExport(db: DataSource): FileRoute {
  return exportRoute<DemandLine>({
    name: 'demands',
    roles: ['province', 'county', 'site_officer', 'unit_member'],
    fileName: '需求清单',
    sheet: '需求清单',
    columns: [
      { header: '安置点', value: (d) => d.siteName ?? '' },
      { header: '类别', value: (d) => d.category },
      { header: '需求', value: (d) => d.description, width: 40 },
      { header: '紧急程度', value: (d) => URGENCY[d.urgency] ?? d.urgency },
      { header: '状态', value: (d) => STATUS[d.status] ?? d.status },
      { header: '登记时间', value: (d) => d.recordedAt },
      { header: '认领单位', value: (d) => d.unitName ?? '', width: 20 },
      { header: '认领时间', value: (d) => d.claimedAt ?? '' },
      { header: '承诺完成日期', value: (d) => d.promisedOn ?? '' },
      { header: '是否逾期', value: (d) => (d.overdue ? '是' : '否') },
      { header: '工时', value: (d) => Number(d.hours) },
    ],
    audit: async (req) => {
      const siteId = req.query.siteId;
      if (siteId) {
        if (!isUuid(siteId)) throw new InputError('siteId', 'Not a site id.', 'FORMAT');
        const [site] = await db.query(
          `SELECT site_id AS "siteId", region_code AS "regionCode" FROM site_directory WHERE site_id = $1`,
          [siteId],
        );
        if (!site || (req.principal.role !== 'unit_member' && !coversPlace(req.principal, site)))
          throw new ForbiddenError('The site is outside your scope.');
      }
      await audit(db, req.principal, {
        action: 'export.demands',
        entityType: 'Export',
        entityId: req.requestId,
        siteId: siteId ?? null,
        detail: { query: Object.keys(req.query) },
      });
    },
    page: (req, after) => {
      const scope = demandScope(req.principal, 1);
      const n = scope.params.length;
      return db.query(
        `SELECT d.id, s.name AS "siteName", d.category, d.description, d.urgency, d.status, d.hours::text AS hours,
                to_char(d.recorded_at AT TIME ZONE ${PROVINCE_ZONE_SQL}, 'YYYY-MM-DD HH24:MI') AS "recordedAt",
                  u.name AS "unitName",
                to_char(d.claimed_at AT TIME ZONE ${PROVINCE_ZONE_SQL}, 'YYYY-MM-DD HH24:MI') AS "claimedAt",
                  to_char(d.promised_on, 'YYYY-MM-DD') AS "promisedOn",
                d.overdue_since IS NOT NULL AS overdue
           FROM demand d LEFT JOIN site_directory s ON s.site_id = d.site_id LEFT JOIN unit u ON u.id = d.unit_id
          WHERE ${scope.sql} AND ($${n + 1}::uuid IS NULL OR d.site_id = $${n + 1}::uuid)
            AND ($${n + 2}::uuid IS NULL OR d.id > $${n + 2}::uuid)
          ORDER BY d.id LIMIT 2000`,
        [...scope.params, req.query.siteId ?? null, after?.id ?? null],
      );
    },
  });
}
