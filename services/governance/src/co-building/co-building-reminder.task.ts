import { PROVINCE_ZONE_SQL, addDays, provinceDate, type Clock, type ScheduledTask, type SqlRunner } from '@anju/kit';
import { notifySelect } from '../notification/notify';
import { channelsOf } from '../notification/notification-kinds';

/** How long before a regular meeting falls due its secretary is asked to schedule it. */
export const SCHEDULE_LEAD_DAYS = 14;

/**
 * 共建理事会 reminders, set-based and idempotent, every hour:
 * - a scheduled meeting starting within a day: each current member unit's representative (with a
 *   token subject) and the council's secretary are told once (`reminded_at`);
 * - a council whose regular meeting (its period after the last one held, or after it was set up) is due
 *   within SCHEDULE_LEAD_DAYS with none scheduled: its secretary is told once per due date.
 */
export async function remindCoBuildingMeetings(db: SqlRunner, now: Date): Promise<{ reminded: number; due: number }> {
  const channels = channelsOf('co_building_meeting');
  const { counted: reminded } = await notifySelect(
    db,
    `SELECT who.recipient, 'co_building_meeting' AS kind, 'co_building_meeting:' || r.id AS dedupe_key,
            '明天召开' || c.name || '会议' AS title,
            c.name || '定于' || to_char(r.starts_at AT TIME ZONE ${PROVINCE_ZONE_SQL},
              'FMMM"月"FMDD"日" HH24:MI') || '在' || r.place
              || '召开会议，议题：' || array_to_string(r.agenda, '；') || '。请准时参加。' AS body,
            jsonb_build_object('what', c.name || '会议', 'when', r.starts_at, 'where', r.place) AS details,
            'CoBuildingMeeting' AS entity_type, r.id::text AS entity_id, r.site_id, $2::text[] AS channels
       FROM reminded r JOIN co_building_council c ON c.id = r.council_id
       CROSS JOIN LATERAL (
         SELECT 'subject:' || m.representative_subject AS recipient FROM co_building_member m
          WHERE m.council_id = c.id AND m.left_on IS NULL AND m.representative_subject IS NOT NULL
         UNION SELECT 'subject:' || c.secretary_subject) who`,
    [now, channels],
    now,
    {
      count: 'reminded',
      with: `reminded AS (
       UPDATE co_building_meeting SET reminded_at = $1
        WHERE status = 'scheduled' AND reminded_at IS NULL AND starts_at > $1 AND starts_at <= $1 + interval '1 day'
       RETURNING id, council_id, site_id, starts_at, place, agenda)`,
    },
  );
  const today = provinceDate(now);
  const { notified: due } = await notifySelect(
    db,
    `SELECT 'subject:' || d.secretary_subject AS recipient, 'co_building_meeting' AS kind,
            'co_building_due:' || d.id || ':' || d.due_on AS dedupe_key,
            d.name || '应于' || to_char(d.due_on, 'FMMM"月"FMDD"日"') || '前召开例会' AS title,
            d.name || '每' || d.meets_every_months || '个月召开一次例会，下一次应于' || to_char(d.due_on, 'YYYY"年"FMMM"月"FMDD"日"')
              || '前召开，目前尚未安排，请及时安排并通知成员单位。' AS body,
            jsonb_build_object('what', d.name || '例会', 'when', d.due_on::text) AS details,
            'CoBuildingCouncil' AS entity_type, d.id::text AS entity_id, d.site_id, $2::text[] AS channels
       FROM (SELECT c.id, c.site_id, c.name, c.meets_every_months, c.secretary_subject,
                    (coalesce((SELECT max(mt.starts_at AT TIME ZONE ${PROVINCE_ZONE_SQL})::date
                      FROM co_building_meeting mt
                                WHERE mt.council_id = c.id AND mt.status = 'held'),
                                  (c.set_at AT TIME ZONE ${PROVINCE_ZONE_SQL})::date)
                     + c.meets_every_months * interval '1 month')::date AS due_on
               FROM co_building_council c
              WHERE NOT EXISTS (SELECT 1 FROM co_building_meeting mt WHERE mt.council_id = c.id
                AND mt.status = 'scheduled')) d
      WHERE d.due_on <= $1::date`,
    [addDays(today, SCHEDULE_LEAD_DAYS), channels],
    now,
  );
  return { reminded, due };
}

export function coBuildingReminderTask(db: SqlRunner, clock: Clock): ScheduledTask {
  return { name: 'co-building.remind', cron: '40 * * * *', run: () => remindCoBuildingMeetings(db, clock.now()) };
}
