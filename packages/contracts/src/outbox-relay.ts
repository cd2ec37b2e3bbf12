import { createHash } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { SpanKind, inSpan, linksTo, tracer, tracingOn, type Logger, type PlatformConfig } from '@anju/kit';
import { EVENTS, inboxQueueName, type EventEnvelope, type EventName, type ServiceName } from './catalog';
import { eventJobOptions } from './job-options';

const relayTracer = tracer('outbox-relay');

/** Rows sent as one job per consumer, the job id `id`; `only`: to these consumers alone (a re-send). */
interface Batch {
  id: string;
  rows: OutboxRow[];
  only?: Set<ServiceName>;
}

interface OutboxRow {
  id: string;
  event: EventName;
  version: number;
  payload: unknown;
  request_id: string | null;
  traceparent: string | null;
  occurred_at: Date;
}

/** What one job carries from the relay to a consumer: the events of one relay round routed to it. */
export interface EventBatch {
  batch: EventEnvelope[];
}

/** The most events one job carries: a consumer applies a job in one transaction. */
export const RELAY_BATCH = 500;
/**
 * Rows per relay round, sent as jobs of RELAY_BATCH. A round costs a handful of round trips whatever
 * its size, and on a loaded machine each is tens of milliseconds: at 500 rows a round a burst queued
 * in the outbox (bench pipeline: 10 rounds 100–500 ms apart), so a round takes ten jobs' worth.
 */
export const RELAY_ROUND = 10 * RELAY_BATCH;
/** Unsettled batches the reconcile pass checks per round (it loops while rounds come back full). */
const RECONCILE_BATCHES = 2_000;
/** The shortest pause of the send loop: after a round that found something, look again this soon. */
const POLL_MIN_MS = 2;
/** Events no service consumes yet settle as soon as they are sent (read when sending: see `declareEvents`). */
const unconsumedEvents = () => (Object.keys(EVENTS) as EventName[]).filter((n) => EVENTS[n].consumers.length === 0);
const ROW_COLUMNS = `id, event, version, payload, request_id, traceparent, occurred_at`;

/**
 * Moves committed outbox rows to the consumers' BullMQ queues: each round reads up to RELAY_ROUND
 * rows and cuts them into batches of RELAY_BATCH; each batch becomes one job per consumer carrying
 * its rows routed to it, the job id the batch id (a digest of its events' ids, kept in
 * `outbox.batch_id`), so a second send of the batch is ignored by BullMQ while the job exists, and
 * by the consumer's inbox after that.
 *
 * Publishing does not notify (see `publish`): the relay polls, adaptively — again at once while
 * rounds come back full, after POLL_MIN_MS while events keep coming, and backing off by doubling
 * to OUTBOX_POLL_MS when the outbox is empty. An idle look is one index probe.
 *
 * Redis here keeps nothing on disk, so "sent" is not "delivered": the reconcile pass checks the
 * job of every sent-but-unsettled batch and re-sends whatever Redis lost (a flush, a restart). A
 * batch is settled when every consumer's job has completed, which a consumer does only once its
 * inbox or its dead letters hold each event (see startEventConsumer); a job BullMQ failed instead
 * (one that stalled too often) confirms nothing and is sent again.
 */
export class OutboxRelay {
  private readonly queues = new Map<ServiceName, Queue>();
  private running = false;
  /** Wakes a sleeping loop early (on stop). */
  private readonly wakers: Partial<Record<'send' | 'reconcile', () => void>> = {};
  private loops: Promise<void>[] = [];

  constructor(
    private readonly opts: {
      db: DataSource;
      schema: string;
      redis: Redis;
      config: PlatformConfig;
      logger: Logger;
    },
  ) {}

  private queue(service: ServiceName): Queue {
    let q = this.queues.get(service);
    if (!q) {
      q = new Queue(inboxQueueName(service), { connection: this.opts.redis, prefix: this.opts.config.QUEUE_PREFIX });
      q.on('error', () => undefined); // reported by the send that failed
      this.queues.set(service, q);
    }
    return q;
  }

  async start(): Promise<void> {
    this.running = true;
    this.loops = [this.sendLoop(), this.reconcileLoop()];
  }

