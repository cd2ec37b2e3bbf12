/** No group of respondents smaller than this is ever shown (最小公布组). */
export const MINIMUM_GROUP = 10;

/**
 * The groups (buildings) whose counts may be shown: each of at least MINIMUM_GROUP respondents,
 * and — since the whole site's counts are shown too — the hidden ones together either none or at
 * least MINIMUM_GROUP, else one small hidden building is the site minus the shown ones. While that
 * sum is 1…9, the smallest shown group is hidden as well (complementary suppression).
 */
export function suppressSmallGroups<G extends { respondents: number }>(groups: G[]): G[] {
  const shown = groups.filter((g) => g.respondents >= MINIMUM_GROUP).sort((a, b) => a.respondents - b.respondents);
  let hidden = groups.reduce((n, g) => n + g.respondents, 0) - shown.reduce((n, g) => n + g.respondents, 0);
  while (hidden > 0 && hidden < MINIMUM_GROUP && shown.length) hidden += shown.shift()!.respondents;
  return groups.filter((g) => shown.includes(g));
}
