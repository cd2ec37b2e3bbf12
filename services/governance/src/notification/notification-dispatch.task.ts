import {
  provinceDate,
  quietHoursEnd,
  type Clock,
  type Logger,
  type ScheduledTask,
  type TransactionalSql,
} from '@anju/kit';
import type { DeliveryChannel, PushContact, PushMessage, SendOutcome } from './channels/push-channel';
import type { DispatchRules } from './notification.config';
import type { PushChannel } from './notification-kinds';

/**
 * What runs the dispatcher's SQL: statements, and a transaction for taking messages (the cap is counted under a lock).
 */
export type DispatchDb = TransactionalSql;

export interface DispatchReport {
  sent: number;
  retrying: number;
  failed: number;
  deferred: number;
  capped: number;
}

interface Due {
  id: string;
  recipient: string;
  quietStart: number | null;
  quietEnd: number | null;
  /** Pushes already counted against today's cap for this person (sent or being sent, outside this batch). */
  usedToday: number;
}

interface Taken extends PushContact {
  id: string;
  channel: PushChannel;
  attempts: number;
  message: Omit<PushMessage, 'deliveryId'>;
}

/** One key for every dispatcher: taking messages is serialized, so two never count one person's cap apart. */
const DISPATCH_LOCK = 0x6e6f7469; // 'noti'
/** The longest wait between tries. */
const MAX_BACKOFF_MS = 6 * 3_600_000;

/** How long before try `attempts + 1`: the base, doubled each try, at most six hours. */
export function backoffMs(rules: Pick<DispatchRules, 'retryBaseMs'>, attempts: number): number {
  return Math.min(rules.retryBaseMs * 2 ** Math.max(attempts - 1, 0), MAX_BACKOFF_MS);
}

/**
 * Sends the push messages that are due, a batch at a time:
 * 1. under a transaction-wide lock, takes the due deliveries of the channels this process has; defers those
 *    inside the person's quiet hours to their end, marks CAPPED those past the person's daily cap (province
 *    day), and leases the rest (SENDING, counted against the cap) — a few statements for the whole batch;
 * 2. sends each through its channel, the phone opened only inside the SMS sender;
 * 3. records every outcome in one statement: SENT; PENDING again after a backoff when the provider was
 *    down, busy or throttling; FAILED when it refused the message or the tries ran out.
 * A sender that dies mid-send leaves its lease to run out; the message is taken again with the same
 * delivery id, which the providers treat as a repeat (OutId, client_msg_id).
 */
