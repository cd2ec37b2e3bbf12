import { defineBatchHandler } from '@anju/contracts';
import { closeTasksFromEvents } from '../grid-task/grid-task.service';

/**
 * Households that pass every rule again: their gap tasks close (a batch in one statement; a close before its detection
 * is remembered).
 */
export const householdGapClosed = defineBatchHandler('household.gap.closed', async (items, { manager }) => {
  await closeTasksFromEvents(
    manager,
    'household_gap',
    items.map((i) => ({ sourceKey: i.payload.gapId, eventId: i.envelope.id })),
  );
});
