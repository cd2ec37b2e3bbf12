import { defineBatchHandler } from '@anju/contracts';
import { closeTasksFromEvents } from '../grid-task/grid-task.service';

/**
 * A follow-up's cause went away: the overdue referral got its outcome, the overdue claim's demand was
 * fulfilled. Its grid task closes (a batch in one statement); a close that arrives before the task's
 * opening event is remembered, so that the late task is born closed.
 */
export const referralResolved = defineBatchHandler('referral.resolved', async (items, { manager }) => {
  const closes = items.map((i) => ({ sourceKey: i.payload.referralId, eventId: i.envelope.id }));
  await closeTasksFromEvents(manager, 'referral_overdue', closes);
});

export const demandFulfilled = defineBatchHandler('demand.fulfilled', async (items, { manager }) => {
  const closes = items.map((i) => ({ sourceKey: i.payload.demandId, eventId: i.envelope.id }));
  await closeTasksFromEvents(manager, 'claim_overdue', closes);
});
