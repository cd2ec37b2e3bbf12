import DataLoader from 'dataloader';
import { byIdLoader } from '@anju/kit';
import type { ListItemRow, ListItemService } from '../list-item/list-item.service';
import type { PartyService } from './party.service';

export function meetingLoaders(party: PartyService, listItems: ListItemService) {
  return {
    /** Meetings by id in the caller's scope (through the site's page of meetings is not needed: one query). */
    resolutionsOfMeeting: new DataLoader<string, ListItemRow[]>(async (ids) => {
      const rows = await listItems.byMeetings(ids);
      return ids.map((id) => rows.filter((r) => r.resolutionOf === id));
    }),
    jointMeeting: byIdLoader((ids: readonly string[]) => party.meetingsByIds(ids)),
  };
}
