import type { JobsOptions } from 'bullmq';
import type { PlatformConfig } from '@anju/kit';

/** Retries with exponential backoff; finished jobs stay an hour so the relay can see them settle. */
export function eventJobOptions(config: Pick<PlatformConfig, 'JOB_ATTEMPTS' | 'JOB_BACKOFF_MS'>): JobsOptions {
  return {
    attempts: config.JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS },
    removeOnComplete: { age: 3_600, count: 200_000 },
    removeOnFail: { age: 14 * 24 * 3_600 },
  };
}
