import path from 'node:path';
import { PersonalDataVault, personalDataKeys, runMain, startServiceApi, type StartOptions } from '@anju/kit';
import { loadGovernanceConfig, type GovernanceConfig } from './config';
import { governanceData } from './data-source';
import { buildContext } from './context';
import { resolvers } from './resolvers';

export const SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');

/** The governance subgraph over HTTP. */
export async function startGovernanceApi(config: GovernanceConfig, opts: StartOptions = {}) {
  // Before anything boots: in production the subgraph refuses to start without real PII keys.
  const vault = new PersonalDataVault(personalDataKeys(config));
  return startServiceApi({
    name: 'governance',
    config,
    port: config.GOVERNANCE_PORT,
    schemaFile: SCHEMA_FILE,
    resolvers,
    data: governanceData,
    context: (runtime) => buildContext({ db: runtime.db, vault, lookupsPerDay: config.NATIONAL_ID_LOOKUPS_PER_DAY }),
    logDestination: opts.logDestination,
    clock: opts.clock,
  });
}

if (require.main === module) runMain(() => startGovernanceApi(loadGovernanceConfig()));
