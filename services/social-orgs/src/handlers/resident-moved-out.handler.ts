import { defineHandler } from '@anju/contracts';

/** A resident who moved out (迁出) registers for no more activities at the site. */
export const residentMovedOutHandler = defineHandler('resident.moved_out', async (p, { manager }) => {
  await manager.query(
    `INSERT INTO resident_directory (resident_id, household_id, site_id, region_code, moved_out_on)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (resident_id) DO UPDATE SET moved_out_on = EXCLUDED.moved_out_on`,
    [p.residentId, p.householdId, p.siteId, p.regionCode, p.movedOutOn],
  );
});
