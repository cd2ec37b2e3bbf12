import { defineHandler } from '@anju/contracts';
import { creditFromEvent } from '../points/ledger';

/** 参加社区活动: attendance checked in at social-orgs earns points under the co-governance list — for residents of the activity's site only. */
export const activityAttended = defineHandler('activity.attended', async (p, { manager, envelope, logger, clock }) => {
  const r = await creditFromEvent(manager, {
    eventId: envelope.id, event: 'activity.attended', residentId: p.residentId, occurredAt: p.attendedAt, recordedAt: clock.now(), atSite: p.siteId,
  });
  logger.debug({ eventId: envelope.id, outcome: r.outcome }, 'points for activity attendance');
});
