import { declarationOf, defineService } from '@anju/contracts';
import { loadGovernanceConfig } from './config';
import { governanceData } from './data-source';
import { handlers } from './handlers';
import { IMPORT_QUEUE } from './import/import-jobs';
import { tasks } from './tasks';

/**
 * Governance (基层治理): places and people, grids, points, lists, notices, rule of law. Its api also
 * runs household imports (or import-worker.ts does, where IMPORTS_IN_API=false).
 */
export const service = defineService({
  declaration: declarationOf('governance'),
  loadConfig: loadGovernanceConfig,
  data: governanceData,
  // Loaded when started: a worker process does not load the resolvers.
  startApi: async (config, opts) => (await import('./api')).startGovernanceApi(config, opts),
  handlers,
  tasks,
  // Imports run in the subgraph or the import worker; operators see and retry them on the worker's board.
  workerQueues: [IMPORT_QUEUE],
});
