import { defineBatchHandler } from '@anju/contracts';
import { forgetActivityPlaces } from '../notification/activity-notifications';

/** A cancelled place is not reminded. */
export const activityRegistrationCancelled = defineBatchHandler(
  'activity.registration.cancelled',
  async (items, { manager }) => {
    await forgetActivityPlaces(
      manager,
      items.map((i) => i.payload),
    );
  },
);
