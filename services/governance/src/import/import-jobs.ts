import type { DataSource } from 'typeorm';
import {
  ImportJobs,
  type Clock,
  type Lifecycle,
  type Logger,
  type PersonalDataVault,
  type PlatformConfig,
  type SpreadsheetLimits,
  type UploadSealer,
} from '@anju/kit';
import { HouseholdImport } from './household-import';
import { HOUSEHOLD_COLUMNS, HOUSEHOLD_EXAMPLE_ROW, householdTemplateColumns } from './household-sheet';

/** Governance's queue of import jobs. A published name: never rename. */
export const IMPORT_QUEUE = 'governance.imports';

/**
 * Governance's imports: households with their residents (户籍花名册). The jobs need the PII keys
 * (an import seals and hashes ID numbers), which governance's event worker never holds: they run
 * in the subgraph process (IMPORTS_IN_API, the default: one process less on a developer machine
 * and in the tests) or, where the subgraph's heap is bounded (compose and Kubernetes give it
 * 160 MiB, and a county's 40,000 rows are checked in memory), in `import-worker.ts`, with the
 * subgraph's keys and the heap an import needs.
 */
export function governanceImports(deps: {
  db: DataSource;
  vault: PersonalDataVault;
  sealer: UploadSealer;
  clock: Clock;
  limits: SpreadsheetLimits;
  config: PlatformConfig;
  logger: Logger;
  lifecycle: Lifecycle;
  lookupsPerDay: number;
  consume: boolean;
}): ImportJobs {
  return new ImportJobs({
    ...deps,
    service: 'governance',
    queue: IMPORT_QUEUE,
    kinds: {
      households: {
        columns: HOUSEHOLD_COLUMNS,
        importer: (principal) =>
          new HouseholdImport(deps.db, deps.vault, principal, deps.clock, deps.limits, deps.lookupsPerDay),
        template: {
          fileName: '户籍花名册导入模板.xlsx',
          sheet: '户籍花名册',
          columns: householdTemplateColumns(),
          example: HOUSEHOLD_EXAMPLE_ROW,
        },
      },
    },
  });
}
