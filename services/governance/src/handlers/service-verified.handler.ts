import { defineHandler } from '@anju/contracts';
import { creditFromEvent } from '../points/ledger';

/** Verified volunteer hours earn points per hour, when the volunteer is a resident. */
export const serviceVerified = defineHandler('service.verified', async (p, { manager, envelope, logger, clock }) => {
  if (!p.volunteerResidentId) return;
  const r = await creditFromEvent(manager, {
    eventId: envelope.id, event: 'service.verified', residentId: p.volunteerResidentId, occurredAt: p.verifiedAt, quantity: p.hours, recordedAt: clock.now(),
  });
  logger.debug({ eventId: envelope.id, outcome: r.outcome }, 'points for verified service');
});
