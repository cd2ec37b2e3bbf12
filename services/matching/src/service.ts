import { declarationOf, defineService } from '@anju/contracts';
import { loadMatchingConfig } from './config';
import { matchingData } from './data-source';
import { handlers } from './handlers';
import { tasks } from './tasks';

/** Matching (供需对接): residents' demands, volunteers and units, claims and the nightly batch assignment. */
export const service = defineService({
  declaration: declarationOf('matching'),
  loadConfig: loadMatchingConfig,
  data: matchingData,
  // Loaded when started: a worker process does not load the resolvers.
  startApi: async (config, opts) => (await import('./api')).startMatchingApi(config, opts),
  handlers,
  tasks,
});
