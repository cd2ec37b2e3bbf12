import { siteCountsMigration } from '@anju/kit';

/** Claimed demands past the date the unit promised (逾期认领) per site, for the site's dashboard. */
export const OverdueDemandCount1764600100000 = siteCountsMigration(1764600100000, true, [
  {
    source: 'demand',
    column: 'overdue_demands',
    where: `overdue_since IS NOT NULL AND status IN ('claimed', 'in_progress')`,
  },
]);
