import { runMain, startServiceApi, type StartOptions } from '@anju/kit';
import { loadSocialOrgsConfig, type SocialOrgsConfig } from './config';
import { socialOrgsData } from './data-source';
import { buildContext } from './context';
import { resolvers } from './resolvers';
import { rosterExport } from './activity/roster.export';

/** The social-orgs subgraph over HTTP; partner NGOs may call it directly with their own tokens. */
export function startSocialOrgsApi(config: SocialOrgsConfig, opts: StartOptions = {}) {
  return startServiceApi({
    name: 'social-orgs',
    config,
    port: config.SOCIAL_ORGS_PORT,
    schemaDir: __dirname,
    resolvers,
    data: socialOrgsData,
    context: (runtime) => buildContext(runtime.db),
    fileRoutes: (runtime) => [rosterExport(runtime.db)],
    logDestination: opts.logDestination,
    clock: opts.clock,
  });
}

if (require.main === module) runMain(() => startSocialOrgsApi(loadSocialOrgsConfig()));
