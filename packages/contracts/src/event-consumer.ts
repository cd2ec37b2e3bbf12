import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import {
  ROOT_CONTEXT,
  SpanKind,
  inBatchTraces,
  inSpan,
  isDatabaseUnavailable,
  linksTo,
  runWithRequestId,
  tracer,
  tracingOn,
  type Clock,
  type Logger,
  type PlatformConfig,
} from '@anju/kit';
import {
  EVENTS,
  eventsConsumedBy,
  inboxQueueName,
  type EventEnvelope,
  type EventName,
  type ServiceName,
} from './catalog';
import type { EventHandler } from './handler';
import { eventJobOptions } from './job-options';
import type { EventBatch } from './outbox-relay';

const consumerTracer = tracer('event-consumer');

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
    if (!EVENTS[h.event]?.consumers.includes(service))
      problems.push(`${h.event} is not routed to ${service} in the contract`);
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
  /** Called after a batch committed with the names of the events it applied (derived work may start at once). */
  onApplied?: (events: Set<EventName>) => void;
}

/** Outcome of one event in a batch job. */
type Fate = { ok: true } | { ok: false; err: Error; final: boolean };

/**
 * What a finished job returns: every event of it is confirmed by this service's inbox (applied now
 * or before) or its dead letters. The relay settles a batch only on a completed job (see OutboxRelay).
 */
export interface JobConfirmation {
  events: number;
  deadLettered: number;
}

/** BullMQ's reason for failing a job that stalled more than `maxStalledCount` times (its worker kept dying on it). */
const STALLED_TOO_OFTEN = 'job stalled more than allowable limit';

/** Deadlocks and serialization failures between concurrent batches: the batch is simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const BATCH_TRIES = 4;

/**
 * The service's inbox: a BullMQ worker on its queue. A job carries a batch of events (the
 * relay's, `{ batch }`) or one event (a replay, a test). The batch's new events are applied in
 * ONE transaction: the inbox rows by one statement, each run of consecutive events of one name by
 * its handler's `handleBatch`. A redelivery (a retry, a stalled job re-run after a crash, a
 * re-send after Redis lost it) finds the ids in `inbox` and does nothing for them; a worker killed
 * mid-batch leaves nothing of it. When the batch fails, its events are applied one per
 * transaction, so a poison event fails alone while the rest commit. Events still failing make
 * the job fail and retry (backoff) — the inbox skips what already committed — and on the last
 * attempt each goes to `dead_letter` for an operator to replay. An event that can never succeed
 * (unknown version, payload not matching the contract) goes there at once. A job completes only
 * when the inbox or the dead letters hold every event of it (its `JobConfirmation`): while the
 * dead letters cannot be written, it waits and runs again rather than finish and lose them.
 */
