import { type SqlRunner, PROVINCE_ZONE_SQL, type Clock, type ScheduledTask } from '@anju/kit';
import { LEVEL_DAYS_SQL, NEXT_LEVEL_SQL } from './micro-issue.rules';
import { notifySelect } from '../notification/notify';
import { channelsOf } from '../notification/notification-kinds';

/** 微难题/微矛盾升级: who hears of an escalation (rows of `moved`), with the next deadline. */
const LEVEL_NAME = `CASE mv.to_level WHEN 'grid_worker' THEN '网格员' WHEN 'mediation' THEN '调解委员会' ELSE '法律顾问' END`;
const ESCALATION_NOTIFICATIONS = `
  SELECT who.recipient, 'micro_issue_escalated' AS kind,
    'micro_issue_escalated:' || mv.id || ':' || mv.to_level AS dedupe_key,
         '事项已升级至' || ${LEVEL_NAME} || '：' || mi.title AS title,
         '「' || mi.title || '」未在期限内解决，已转至' || ${LEVEL_NAME} || '处理，新的办理期限为'
           || to_char(mv.level_due_at AT TIME ZONE ${PROVINCE_ZONE_SQL}, 'FMMM"月"FMDD"日" HH24:MI') || '。' AS body,
         jsonb_build_object('what', mi.title, 'when', mv.level_due_at) AS details,
         'MicroIssue' AS entity_type, mv.id::text AS entity_id, mv.site_id, $2::text[] AS channels
    FROM moved mv JOIN micro_issue mi ON mi.id = mv.id
    CROSS JOIN LATERAL (
      SELECT 'subject:' || g.grid_worker_subject AS recipient FROM grid g WHERE g.id = mi.grid_id
        AND g.grid_worker_subject IS NOT NULL
      UNION ALL
      SELECT 'resident:' || mi.reported_by_resident_id WHERE mi.reported_by_resident_id IS NOT NULL) who`;

/**
 * Escalates every open micro-issue whose level's deadline has passed to the next level, with
 * the next level's deadline counted from `now` — one set-based statement, so a missed run
 * catches up one level per run and two replicas never move an issue twice (row locks).
 * At the last level (legal adviser) an overdue issue stays and shows as overdue.
 */
export async function escalateOverdueMicroIssues(db: SqlRunner, now: Date): Promise<{ escalated: number }> {
  // The grid worker in charge and the resident who reported it hear of it in the same statement.
  const { counted } = await notifySelect(
    db,
    ESCALATION_NOTIFICATIONS,
    [now, channelsOf('micro_issue_escalated')],
    now,
    {
      count: 'moved',
      with: `due AS (
       SELECT id, level, site_id, region_code FROM micro_issue
        WHERE status = 'open' AND level_due_at <= $1 AND level <> 'legal_adviser' FOR UPDATE SKIP LOCKED),
     moved AS (
       UPDATE micro_issue m SET level = ${NEXT_LEVEL_SQL('d.level')}, escalations = m.escalations + 1,
              level_due_at = $1::timestamptz + ${LEVEL_DAYS_SQL(NEXT_LEVEL_SQL('d.level'))} * interval '1 day'
         FROM due d WHERE m.id = d.id
        RETURNING m.id, d.level AS from_level, m.level AS to_level, m.level_due_at, d.site_id, d.region_code),
     closed AS (
       UPDATE micro_issue_step st SET left_at = $1, left_because = 'deadline'
         FROM moved WHERE st.micro_issue_id = moved.id AND st.left_at IS NULL RETURNING st.id),
     opened AS (
       INSERT INTO micro_issue_step (micro_issue_id, level, entered_at, due_at)
       SELECT id, to_level, $1, level_due_at FROM moved RETURNING id),
     audited AS (
       INSERT INTO audit_log (actor_subject, actor_role, action, entity_type, entity_id, site_id, region_code, detail)
       SELECT 'scheduler:micro-issues.escalate', 'system', 'micro_issue.escalate', 'MicroIssue', id::text, site_id,
         region_code,
              json_build_object('from', from_level, 'to', to_level, 'because', 'deadline')::jsonb FROM moved
              RETURNING id)`,
    },
  );
  return { escalated: counted };
}

/**
 * 微难题/微矛盾升级 by hand (the one in charge hands it up before its deadline): the grid worker and the
 * reporter hear of it as of a deadline's escalation — but not the person who escalated it.
 */
export async function notifyMicroIssueEscalated(
  db: SqlRunner,
  moved: { id: string; toLevel: string; levelDueAt: Date; siteId: string },
  actorRecipient: string,
  now: Date,
): Promise<void> {
  await notifySelect(
    db,
    `SELECT * FROM (${ESCALATION_NOTIFICATIONS}) e WHERE e.recipient <> $3`,
    [moved.id, channelsOf('micro_issue_escalated'), actorRecipient, moved.toLevel, moved.levelDueAt, moved.siteId],
    now,
    {
      with: `moved AS (SELECT $1::uuid AS id, $4::text AS to_level, $5::timestamptz AS level_due_at,
               $6::uuid AS site_id)`,
    },
  );
}

export function microIssueEscalationTask(db: SqlRunner, clock: Clock): ScheduledTask {
  return {
    name: 'micro-issues.escalate',
    everyMs: 10 * 60_000,
    run: () => escalateOverdueMicroIssues(db, clock.now()),
  };
}
