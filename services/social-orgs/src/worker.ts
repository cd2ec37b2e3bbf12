import { bootRuntime, runMain, type StartOptions } from '@anju/kit';
import { startServiceWorker } from '@anju/contracts';
import { loadSocialOrgsConfig, type SocialOrgsConfig } from './config';
import { socialOrgsData } from './data-source';
import { handlers } from './handlers';
import { scheduledTasks } from './tasks';

/** Social-orgs' worker: its outbox relay, inbox and schedules. */
export async function startSocialOrgsWorker(config: SocialOrgsConfig, opts: StartOptions = {}) {
  const runtime = await bootRuntime({ name: 'social-orgs', process: 'worker', config, applicationName: 'social-orgs-worker', logDestination: opts.logDestination, clock: opts.clock, ...socialOrgsData });
  const worker = await startServiceWorker({ service: 'social-orgs', runtime, handlers, tasks: scheduledTasks(runtime), healthPort: config.SOCIAL_ORGS_WORKER_HEALTH_PORT });
  return { ...runtime, ...worker };
}

if (require.main === module) runMain(() => startSocialOrgsWorker(loadSocialOrgsConfig()));
