import { defineHandler } from '@anju/contracts';
import { creditFromEvent } from '../points/ledger';

/** A completed skills training (技能培训) earns points; it counts on the day it was completed (noon, China time). */
export const trainingCompleted = defineHandler('training.completed', async (p, { manager, envelope, logger, clock }) => {
  const r = await creditFromEvent(manager, {
    eventId: envelope.id, event: 'training.completed', residentId: p.residentId, occurredAt: `${p.completedOn}T12:00:00+08:00`, recordedAt: clock.now(),
  });
  logger.debug({ eventId: envelope.id, outcome: r.outcome }, 'points for completed training');
});
