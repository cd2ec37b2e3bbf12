import { defineBatchHandler } from '@anju/contracts';
import { GAP_FOLLOW_UP_DAYS, openTasksFromEvents } from '../grid-task/grid-task.service';

const RULE_TITLES: Record<string, string> = {
  TRAINING_AND_SKILL: '有劳动能力的成员尚无培训或技能',
  PUBLIC_WELFARE_POST: '无外出务工条件的家庭尚无公益性岗位',
  EMPLOYED_MEMBER: '有就业意愿的家庭尚无人就业',
  STABLE_INCOME: '家庭尚无稳定收入来源',
};

/**
 * Household gaps found by employment's monitoring become follow-up tasks for the households' grid
 * workers, a batch in one statement; a gap whose close came first gets its task closed.
 */
export const householdGapDetected = defineBatchHandler('household.gap.detected', async (items, { manager, clock }) => {
  await openTasksFromEvents(
    manager,
    items.map(({ payload: p, envelope }) => {
      const due = new Date(`${p.detectedOn}T00:00:00Z`);
      due.setUTCDate(due.getUTCDate() + GAP_FOLLOW_UP_DAYS);
      return {
        kind: 'household_gap',
        title: `收入稳定监测：${p.rules.map((r) => RULE_TITLES[r] ?? r).join('；')}`,
        siteId: p.siteId,
        regionCode: p.regionCode,
        householdId: p.householdId,
        sourceEvent: envelope.name,
        sourceEventId: envelope.id,
        sourceKey: p.gapId,
        detail: { gapId: p.gapId, rules: p.rules, needsJobHelp: p.needsJobHelp, detectedOn: p.detectedOn },
        dueOn: due.toISOString().slice(0, 10),
      };
    }),
    clock.now(),
  );
});
