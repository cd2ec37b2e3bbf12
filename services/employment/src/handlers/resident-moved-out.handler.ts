import { defineHandler } from '@anju/contracts';
import { markForRecheck } from '../monitoring/recheck';

/** A resident who moved out (迁出) no longer counts in their household's check or the roll-ups. */
export const residentMovedOut = defineHandler('resident.moved_out', async (p, { manager }) => {
  await manager.query(`UPDATE labour_profile SET moved_out_on = $2, updated_at = now() WHERE resident_id = $1`, [p.residentId, p.movedOutOn]);
  await markForRecheck(manager, [p.householdId]);
});
