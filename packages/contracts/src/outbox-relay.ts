import { Queue } from 'bullmq';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import type { Logger, PlatformConfig } from '@anju/kit';
import { EVENTS, inboxQueueName, type EventEnvelope, type EventName, type ServiceName } from './catalog';
import { eventJobOptions } from './job-options';

interface OutboxRow {
  id: string;
  event: EventName;
  version: number;
  payload: unknown;
  request_id: string | null;
  occurred_at: Date;
}

const BATCH = 500;
/** Events no service consumes yet settle as soon as they are sent. */
const UNCONSUMED_EVENTS = (Object.keys(EVENTS) as EventName[]).filter((n) => EVENTS[n].consumers.length === 0);

/**
 * Moves committed outbox rows to the consumers' BullMQ queues, the event id as job id (so a
 * second send of the same event is ignored by BullMQ while the job exists, and by the inbox
 * after that). Woken by NOTIFY at commit, with a poll as a safety net.
 *
 * Redis here keeps nothing on disk, so "sent" is not "delivered": the reconcile pass looks for
 * every sent-but-unsettled event in Redis and sends again whatever Redis lost (a flush, a
 * restart). An event is settled when every consumer's job has finished (completed, or failed for
 * good and recorded in that consumer's dead-letter list).
 */
export class OutboxRelay {
  private readonly queues = new Map<ServiceName, Queue>();
  private running = false;
  /** Wakes a sleeping loop early: the send loop on NOTIFY, both on stop. */
  private readonly wakers: Partial<Record<'send' | 'reconcile', () => void>> = {};
  /** A NOTIFY that came while the send loop was busy: its next sleep is skipped. */
  private notified = false;
  private listener?: Client;
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
    await this.listen().catch((err) => this.opts.logger.warn({ err }, 'outbox LISTEN unavailable; relying on polling'));
    this.loops = [this.sendLoop(), this.reconcileLoop()];
  }

  async stop(): Promise<void> {
    this.running = false;
    Object.values(this.wakers).forEach((wake) => wake());
    await Promise.all(this.loops);
    await this.listener?.end().catch(() => undefined);
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.opts.config.DATABASE_URL });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('LISTEN anju_outbox');
    client.on('notification', (n) => {
      if (n.payload !== this.opts.schema) return;
      if (this.wakers.send) this.wakers.send();
      else this.notified = true;
    });
    this.listener = client;
  }

  private sleep(ms: number, loop: 'send' | 'reconcile'): Promise<void> {
    if (loop === 'send' && this.notified) {
      this.notified = false;
      return Promise.resolve();
    }
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
    while (this.running) {
      let sent = 0;
      try {
        sent = await this.sendBatch();
      } catch (err) {
        this.opts.logger.warn({ err }, 'outbox relay could not send; events stay in the outbox');
      }
      if (sent < BATCH && this.running) await this.sleep(this.opts.config.OUTBOX_POLL_MS, 'send');
    }
  }

  /**
   * One batch in one transaction: rows are locked (SKIP LOCKED lets relays run side by side),
   * sent, and marked sent — or, when Redis refuses, marked with the error and left unsent.
   */
  async sendBatch(): Promise<number> {
    let failure: unknown;
    const sent = await this.opts.db.transaction(async (m) => {
      const rows: OutboxRow[] = await m.query(
        `SELECT id, event, version, payload, request_id, occurred_at FROM outbox
          WHERE sent_at IS NULL ORDER BY occurred_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH],
      );
      if (!rows.length) return 0;
      const ids = rows.map((r) => r.id);
      try {
        await this.enqueue(rows);
      } catch (err) {
        failure = err;
        await m.query(`UPDATE outbox SET send_attempts = send_attempts + 1, last_error = $2 WHERE id = ANY($1)`, [
          ids, String((err as Error).message).slice(0, 500),
        ]);
        return 0;
      }
      await m.query(
        `UPDATE outbox SET sent_at = now(), send_attempts = send_attempts + 1, last_error = NULL,
                settled_at = CASE WHEN event = ANY($2) THEN now() END
          WHERE id = ANY($1)`,
        [ids, UNCONSUMED_EVENTS],
      );
      return rows.length;
    });
    if (failure) throw failure;
    return sent;
  }

  private async enqueue(rows: OutboxRow[]): Promise<void> {
    const byService = new Map<ServiceName, OutboxRow[]>();
    for (const row of rows) {
      for (const consumer of EVENTS[row.event]?.consumers ?? []) {
        byService.set(consumer, [...(byService.get(consumer) ?? []), row]);
      }
    }
    const options = eventJobOptions(this.opts.config);
    await Promise.all(
      [...byService].map(([service, list]) =>
        this.queue(service).addBulk(list.map((row) => ({ name: row.event, data: envelope(row), opts: { ...options, jobId: row.id } }))),
      ),
    );
  }

  private async reconcileLoop(): Promise<void> {
    while (this.running) {
      await this.sleep(this.opts.config.OUTBOX_RECONCILE_MS, 'reconcile');
      if (!this.running) break;
      try {
        await this.reconcile();
      } catch (err) {
        this.opts.logger.warn({ err }, 'outbox reconcile failed; will retry');
      }
    }
  }

  /** Settles finished events and re-sends those Redis no longer has. Returns how many were re-sent. */
  async reconcile(): Promise<number> {
    const rows: OutboxRow[] = await this.opts.db.query(
      `SELECT id, event, version, payload, request_id, occurred_at FROM outbox
        WHERE sent_at IS NOT NULL AND settled_at IS NULL ORDER BY sent_at LIMIT 5000`,
    );
    if (!rows.length) return 0;
    const pipeline = this.opts.redis.pipeline();
    const checks: { row: OutboxRow; service: ServiceName }[] = [];
    for (const row of rows) {
      for (const service of EVENTS[row.event]?.consumers ?? []) {
        // Every job hash has `timestamp`; finished ones also have `finishedOn`.
        pipeline.hmget(this.queue(service).toKey(row.id), 'timestamp', 'finishedOn');
        checks.push({ row, service });
      }
    }
    const results = (await pipeline.exec()) ?? [];
    const lost = new Map<ServiceName, OutboxRow[]>();
    const unfinished = new Set<string>();
    results.forEach(([err, value], i) => {
      if (err) throw err;
      const [timestamp, finishedOn] = value as [string | null, string | null];
      const { row, service } = checks[i];
      if (!timestamp) lost.set(service, [...(lost.get(service) ?? []), row]);
      if (!finishedOn) unfinished.add(row.id);
    });
    const options = eventJobOptions(this.opts.config);
    for (const [service, list] of lost) {
      await this.queue(service).addBulk(list.map((row) => ({ name: row.event, data: envelope(row), opts: { ...options, jobId: row.id } })));
    }
    const settled = rows.filter((r) => !unfinished.has(r.id)).map((r) => r.id);
    if (settled.length) await this.opts.db.query(`UPDATE outbox SET settled_at = now() WHERE id = ANY($1)`, [settled]);
    const resent = [...lost.values()].reduce((n, l) => n + l.length, 0);
    if (resent) this.opts.logger.warn({ resent }, 'Redis had lost sent events; sent them again');
    return resent;
  }
}

function envelope(row: OutboxRow): EventEnvelope {
  return {
    id: row.id,
    name: row.event,
    version: row.version,
    occurredAt: new Date(row.occurred_at).toISOString(),
    requestId: row.request_id ?? undefined,
    producer: EVENTS[row.event].producer,
    payload: row.payload as never,
  };
}
