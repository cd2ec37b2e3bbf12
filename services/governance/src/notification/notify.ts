import type { SqlRunner } from '@anju/kit';
import type { NotificationKind, PushChannel } from './notification-kinds';

/** What to tell someone: the details that make it useful (what, when, where, what to bring, who to call). */
export interface NotificationDetails {
  what?: string;
  /** ISO instant it happens (an activity, a visit) or is due. */
  when?: string;
  where?: string;
  bring?: string;
  contact?: string;
}

export interface NotificationDraft {
  recipient: string;
  kind: NotificationKind;
  /** Unique per recipient for the fact it tells of (`activity_reminder:<registration>`): a second draft is dropped. */
  dedupeKey: string;
  title: string;
  body: string;
  details?: NotificationDetails;
  entityType?: string;
  entityId?: string;
  siteId?: string | null;
  channels: readonly PushChannel[];
}

/**
 * Writes notifications from the rows of `select` — columns recipient, kind, dedupe_key, title, body,
 * details (jsonb), entity_type, entity_id, site_id, channels (text[]) — in one statement, inside the
 * caller's transaction: the inbox rows, and one delivery per push channel the recipient takes (not
 * turned off or muted for the kind, with a contact on that channel). A (recipient, dedupe_key) seen
 * before writes nothing, so a redelivered event notifies once. Returns how many notifications are new.
 */
export async function notifySelect(
  db: SqlRunner,
  select: string,
  params: unknown[],
  now: Date,
  /**
   * `with`: CTEs `select` reads (the change and its notifications in one statement); `count`: one of them to count rows
   * of.
   */
  opts: { with?: string; count?: string } = {},
): Promise<{ notified: number; counted: number }> {
  const at = `$${params.length + 1}::timestamptz`;
  const [row] = await db.query(
    `WITH ${opts.with ? `${opts.with},` : ''}
     src AS (SELECT DISTINCT ON (recipient, dedupe_key) * FROM (${select}) x),
     written AS (
       INSERT INTO notification (recipient, kind, dedupe_key, title, body, details, entity_type, entity_id, site_id,
         created_at)
       SELECT recipient, kind, dedupe_key, title, body, coalesce(details, '{}'::jsonb), entity_type, entity_id, site_id,
         ${at}
         FROM src
       ON CONFLICT (recipient, dedupe_key) DO NOTHING
       RETURNING id, recipient, kind, dedupe_key),
     pushed AS (
       INSERT INTO notification_delivery (notification_id, recipient, channel, next_attempt_at, created_at)
       SELECT w.id, w.recipient, ch, ${at}, ${at}
         FROM written w JOIN src s ON s.recipient = w.recipient AND s.dedupe_key = w.dedupe_key
         CROSS JOIN LATERAL unnest(s.channels) ch
         LEFT JOIN notification_preference p ON p.recipient = w.recipient
        WHERE NOT (w.kind = ANY (coalesce(p.muted_kinds, '{}')))
          AND CASE ch WHEN 'sms' THEN coalesce(p.sms_enabled, true) ELSE coalesce(p.wechat_enabled, true) END
          AND (ch <> 'wechat' OR p.wechat_open_id IS NOT NULL)
          AND (ch <> 'sms' OR p.phone_sealed IS NOT NULL OR EXISTS (
                SELECT 1 FROM resident r WHERE w.recipient LIKE 'resident:%'
                   AND r.id = as_uuid(substr(w.recipient, 10)) AND r.phone_sealed IS NOT NULL))
       RETURNING 1)
     SELECT (SELECT count(*) FROM written)::int AS notified, (SELECT count(*) FROM pushed)::int AS pushed,
            ${opts.count ? `(SELECT count(*) FROM ${opts.count})::int` : '0'} AS counted`,
    [...params, now],
  );
  return { notified: row.notified, counted: row.counted };
}

/** Writes drafts built in code (a handler's batch) in one statement: see `notifySelect`. */
export async function notify(db: SqlRunner, drafts: NotificationDraft[], now: Date): Promise<number> {
  if (!drafts.length) return 0;
  const rows = drafts.map((d) => ({
    recipient: d.recipient,
    kind: d.kind,
    dedupe_key: d.dedupeKey,
    title: d.title,
    body: d.body,
    details: d.details ?? {},
    entity_type: d.entityType ?? null,
    entity_id: d.entityId ?? null,
    site_id: d.siteId ?? null,
    channels: d.channels,
  }));
  const { notified } = await notifySelect(
    db,
    `SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(recipient text, kind text, dedupe_key text, title text, body text,
       details jsonb, entity_type text, entity_id text, site_id uuid, channels text[])`,
    [JSON.stringify(rows)],
    now,
  );
  return notified;
}
