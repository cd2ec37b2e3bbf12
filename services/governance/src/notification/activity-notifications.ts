import { PROVINCE_ZONE_SQL, addDays, provinceDate, type Clock, type ScheduledTask, type SqlRunner } from '@anju/kit';
import { notifySelect } from './notify';
import { channelsOf } from './notification-kinds';

/** The details of a place at an activity, from a row `a` of activity_reminder joined to its site `s`. */
const ACTIVITY_DETAILS = `jsonb_build_object('what', a.title, 'when',
    to_char(a.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
  'where', s.name || coalesce('（' || s.address || '）', ''), 'contact', '主办：' || a.organization_name)`;
const STARTS = `to_char(a.starts_at AT TIME ZONE ${PROVINCE_ZONE_SQL}, 'FMMM"月"FMDD"日" HH24:MI')`;

/**
 * Keeps each place (activity.registration.confirmed) for its reminder and tells the resident — a
 * promotion from the waiting list in its own words — unless the place was cancelled already. `rows`:
 * the events' payloads as jsonb. One statement for a batch.
 */
export async function notifyActivityPlaces(db: SqlRunner, rows: unknown[], now: Date): Promise<void> {
  await notifySelect(
    db,
    `SELECT 'resident:' || a.resident_id AS recipient,
            CASE WHEN e."promotedFromWaitlist" THEN 'activity_promoted_from_waitlist'
            ELSE 'activity_registration_confirmed' END AS kind,
            'activity_place:' || a.registration_id AS dedupe_key,
            CASE WHEN e."promotedFromWaitlist" THEN '候补成功：' ELSE '报名成功：' END || a.title AS title,
            CASE WHEN e."promotedFromWaitlist" THEN '有名额空出，您已从候补转为正式报名。' ELSE '您已报名成功。' END
              || '活动将于' || ${STARTS} || '在' || s.name || '开始，请准时参加。' AS body,
            ${ACTIVITY_DETAILS} AS details, 'Activity' AS entity_type, a.activity_id::text AS entity_id, a.site_id,
            $2::text[] AS channels
       FROM kept a JOIN events e ON e."registrationId" = a.registration_id JOIN site s ON s.id = a.site_id
      WHERE a.cancelled_at IS NULL`,
    [JSON.stringify(rows), channelsOf('activity_registration_confirmed')],
    now,
    {
      with: `events AS (
        SELECT DISTINCT ON ("registrationId") * FROM jsonb_to_recordset($1::jsonb) AS x("registrationId" uuid,
          "activityId" uuid,
          "residentId" uuid, "siteId" uuid, title text, "organizationName" text, "startsAt" timestamptz,
            "endsAt" timestamptz,
          "promotedFromWaitlist" boolean)),
      kept AS (
        INSERT INTO activity_reminder (registration_id, resident_id, activity_id, site_id, title, organization_name,
          starts_at, ends_at)
        SELECT "registrationId", "residentId", "activityId", "siteId", title, "organizationName", "startsAt", "endsAt"
        FROM events
        ON CONFLICT (registration_id) DO UPDATE SET site_id = EXCLUDED.site_id, title = EXCLUDED.title,
          organization_name = EXCLUDED.organization_name, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at
        RETURNING *)`,
    },
  );
}

/** A cancelled place gets no reminder (the cancellation may arrive before the place: it is kept either way). */
export async function forgetActivityPlaces(
  db: SqlRunner,
  rows: { registrationId: string; activityId: string; residentId: string; cancelledAt: string }[],
) {
  await db.query(
    `INSERT INTO activity_reminder (registration_id, resident_id, activity_id, cancelled_at)
     SELECT "registrationId", "residentId", "activityId", "cancelledAt"
       FROM jsonb_to_recordset($1::jsonb) AS x("registrationId" uuid, "activityId" uuid, "residentId" uuid,
         "cancelledAt" timestamptz)
     ON CONFLICT (registration_id) DO UPDATE SET cancelled_at = EXCLUDED.cancelled_at`,
    [JSON.stringify(rows)],
  );
}

/**
 * 活动前一天提醒: reminds every resident with a place at an activity that starts tomorrow (province
 * calendar), once — what, when, where and who organizes it. Set-based; a rerun finds nothing.
 */
export async function remindTomorrowsActivities(db: SqlRunner, now: Date): Promise<{ reminded: number }> {
  const { counted } = await notifySelect(
    db,
    `SELECT 'resident:' || a.resident_id AS recipient, 'activity_reminder' AS kind,
              'activity_reminder:' || a.registration_id AS dedupe_key,
            '明天的活动：' || a.title AS title,
            '提醒您：' || a.title || '将于' || ${STARTS} || '在' || s.name || '开始，请准时参加；不能参加请提前取消报名，把名额留给候补的邻居。' AS body,
            ${ACTIVITY_DETAILS} AS details, 'Activity' AS entity_type, a.activity_id::text AS entity_id, a.site_id,
            $3::text[] AS channels
       FROM due a JOIN site s ON s.id = a.site_id`,
    [now, addDays(provinceDate(now), 1), channelsOf('activity_reminder')],
    now,
    {
      count: 'due',
      with: `due AS (
        UPDATE activity_reminder SET reminded_at = $1
         WHERE reminded_at IS NULL AND cancelled_at IS NULL AND starts_at IS NOT NULL
           AND (starts_at AT TIME ZONE ${PROVINCE_ZONE_SQL})::date = $2::date
        RETURNING *)`,
    },
  );
  return { reminded: counted };
}

/** Hourly, so a place taken late the day before is still reminded (name published: never rename). */
export function activityReminderTask(db: SqlRunner, clock: Clock): ScheduledTask {
  return {
    name: 'activities.remind-tomorrow',
    everyMs: 3_600_000,
    run: () => remindTomorrowsActivities(db, clock.now()),
  };
}
