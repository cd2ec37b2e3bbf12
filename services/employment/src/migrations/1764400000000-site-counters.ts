import { siteCountersMigration } from '@anju/kit';

/** Labour profiles per site (a dashboard's count), kept by triggers instead of counted per request. */
export const SiteCounters1764400000000 = siteCountersMigration(1764400000000, true, [
  { source: 'labour_profile', column: 'labour_profiles', where: 'true' },
]);
