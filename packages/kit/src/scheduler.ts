import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { PlatformConfig } from './config';
import type { Logger } from './logger';
import { runWithRequestId } from './request-context';

/** A recurring job of a service: nightly monitoring, reminders, escalations, clean-ups. */
export interface ScheduledTask {
  /** Published name: the job scheduler's id in Redis. Never rename; add a new one. */
  name: string;
  /** Either a fixed interval… */
  everyMs?: number;
  /** …or a cron pattern, in the province's time zone. */
  cron?: string;
  run(): Promise<unknown>;
}

export const SCHEDULE_TIME_ZONE = 'Asia/Shanghai';

/**
 * Registers the service's tasks as BullMQ job schedulers (idempotent: every replica upserts the
 * same ids, and exactly one run happens per tick) and processes them one at a time.
 */
export async function startScheduler(opts: {
  service: string;
  tasks: ScheduledTask[];
  connection: Redis;
  config: Pick<PlatformConfig, 'QUEUE_PREFIX' | 'JOB_LOCK_MS'>;
  logger: Logger;
}): Promise<{ queue: Queue; worker: Worker; close(): Promise<void> }> {
  const queueName = `${opts.service}.schedules`;
  const byName = new Map(opts.tasks.map((t) => [t.name, t]));
  const queue = new Queue(queueName, { connection: opts.connection, prefix: opts.config.QUEUE_PREFIX });
  queue.on('error', (err) => opts.logger.warn({ err }, 'scheduler queue connection problem'));
  for (const task of opts.tasks) {
    const repeat = task.cron ? { pattern: task.cron, tz: SCHEDULE_TIME_ZONE } : { every: task.everyMs! };
    await queue.upsertJobScheduler(task.name, repeat, { name: task.name, opts: { removeOnComplete: 100, removeOnFail: 500 } });
  }
  const worker = new Worker(
    queueName,
    async (job) =>
      runWithRequestId(`schedule-${job.name}-${randomUUID().slice(0, 8)}`, async () => {
        const task = byName.get(job.name);
        if (!task) return 'unknown task';
        const started = Date.now();
        const result = await task.run();
        opts.logger.info({ task: job.name, ms: Date.now() - started }, 'scheduled task done');
        return result ?? null;
      }),
    { connection: opts.connection, prefix: opts.config.QUEUE_PREFIX, concurrency: 1, lockDuration: opts.config.JOB_LOCK_MS },
  );
  worker.on('error', (err) => opts.logger.warn({ err }, 'scheduler connection problem'));
  worker.on('failed', (job, err) => opts.logger.error({ err, task: job?.name }, 'scheduled task failed'));
  return {
    queue,
    worker,
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}
