import { byGroupLoader } from '@anju/kit';
import type { ListItemService } from '../list-item/list-item.service';

/** A council's meetings' resolutions in one query (the meeting was read in scope). */
export const coBuildingLoaders = (listItems: ListItemService) => ({
  resolutionsOfCoBuildingMeeting: byGroupLoader(
    (ids: readonly string[]) => listItems.byCoBuildingMeetings(ids),
    (r) => r.coBuildingMeetingId,
  ),
});
