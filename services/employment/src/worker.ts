import { bootRuntime, runMain, type StartOptions } from '@anju/kit';
import { startServiceWorker } from '@anju/contracts';
import { loadEmploymentConfig, type EmploymentConfig } from './config';
import { employmentData } from './data-source';
import { handlers } from './handlers';
import { monitoringNightlyTask } from './monitoring/monitoring.task';
import { householdRecheckWork } from './monitoring/recheck';

/** Employment's worker: consumes resident and site events, relays its own outbox, runs the nightly monitoring. */
export async function startEmploymentWorker(config: EmploymentConfig, opts: StartOptions = {}) {
  const runtime = await bootRuntime({ name: 'employment', process: 'worker', config, applicationName: 'employment-worker', logDestination: opts.logDestination, clock: opts.clock, ...employmentData });
  const worker = await startServiceWorker({ service: 'employment', runtime, handlers, tasks: [monitoringNightlyTask(runtime.db, runtime.clock)],
    derived: [householdRecheckWork(runtime.db, () => runtime.clock.now())], healthPort: config.EMPLOYMENT_WORKER_HEALTH_PORT });
  return { ...runtime, ...worker };
}

if (require.main === module) runMain(() => startEmploymentWorker(loadEmploymentConfig()));
