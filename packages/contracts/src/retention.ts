import type { DataSource } from 'typeorm';
import type { Clock, PlatformConfig, ScheduledTask } from '@anju/kit';

const DAY_MS = 86_400_000;

export type EventRetention = Pick<
  PlatformConfig,
  'RETENTION_OUTBOX_DAYS' | 'RETENTION_INBOX_DAYS' | 'RETENTION_DEAD_LETTER_DAYS'
>;

/**
 * What the event tables keep, and for how long (PIPL minimisation: payloads are ids, but ids of
 * people all the same): an outbox row RETENTION_OUTBOX_DAYS after it settled, an inbox id
 * RETENTION_INBOX_DAYS after it was processed (longer than the outbox keeps an event, so a late
 * redelivery still finds its id), a dead letter RETENTION_DEAD_LETTER_DAYS after it was resolved.
 * An unsent or unsettled outbox row and an unresolved dead letter are never purged: each is an
 * event not yet applied. One set-based DELETE per table; `now` is the instant the cut-off counts from.
 */
const PURGES = [
  {
    task: 'outbox.prune',
    cron: '17 3 * * *',
    table: 'outbox',
    where: 'settled_at < $1',
    days: 'RETENTION_OUTBOX_DAYS',
  },
  { task: 'inbox.prune', cron: '27 3 * * *', table: 'inbox', where: 'processed_at < $1', days: 'RETENTION_INBOX_DAYS' },
  {
    task: 'dead-letter.prune',
    cron: '37 3 * * *',
    table: 'dead_letter',
    where: 'resolved_at < $1',
    days: 'RETENTION_DEAD_LETTER_DAYS',
  },
] as const;

/** Anything that runs SQL and answers rows: a DataSource, an EntityManager, a test's client. */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any[]>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function purge(db: Sql, p: (typeof PURGES)[number], config: EventRetention, now: Date): Promise<number> {
  const cutOff = new Date(now.getTime() - config[p.days] * DAY_MS);
  const [{ n }] = await db.query(
    `WITH gone AS (DELETE FROM ${p.table} WHERE ${p.where} RETURNING 1) SELECT count(*)::int AS n FROM gone`,
    [cutOff],
  );
  return n;
}

/** Purges the three tables at once (what the three nightly tasks do); rows deleted per table. */
export async function purgeEventTables(db: Sql, config: EventRetention, now: Date): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const p of PURGES) deleted[p.table] = await purge(db, p, config, now);
  return deleted;
}

/** The nightly purges of the event tables, scheduled tasks of every worker (names published: never rename). */
export function eventRetentionTasks(db: DataSource, config: EventRetention, clock: Clock): ScheduledTask[] {
  return PURGES.map((p) => ({ name: p.task, cron: p.cron, run: () => purge(db, p, config, clock.now()) }));
}
