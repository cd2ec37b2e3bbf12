import { runMain } from '@anju/kit';
import { startWorker } from '@anju/contracts';
import { service } from './service';

/** Social-orgs' worker: its outbox relay, inbox (see handlers/) and schedules (see tasks.ts). */
if (require.main === module) runMain(() => startWorker(service, service.loadConfig()));
