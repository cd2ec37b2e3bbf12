import { declarationOf, defineService } from '@anju/contracts';
import { loadSocialOrgsConfig } from './config';
import { socialOrgsData } from './data-source';
import { handlers } from './handlers';
import { tasks } from './tasks';

/**
 * Social organisations (社会组织): NGOs, activities, casework, services and contracts; partner NGOs
 * may call it directly.
 */
export const service = defineService({
  declaration: declarationOf('social-orgs'),
  loadConfig: loadSocialOrgsConfig,
  data: socialOrgsData,
  // Loaded when started: a worker process does not load the resolvers.
  startApi: async (config, opts) => (await import('./api')).startSocialOrgsApi(config, opts),
  handlers,
  tasks,
});
