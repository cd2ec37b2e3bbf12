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
import { loadMatchingConfig, type MatchingConfig } from './config';
import { matchingData } from './data-source';
import { buildContext } from './context';
import { resolvers } from './resolvers';
import { demandsExport } from './demand/demands.export';
import { matchingImports } from './volunteer/volunteer-imports';

/** The matching subgraph over HTTP. */
export function startMatchingApi(config: MatchingConfig, opts: StartOptions = {}) {
  // Before anything boots: in production the subgraph refuses to start without real keys (its volunteer import).
  const hasher = new LookupHasher(lookupHashKey(config));
  const sealer = new UploadSealer(uploadSealingKey(config));
  return startServiceApi({
    name: 'matching',
    config,
    port: config.MATCHING_PORT,
    schemaDir: __dirname,
    resolvers,
    data: matchingData,
    // The province-wide assignment: province officers only, a few times an hour at most.
    expensive: { 'Mutation.runBatchMatch': ['province'] },
    context: (runtime) => buildContext(runtime.db),
    fileRoutes: (runtime) => [
      demandsExport(runtime.db),
      ...importRoutes(
        matchingImports({
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

if (require.main === module) runMain(() => startMatchingApi(loadMatchingConfig()));
