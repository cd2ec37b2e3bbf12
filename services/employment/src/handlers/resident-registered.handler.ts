import { defineBatchHandler, type BatchItem } from '@anju/contracts';
import type { EntityManager } from 'typeorm';
import { markForRecheck } from '../monitoring/recheck';

/**
 * Newly registered residents get a labour profile (a redelivery finds it there already), their
 * households' places are recorded, and the households are marked for re-check against the four
 * rules — a batch at a time, set-based.
 */
export const residentRegistered = defineBatchHandler('resident.registered', async (items, { manager }) => {
  await manager.query(
    `INSERT INTO labour_profile (resident_id, household_id, site_id, region_code, labour_capacity, can_work_away, wants_work, birth_year, source_event_id)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::bool[], $7::bool[], $8::int[], $9::uuid[])
      ORDER BY 1
     ON CONFLICT (resident_id) DO NOTHING`,
    [
      items.map((i) => i.payload.residentId), items.map((i) => i.payload.householdId), items.map((i) => i.payload.siteId),
      items.map((i) => i.payload.regionCode), items.map((i) => i.payload.labourCapacity), items.map((i) => i.payload.canWorkAway),
      items.map((i) => i.payload.wantsWork), items.map((i) => i.payload.birthYear), items.map((i) => i.envelope.id),
    ],
  );
  await placeHouseholds(manager, items);
  await markForRecheck(manager, items.map((i) => i.payload.householdId));
});

type Placed = BatchItem<'resident.registered' | 'resident.updated'>;

/** Where households live, as the latest resident event of the batch says (one row per household). */
export async function placeHouseholds(manager: EntityManager, items: Placed[]): Promise<void> {
  const last = new Map<string, Placed['payload']>();
  for (const { payload } of items) last.set(payload.householdId, payload);
  const rows = [...last.values()].sort((a, b) => (a.householdId < b.householdId ? -1 : 1));
  await manager.query(
    `INSERT INTO household_place (household_id, site_id, region_code, grid_id)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[])
     ON CONFLICT (household_id) DO UPDATE SET site_id = EXCLUDED.site_id, region_code = EXCLUDED.region_code, grid_id = EXCLUDED.grid_id
       WHERE (household_place.site_id, household_place.region_code, household_place.grid_id)
             IS DISTINCT FROM (EXCLUDED.site_id, EXCLUDED.region_code, EXCLUDED.grid_id)`,
    [rows.map((r) => r.householdId), rows.map((r) => r.siteId), rows.map((r) => r.regionCode), rows.map((r) => r.gridId ?? null)],
  );
}
