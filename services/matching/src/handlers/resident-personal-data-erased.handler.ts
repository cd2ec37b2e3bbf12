import { ERASED_NAME, defineBatchHandler } from '@anju/contracts';

/**
 * A moved-out resident's personal data was erased in governance (retention): a resident who
 * volunteered loses their display name here too, and the directory the keyed hash of their ID
 * number (governance drops its own: no sheet finds them by it any more). Their service record and
 * counts stay.
 */
export const residentPersonalDataErasedHandler = defineBatchHandler(
  'resident.personal_data_erased',
  async (items, { manager }) => {
    const residents = items.map((i) => i.payload.residentId);
    await manager.query(
      `UPDATE volunteer SET display_name = $2 WHERE resident_id = ANY($1::uuid[]) AND display_name <> $2`,
      [residents, ERASED_NAME],
    );
    await manager.query(
      `UPDATE resident_directory SET national_id_hash = NULL
      WHERE resident_id = ANY($1::uuid[]) AND national_id_hash IS NOT NULL`,
      [residents],
    );
  },
);
