import { defineBatchHandler } from '@anju/contracts';
import { notifyAssignmentsProposed } from '../notification/demand-notifications';

/** 志愿服务派单: the volunteer is told (a batch in one statement; the nightly batch proposes thousands). */
export const assignmentProposed = defineBatchHandler('assignment.proposed', async (items, { manager, clock }) => {
  await notifyAssignmentsProposed(
    manager,
    items.map((i) => i.payload),
    clock.now(),
  );
});
