import type { Job, Queue, Worker } from 'bullmq';
import type { ProcessMetrics } from '@anju/kit';

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;
const WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];

/**
 * A worker's metrics beyond the kit's (pool, outbox, dead letters, schedules): per queue, jobs by
 * state and the age of the oldest waiting job (one Redis round per queue at scrape time, cached),
 * the wait of each job from when it could run to when a worker took it, and jobs finished by outcome.
 */
export function watchWorker(opts: {
  metrics: ProcessMetrics;
  /** The queues this worker consumes or owns: its events, its schedules, its imports. */
  queues: Queue[];
  /** The BullMQ workers of this process, whose jobs are timed and counted. */
  workers: Worker[];
}): void {
  const { metrics } = opts;
  const { queues } = opts;

  metrics.gaugesFromSnapshot(
    () =>
      Promise.all(
        queues.map(async (q) => {
          const [counts, oldest] = await Promise.all([q.getJobCounts(...STATES), q.getJobs(['wait'], 0, 0, true)]);
          return { queue: q.name, counts, oldestMs: oldest[0]?.timestamp };
        }),
      ),
    {
      anju_queue_jobs: {
        help:
          'Jobs in each queue by state (waiting, active, delayed, ' +
          'prioritized, failed, completed; finished jobs as BullMQ keeps them).',
        labelNames: ['queue', 'state'],
        values: (qs) =>
          qs.flatMap((q) =>
            STATES.map((state) => ({ labels: { queue: q.queue, state }, value: q.counts[state] ?? 0 })),
          ),
      },
      anju_queue_oldest_waiting_seconds: {
        help: 'Age of the oldest job waiting in each queue (0 when none waits).',
        labelNames: ['queue'],
        values: (qs) =>
          qs.map((q) => ({
            labels: { queue: q.queue },
            value: q.oldestMs ? Math.max(0, (wallClockMs() - q.oldestMs) / 1000) : 0,
          })),
      },
    },
  );

  const wait = metrics.histogram(
    'anju_queue_wait_seconds',
    'Time a job waited from when it could run (added, or its delay over) to when a worker took it.',
    ['queue'],
    WAIT_BUCKETS,
  );
  const finished = metrics.counter(
    'anju_jobs_total',
    'Jobs finished by this process, by queue and outcome (completed, failed).',
    ['queue', 'outcome'],
  );
  for (const w of opts.workers) {
    w.on('active', (job: Job) => {
      const ready = job.timestamp + (job.delay ?? 0);
      wait.observe({ queue: w.name }, Math.max(0, ((job.processedOn ?? wallClockMs()) - ready) / 1000));
    });
    w.on('completed', () => finished.inc({ queue: w.name, outcome: 'completed' }));
    w.on('failed', () => finished.inc({ queue: w.name, outcome: 'failed' }));
  }
}

/** Job timestamps are BullMQ's wall-clock milliseconds; ages are measured against the same clock. */
function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