export function startEventConsumer(opts: ConsumerOptions): Worker {
  const handlers = indexHandlers(opts.service, opts.handlers);
  const { db, logger, config } = opts;

  /**
   * Applies events (all valid) in one transaction; returns the names of those that were new. An
   * event already in the inbox is skipped; so is one in the unresolved dead letters when the job is
   * a relay's (re)send, not an operator's replay: either way it is confirmed here already.
   */
  const applyAll = async (
    events: { env: EventEnvelope; payload: unknown }[],
    replay: boolean,
  ): Promise<Set<EventName>> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction(async (manager) => {
          // Ids in one order for every batch: two batches that share an event cannot deadlock on it.
          const fresh: { event_id: string }[] = await manager.query(
            `INSERT INTO inbox (event_id, event) SELECT i, e FROM unnest($1::uuid[], $2::text[]) AS x(i, e)
              WHERE $3 OR NOT EXISTS (SELECT 1 FROM dead_letter d WHERE d.event_id = x.i AND d.resolved_at IS NULL)
              ORDER BY i
             ON CONFLICT DO NOTHING RETURNING event_id`,
            [events.map((e) => e.env.id), events.map((e) => e.env.name), replay],
          );
          const isNew = new Set(fresh.map((r) => r.event_id));
          const todo = events.filter((e) => isNew.has(e.env.id));
          // Runs of consecutive events of one name, in delivery order.
          for (let i = 0; i < todo.length;) {
            let j = i + 1;
            while (j < todo.length && todo[j].env.name === todo[i].env.name) j++;
            const handler = handlers.get(todo[i].env.name)!;
            const run = todo.slice(i, j);
            await inBatchTraces(
              `${opts.service}-worker`,
              `${handler.event} handle`,
              run.map((e) => e.env.traceparent),
              { 'messaging.destination.name': handler.event, 'messaging.consumer.group.name': opts.service },
              () =>
                handler.handleBatch(run.map((e) => ({ payload: e.payload, envelope: e.env })) as never, {
                  manager,
                  logger,
                  clock: opts.clock,
                }),
            );
            i = j;
          }
          if (todo.length) {
            await manager.query(
              `UPDATE dead_letter SET resolved_at = now() WHERE event_id = ANY($1::uuid[]) AND resolved_at IS NULL`,
              [[...isNew]],
            );
          }
          return new Set(todo.map((e) => e.env.name));
        });
      } catch (err) {
        if (attempt >= BATCH_TRIES || !RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
      }
    }
  };

  /**
   * A job serves many traces: its span (`<service> events`) is a root linked to each event's
   * publish; each handler call then opens a span in every trace of its events (`inBatchTraces`).
   */
  const process = (job: Job<EventEnvelope | EventBatch>, token?: string): Promise<JobConfirmation> => {
    if (!tracingOn()) return processJob(job, token);
    const events = 'batch' in job.data ? job.data.batch : [job.data];
    return inSpan(
      consumerTracer,
      `${opts.service} events`,
      {
        kind: SpanKind.CONSUMER,
        parent: ROOT_CONTEXT,
        links: linksTo(events.map((e) => e.traceparent)),
        attributes: {
          'messaging.system': 'bullmq',
          'messaging.message.id': job.id ?? '',
          'messaging.batch.message_count': events.length,
          'messaging.consumer.group.name': opts.service,
          'anju.job.attempt': job.attemptsMade + 1,
        },
      },
      () => processJob(job, token),
    );
  };

  const processJob = async (job: Job<EventEnvelope | EventBatch>, token?: string): Promise<JobConfirmation> => {
    // The relay sends batches; an operator's replay (and a test) sends one envelope.
    const replay = !('batch' in job.data);
    const events = 'batch' in job.data ? job.data.batch : [job.data];
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    // An outage is not the event's fault: it is never given up on, only waited out (see below).
    const givesUp = (err: unknown) => lastAttempt && !isDatabaseUnavailable(err);
    const fates = new Map<string, Fate>();
    const valid: { env: EventEnvelope; payload: unknown }[] = [];
    for (const env of events) {
      const handler = handlers.get(env.name);
      const def = EVENTS[env.name];
      let problem: string | undefined;
      if (!handler || !def) problem = `no handler for event ${env.name}`;
      else if (env.version !== def.version)
        problem = `${env.name} version ${env.version} is not understood (expects ${def.version})`;
      else {
        const parsed = def.payload.safeParse(env.payload);
        if (parsed.success) valid.push({ env, payload: parsed.data });
        else problem = `${env.name} payload does not match the contract: ${parsed.error.message}`;
      }
      if (problem) fates.set(env.id, { ok: false, err: new UnrecoverableError(problem), final: true });
    }
    let applied = new Set<EventName>();
    try {
      if (valid.length) applied = await applyAll(valid, replay);
      valid.forEach((e) => fates.set(e.env.id, { ok: true }));
    } catch (err) {
      if (valid.length === 1) fates.set(valid[0].env.id, { ok: false, err: err as Error, final: givesUp(err) });
      else {
        logger.warn({ err, events: valid.length }, 'a batch failed; applying its events one by one');
        for (const e of valid) {
          try {
            (await runWithRequestId(e.env.requestId, () => applyAll([e], replay))).forEach((n) => applied.add(n));
            fates.set(e.env.id, { ok: true });
          } catch (one) {
            fates.set(e.env.id, { ok: false, err: one as Error, final: givesUp(one) });
          }
        }
      }
    }
    if (applied.size) opts.onApplied?.(applied);
    // One line per event under its own request id, so a request
    // can be followed into the job (debug: off in production).
    if (logger.isLevelEnabled('debug')) {
      for (const e of valid) {
        if (fates.get(e.env.id)?.ok)
          runWithRequestId(e.env.requestId, () =>
            logger.debug({ event: e.env.name, eventId: e.env.id }, 'event consumed'),
          );
      }
    }
    const failed = events.filter((e) => !fates.get(e.id)?.ok);
    for (const env of failed) {
      const fate = fates.get(env.id) as Extract<Fate, { ok: false }>;
      logger[fate.final ? 'error' : 'warn'](
        { err: fate.err, event: env.name, eventId: env.id, attempt: job.attemptsMade + 1 },
        fate.final ? 'event failed for good: dead-lettered' : 'event failed; will retry',
      );
    }
    if (!failed.length) return { events: events.length, deadLettered: 0 };
    /**
     * On the last attempt a job may not fail: BullMQ would drop it while its events are neither
     * applied nor kept. It waits the schedule's last step and runs again, attempts unspent (the
     * next run tries to apply the events first) — as long as PostgreSQL is down, however long.
     */
    const runAgain = async (why: string, err: unknown): Promise<never> => {
      const delay = lastStepMs(config);
      logger.warn({ err, events: failed.length, retryInMs: delay }, why);
      await job.moveToDelayed(Date.now() + delay, token);
      throw new DelayedError();
    };
    if (!failed.every((e) => (fates.get(e.id) as { final: boolean }).final)) {
      const err =
        failed.length === 1
          ? (fates.get(failed[0].id) as { err: Error }).err
          : new Error(`${failed.length} of ${events.length} events failed`);
      if (lastAttempt) await runAgain('PostgreSQL is unavailable past the retry schedule; the job runs again', err);
      throw err;
    }
    // Every failure final: the dead letters must hold them before the job may finish.
    try {
      await recordDeadLetters(
        db,
        failed.map((env) => ({ env, err: (fates.get(env.id) as { err: Error }).err })),
        job.attemptsMade + 1,
      );
    } catch (err) {
      await runAgain('dead letters could not be written; the job runs again', err);
    }
    return { events: events.length, deadLettered: failed.length };
  };

  const worker = new Worker<EventEnvelope | EventBatch>(inboxQueueName(opts.service), process, {
    connection: opts.connection,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.JOB_CONCURRENCY,
    lockDuration: config.JOB_LOCK_MS,
    stalledInterval: config.JOB_LOCK_MS,
    maxStalledCount: 3,
  });
  worker.on('error', (err) => logger.warn({ err }, 'event worker connection problem'));
  // A job whose worker died on it more than maxStalledCount times is failed by BullMQ without
  // running it again: its events not yet applied become dead letters here. The relay does not
  // settle a failed job; it sends it again, and that send finds them here (or, if this write did
  // not happen, applies them afresh).
  worker.on('failed', (job, err) => {
    if (!job || err?.message !== STALLED_TOO_OFTEN) return;
    const events = 'batch' in job.data ? job.data.batch : [job.data];
    logger.error(
      { jobId: job.id, events: events.length },
      'a job stalled too often: its events go to the dead letters',
    );
    recordDeadLetters(
      db,
      events.map((env) => ({ env, err })),
      job.attemptsMade + 1,
    ).catch((e) =>
      logger.warn(
        { err: e, jobId: job.id },
        'dead letters of a stalled job could not be written; the relay sends it again',
      ),
    );
  });
  return worker;
}

