import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { runWithRequestId, type Clock, type Logger, type PlatformConfig } from '@anju/kit';
import { EVENTS, eventsConsumedBy, inboxQueueName, type EventEnvelope, type EventName, type ServiceName } from './catalog';
import type { EventHandler } from './handler';
import { eventJobOptions } from './job-options';

/**
 * Checks, before a worker runs, that it handles exactly the events the contract routes to its
 * service: one handler each, none missing, none extra. A worker that would drop events refuses
 * to start.
 */
export function indexHandlers(service: ServiceName, handlers: EventHandler[]): Map<EventName, EventHandler> {
  const byEvent = new Map<EventName, EventHandler>();
  const problems: string[] = [];
  for (const h of handlers) {
    if (byEvent.has(h.event)) problems.push(`two handlers for ${h.event}`);
    if (!EVENTS[h.event]?.consumers.includes(service)) problems.push(`${h.event} is not routed to ${service} in the contract`);
    byEvent.set(h.event, h);
  }
  for (const name of eventsConsumedBy(service)) if (!byEvent.has(name)) problems.push(`no handler for ${name}`);
  if (problems.length) throw new Error(`${service} worker refuses to start: ${problems.join('; ')}`);
  return byEvent;
}

export interface ConsumerOptions {
  service: ServiceName;
  db: DataSource;
  handlers: EventHandler[];
  /** A `worker` connection (maxRetriesPerRequest: null). */
  connection: Redis;
  config: PlatformConfig;
  logger: Logger;
  /** The process's clock, handed to every handler. */
  clock: Clock;
}

/**
 * The service's inbox: a BullMQ worker on its queue. Each event's effect commits in one
 * transaction with the event id in `inbox`, so a redelivery (a retry, a stalled job re-run after
 * a crash, a re-send after Redis lost it) finds the id and does nothing. A job that fails on its
 * last attempt — or can never succeed (unknown version, payload not matching the contract) — is
 * written to `dead_letter` for an operator to replay.
 */
export function startEventConsumer(opts: ConsumerOptions): Worker {
  const handlers = indexHandlers(opts.service, opts.handlers);
  const { db, logger, config } = opts;

  const process = async (job: Job<EventEnvelope>) => {
    const env = job.data;
    return runWithRequestId(env.requestId, async () => {
      try {
        const handler = handlers.get(env.name);
        const def = EVENTS[env.name];
        if (!handler || !def) throw new UnrecoverableError(`no handler for event ${env.name}`);
        if (env.version !== def.version) throw new UnrecoverableError(`${env.name} version ${env.version} is not understood (expects ${def.version})`);
        const parsed = def.payload.safeParse(env.payload);
        if (!parsed.success) throw new UnrecoverableError(`${env.name} payload does not match the contract: ${parsed.error.message}`);
        const outcome = await db.transaction(async (manager) => {
          const fresh = await manager.query(`INSERT INTO inbox (event_id, event) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`, [env.id, env.name]);
          if (!fresh.length) return 'duplicate' as const;
          await handler.handle(parsed.data as never, { manager, envelope: env as never, logger, clock: opts.clock });
          await manager.query(`UPDATE dead_letter SET resolved_at = now() WHERE event_id = $1 AND resolved_at IS NULL`, [env.id]);
          return 'processed' as const;
        });
        logger.debug({ event: env.name, eventId: env.id, outcome }, 'event consumed');
        return outcome;
      } catch (err) {
        const final = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        logger[final ? 'error' : 'warn']({ err, event: env.name, eventId: env.id, attempt: job.attemptsMade + 1 }, final ? 'event failed for good: dead-lettered' : 'event failed; will retry');
        if (final) await recordDeadLetter(db, env, err as Error, job.attemptsMade + 1);
        throw err;
      }
    });
  };

  const worker = new Worker<EventEnvelope>(inboxQueueName(opts.service), process, {
    connection: opts.connection,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.JOB_CONCURRENCY,
    lockDuration: config.JOB_LOCK_MS,
    stalledInterval: config.JOB_LOCK_MS,
    maxStalledCount: 3,
  });
  worker.on('error', (err) => logger.warn({ err }, 'event worker connection problem'));
  return worker;
}

async function recordDeadLetter(db: DataSource, env: EventEnvelope, err: Error, attempts: number): Promise<void> {
  await db.query(
    `INSERT INTO dead_letter (event_id, event, envelope, error, attempts) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (event_id) DO UPDATE SET error = EXCLUDED.error, attempts = dead_letter.attempts + EXCLUDED.attempts,
       failed_at = now(), resolved_at = NULL`,
    [env.id, env.name, JSON.stringify(env), String(err.message).slice(0, 2_000), attempts],
  );
}

export interface DeadLetter {
  eventId: string;
  event: string;
  error: string;
  attempts: number;
  failedAt: Date;
  replayCount: number;
  replayedAt: Date | null;
}

/** Unresolved dead letters of a service, oldest first. */
export async function listDeadLetters(db: DataSource): Promise<DeadLetter[]> {
  return db.query(
    `SELECT event_id AS "eventId", event, error, attempts, failed_at AS "failedAt", replay_count AS "replayCount", replayed_at AS "replayedAt"
       FROM dead_letter WHERE resolved_at IS NULL ORDER BY failed_at`,
  );
}

/**
 * Sends dead letters to the service's queue again (a new job id, the same event id, so the inbox
 * still guarantees one effect). Returns the ids replayed.
 */
export async function replayDeadLetters(opts: { db: DataSource; service: ServiceName; connection: Redis; config: PlatformConfig; eventIds?: string[] }): Promise<string[]> {
  const rows: { event_id: string; envelope: EventEnvelope; replay_count: number }[] = await opts.db.query(
    `SELECT event_id, envelope, replay_count FROM dead_letter
      WHERE resolved_at IS NULL AND ($1::uuid[] IS NULL OR event_id = ANY($1::uuid[])) ORDER BY failed_at`,
    [opts.eventIds ?? null],
  );
  if (!rows.length) return [];
  const queue = new Queue(inboxQueueName(opts.service), { connection: opts.connection, prefix: opts.config.QUEUE_PREFIX });
  try {
    await queue.addBulk(rows.map((r) => ({
      name: r.envelope.name,
      data: r.envelope,
      opts: { ...eventJobOptions(opts.config), jobId: `${r.event_id}.replay-${r.replay_count + 1}` },
    })));
    await opts.db.query(`UPDATE dead_letter SET replay_count = replay_count + 1, replayed_at = now() WHERE event_id = ANY($1)`, [rows.map((r) => r.event_id)]);
  } finally {
    await queue.close();
  }
  return rows.map((r) => r.event_id);
}
