import { defineBatchHandler } from '@anju/contracts';

/** Keeps resident → household, so a resident's token sees their own household's demands (a batch in one statement). */
export const residentRegisteredHandler = defineBatchHandler('resident.registered', async (items, { manager }) => {
  const last = new Map(items.map((i) => [i.payload.residentId, i.payload]));
  const rows = [...last.values()].sort((a, b) => (a.residentId < b.residentId ? -1 : 1));
  await manager.query(
    `INSERT INTO resident_directory (resident_id, household_id, site_id, region_code)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[])
     ON CONFLICT (resident_id) DO UPDATE SET household_id = EXCLUDED.household_id, site_id = EXCLUDED.site_id, region_code = EXCLUDED.region_code`,
    [rows.map((r) => r.residentId), rows.map((r) => r.householdId), rows.map((r) => r.siteId), rows.map((r) => r.regionCode)],
  );
});
