import { defineBatchHandler } from '@anju/contracts';
import { creditFromEvents } from '../points/ledger';

/** A completed skills training (技能培训) earns points; it counts on the day it was completed (noon, China time). */
export const trainingCompleted = defineBatchHandler('training.completed', async (items, { manager, clock }) => {
  await creditFromEvents(
    manager,
    items.map(({ payload: p, envelope }) => ({
      eventId: envelope.id,
      event: 'training.completed' as const,
      residentId: p.residentId,
      occurredAt: `${p.completedOn}T12:00:00+08:00`,
    })),
    clock.now(),
  );
});
