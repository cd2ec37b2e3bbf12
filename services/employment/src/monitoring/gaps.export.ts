import type { DataSource } from 'typeorm';
import {
  ForbiddenError,
  InputError,
  coversPlace,
  exportRoute,
  isUuid,
  audit,
  type FileRequest,
  type FileRoute,
} from '@anju/kit';
import { MonitoringService, type StatusRow } from './monitoring.service';
import { RULES, type Rule } from './rules';

const RULE_LABELS: Record<Rule, string> = {
  TRAINING_AND_SKILL: '培训与技能',
  PUBLIC_WELFARE_POST: '公益性岗位',
  EMPLOYED_MEMBER: '有就业成员',
  STABLE_INCOME: '稳定收入',
};

function filterOf(req: FileRequest) {
  const rules = req.query.rules?.split(',').filter(Boolean) ?? [];
  const unknown = rules.filter((r) => !(RULES as readonly string[]).includes(r));
  if (unknown.length) throw new InputError('rules', `Unknown rules: ${unknown.join(', ')}.`, 'FORMAT');
  if (req.query.siteId && !isUuid(req.query.siteId)) throw new InputError('siteId', 'Not a site id.', 'FORMAT');
  return {
    regionCode: req.query.regionCode ?? null,
    siteId: req.query.siteId ?? null,
    rules: rules as Rule[],
    needsJobHelp: req.query.needsJobHelp === undefined ? null : req.query.needsJobHelp === 'true',
  };
}

/**
 * 收入稳定缺口清单 as .xlsx: the gap list of `householdGapsCsv`, with Chinese headers and site names,
 * streamed by household id, audited in employment's audit log, an expensive operation.
 */
export function gapsExport(db: DataSource): FileRoute {
  return exportRoute<StatusRow & { siteName: string | null }>({
    name: 'gaps',
    roles: ['province', 'county', 'site_officer'],
    fileName: '收入稳定缺口清单',
    sheet: '缺口清单',
    columns: [
      { header: '区县代码', value: (s) => s.regionCode },
      { header: '安置点', value: (s) => s.siteName ?? s.siteId, width: 16 },
      { header: '户', value: (s) => s.householdId, width: 38 },
      { header: '未通过的规则', value: (s) => s.failed.map((r) => RULE_LABELS[r]).join('、'), width: 30 },
      { header: '人数', value: (s) => s.members },
      { header: '劳动力', value: (s) => s.able },
      { header: '未培训', value: (s) => s.untrained },
      { header: '已就业', value: (s) => s.employed },
      { header: '公益性岗位', value: (s) => s.welfarePosts },
      { header: '收入来源', value: (s) => s.incomeSources },
    ],
    audit: async (req) => {
      const filter = filterOf(req);
      if (filter.siteId) {
        const [site] = await db.query(
          `SELECT site_id AS "siteId", region_code AS "regionCode" FROM site_directory WHERE site_id = $1`,
          [filter.siteId],
        );
        if (!site || !coversPlace(req.principal, site)) throw new ForbiddenError('The site is outside your scope.');
      }
      await audit(db, req.principal, {
        action: 'export.gaps',
        entityType: 'Export',
        entityId: req.requestId,
        siteId: filter.siteId,
        detail: { query: Object.keys(req.query) },
      });
    },
    page: (req, after) =>
      new MonitoringService(db, req.principal).gapsPage(filterOf(req), after?.householdId ?? null, 2_000),
  });
}
