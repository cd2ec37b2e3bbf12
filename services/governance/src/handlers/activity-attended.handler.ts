import { defineBatchHandler } from '@anju/contracts';
import { creditFromEvents } from '../points/ledger';

/**
 * 参加社区活动: attendance checked in at social-orgs earns points under the co-governance list — for
 * residents of the activity's site only (a batch at a time).
 */
export const activityAttended = defineBatchHandler('activity.attended', async (items, { manager, clock }) => {
  await creditFromEvents(manager, items.map(({ payload: p, envelope }) => ({
    eventId: envelope.id, event: 'activity.attended' as const, residentId: p.residentId, occurredAt: p.attendedAt, atSite: p.siteId,
  })), clock.now());
});
