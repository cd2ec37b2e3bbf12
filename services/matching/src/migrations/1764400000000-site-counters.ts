import { siteCountersMigration } from '@anju/kit';

/** Open demands per site (a dashboard's count), kept by triggers instead of counted per request. */
export const SiteCounters1764400000000 = siteCountersMigration(1764400000000, true, [
  { source: 'demand', column: 'open_demands', where: `status = 'open'` },
]);
