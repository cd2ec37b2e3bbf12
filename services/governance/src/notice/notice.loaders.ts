import DataLoader from 'dataloader';
import type { NoticeService } from './notice.service';

export function noticeLoaders(notices: NoticeService) {
  return {
    noticeReadByMe: new DataLoader<string, boolean>(async (ids) => {
      const read = await notices.readByMe(ids);
      return ids.map((id) => read.has(id));
    }),
    noticeReadStats: new DataLoader<string, { siteId: string; residents: number; read: number; rate: number }[] | null>(
      (ids) => notices.readStats(ids),
    ),
  };
}
