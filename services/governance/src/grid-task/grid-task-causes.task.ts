import { PROVINCE_ZONE_SQL, addDays, provinceDate, type Clock, type ScheduledTask, type SqlRunner } from '@anju/kit';
import { notifySelect } from '../notification/notify';
import { channelsOf } from '../notification/notification-kinds';

/** Days a grid worker has to follow up an overdue referral or claim, or to visit a household long unvisited. */
export const FOLLOW_UP_DAYS = 7;

/** What opened a task that no event of another service asked for: this pass. */
const PASS = 'scheduler:grid-tasks.open-from-causes';

/**
 * Opens the grid tasks whose causes live in governance itself, set-based, idempotent (one task per
 * kind + cause, `UNIQUE (kind, source_key)`), and closes those whose cause went away:
 * - 微难题/微矛盾升级: an open micro-issue that has left the building leader (escalated by its
 *   deadline or by hand) is followed up by its grid's worker until it is resolved. The escalation
 *   already tells them (`micro_issue_escalated`), so these tasks notify nobody.
 * - 入户走访: a household with someone living in it, not visited for `visitEveryDays` (counted from
 *   its last visit, else from the earliest moving in, else from its registration). The cause is "not
 *   visited since <that day>": a visit closes the task (done), and a later lapse is a new cause. Each
 *   grid worker hears once per day how many households are due, not once per household.
 */
export async function openGridTasksFromCauses(
  db: SqlRunner,
  now: Date,
  visitEveryDays: number,
): Promise<{ opened: number; closed: number }> {
  const today = provinceDate(now);
  const due = addDays(today, FOLLOW_UP_DAYS);
  const [micro] = await db.query(
    `WITH opened AS (
       INSERT INTO grid_task (site_id, region_code, grid_id, kind, title, detail, source_event, source_event_id,
         source_key, due_on, opened_at)
       SELECT mi.site_id, mi.region_code, mi.grid_id, 'micro_issue_escalated', '跟进已升级的' || CASE mi.kind WHEN 'dispute'
       THEN '微矛盾' ELSE '微难题' END
                || '：' || mi.title,
              jsonb_build_object('microIssueId', mi.id, 'level', mi.level), '${PASS}', gen_random_uuid(), mi.id::text,
              (mi.level_due_at AT TIME ZONE ${PROVINCE_ZONE_SQL})::date, $1
         FROM micro_issue mi
        WHERE mi.status = 'open' AND mi.escalations > 0
          AND NOT EXISTS (SELECT 1 FROM grid_task t WHERE t.kind = 'micro_issue_escalated'
            AND t.source_key = mi.id::text)
       ON CONFLICT DO NOTHING RETURNING 1),
     closed AS (
       UPDATE grid_task t SET status = 'closed', closed_at = $1
         FROM micro_issue mi
        WHERE t.kind = 'micro_issue_escalated' AND t.status <> 'closed' AND t.source_key = mi.id::text
          AND mi.status = 'resolved'
       RETURNING 1)
     SELECT (SELECT count(*) FROM opened)::int AS opened, (SELECT count(*) FROM closed)::int AS closed`,
    [now],
  );
  // 入户走访: the households due, their tasks opened, and one digest per grid worker in the same statement.
  const { counted: visitsOpened } = await notifySelect(
    db,
    `SELECT 'subject:' || g.grid_worker_subject AS recipient, 'grid_task_assigned' AS kind,
            'grid_visits_due:' || g.id || ':' || $2 AS dedupe_key,
            count(*) || '户居民超过' || $3 || '天未入户走访' AS title,
            '您负责的' || g.name || '有' || count(*) || '户超过' || $3 || '天未走访，请在' || to_char($4::date, 'FMMM"月"FMDD"日"')
              || '前入户走访并登记。' AS body,
            jsonb_build_object('what', '入户走访', 'when', $4::text, 'where', g.name) AS details,
            'Grid' AS entity_type, g.id::text AS entity_id, g.site_id, $5::text[] AS channels
       FROM opened o JOIN grid g ON g.id = o.grid_id
      WHERE g.grid_worker_subject IS NOT NULL
      GROUP BY g.id, g.name, g.site_id, g.grid_worker_subject`,
    [now, today, visitEveryDays, due, channelsOf('grid_task_assigned')],
    now,
    {
      count: 'opened',
      with: `lapsed AS (
       SELECT h.id, h.site_id, s.region_code, b.grid_id, h.household_number, h.last_visited_on,
              coalesce(h.last_visited_on, min(r.moved_in_on),
                (h.created_at AT TIME ZONE ${PROVINCE_ZONE_SQL})::date) AS since
         FROM household h JOIN site s ON s.id = h.site_id LEFT JOIN building b ON b.id = h.building_id
         JOIN resident r ON r.household_id = h.id AND r.moved_out_on IS NULL
        GROUP BY h.id, s.region_code, b.grid_id
       HAVING coalesce(h.last_visited_on, min(r.moved_in_on),
         (h.created_at AT TIME ZONE ${PROVINCE_ZONE_SQL})::date) <= $2::date - $3::int),
     opened AS (
       INSERT INTO grid_task (site_id, region_code, grid_id, household_id, kind, title, detail, source_event,
         source_event_id, source_key,
                              due_on, opened_at)
       SELECT l.site_id, l.region_code, l.grid_id, l.id, 'household_unvisited',
              '入户走访：' || l.household_number || '户自' || to_char(l.since, 'YYYY"年"FMMM"月"FMDD"日"') || '起未走访',
              jsonb_build_object('lastVisitedOn', l.last_visited_on, 'since', l.since, 'days', $2::date - l.since),
              '${PASS}', gen_random_uuid(), l.id || ':' || l.since, $4::date, $1
         FROM lapsed l
        WHERE NOT EXISTS (SELECT 1 FROM grid_task t WHERE t.kind = 'household_unvisited'
          AND t.source_key = l.id || ':' || l.since)
       ON CONFLICT DO NOTHING RETURNING grid_id)`,
    },
  );
  // A household nobody lives in any more needs no visit.
  const [gone] = await db.query(
    `WITH closed AS (
       UPDATE grid_task t SET status = 'closed', closed_at = $1
        WHERE t.kind = 'household_unvisited' AND t.status = 'open'
          AND NOT EXISTS (SELECT 1 FROM resident r WHERE r.household_id = t.household_id AND r.moved_out_on IS NULL)
       RETURNING 1)
     SELECT count(*)::int AS closed FROM closed`,
    [now],
  );
  return { opened: micro.opened + visitsOpened, closed: micro.closed + gone.closed };
}

export function gridTaskCausesTask(db: SqlRunner, clock: Clock, visitEveryDays: number): ScheduledTask {
  return {
    name: 'grid-tasks.open-from-causes',
    cron: '20 * * * *',
    run: () => openGridTasksFromCauses(db, clock.now(), visitEveryDays),
  };
}
