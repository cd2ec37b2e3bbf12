import { defineHandler } from '@anju/contracts';

/** A newly registered resident gets a labour profile; a redelivery finds it there already. */
export const residentRegistered = defineHandler('resident.registered', async (p, { manager, envelope }) => {
  await manager.query(
    `INSERT INTO labour_profile (resident_id, household_id, site_id, region_code, labour_capacity, can_work_away, wants_work, birth_year, source_event_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (resident_id) DO NOTHING`,
    [p.residentId, p.householdId, p.siteId, p.regionCode, p.labourCapacity, p.canWorkAway, p.wantsWork, p.birthYear, envelope.id],
  );
});
