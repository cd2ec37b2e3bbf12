import path from 'node:path';
import { runMain, startServiceApi, type StartOptions } from '@anju/kit';
import { loadMatchingConfig, type MatchingConfig } from './config';
import { matchingData } from './data-source';
import { buildContext } from './context';
import { resolvers } from './resolvers';
import { demandsExport } from './demand/demands.export';

export const SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');

/** The matching subgraph over HTTP. */
export function startMatchingApi(config: MatchingConfig, opts: StartOptions = {}) {
  return startServiceApi({
    name: 'matching',
    config,
    port: config.MATCHING_PORT,
    schemaFile: SCHEMA_FILE,
    resolvers,
    data: matchingData,
    // The province-wide assignment: province officers only, a few times an hour at most.
    expensive: { 'Mutation.runBatchMatch': ['province'] },
    context: (runtime) => buildContext(runtime.db),
    fileRoutes: (runtime) => [demandsExport(runtime.db)],
    logDestination: opts.logDestination,
    clock: opts.clock,
  });
}

if (require.main === module) runMain(() => startMatchingApi(loadMatchingConfig()));
