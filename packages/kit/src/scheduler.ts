import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { PlatformConfig } from './config';
import type { Logger } from './logger';
import { runWithRequestId } from './request-context';
import { PROVINCE_TIME_ZONE } from './calendar';
import type { ProcessMetrics } from './metrics';

/** A recurring job of a service: nightly monitoring, reminders, escalations, clean-ups. */
export interface ScheduledTask {
  /** Published name: the job scheduler's id in Redis. Never rename; add a new one. */
  name: string;
  /** Either a fixed interval… */
  everyMs?: number;
  /**
   * …or a cron pattern, in the province's time zone (the schedule fires on the system clock; the task reads its own).
   */
  cron?: string;
  run(): Promise<unknown>;
}

export interface RunningScheduler {
  queue: Queue;
  worker: Worker;
  /** Names of this service's tasks that Redis has no job scheduler for (lost with Redis's data). */
  missing(): Promise<string[]>;
  /** Upserts the missing schedulers again; returns their names. Runs by itself every SCHEDULE_CHECK_MS. */
  restore(): Promise<string[]>;
  close(): Promise<void>;
}

/** BullMQ's SchedulerJobIdCollision: the tick's job exists already (taken by another replica's worker). */
const TICK_TAKEN = /job scheduler iteration - job ID already exists/;

/**
 * Registers the service's tasks as BullMQ job schedulers (idempotent: every replica upserts the
 * same ids, and exactly one run happens per tick) and processes them one at a time. Schedulers
 * live only in Redis, and ours keeps nothing on disk: every SCHEDULE_CHECK_MS the worker looks
 * for its schedulers and upserts those that are gone, so a restarted Redis needs no restart here.
 */
export async function startScheduler(opts: {
  service: string;
  tasks: ScheduledTask[];
  connection: Redis;
  config: Pick<PlatformConfig, 'QUEUE_PREFIX' | 'JOB_LOCK_MS' | 'SCHEDULE_CHECK_MS' | 'SCHEDULES_ENABLED'>;
  logger: Logger;
  /** The worker's metrics: each task's runs, last duration and result; each scheduler's presence in Redis. */
  metrics?: ProcessMetrics;
}): Promise<RunningScheduler> {
  const queueName = `${opts.service}.schedules`;
  const byName = new Map(opts.tasks.map((t) => [t.name, t]));
  const queue = new Queue(queueName, { connection: opts.connection, prefix: opts.config.QUEUE_PREFIX });
  queue.on('error', (err) => opts.logger.warn({ err }, 'scheduler queue connection problem'));
  const upsert = async (task: ScheduledTask) => {
    const repeat = task.cron ? { pattern: task.cron, tz: PROVINCE_TIME_ZONE } : { every: task.everyMs! };
    try {
      await queue.upsertJobScheduler(task.name, repeat, {
        name: task.name,
        opts: { removeOnComplete: 100, removeOnFail: 500 },
      });
    } catch (err) {
      // A replica starting on a tick reckons that tick as the next one, while another replica's worker has
      // already taken its job: BullMQ refuses a second job for the tick. The task is scheduled; go on.
      if (!TICK_TAKEN.test((err as Error).message) || !(await queue.getJobScheduler(task.name))) throw err;
      opts.logger.info({ task: task.name }, 'another replica took this tick of the task as it was registered');
    }
  };
  // Tests turn schedules off (SCHEDULES_ENABLED=false) and run the tasks themselves on their clock, so that
  // nothing fires on the wall clock behind their back; a test about the scheduler turns them on.
  const tasks = opts.config.SCHEDULES_ENABLED ? opts.tasks : [];
  for (const task of tasks) await upsert(task);

  const missing = async () => {
    const present = new Set((await queue.getJobSchedulers(0, -1)).map((s) => s.key));
    return tasks.filter((t) => !present.has(t.name)).map((t) => t.name);
  };
  const restore = async () => {
    const gone = await missing();
    for (const name of gone) await upsert(byName.get(name)!);
    if (gone.length) opts.logger.warn({ schedules: gone }, 'job schedulers were missing from Redis; restored them');
    return gone;
  };
  let checking: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    checking ??= restore()
      .catch((err) => opts.logger.warn({ err }, 'could not check the job schedulers'))
      .finally(() => (checking = undefined));
  }, opts.config.SCHEDULE_CHECK_MS);
  timer.unref();
  const observe = opts.metrics
    ? taskMetrics(opts.metrics, opts.tasks, tasks, missing, opts.config.SCHEDULES_ENABLED)
    : undefined;
  const worker = new Worker(
    queueName,
    async (job) =>
      runWithRequestId(`schedule-${job.name}-${randomUUID().slice(0, 8)}`, async () => {
        const task = byName.get(job.name);
        if (!task) return 'unknown task';
        const started = performance.now();
        try {
          const result = await task.run();
          observe?.(job.name, performance.now() - started, true);
          opts.logger.info({ task: job.name, ms: Math.round(performance.now() - started) }, 'scheduled task done');
          return result ?? null;
        } catch (err) {
          observe?.(job.name, performance.now() - started, false);
          throw err;
        }
      }),
    {
      connection: opts.connection,
      prefix: opts.config.QUEUE_PREFIX,
      concurrency: 1,
      lockDuration: opts.config.JOB_LOCK_MS,
    },
  );
  worker.on('error', (err) => opts.logger.warn({ err }, 'scheduler connection problem'));
  worker.on('failed', (job, err) => opts.logger.error({ err, task: job?.name }, 'scheduled task failed'));
  return {
    queue,
    worker,
    missing,
    restore,
    close: async () => {
      clearInterval(timer);
      await checking;
      await worker.close();
      await queue.close();
    },
  };
}

