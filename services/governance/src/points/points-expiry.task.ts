import type { DataSource } from 'typeorm';
import { returning, type Clock, type ScheduledTask } from '@anju/kit';

const BATCH = 500;

/**
 * Expires points by appending `expire` entries; history is never edited. Spending is taken from
 * the points that expire soonest (the reading most favourable to residents), so what is due for
 * a resident at `now` is: credits and grants whose expiry has passed, less everything already
 * spent, deducted or expired (refunds given back), and never more than the balance. The rule is
 * idempotent: a second run at the same instant finds nothing due, and a missed night is caught up.
 */
export async function expirePoints(db: DataSource, now: Date): Promise<{ residents: number; points: number }> {
  const candidates: { residentId: string }[] = await db.query(
    `SELECT DISTINCT resident_id AS "residentId" FROM points_entry WHERE expires_at <= $1 ORDER BY 1`,
    [now],
  );
  let residents = 0;
  let points = 0;
  for (let i = 0; i < candidates.length; i += BATCH) {
    const ids = candidates.slice(i, i + BATCH).map((c) => c.residentId);
    const done = await db.transaction(async (m) => {
      // Lock first, in a statement of its own, so the totals below see every entry committed before the lock.
      await m.query(
        `SELECT 1 FROM points_account WHERE resident_id = ANY($1::uuid[]) ORDER BY resident_id FOR UPDATE`,
        [ids],
      );
      const rows = returning<{ points: number }>(
        await m.query(
          `WITH agg AS (
           SELECT e.resident_id,
                  coalesce(sum(e.points) FILTER (WHERE e.points > 0 AND e.kind IN ('credit', 'grant')
                    AND e.expires_at <= $2), 0) AS matured,
                  coalesce(-sum(e.points) FILTER (WHERE e.kind IN ('deduct', 'expire', 'redeem', 'refund')),
                    0) AS consumed
             FROM points_entry e WHERE e.resident_id = ANY($1::uuid[]) GROUP BY e.resident_id),
         due AS (
           SELECT a.resident_id, a.balance, least(a.balance, agg.matured - agg.consumed)::int AS pts
             FROM points_account a JOIN agg USING (resident_id)),
         ins AS (
           INSERT INTO points_entry (resident_id, site_id, region_code, kind, points, balance_after, reason,
             occurred_at, recorded_at)
           SELECT d.resident_id, r.site_id, r.region_code, 'expire', -d.pts, d.balance - d.pts,
             'points past their expiry date', $2, $2
             FROM due d JOIN resident r ON r.id = d.resident_id WHERE d.pts > 0
           RETURNING resident_id, points)
         UPDATE points_account a SET balance = a.balance + ins.points, updated_at = now()
           FROM ins WHERE a.resident_id = ins.resident_id
         RETURNING -ins.points AS points`,
          [ids, now],
        ),
      );
      return rows;
    });
    residents += done.length;
    points += done.reduce((s, r) => s + Number(r.points), 0);
  }
  return { residents, points };
}

/** Nightly at 01:30 China time, at the process clock's "now" (tests run it with theirs). */
export function pointsExpiryTask(db: DataSource, clock: Clock): ScheduledTask {
  return { name: 'points.expire', cron: '30 1 * * *', run: () => expirePoints(db, clock.now()) };
}
