import { siteCountersMigration } from '@anju/kit';

/** What a site dashboard counts, kept per site by triggers instead of counted per request. */
export const SiteCounters1764400000000 = siteCountersMigration(1764400000000, false, [
  { source: 'household', column: 'households', where: 'true' },
  { source: 'resident', column: 'residents', where: 'moved_out_on IS NULL' },
]);
