import { defineHandler } from '@anju/contracts';

/** Keeps resident → site, so activities register only residents of their site. */
export const residentRegisteredHandler = defineHandler('resident.registered', async (p, { manager }) => {
  await manager.query(
    `INSERT INTO resident_directory (resident_id, household_id, site_id, region_code) VALUES ($1, $2, $3, $4)
     ON CONFLICT (resident_id) DO UPDATE SET household_id = EXCLUDED.household_id, site_id = EXCLUDED.site_id, region_code = EXCLUDED.region_code`,
    [p.residentId, p.householdId, p.siteId, p.regionCode],
  );
});
