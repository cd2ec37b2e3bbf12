import { defineHandler } from '@anju/contracts';
import { markForRecheck } from '../monitoring/recheck';
import { placeHouseholds } from './resident-registered.handler';

/**
 * Keeps the labour profile current (capacity, work wishes, household and site) and marks the
 * household for re-check — both households when the resident changed household. An update that
 * arrives before the registration creates the profile.
 */
export const residentUpdated = defineHandler('resident.updated', async (p, { manager, envelope }) => {
  const [before] = await manager.query(`SELECT household_id AS "householdId" FROM labour_profile WHERE resident_id = $1 FOR UPDATE`, [p.residentId]);
  await manager.query(
    `INSERT INTO labour_profile (resident_id, household_id, site_id, region_code, labour_capacity, can_work_away, wants_work, birth_year, source_event_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (resident_id) DO UPDATE SET household_id = EXCLUDED.household_id, site_id = EXCLUDED.site_id, region_code = EXCLUDED.region_code,
       labour_capacity = EXCLUDED.labour_capacity, can_work_away = EXCLUDED.can_work_away, wants_work = EXCLUDED.wants_work,
       birth_year = EXCLUDED.birth_year, updated_at = now()`,
    [p.residentId, p.householdId, p.siteId, p.regionCode, p.labourCapacity, p.canWorkAway, p.wantsWork, p.birthYear, envelope.id],
  );
  await placeHouseholds(manager, [{ payload: p, envelope }]);
  await markForRecheck(manager, [p.householdId, before?.householdId]);
});
