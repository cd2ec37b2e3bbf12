import type { DataSource, EntityManager } from 'typeorm';
import type { DerivedWork } from '@anju/contracts';
import { provinceDate } from '@anju/kit';
import { checkHouseholds } from './monitoring.run';

/** Households one pass re-checks at most (each takes a per-household lock for the pass). */
const PASS = 500;

/**
 * Marks households for re-check in the caller's transaction (an event's): one row per household,
 * however many events touch it. Ids sorted, so concurrent batches marking the same households
 * wait for each other instead of deadlocking.
 */
export async function markForRecheck(manager: EntityManager, households: (string | null | undefined)[]): Promise<void> {
  const ids = [...new Set(households.filter((h): h is string => !!h))].sort();
  if (!ids.length) return;
  await manager.query(
    `INSERT INTO household_recheck (household_id) SELECT h FROM unnest($1::uuid[]) h ORDER BY h ON CONFLICT DO NOTHING`,
    [ids],
  );
}

/**
 * One re-check pass: claims up to PASS marked households (SKIP LOCKED: replicas take different
 * ones) and re-checks them set-based in the same transaction. A mark made while the pass runs
 * waits for it (it conflicts with the claimed row) or is not claimed by it, so it survives for the
 * next pass: every change is re-checked after it committed. Returns true when more marks wait.
 */
export async function recheckMarked(db: DataSource, now: Date): Promise<boolean> {
  return db.transaction(async (m) => {
    // TypeORM answers a DELETE … RETURNING as [rows, count].
    const [claimed]: [{ household_id: string }[], number] = await m.query(
      `DELETE FROM household_recheck WHERE household_id IN (
         SELECT household_id FROM household_recheck ORDER BY household_id LIMIT ${PASS} FOR UPDATE SKIP LOCKED)
       RETURNING household_id`,
    );
    if (!claimed.length) return false;
    await checkHouseholds(m, provinceDate(now), claimed.map((r) => r.household_id));
    return claimed.length === PASS;
  });
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
