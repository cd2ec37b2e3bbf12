import { defineBatchHandler } from '@anju/contracts';
import { markForRecheck } from '../monitoring/recheck';
import { writeProfiles } from './resident-registered.handler';

/**
 * Keeps labour profiles current (capacity, work wishes, household and site) and marks the
 * households for re-check — both households when a resident changed household. An update that
 * arrives before the registration creates the profile; one older than the profile's facts changes
 * nothing. A batch at a time, set-based.
 */
export const residentUpdated = defineBatchHandler('resident.updated', async (items, { manager }) => {
  const before: { householdId: string }[] = await manager.query(
    `SELECT household_id AS "householdId" FROM labour_profile WHERE resident_id = ANY($1::uuid[]) ORDER BY resident_id
     FOR UPDATE`,
    [items.map((i) => i.payload.residentId)],
  );
  await writeProfiles(manager, items);
  await markForRecheck(manager, [...items.map((i) => i.payload.householdId), ...before.map((b) => b.householdId)]);
});
