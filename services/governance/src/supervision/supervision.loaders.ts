import DataLoader from 'dataloader';
import { byIdLoader } from '@anju/kit';
import type { FindingTarget, SupervisionService } from './supervision.service';

/** The open findings flagging each list item and notice, one query per page. */
export function supervisionLoaders(supervision: SupervisionService) {
  const counts = (kind: FindingTarget) =>
    new DataLoader<string, number>(async (ids) => {
      const found = await supervision.openCounts(kind, ids);
      return ids.map((id) => found.get(id) ?? 0);
    });
  return {
    finding: byIdLoader((ids) => supervision.byIds(ids)),
    openFindingsOfListItem: counts('list_item'),
    openFindingsOfNotice: counts('notice'),
  };
}