/**
 * `anju_scheduled_task_*`: runs by outcome, and the last run's duration, result (1 ok, 0 failed)
 * and end (Unix seconds) of each task this process ran; `anju_scheduler_present` (1, or 0 while
 * Redis has lost it) for each task the service declares, with `anju_schedules_enabled`.
 */
function taskMetrics(
  metrics: ProcessMetrics,
  declared: ScheduledTask[],
  enabled: ScheduledTask[],
  missing: () => Promise<string[]>,
  schedulesEnabled: boolean,
) {
  const runs = metrics.counter(
    'anju_scheduled_task_runs_total',
    'Scheduled task runs, by task and outcome (ok, failed).',
    ['task', 'outcome'],
  );
  const duration = metrics.gauge(
    'anju_scheduled_task_last_run_duration_seconds',
    'Duration of the last run of a task in this process.',
    ['task'],
  );
  const success = metrics.gauge(
    'anju_scheduled_task_last_run_success',
    'Result of the last run of a task in this process: 1 ok, 0 failed.',
    ['task'],
  );
  const finished = metrics.gauge(
    'anju_scheduled_task_last_run_timestamp_seconds',
    'When the last run of a task in this process ended (Unix seconds).',
    ['task'],
  );
  metrics
    .gauge('anju_schedules_enabled', '1 when this worker registers its job schedulers (SCHEDULES_ENABLED).')
    .set(schedulesEnabled ? 1 : 0);
  metrics.gaugesFromSnapshot(missing, {
    anju_scheduler_present: {
      help:
        'Whether Redis holds the job scheduler of each task the service ' +
        'declares (1) or lost it (0); 0 for every task while schedules are off.',
      labelNames: ['task'],
      values: (gone) =>
        declared.map((t) => ({
          labels: { task: t.name },
          value: enabled.includes(t) && !gone.includes(t.name) ? 1 : 0,
        })),
    },
  });
  return (task: string, ms: number, ok: boolean) => {
    runs.inc({ task, outcome: ok ? 'ok' : 'failed' });
    duration.set({ task }, ms / 1000);
    success.set({ task }, ok ? 1 : 0);
    // Record-keeping time (when the run ended on this machine), not the domain's clock.
    finished.set({ task }, Math.round(performance.timeOrigin + performance.now()) / 1000);
  };
}
