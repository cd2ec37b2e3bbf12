import DataLoader from 'dataloader';
import type { NoticeService } from './notice.service';

/** A notice's reach at one of its sites: residents there, and how many have read it. */
export interface NoticeReadRow {
  siteId: string;
  residents: number;
  read: number;
  rate: number;
}

export function noticeLoaders(notices: NoticeService) {
  return {
    noticeReadByMe: new DataLoader<string, boolean>(async (ids) => {
      const read = await notices.readByMe(ids);
      return ids.map((id) => read.has(id));
    }),
    noticeReadStats: new DataLoader<string, NoticeReadRow[] | null>((ids) => notices.readStats(ids)),
  };
}
