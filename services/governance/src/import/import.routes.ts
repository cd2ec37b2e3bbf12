import { attachment, xlsxBuffer, type FileRoute } from '@anju/kit';
import { IMPORT_ROLES, type ImportJobs } from './import-jobs';
import { HOUSEHOLD_EXAMPLE_ROW, householdTemplateColumns } from './household-sheet';

/**
 * Governance's import files over HTTP (the gateway forwards /files/governance/… here):
 * the upload of a sheet, the error report of a job, the template.
 */
export function importRoutes(imports: ImportJobs): FileRoute[] {
  return [
    {
      method: 'post', path: '/imports/:kind', roles: IMPORT_ROLES, expensive: true,
      handle: (req) => imports.submit(req.principal, req.params.kind, (req.query.mode ?? 'all_or_nothing').toLowerCase(), req.query.fileName, req.body),
    },
    {
      method: 'get', path: '/imports/:id/report', roles: IMPORT_ROLES, expensive: false,
      handle: async (req, res) => {
        const bytes = await imports.report(req.principal, req.params.id);
        attachment(res, `导入报告-${req.params.id.slice(0, 8)}.xlsx`);
        res.end(bytes);
      },
    },
    {
      method: 'get', path: '/templates/households', roles: IMPORT_ROLES, expensive: false,
      handle: async (_req, res) => {
        const bytes = await xlsxBuffer('户籍花名册', householdTemplateColumns(), [HOUSEHOLD_EXAMPLE_ROW]);
        attachment(res, '户籍花名册导入模板.xlsx');
        res.end(bytes);
      },
    },
  ];
}
