import { defineBatchHandler } from '@anju/contracts';

/**
 * A moved-out resident's personal data was erased in governance (retention): employment erases the
 * free text it holds about them (why a job ended) and the keyed hash of their ID number (by which its
 * imports find a resident), so no sheet finds them by it any more. The labour profile, jobs, trainings
 * and skills stay — ids and counted facts, as governance keeps the resident row — for history and the
 * roll-ups.
 */
export const residentPersonalDataErased = defineBatchHandler(
  'resident.personal_data_erased',
  async (items, { manager }) => {
    const residents = items.map((i) => i.payload.residentId);
    await manager.query(
      `UPDATE employment_record SET end_reason = NULL WHERE resident_id = ANY($1::uuid[]) AND end_reason IS NOT NULL`,
      [residents],
    );
    await manager.query(
      `UPDATE labour_profile SET national_id_hash = NULL WHERE resident_id = ANY($1::uuid[])
         AND national_id_hash IS NOT NULL`,
      [residents],
    );
  },
);
