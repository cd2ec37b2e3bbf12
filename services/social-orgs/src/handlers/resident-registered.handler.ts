import { defineBatchHandler } from '@anju/contracts';

/**
 * Keeps resident → site, so activities register only residents of their site: a batch in one
 * statement (a county's import registers thousands at once; one statement per event made a job of
 * 500 take seconds). The last event of a resident in the batch wins, as applied one by one; rows
 * in id order, so concurrent batches lock in the same order.
 */
export const residentRegisteredHandler = defineBatchHandler('resident.registered', async (items, { manager }) => {
  const last = new Map(items.map((i) => [i.payload.residentId, i.payload]));
  const rows = [...last.values()].sort((a, b) => (a.residentId < b.residentId ? -1 : 1));
  await manager.query(
    `INSERT INTO resident_directory (resident_id, household_id, site_id, region_code)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[])
     ON CONFLICT (resident_id) DO UPDATE
       SET household_id = EXCLUDED.household_id, site_id = EXCLUDED.site_id, region_code = EXCLUDED.region_code`,
    [
      rows.map((r) => r.residentId),
      rows.map((r) => r.householdId),
      rows.map((r) => r.siteId),
      rows.map((r) => r.regionCode),
    ],
  );
});
