import { bootRuntime, runMain, type StartOptions } from '@anju/kit';
import { startServiceWorker } from '@anju/contracts';
import { loadMatchingConfig, type MatchingConfig } from './config';
import { matchingData } from './data-source';
import { handlers } from './handlers';
import { matchingTasks } from './tasks';

/** Matching's worker: site and resident directories, job-help demands from monitoring gaps, overdue claims, the nightly batch; relays its outbox. */
export async function startMatchingWorker(config: MatchingConfig, opts: StartOptions = {}) {
  const runtime = await bootRuntime({ name: 'matching', process: 'worker', config, applicationName: 'matching-worker', logDestination: opts.logDestination, clock: opts.clock, ...matchingData });
  const worker = await startServiceWorker({ service: 'matching', runtime, handlers, tasks: matchingTasks(runtime.db, runtime.clock), healthPort: config.MATCHING_WORKER_HEALTH_PORT });
  return { ...runtime, ...worker };
}

if (require.main === module) runMain(() => startMatchingWorker(loadMatchingConfig()));