  async stop(): Promise<void> {
    this.running = false;
    Object.values(this.wakers).forEach((wake) => wake());
    await Promise.all(this.loops);
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  /** Wakes the send loop now (a producer in this process that has just committed). */
  wake(): void {
    this.wakers.send?.();
  }

  private sleep(ms: number, loop: 'send' | 'reconcile'): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        delete this.wakers[loop];
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers[loop] = done;
    });
  }

  private async sendLoop(): Promise<void> {
    let pause = POLL_MIN_MS;
    let sent = 0;
    while (this.running) {
      try {
        // Probe first only after a round that found nothing: while events come, the probe is a round trip lost.
        sent = await this.sendBatch(sent === 0);
      } catch (err) {
        sent = 0;
        this.opts.logger.warn({ err }, 'outbox relay could not send; events stay in the outbox');
        pause = this.opts.config.OUTBOX_POLL_MS;
      }
      if (sent >= RELAY_ROUND || !this.running) continue;
      pause = sent > 0 ? POLL_MIN_MS : Math.min(pause * 2, this.opts.config.OUTBOX_POLL_MS);
      await this.sleep(pause, 'send');
    }
  }

  /**
   * One round in one transaction: rows are locked (SKIP LOCKED lets relays run side by side),
   * sent as jobs (one per batch and consumer, added in one pipeline per queue), and marked sent
   * with their batch ids by one statement — or, when Redis refuses, marked with the error and left
   * unsent. `probe`: look first, without a transaction (the idle case: one index probe).
   */
  async sendBatch(probe = true): Promise<number> {
    if (probe) {
      const [waiting] = await this.opts.db.query(`SELECT 1 FROM outbox WHERE sent_at IS NULL LIMIT 1`);
      if (!waiting) return 0;
    }
    let failure: unknown;
    const sent = await this.opts.db.transaction(async (m) => {
      const rows: OutboxRow[] = await m.query(
        `SELECT ${ROW_COLUMNS} FROM outbox WHERE sent_at IS NULL ORDER BY occurred_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [RELAY_ROUND],
      );
      if (!rows.length) return 0;
      const ids = rows.map((r) => r.id);
      const batches: Batch[] = [];
      for (let i = 0; i < rows.length; i += RELAY_BATCH) {
        const part = rows.slice(i, i + RELAY_BATCH);
        batches.push({ id: batchIdOf(part), rows: part });
      }
      try {
        // A round serves many traces: its span links to each event's publish rather than joining one.
        await inSpan(
          relayTracer,
          'outbox send',
          {
            kind: SpanKind.PRODUCER,
            links: tracingOn() ? linksTo(rows.map((r) => r.traceparent)) : undefined,
            attributes: {
              'messaging.system': 'bullmq',
              'messaging.batch.message_count': rows.length,
              'messaging.message.id': batches[0].id,
            },
          },
          () => this.enqueue(batches),
        );
      } catch (err) {
        failure = err;
        await m.query(`UPDATE outbox SET send_attempts = send_attempts + 1, last_error = $2 WHERE id = ANY($1)`, [
          ids,
          String((err as Error).message).slice(0, 500),
        ]);
        return 0;
      }
      await m.query(
        `UPDATE outbox o
            SET sent_at = now(), batch_id = x.batch_id, send_attempts = send_attempts + 1, last_error = NULL,
                settled_at = CASE WHEN event = ANY($3) THEN now() END
           FROM unnest($1::uuid[], $2::uuid[]) AS x(id, batch_id)
          WHERE o.id = x.id`,
        [ids, batches.flatMap((b) => b.rows.map(() => b.id)), unconsumedEvents()],
      );
      return rows.length;
    });
    if (failure) throw failure;
    return sent;
  }

  /**
   * Per batch, one job for each consumer that takes any of its rows (only those in `only` when given:
   * a re-send); each queue's jobs are added in one pipeline, the queues side by side.
   */
  private async enqueue(batches: Batch[]): Promise<void> {
    const options = eventJobOptions(this.opts.config);
    const jobs = new Map<ServiceName, { name: string; data: EventBatch; opts: JobsOptions }[]>();
    for (const { id, rows, only } of batches) {
      const byService = new Map<ServiceName, EventEnvelope[]>();
      for (const row of rows) {
        for (const consumer of EVENTS[row.event]?.consumers ?? []) {
          if (only && !only.has(consumer)) continue;
          let list = byService.get(consumer);
          if (!list) byService.set(consumer, (list = []));
          list.push(envelope(row));
        }
      }
      for (const [service, batch] of byService) {
        let list = jobs.get(service);
        if (!list) jobs.set(service, (list = []));
        list.push({ name: 'events', data: { batch }, opts: { ...options, jobId: id } });
      }
    }
    await Promise.all([...jobs].map(([service, list]) => this.queue(service).addBulk(list)));
  }

  private async reconcileLoop(): Promise<void> {
    while (this.running) {
      await this.sleep(this.opts.config.OUTBOX_RECONCILE_MS, 'reconcile');
      if (!this.running) break;
      try {
        while (this.running && (await this.reconcileRound()).full);
      } catch (err) {
        this.opts.logger.warn({ err }, 'outbox reconcile failed; will retry');
      }
    }
  }

  /** Settles finished batches and re-sends those Redis no longer has. Returns how many events were re-sent. */
  async reconcile(): Promise<number> {
    let resent = 0;
    for (;;) {
      const round = await this.reconcileRound();
      resent += round.resent;
      if (!round.full) return resent;
    }
  }

  private async reconcileRound(): Promise<{ resent: number; full: boolean }> {
    const batches: { job: string; events: EventName[] }[] = await this.opts.db.query(
      `SELECT coalesce(batch_id, id)::text AS job, array_agg(DISTINCT event) AS events FROM outbox
        WHERE sent_at IS NOT NULL AND settled_at IS NULL GROUP BY coalesce(batch_id, id) LIMIT $1`,
      [RECONCILE_BATCHES],
    );
    if (!batches.length) return { resent: 0, full: false };
    const pipeline = this.opts.redis.pipeline();
    const checks: { job: string; service: ServiceName }[] = [];
    for (const b of batches) {
      const services = new Set(b.events.flatMap((e) => EVENTS[e]?.consumers ?? []));
      for (const service of services) {
        // Every job hash has `timestamp`; finished ones also `finishedOn`, completed ones `returnvalue`. An attempt
        // that failed and will be retried also leaves `failedReason`, and a later completion does not clear it.
        pipeline.hmget(this.queue(service).toKey(b.job), 'timestamp', 'finishedOn', 'failedReason', 'returnvalue');
        checks.push({ job: b.job, service });
      }
    }
    const results = (await pipeline.exec()) ?? [];
    const lost = new Map<string, Set<ServiceName>>();
    const unfinished = new Set<string>();
    let failed = 0;
    for (const [i, [err, value]] of results.entries()) {
      if (err) throw err;
      const [timestamp, finishedOn, failedReason, returnvalue] = value as (string | null)[];
      const { job, service } = checks[i];
      // Completed is confirmed: the consumer finishes a job only when its inbox or dead letters hold
      // each event. Failed is not (BullMQ failed it, e.g. after it stalled too often): send it again.
      // A failedReason alone is not failed: the job is retrying, or completed after a retry (taking
      // those for failed removed and re-sent them, restarting their attempts, every reconcile).
      const failedForGood = !!finishedOn && !!failedReason && returnvalue === null;
      if (failedForGood) {
        await this.queue(service).remove(job);
        failed++;
      }
      if (!timestamp || failedForGood) lost.set(job, (lost.get(job) ?? new Set()).add(service));
      if (!finishedOn || failedForGood) unfinished.add(job);
    }
    if (failed)
      this.opts.logger.warn(
        { jobs: failed },
        'consumers failed jobs without confirming their events; sending them again',
      );
    let resent = 0;
    if (lost.size) {
      const rows: (OutboxRow & { job: string })[] = await this.opts.db.query(
        `SELECT ${ROW_COLUMNS}, coalesce(batch_id, id)::text AS job FROM outbox
          WHERE coalesce(batch_id, id) = ANY($1::uuid[]) AND settled_at IS NULL ORDER BY occurred_at`,
        [[...lost.keys()]],
      );
      const byJob = new Map<string, OutboxRow[]>();
      for (const r of rows) {
        let list = byJob.get(r.job);
        if (!list) byJob.set(r.job, (list = []));
        list.push(r);
      }
      await this.enqueue([...lost].map(([job, services]) => ({ id: job, rows: byJob.get(job) ?? [], only: services })));
      resent = rows.length;
      this.opts.logger.warn({ resent, batches: lost.size }, 'Redis had lost sent events; sent them again');
    }
    const settled = batches.filter((b) => !unfinished.has(b.job)).map((b) => b.job);
    if (settled.length) {
      await this.opts.db.query(
        `UPDATE outbox SET settled_at = now()
          WHERE coalesce(batch_id, id) = ANY($1::uuid[]) AND sent_at IS NOT NULL AND settled_at IS NULL`,
        [settled],
      );
    }
    return { resent, full: batches.length === RECONCILE_BATCHES };
  }
}

/**
 * A batch's id, and so its jobs' ids: a digest of its events' ids, shaped as a uuid. The same events
 * sent again (a round whose jobs were added but whose marks did not commit) make the same jobs, which
 * BullMQ ignores; other events never take the id of a job that exists. (The first event's id did: a
 * round repeated with more rows behind the same first row was ignored whole, and its new rows marked
 * sent in a job that never held them.)
 */
function batchIdOf(rows: OutboxRow[]): string {
  const hash = createHash('sha256');
  for (const id of rows.map((r) => r.id).sort()) hash.update(id);
  const h = hash.digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function envelope(row: OutboxRow): EventEnvelope {
  return {
    id: row.id,
    name: row.event,
    version: row.version,
    occurredAt: new Date(row.occurred_at).toISOString(),
    requestId: row.request_id ?? undefined,
    traceparent: row.traceparent ?? undefined,
    producer: EVENTS[row.event].producer,
    payload: row.payload as never,
  };
}
