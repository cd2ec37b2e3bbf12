import { runMain } from '@anju/kit';
import { startWorker } from '@anju/contracts';
import { service } from './service';

/** Governance's worker: its outbox relay, its inbox (see handlers/) and its schedules (see tasks.ts). */
if (require.main === module) runMain(() => startWorker(service, service.loadConfig()));
