import { runMain } from '@anju/kit';
import { startWorker } from '@anju/contracts';
import { service } from './service';

/** Employment's worker: consumes resident and site events, relays its own outbox, runs the nightly monitoring. */
if (require.main === module) runMain(() => startWorker(service, service.loadConfig()));
