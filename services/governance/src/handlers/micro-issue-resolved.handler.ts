import { defineHandler } from '@anju/contracts';
import { creditFromEvent } from '../points/ledger';

/** A resolved micro-issue (微难题/微矛盾) earns points for the resident who reported it. */
export const microIssueResolved = defineHandler('micro_issue.resolved', async (p, { manager, envelope, logger, clock }) => {
  if (!p.reportedByResidentId) return;
  const r = await creditFromEvent(manager, {
    eventId: envelope.id, event: 'micro_issue.resolved', residentId: p.reportedByResidentId, occurredAt: p.resolvedAt, recordedAt: clock.now(),
  });
  logger.debug({ eventId: envelope.id, outcome: r.outcome }, 'points for a resolved micro-issue');
});
