import {
  PersonalDataVault,
  UploadSealer,
  importRoutes,
  personalDataKeys,
  uploadSealingKey,
  runMain,
  spreadsheetLimits,
  startServiceApi,
  type ImportJobs,
  type ServiceRuntime,
  type StartOptions,
} from '@anju/kit';
import { loadGovernanceConfig, type GovernanceConfig } from './config';
import { governanceData } from './data-source';
import { buildContext } from './context';
import { resolvers } from './resolvers';
import { governanceImports } from './import/import-jobs';
import { governanceExports } from './export/governance-exports';

/** The governance subgraph over HTTP. */
export async function startGovernanceApi(config: GovernanceConfig, opts: StartOptions = {}) {
  // Before anything boots: in production the subgraph refuses to start without real PII keys.
  const vault = new PersonalDataVault(personalDataKeys(config));
  const sealer = new UploadSealer(uploadSealingKey(config));
  // Imports run in this process: the one that holds the PII keys they seal and hash ID numbers with.
  let imports: ImportJobs | undefined;
  const importsOf = (rt: ServiceRuntime<GovernanceConfig>) =>
    (imports ??= governanceImports({
      db: rt.db,
      vault,
      sealer,
      clock: rt.clock,
      limits: spreadsheetLimits(config),
      config,
      logger: rt.logger,
      lifecycle: rt.lifecycle,
      lookupsPerDay: config.NATIONAL_ID_LOOKUPS_PER_DAY,
      consume: config.IMPORTS_IN_API,
    }));
  return startServiceApi({
    name: 'governance',
    config,
    port: config.GOVERNANCE_PORT,
    schemaDir: __dirname,
    resolvers,
    data: governanceData,
    context: (runtime) =>
      buildContext({
        db: runtime.db,
        vault,
        lookupsPerDay: config.NATIONAL_ID_LOOKUPS_PER_DAY,
        imports: importsOf(runtime),
      }),
    fileRoutes: (runtime) => [...importRoutes(importsOf(runtime)), ...governanceExports(runtime.db)],
    logDestination: opts.logDestination,
    clock: opts.clock,
  });
}

if (require.main === module) runMain(() => startGovernanceApi(loadGovernanceConfig()));
