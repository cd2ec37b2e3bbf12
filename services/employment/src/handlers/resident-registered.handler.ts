import { defineHandler } from '@anju/contracts';
import { recheck } from '../monitoring/monitoring.run';

/**
 * A newly registered resident gets a labour profile (a redelivery finds it there already), their
 * household's place is recorded, and the household is re-checked against the four rules.
 */
export const residentRegistered = defineHandler('resident.registered', async (p, { manager, envelope, clock }) => {
  await manager.query(
    `INSERT INTO labour_profile (resident_id, household_id, site_id, region_code, labour_capacity, can_work_away, wants_work, birth_year, source_event_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (resident_id) DO NOTHING`,
    [p.residentId, p.householdId, p.siteId, p.regionCode, p.labourCapacity, p.canWorkAway, p.wantsWork, p.birthYear, envelope.id],
  );
  await placeHousehold(manager, p.householdId, p.siteId, p.regionCode, p.gridId ?? null);
  await recheck(manager, [p.householdId], clock.now());
});

/** Where a household lives, as the latest resident event says. */
export async function placeHousehold(
  manager: { query: (sql: string, params: unknown[]) => Promise<unknown> },
  householdId: string, siteId: string, regionCode: string, gridId: string | null,
) {
  await manager.query(
    `INSERT INTO household_place (household_id, site_id, region_code, grid_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (household_id) DO UPDATE SET site_id = EXCLUDED.site_id, region_code = EXCLUDED.region_code, grid_id = EXCLUDED.grid_id`,
    [householdId, siteId, regionCode, gridId],
  );
}
