import { defineBatchHandler } from '@anju/contracts';
import { creditFromEvents } from '../points/ledger';

/** A resolved micro-issue (微难题/微矛盾) earns points for the resident who reported it. */
export const microIssueResolved = defineBatchHandler('micro_issue.resolved', async (items, { manager, clock }) => {
  await creditFromEvents(
    manager,
    items
      .filter((i) => i.payload.reportedByResidentId)
      .map(({ payload: p, envelope }) => ({
        eventId: envelope.id,
        event: 'micro_issue.resolved' as const,
        residentId: p.reportedByResidentId!,
        occurredAt: p.resolvedAt,
      })),
    clock.now(),
  );
});
