import { ERASED_NAME, defineBatchHandler } from '@anju/contracts';

/**
 * A moved-out resident's personal data was erased in governance (retention): a resident who
 * volunteered loses their display name here too. Their service record and counts stay.
 */
export const residentPersonalDataErasedHandler = defineBatchHandler('resident.personal_data_erased', async (items, { manager }) => {
  await manager.query(
    `UPDATE volunteer SET display_name = $2 WHERE resident_id = ANY($1::uuid[]) AND display_name <> $2`,
    [items.map((i) => i.payload.residentId), ERASED_NAME],
  );
});
