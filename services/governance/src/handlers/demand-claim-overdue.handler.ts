import { addDays, provinceDate } from '@anju/kit';
import { defineBatchHandler } from '@anju/contracts';
import { openTasksFromEvents } from '../grid-task/grid-task.service';
import { FOLLOW_UP_DAYS } from '../grid-task/grid-task-causes.task';

/**
 * 认领逾期: a claimed demand past its promised date becomes a follow-up task for the household's grid worker (or the
 * site's).
 */
export const demandClaimOverdue = defineBatchHandler('demand.claim_overdue', async (items, { manager, clock }) => {
  const today = provinceDate(clock.now());
  await openTasksFromEvents(
    manager,
    items.map(({ payload: p, envelope }) => ({
      kind: 'claim_overdue',
      title: `认领的需求逾期未完成：承诺${p.promisedOn}前完成`,
      siteId: p.siteId,
      regionCode: p.regionCode,
      householdId: p.householdId ?? null,
      sourceEvent: envelope.name,
      sourceEventId: envelope.id,
      sourceKey: p.demandId,
      detail: { demandId: p.demandId, unitId: p.unitId ?? null, category: p.category, promisedOn: p.promisedOn },
      dueOn: addDays(today, FOLLOW_UP_DAYS),
    })),
    clock.now(),
  );
});
