import { addDays, provinceDate } from '@anju/kit';
import { defineBatchHandler } from '@anju/contracts';
import { openTasksFromEvents } from '../grid-task/grid-task.service';
import { FOLLOW_UP_DAYS } from '../grid-task/grid-task-causes.task';

const AGENCY: Record<string, string> = {
  CIVIL_AFFAIRS: '民政部门',
  JUSTICE: '司法部门',
  TRADE_UNION: '工会',
  YOUTH_LEAGUE: '共青团',
  WOMENS_FEDERATION: '妇联',
};

/** 转介逾期: a referral past its due date without an outcome becomes a follow-up task for the household's grid worker. */
export const referralOverdue = defineBatchHandler('referral.overdue', async (items, { manager, clock }) => {
  const today = provinceDate(clock.now());
  await openTasksFromEvents(
    manager,
    items.map(({ payload: p, envelope }) => ({
      kind: 'referral_overdue',
      title: `转介逾期未办结：转介至${AGENCY[p.agency] ?? p.agency}，应于${p.dueOn}前反馈`,
      siteId: p.siteId,
      regionCode: p.regionCode,
      householdId: p.householdId ?? null,
      sourceEvent: envelope.name,
      sourceEventId: envelope.id,
      sourceKey: p.referralId,
      detail: {
        referralId: p.referralId,
        caseId: p.caseId,
        organizationId: p.organizationId,
        agency: p.agency,
        dueOn: p.dueOn,
      },
      dueOn: addDays(today, FOLLOW_UP_DAYS),
    })),
    clock.now(),
  );
});
