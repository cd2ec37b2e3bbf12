import type { DataSource } from 'typeorm';
import { PROVINCE_ZONE_SQL, type Clock, type Logger, type ScheduledTask, returning } from '@anju/kit';
import { publishSelect } from '@anju/contracts';

/**
 * Every hour: referrals whose due date has passed in the province's time zone and that still
 * have no outcome are flagged overdue (once; the flag keeps the first time it was seen), so they
 * show in `overdueReferrals` — the follow-up case management usually leaves to memory. Each one of
 * a case at a site is announced (`referral.overdue`): governance opens its grid worker's task.
 */
export function overdueReferralsTask(
  db: Pick<DataSource, 'transaction'>,
  opts: { clock: Clock; logger?: Logger },
): ScheduledTask {
  return {
    name: 'referrals.flag-overdue',
    cron: '5 * * * *',
    run: () =>
      db.transaction(async (m) => {
        const at = opts.clock.now();
        // Flag and audit in one statement: the audit rows commit with the flags or not at all.
        const rows = returning<{ id: string }>(
          await m.query(
            `WITH flagged AS (
           UPDATE referral SET overdue_since = $1
           WHERE outcome IS NULL AND overdue_since IS NULL
             AND due_on < ($1::timestamptz AT TIME ZONE ${PROVINCE_ZONE_SQL})::date
           RETURNING id, organization_id, due_on
         ), logged AS (
           INSERT INTO audit_log (actor_subject, actor_role, action, entity_type, entity_id, organization_id, detail)
           SELECT 'scheduler', 'system', 'referral.flag_overdue', 'Referral', f.id::text, f.organization_id,
             jsonb_build_object('dueOn', f.due_on)
           FROM flagged f
         )
         SELECT id FROM flagged`,
            [at],
          ),
        );
        const flagged = rows.length;
        // A case with no site has no grid worker to follow it up: flagged, not announced.
        await publishSelect(
          m,
          'referral.overdue',
          `SELECT r.id AS "referralId", r.case_id AS "caseId", r.organization_id AS "organizationId",
                  c.site_id AS "siteId",
                sd.region_code AS "regionCode", c.household_id AS "householdId", r.agency,
                  to_char(r.due_on, 'YYYY-MM-DD') AS "dueOn",
                to_char(r.overdue_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "overdueSince"
           FROM referral r JOIN social_case c ON c.id = r.case_id JOIN site_directory sd ON sd.site_id = c.site_id
          WHERE r.id = ANY($1::uuid[])`,
          [rows.map((r) => r.id)],
        );
        opts.logger?.info({ flagged }, 'overdue referrals flagged');
        return { flagged };
      }),
  };
}
