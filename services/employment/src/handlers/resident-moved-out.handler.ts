import { defineBatchHandler } from '@anju/contracts';
import { markForRecheck } from '../monitoring/recheck';

/**
 * Residents who moved out (迁出) no longer count in their households' checks or the roll-ups. A
 * move-out that arrives before the registration is kept until the registration takes it. A batch
 * in one statement.
 */
export const residentMovedOut = defineBatchHandler('resident.moved_out', async (items, { manager }) => {
  await manager.query(
    `WITH x AS (SELECT DISTINCT ON (r) r, h, d FROM unnest($1::uuid[], $2::uuid[], $3::date[]) AS u(r, h, d)
       ORDER BY r),
     moved AS (UPDATE labour_profile p SET moved_out_on = x.d, updated_at = now() FROM x
                WHERE p.resident_id = x.r AND p.moved_out_on IS DISTINCT FROM x.d)
     INSERT INTO moved_out_resident (resident_id, household_id, moved_out_on)
     SELECT r, h, d FROM x WHERE NOT EXISTS (SELECT 1 FROM labour_profile p WHERE p.resident_id = x.r)
     ON CONFLICT (resident_id) DO NOTHING`,
    [
      items.map((i) => i.payload.residentId),
      items.map((i) => i.payload.householdId),
      items.map((i) => i.payload.movedOutOn),
    ],
  );
  await markForRecheck(
    manager,
    items.map((i) => i.payload.householdId),
  );
});
