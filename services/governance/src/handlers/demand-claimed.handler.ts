import { defineBatchHandler } from '@anju/contracts';
import { notifyDemandsClaimed } from '../notification/demand-notifications';

/** 需求被认领 / 志愿者接单: the household is told (a batch in one statement). */
export const demandClaimed = defineBatchHandler('demand.claimed', async (items, { manager, clock }) => {
  await notifyDemandsClaimed(
    manager,
    items.map((i) => i.payload),
    clock.now(),
  );
});
