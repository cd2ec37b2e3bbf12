import { Queue, type Worker } from 'bullmq';
import {
  createRedis,
  mountQueueBoard,
  startHealthServer,
  startScheduler,
  type ScheduledTask,
  type ServiceRuntime,
} from '@anju/kit';
import type { ServiceName } from './catalog';
import type { EventHandler } from './handler';
import { startEventConsumer } from './event-consumer';
import { OutboxRelay } from './outbox-relay';
import { eventRetentionTasks } from './retention';
import { DerivedWorkLoop, type DerivedWork } from './derived-work';
import { watchWorker } from './worker-metrics';
import { inboxQueueName } from './catalog';

export interface ServiceWorkerOptions {
  service: ServiceName;
  runtime: ServiceRuntime;
  handlers: EventHandler[];
  tasks?: ScheduledTask[];
  /** Work marked by handlers and done once per key shortly after their batch commits. */
  derived?: DerivedWork[];
  /** Port of the worker's own /health, /ready and /metrics; 0 picks a free one. */
  healthPort: number;
  /** Other queues this worker owns (imports…), shown in its metrics beside its events and schedules. */
  queues?: string[];
  /** Routes of its own on the health port (the operator's queue board). */
  mount?: Parameters<typeof startHealthServer>[5];
}

export interface RunningWorker {
  consumer: Worker;
  relay: OutboxRelay;
  healthPort: number;
}

/** The event tables' retention (see retention.ts): outbox, inbox and dead letters purged by age, nightly. */
function housekeepingTasks(runtime: ServiceRuntime): ScheduledTask[] {
  return eventRetentionTasks(runtime.db, runtime.config, runtime.clock);
}

/**
 * The `worker` entry point of every service: its outbox relay, its inbox consumer, its
 * scheduled tasks and a health port. Shutdown stops taking jobs, lets running ones finish
 * (within SHUTDOWN_GRACE_MS), then closes connections.
 */
export async function startServiceWorker(opts: ServiceWorkerOptions): Promise<RunningWorker> {
  const { runtime, service } = opts;
  const { config, logger, lifecycle, db } = runtime;
  const workerRedis = createRedis(config, 'worker', `${service}-worker`);
  const producerRedis = createRedis(config, 'producer', `${service}-relay`);
  lifecycle.onStop(`${service} redis`, async () => {
    workerRedis.disconnect();
    producerRedis.disconnect();
  });

  const relay = new OutboxRelay({ db, schema: runtime.schema, redis: producerRedis, config, logger });
  const derived = (opts.derived ?? []).map((w) => new DerivedWorkLoop(w, logger));
  const consumer = startEventConsumer({
    service,
    db,
    handlers: opts.handlers,
    connection: workerRedis,
    config,
    logger,
    clock: runtime.clock,
    onApplied: (events) => derived.forEach((d) => d.applied(events)),
  });
  derived.forEach((d) => d.start());
  const scheduler = await startScheduler({
    service,
    tasks: [...housekeepingTasks(runtime), ...(opts.tasks ?? [])],
    connection: workerRedis,
    config,
    logger,
    metrics: runtime.metrics,
  });
  // The queues as operators see them: in the metrics and on the board (/queues on the health port).
  const queues = [inboxQueueName(service), scheduler.queue.name, ...(opts.queues ?? [])].map((name) => {
    const q = new Queue(name, { connection: producerRedis, prefix: config.QUEUE_PREFIX });
    q.on('error', () => undefined); // the connection's owner logs it
    return q;
  });
  lifecycle.onStop(`${service} operators' queues`, () => Promise.all(queues.map((q) => q.close())));
  watchWorker({ metrics: runtime.metrics, queues, workers: [consumer, scheduler.worker] });
  await relay.start();
  lifecycle.onStop(`${service} outbox relay`, () => relay.stop());
  lifecycle.onStop(`${service} scheduler`, () => scheduler.close());
  lifecycle.onStop(`${service} event consumer`, () => consumer.close());
  lifecycle.onStop(`${service} derived work`, () => Promise.all(derived.map((d) => d.stop())).then(() => undefined));

  const { port } = await startHealthServer(
    `${service}-worker`,
    opts.healthPort,
    [
      { name: 'postgres', check: () => db.query('SELECT 1') },
      { name: 'redis', check: () => producerRedis.ping() },
      // Not ready while a schedule it owns is missing from Redis (restored within SCHEDULE_CHECK_MS).
      {
        name: 'schedules',
        check: async () => {
          const missing = await scheduler.missing();
          if (missing.length) throw new Error(`job schedulers missing: ${missing.join(', ')}`);
        },
      },
    ],
    lifecycle,
    runtime.metrics,
    (app) => {
      mountQueueBoard(app, { queues, db, config, logger });
      opts.mount?.(app);
    },
  );
  logger.info({ healthPort: port }, `${service} worker running`);
  return { consumer, relay, healthPort: port };
}
