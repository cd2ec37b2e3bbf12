import type { SqlRunner } from '../scope';
import { provinceDate, type Clock, type ScheduledTask } from '@anju/kit';

/**
 * Reminds the owners of overdue list items (open or in progress past their due date): at most
 * one reminder per item per day (China time), so reruns and replicas never remind twice. The
 * reminders are what owners see in `myListItems` and officers in each item's reminder count.
 */
export async function remindOverdueListItems(db: SqlRunner, now: Date): Promise<{ reminded: number }> {
  const rows: unknown[] = await db.query(
    `INSERT INTO list_item_reminder (list_item_id, reminded_on, reminded_at, owner_subject, days_overdue)
     SELECT l.id, $1::date, $2, l.owner_subject, ($1::date - l.due_on)
       FROM list_item l WHERE l.status IN ('open', 'in_progress') AND l.due_on < $1::date
     ON CONFLICT (list_item_id, reminded_on) DO NOTHING
     RETURNING id`,
    [provinceDate(now), now],
  );
  return { reminded: rows.length };
}

export function listItemReminderTask(db: SqlRunner, clock: Clock): ScheduledTask {
  return { name: 'list-items.remind-overdue', cron: '0 8 * * *', run: () => remindOverdueListItems(db, clock.now()) };
}
