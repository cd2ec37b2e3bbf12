import { ERASED_NAME, defineBatchHandler } from '@anju/contracts';

/**
 * A moved-out resident's personal data was erased in governance (retention): social-orgs erases its
 * copies — the name and masked contact given at sign-up for activities, and the comments of their
 * feedback on social workers. Registrations, attendance and ratings stay, naming nobody.
 */
export const residentPersonalDataErasedHandler = defineBatchHandler(
  'resident.personal_data_erased',
  async (items, { manager }) => {
    const residents = items.map((i) => i.payload.residentId);
    await manager.query(
      `UPDATE activity_registration SET participant_name = $2, contact_masked = NULL
      WHERE resident_id = ANY($1::uuid[]) AND (participant_name <> $2 OR contact_masked IS NOT NULL)`,
      [residents, ERASED_NAME],
    );
    await manager.query(
      `UPDATE worker_feedback SET comment = NULL WHERE resident_id = ANY($1::uuid[]) AND comment IS NOT NULL`,
      [residents],
    );
  },
);
