import type { DataSource, EntityManager } from 'typeorm';
import type { DerivedWork } from '@anju/contracts';
import { provinceDate } from '@anju/kit';
import { MONITORING_LOCK, checkHouseholds } from './monitoring.run';

/** Marks one pass claims at most (their households each take a per-household lock for the pass). */
const PASS = 500;

/**
 * Marks households for re-check in the caller's transaction (an event batch's, a mutation's): one
 * appended row per household, with no unique key, so that batches marking the same households
 * never wait for each other nor for a pass that has claimed earlier marks.
 */
export async function markForRecheck(manager: EntityManager, households: (string | null | undefined)[]): Promise<void> {
  const ids = [...new Set(households.filter((h): h is string => !!h))];
  if (!ids.length) return;
  await manager.query(`INSERT INTO household_recheck (household_id) SELECT h FROM unnest($1::uuid[]) h`, [ids]);
}

/**
 * One re-check pass: claims up to PASS marks, oldest first (SKIP LOCKED: replicas take different
 * ones), and re-checks their distinct households set-based in the same transaction, each statement
 * seeing every change committed before it. A mark committed after the claim is not claimed by it
 * and survives for the next pass: every change is re-checked after it committed. Returns true when
 * more marks wait.
 */
export function recheckMarked(db: DataSource, now: Date): Promise<boolean> {
  return recheckPass(db, now, null);
}

/**
 * The pass of recheckMarked for the marks of these households only, run by a user's change right
 * after it committed (see changeAndRecheck). It waits for a pass of the loop that holds one of the
 * marks (that pass sees the change); while the nightly run holds the monitoring lock it leaves
 * the marks to the loop rather than wait for the whole run.
 */
async function recheckNow(db: DataSource, now: Date, households: string[]): Promise<void> {
  if (households.length) await recheckPass(db, now, [...households].sort());
}

async function recheckPass(db: DataSource, now: Date, only: string[] | null): Promise<boolean> {
  return db.transaction(async (m) => {
    if (only) {
      const [{ free }] = await m.query(`SELECT pg_try_advisory_xact_lock_shared(${MONITORING_LOCK}, 0) AS free`);
      if (!free) return false;
    }
    // TypeORM answers a DELETE … RETURNING as [rows, count].
    const [claimed]: [{ household_id: string }[], number] = only
      ? await m.query(
          `DELETE FROM household_recheck WHERE id IN (
           SELECT id FROM household_recheck WHERE household_id = ANY($1::uuid[]) ORDER BY id FOR UPDATE)
         RETURNING household_id`,
          [only],
        )
      : await m.query(
          `DELETE FROM household_recheck WHERE id IN (SELECT id FROM household_recheck ORDER BY id LIMIT ${PASS} FOR
           UPDATE SKIP LOCKED)
         RETURNING household_id`,
        );
    if (!claimed.length) return false;
    await checkHouseholds(m, provinceDate(now), [...new Set(claimed.map((r) => r.household_id))]);
    return !only && claimed.length === PASS;
  });
}

/**
 * A user's change to what the rules read (a job, a training, land…): `change` runs in one
 * transaction and marks the households it touches (`mark`, in that transaction, as an event's
 * handler does); once it has committed they are re-checked at once by the loop's own pass, so
 * the caller's next read shows the new verdict while the change itself held no re-check lock. If
 * that pass cannot run now (the nightly run, a failure), the marks stay for the worker's loop.
 */
export async function changeAndRecheck<T>(
  db: DataSource,
  now: () => Date,
  change: (m: EntityManager, mark: (households: (string | null | undefined)[]) => Promise<void>) => Promise<T>,
): Promise<T> {
  const marked = new Set<string>();
  const result = await db.transaction((m) =>
    change(m, async (households) => {
      await markForRecheck(m, households);
      households.forEach((h) => h && marked.add(h));
    }),
  );
  await recheckNow(db, now(), [...marked]).catch(() => undefined); // the marks committed: the loop re-checks them
  return result;
}

/** The worker's re-check loop: shortly after every batch of resident events, and every few seconds. */
export function householdRecheckWork(db: DataSource, now: () => Date): DerivedWork {
  return {
    name: 'monitoring.recheck',
    run: () => recheckMarked(db, now()),
    wakeOn: ['resident.registered', 'resident.updated', 'resident.moved_out'],
    intervalMs: 2_000,
    settleMs: 20,
  };
}
