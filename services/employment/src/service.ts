import { declarationOf, defineService } from '@anju/contracts';
import { loadEmploymentConfig } from './config';
import { employmentData } from './data-source';
import { handlers } from './handlers';
import { householdRecheckWork } from './monitoring/recheck';
import { tasks } from './tasks';

/** Employment (就业): labour profiles, training, jobs, land and projects, income-stability monitoring. */
export const service = defineService({
  declaration: declarationOf('employment'),
  loadConfig: loadEmploymentConfig,
  data: employmentData,
  // Loaded when started: a worker process does not load the resolvers.
  startApi: async (config, opts) => (await import('./api')).startEmploymentApi(config, opts),
  handlers,
  tasks,
  // Households marked by resident events are re-checked once each, shortly after their batch commits.
  derived: {
    tables: ['household_recheck'],
    start: (runtime) => [householdRecheckWork(runtime.db, () => runtime.clock.now())],
  },
});
