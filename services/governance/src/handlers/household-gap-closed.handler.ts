import { defineHandler } from '@anju/contracts';
import { closeTaskFromEvent } from '../grid-task/grid-task.service';

/** The household passes every rule again: its gap task closes. */
export const householdGapClosed = defineHandler('household.gap.closed', async (p, { manager, envelope }) => {
  await closeTaskFromEvent(manager, 'household_gap', p.gapId, envelope.id);
});
