import { runMain } from '@anju/kit';
import { startWorker } from '@anju/contracts';
import { service } from './service';

/** Matching's worker: site and resident directories, job-help demands from gaps, overdue claims, the nightly batch. */
if (require.main === module) runMain(() => startWorker(service, service.loadConfig()));