/**
 * How long a job on its last attempt waits before running again
 * (see `runAgain`): the retry schedule's last step (≤ 1 min).
 */
export function lastStepMs(config: Pick<PlatformConfig, 'JOB_ATTEMPTS' | 'JOB_BACKOFF_MS'>): number {
  return Math.min(60_000, config.JOB_BACKOFF_MS * 2 ** Math.max(0, config.JOB_ATTEMPTS - 1));
}

/**
 * Writes dead letters in one statement (all or none), leaving out events the inbox already has
 * (applied after all, e.g. by an earlier run of a stalled job).
 */
async function recordDeadLetters(
  db: DataSource,
  failures: { env: EventEnvelope; err: Error }[],
  attempts: number,
): Promise<void> {
  await db.query(
    `INSERT INTO dead_letter (event_id, event, envelope, error, attempts)
     SELECT i, e, v, r, $5 FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::text[]) AS x(i, e, v, r)
      WHERE NOT EXISTS (SELECT 1 FROM inbox WHERE inbox.event_id = x.i)
     ON CONFLICT (event_id) DO UPDATE SET error = EXCLUDED.error, attempts = dead_letter.attempts + EXCLUDED.attempts,
       failed_at = now(), resolved_at = NULL`,
    [
      failures.map((f) => f.env.id),
      failures.map((f) => f.env.name),
      failures.map((f) => JSON.stringify(f.env)),
      failures.map((f) => String(f.err.message).slice(0, 2_000)),
      attempts,
    ],
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
    `SELECT event_id AS "eventId", event, error, attempts, failed_at AS "failedAt", replay_count AS "replayCount",
      replayed_at AS "replayedAt"
       FROM dead_letter WHERE resolved_at IS NULL ORDER BY failed_at`,
  );
}

/**
 * Sends dead letters to the service's queue again (a new job id, the same event id, so the inbox
 * still guarantees one effect). Returns the ids replayed.
 */
export async function replayDeadLetters(opts: {
  db: DataSource;
  service: ServiceName;
  connection: Redis;
  config: PlatformConfig;
  eventIds?: string[];
}): Promise<string[]> {
  const rows: { event_id: string; envelope: EventEnvelope; replay_count: number }[] = await opts.db.query(
    `SELECT event_id, envelope, replay_count FROM dead_letter
      WHERE resolved_at IS NULL AND ($1::uuid[] IS NULL OR event_id = ANY($1::uuid[])) ORDER BY failed_at`,
    [opts.eventIds ?? null],
  );
  if (!rows.length) return [];
  const queue = new Queue(inboxQueueName(opts.service), {
    connection: opts.connection,
    prefix: opts.config.QUEUE_PREFIX,
  });
  try {
    await queue.addBulk(
      rows.map((r) => ({
        name: r.envelope.name,
        data: r.envelope,
        opts: { ...eventJobOptions(opts.config), jobId: `${r.event_id}.replay-${r.replay_count + 1}` },
      })),
    );
    await opts.db.query(
      `UPDATE dead_letter SET replay_count = replay_count + 1, replayed_at = now() WHERE event_id = ANY($1)`,
      [rows.map((r) => r.event_id)],
    );
  } finally {
    await queue.close();
  }
  return rows.map((r) => r.event_id);
}
