import { defineBatchHandler } from '@anju/contracts';

/**
 * A moved-out resident's personal data was erased in governance (retention): employment erases the
 * free text it holds about them (why a job ended). The labour profile, jobs, trainings and skills
 * stay — ids and counted facts, as governance keeps the resident row — for history and the roll-ups.
 */
export const residentPersonalDataErased = defineBatchHandler('resident.personal_data_erased', async (items, { manager }) => {
  await manager.query(
    `UPDATE employment_record SET end_reason = NULL WHERE resident_id = ANY($1::uuid[]) AND end_reason IS NOT NULL`,
    [items.map((i) => i.payload.residentId)],
  );
});
