import { bootRuntime, runMain, type DestinationStream } from '@anju/kit';
import { startServiceWorker } from '@anju/contracts';
import { loadMatchingConfig, type MatchingConfig } from './config';
import { matchingData } from './data-source';
import { handlers } from './handlers';

/** Matching's worker: keeps its site directory from site.registered; relays its outbox. */
export async function startMatchingWorker(config: MatchingConfig, opts: { logDestination?: DestinationStream } = {}) {
  const runtime = await bootRuntime({ name: 'matching', process: 'worker', config, applicationName: 'matching-worker', logDestination: opts.logDestination, ...matchingData });
  const worker = await startServiceWorker({ service: 'matching', runtime, handlers, healthPort: config.MATCHING_WORKER_HEALTH_PORT });
  return { ...runtime, ...worker };
}

if (require.main === module) runMain(() => startMatchingWorker(loadMatchingConfig()));
