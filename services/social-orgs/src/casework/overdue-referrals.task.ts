import { PROVINCE_ZONE_SQL, type Clock, type Logger, type ScheduledTask, returning } from '@anju/kit';

/**
 * Every hour: referrals whose due date has passed in the province's time zone and that still
 * have no outcome are flagged overdue (once; the flag keeps the first time it was seen), so they
 * show in `overdueReferrals` — the follow-up case management usually leaves to memory.
 */
export function overdueReferralsTask(db: { query(sql: string, params?: unknown[]): Promise<unknown> }, opts: { clock: Clock; logger?: Logger }): ScheduledTask {
  return {
    name: 'referrals.flag-overdue',
    cron: '5 * * * *',
    async run() {
      const at = opts.clock.now();
      // Flag and audit in one statement: the audit rows commit with the flags or not at all.
      const rows = returning<{ id: string }>(await db.query(
        `WITH flagged AS (
           UPDATE referral SET overdue_since = $1
           WHERE outcome IS NULL AND overdue_since IS NULL AND due_on < ($1::timestamptz AT TIME ZONE ${PROVINCE_ZONE_SQL})::date
           RETURNING id, organization_id, due_on
         ), logged AS (
           INSERT INTO audit_log (actor_subject, actor_role, action, entity_type, entity_id, organization_id, detail)
           SELECT 'scheduler', 'system', 'referral.flag_overdue', 'Referral', f.id::text, f.organization_id, jsonb_build_object('dueOn', f.due_on)
           FROM flagged f
         )
         SELECT id FROM flagged`,
        [at],
      ));
      const flagged = rows.length;
      opts.logger?.info({ flagged }, 'overdue referrals flagged');
      return { flagged };
    },
  };
}
