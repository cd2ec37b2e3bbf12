import { bootRuntime, runMain, type DestinationStream } from '@anju/kit';
import { startServiceWorker } from '@anju/contracts';
import { loadEmploymentConfig, type EmploymentConfig } from './config';
import { employmentData } from './data-source';
import { handlers } from './handlers';

/** Employment's worker: consumes resident.registered and site.registered; relays its own outbox. */
export async function startEmploymentWorker(config: EmploymentConfig, opts: { logDestination?: DestinationStream } = {}) {
  const runtime = await bootRuntime({ name: 'employment', process: 'worker', config, applicationName: 'employment-worker', logDestination: opts.logDestination, ...employmentData });
  const worker = await startServiceWorker({ service: 'employment', runtime, handlers, healthPort: config.EMPLOYMENT_WORKER_HEALTH_PORT });
  return { ...runtime, ...worker };
}

if (require.main === module) runMain(() => startEmploymentWorker(loadEmploymentConfig()));
