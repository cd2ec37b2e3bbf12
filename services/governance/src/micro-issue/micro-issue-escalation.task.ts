import type { SqlRunner } from '../scope';
import type { Clock, ScheduledTask } from '@anju/kit';
import { LEVEL_DAYS_SQL, NEXT_LEVEL_SQL } from './micro-issue.rules';

/**
 * Escalates every open micro-issue whose level's deadline has passed to the next level, with
 * the next level's deadline counted from `now` — one set-based statement, so a missed run
 * catches up one level per run and two replicas never move an issue twice (row locks).
 * At the last level (legal adviser) an overdue issue stays and shows as overdue.
 */
export async function escalateOverdueMicroIssues(db: SqlRunner, now: Date): Promise<{ escalated: number }> {
  const rows: { id: string }[] = await db.query(
    `WITH due AS (
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
       SELECT 'scheduler:micro-issues.escalate', 'system', 'micro_issue.escalate', 'MicroIssue', id::text, site_id, region_code,
              json_build_object('from', from_level, 'to', to_level, 'because', 'deadline')::jsonb FROM moved RETURNING id)
     SELECT id FROM moved`,
    [now],
  );
  return { escalated: rows.length };
}

export function microIssueEscalationTask(db: SqlRunner, clock: Clock): ScheduledTask {
  return { name: 'micro-issues.escalate', everyMs: 10 * 60_000, run: () => escalateOverdueMicroIssues(db, clock.now()) };
}
