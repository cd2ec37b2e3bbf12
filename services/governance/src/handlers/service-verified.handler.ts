import { defineBatchHandler } from '@anju/contracts';
import { creditFromEvents } from '../points/ledger';

/** Verified volunteer hours earn points per hour, when the volunteer is a resident. */
export const serviceVerified = defineBatchHandler('service.verified', async (items, { manager, clock }) => {
  await creditFromEvents(
    manager,
    items
      .filter((i) => i.payload.volunteerResidentId)
      .map(({ payload: p, envelope }) => ({
        eventId: envelope.id,
        event: 'service.verified' as const,
        residentId: p.volunteerResidentId!,
        occurredAt: p.verifiedAt,
        quantity: p.hours,
      })),
    clock.now(),
  );
});
