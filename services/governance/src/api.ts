import path from 'node:path';
import type { DestinationStream } from '@anju/kit';
import { PersonalDataVault, bootRuntime, createRedis, runMain, startSubgraph } from '@anju/kit';
import { loadGovernanceConfig, type GovernanceConfig } from './config';
import { governanceData } from './data-source';
import { buildContext } from './context';
import { resolvers } from './resolvers';

export const SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');

/** The governance subgraph over HTTP. */
export async function startGovernanceApi(config: GovernanceConfig, opts: { logDestination?: DestinationStream } = {}) {
  const runtime = await bootRuntime({ name: 'governance', process: 'api', config, applicationName: 'governance-api', logDestination: opts.logDestination, ...governanceData });
  const redis = createRedis(config, 'producer', 'governance-api');
  runtime.lifecycle.onStop('governance api redis', async () => redis.disconnect());
  const http = await startSubgraph({
    name: 'governance',
    schemaFile: SCHEMA_FILE,
    resolvers,
    buildContext: buildContext({ db: runtime.db, vault: new PersonalDataVault(config) }),
    config,
    port: config.GOVERNANCE_PORT,
    logger: runtime.logger,
    lifecycle: runtime.lifecycle,
    readiness: [
      { name: 'postgres', check: () => runtime.db.query('SELECT 1') },
      { name: 'redis', check: () => redis.ping() },
    ],
  });
  return { ...runtime, ...http };
}

if (require.main === module) runMain(() => startGovernanceApi(loadGovernanceConfig()));
