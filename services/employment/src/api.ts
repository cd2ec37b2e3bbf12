import {
  LookupHasher,
  UploadSealer,
  importRoutes,
  lookupHashKey,
  runMain,
  spreadsheetLimits,
  startServiceApi,
  uploadSealingKey,
  type StartOptions,
} from '@anju/kit';
import { loadEmploymentConfig, type EmploymentConfig } from './config';
import { employmentData } from './data-source';
import { buildContext } from './context';
import { resolvers } from './resolvers';
import { gapsExport } from './monitoring/gaps.export';
import { employmentImports } from './import/employment-imports';
import { employmentExports } from './import/employment-exports';

/** The employment subgraph over HTTP. */
export function startEmploymentApi(config: EmploymentConfig, opts: StartOptions = {}) {
  // Before anything boots: in production the subgraph refuses to start without real keys.
  const hasher = new LookupHasher(lookupHashKey(config));
  const sealer = new UploadSealer(uploadSealingKey(config));
  return startServiceApi({
    name: 'employment',
    config,
    port: config.EMPLOYMENT_PORT,
    schemaDir: __dirname,
    resolvers,
    data: employmentData,
    // An export of up to 100,000 rows: for officers, a few times an hour at most.
    expensive: { 'Query.householdGapsCsv': ['province', 'county', 'site_officer'] },
    context: (runtime) => buildContext(runtime.db),
    fileRoutes: (runtime) => [
      gapsExport(runtime.db),
      ...employmentExports(runtime.db),
      ...importRoutes(
        employmentImports({
          db: runtime.db,
          hasher,
          sealer,
          clock: runtime.clock,
          limits: spreadsheetLimits(config),
          config,
          logger: runtime.logger,
          lifecycle: runtime.lifecycle,
        }),
      ),
    ],
    logDestination: opts.logDestination,
    clock: opts.clock,
  });
}

if (require.main === module) runMain(() => startEmploymentApi(loadEmploymentConfig()));