export async function dispatchDueDeliveries(
  db: DispatchDb,
  channels: Map<PushChannel, DeliveryChannel>,
  rules: DispatchRules,
  clock: Clock,
  logger?: Logger,
): Promise<DispatchReport> {
  const report: DispatchReport = { sent: 0, retrying: 0, failed: 0, deferred: 0, capped: 0 };
  if (!channels.size) return report;
  const now = clock.now();
  const today = provinceDate(now);
  const taken = await db.transaction(async (m) => {
    await m.query(`SELECT pg_advisory_xact_lock($1)`, [DISPATCH_LOCK]);
    const due: Due[] = await m.query(
      `WITH due AS (
         SELECT d.id, d.recipient FROM notification_delivery d
          WHERE d.status IN ('pending', 'deferred', 'sending') AND d.next_attempt_at <= $1
            AND d.channel = ANY($2::text[])
          ORDER BY d.next_attempt_at, d.id LIMIT $3 FOR UPDATE SKIP LOCKED)
       SELECT due.id, due.recipient, p.quiet_start AS "quietStart", p.quiet_end AS "quietEnd",
              (SELECT count(*)::int FROM notification_delivery s
                WHERE s.recipient = due.recipient AND s.counted_on = $4::date AND s.status IN ('sending', 'sent')
                  AND s.id NOT IN (SELECT id FROM due)) AS "usedToday"
         FROM due LEFT JOIN notification_preference p ON p.recipient = due.recipient
        ORDER BY due.recipient, due.id`,
      [now, [...channels.keys()], rules.batch, today],
    );
    if (!due.length) return [];
    const defer: { id: string; until: Date }[] = [];
    const capped: string[] = [];
    const send: string[] = [];
    const usedBy = new Map<string, number>();
    for (const d of due) {
      const quiet = d.quietStart == null ? rules.defaultQuiet : { start: d.quietStart, end: d.quietEnd! };
      const until = quietHoursEnd(now, quiet.start, quiet.end);
      if (until) {
        defer.push({ id: d.id, until });
        continue;
      }
      const used = usedBy.get(d.recipient) ?? d.usedToday;
      if (used >= rules.dailyCap) capped.push(d.id);
      else {
        send.push(d.id);
        usedBy.set(d.recipient, used + 1);
      }
    }
    report.deferred = defer.length;
    report.capped = capped.length;
    await m.query(
      `UPDATE notification_delivery d SET status = 'deferred', next_attempt_at = x.until
         FROM unnest($1::uuid[], $2::timestamptz[]) AS x(id, until) WHERE d.id = x.id`,
      [defer.map((x) => x.id), defer.map((x) => x.until)],
    );
    await m.query(
      `UPDATE notification_delivery SET status = 'capped', last_error = 'daily cap reached: kept in the inbox only'
       WHERE id = ANY($1::uuid[])`,
      [capped],
    );
    return m.query(
      `WITH taken AS (
         UPDATE notification_delivery SET status = 'sending', attempts = attempts + 1, counted_on = $2::date,
                next_attempt_at = $3::timestamptz + $4 * interval '1 millisecond'
          WHERE id = ANY($1::uuid[])
         RETURNING id, notification_id, recipient, channel, attempts)
       SELECT t.id, t.channel, t.attempts,
              json_build_object('kind', n.kind, 'title', n.title, 'body', n.body, 'details', n.details) AS message,
              coalesce(p.phone_sealed, r.phone_sealed) AS "phoneSealed", p.wechat_open_id AS "wechatOpenId"
         FROM taken t JOIN notification n ON n.id = t.notification_id
         LEFT JOIN notification_preference p ON p.recipient = t.recipient
         LEFT JOIN resident r ON t.recipient LIKE 'resident:%' AND r.id = as_uuid(substr(t.recipient, 10))`,
      [send, today, now, rules.leaseMs],
    ) as Promise<Taken[]>;
  });
  if (!taken.length) return report;

  const outcomes: (SendOutcome & { id: string; attempts: number })[] = [];
  // A few at a time: providers limit concurrent calls per account.
  for (let i = 0; i < taken.length; i += 8) {
    outcomes.push(
      ...(await Promise.all(
        taken.slice(i, i + 8).map(async (t) => {
          const outcome = await channels
            .get(t.channel)!
            .send(t, { deliveryId: t.id, ...t.message })
            .catch((err: unknown): SendOutcome => ({
              ok: false,
              retryable: true,
              error: `sender failed: ${err instanceof Error ? err.message : String(err)}`,
            }));
          return { ...outcome, id: t.id, attempts: t.attempts };
        }),
      )),
    );
  }
  const settled = clock.now();
  const rows = outcomes.map((o) => {
    const retry = !o.ok && o.retryable && o.attempts < rules.maxAttempts;
    if (o.ok) report.sent++;
    else if (retry) report.retrying++;
    else report.failed++;
    return {
      id: o.id,
      status: o.ok ? 'sent' : retry ? 'pending' : 'failed',
      messageId: o.ok ? o.providerMessageId : null,
      error: o.ok ? null : o.error,
      retryAt: new Date(settled.getTime() + (retry ? backoffMs(rules, o.attempts) : 0)),
    };
  });
  await db.query(
    `UPDATE notification_delivery d
        SET status = x.status, provider_message_id = coalesce(x.message_id, d.provider_message_id),
          last_error = x.error,
            sent_at = CASE WHEN x.status = 'sent' THEN $6::timestamptz END, next_attempt_at = x.retry_at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS x(id, status, message_id,
         error, retry_at)
      WHERE d.id = x.id AND d.status = 'sending'`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.status),
      rows.map((r) => r.messageId),
      rows.map((r) => r.error),
      rows.map((r) => r.retryAt),
      settled,
    ],
  );
  if (report.retrying || report.failed) logger?.warn({ ...report }, 'some push messages were not delivered');
  return report;
}

/** The worker's sender, every NOTIFY_DISPATCH_EVERY_MS (name published: never rename). */
export function notificationDispatchTask(
  db: DispatchDb,
  channels: Map<PushChannel, DeliveryChannel>,
  rules: DispatchRules,
  everyMs: number,
  clock: Clock,
  logger: Logger,
): ScheduledTask {
  return {
    name: 'notifications.dispatch',
    everyMs,
    run: () => dispatchDueDeliveries(db, channels, rules, clock, logger),
  };
}
