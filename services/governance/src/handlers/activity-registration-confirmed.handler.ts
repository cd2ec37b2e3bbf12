import { defineBatchHandler } from '@anju/contracts';
import { notifyActivityPlaces } from '../notification/activity-notifications';

/** 报名成功 / 候补转正: the resident is told at once and reminded the day before (a batch in one statement). */
export const activityRegistrationConfirmed = defineBatchHandler(
  'activity.registration.confirmed',
  async (items, { manager, clock }) => {
    await notifyActivityPlaces(
      manager,
      items.map((i) => i.payload),
      clock.now(),
    );
  },
);
