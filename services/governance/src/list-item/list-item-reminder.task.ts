import { type SqlRunner, provinceDate, type Clock, type ScheduledTask } from '@anju/kit';
import { notifySelect } from '../notification/notify';
import { channelsOf } from '../notification/notification-kinds';

/**
 * Reminds the owners of overdue list items (open or in progress past their due date): at most
 * one reminder per item per day (China time), so reruns and replicas never remind twice. The
 * reminders are what owners see in `myListItems` and officers in each item's reminder count, and
 * each owner is notified (inbox and push) in the same statement.
 */
export async function remindOverdueListItems(db: SqlRunner, now: Date): Promise<{ reminded: number }> {
  // The owner's inbox (and push channels) hears of it in the same statement: 清单事项逾期.
  const { counted } = await notifySelect(
    db,
    `SELECT 'subject:' || r.owner_subject AS recipient, 'list_item_overdue' AS kind,
            'list_item_overdue:' || l.id || ':' || r.reminded_on AS dedupe_key,
            '清单事项已逾期' || r.days_overdue || '天：' || l.title AS title,
            '您负责的事项「' || l.title || '」应于' || to_char(l.due_on, 'YYYY"年"FMMM"月"FMDD"日"') || '完成，请尽快办理并在系统中登记。' AS body,
            jsonb_build_object('what', l.title, 'when', to_char(l.due_on, 'YYYY-MM-DD')) AS details,
            'ListItem' AS entity_type, l.id::text AS entity_id, l.site_id, $3::text[] AS channels
       FROM reminded r JOIN list_item l ON l.id = r.list_item_id WHERE r.owner_subject IS NOT NULL`,
    [provinceDate(now), now, channelsOf('list_item_overdue')],
    now,
    {
      count: 'reminded',
      with: `reminded AS (
       INSERT INTO list_item_reminder (list_item_id, reminded_on, reminded_at, owner_subject, days_overdue)
       SELECT l.id, $1::date, $2, l.owner_subject, ($1::date - l.due_on)
         FROM list_item l WHERE l.status IN ('open', 'in_progress') AND l.due_on < $1::date
       ON CONFLICT (list_item_id, reminded_on) DO NOTHING
       RETURNING list_item_id, reminded_on, owner_subject, days_overdue)`,
    },
  );
  return { reminded: counted };
}

export function listItemReminderTask(db: SqlRunner, clock: Clock): ScheduledTask {
  return { name: 'list-items.remind-overdue', cron: '0 8 * * *', run: () => remindOverdueListItems(db, clock.now()) };
}
