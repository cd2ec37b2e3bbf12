import { siteCountsMigration } from '@anju/kit';

/**
 * A site's income-stability picture on the cross-department dashboard (Site.passRate,
 * Site.openGapCount): households monitored, passing, and open gaps, kept by triggers.
 */
export const SitePictureCounts1764600100000 = siteCountsMigration(1764600100000, true, [
  { source: 'household_status', column: 'monitored_households', where: 'true' },
  { source: 'household_status', column: 'passing_households', where: 'cardinality(failed) = 0' },
  { source: 'household_gap', column: 'open_gaps', where: 'closed_on IS NULL' },
]);
