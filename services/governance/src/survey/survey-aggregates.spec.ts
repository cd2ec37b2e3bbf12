import { MINIMUM_GROUP, suppressSmallGroups } from './survey-aggregates';

const g = (key: string, respondents: number) => ({ key, respondents });
const keys = (groups: { key: string }[]) => groups.map((x) => x.key);

describe('survey groups shown (minimum group size)', () => {
  it('hides every group under the minimum', () => {
    expect(keys(suppressSmallGroups([g('a', 12), g('b', 4), g('c', 10), g('d', 3), g('e', 5)]))).toEqual(['a', 'c']);
    // b (9) hidden alone is the site minus the rest: the smallest shown (c) goes with it.
    expect(keys(suppressSmallGroups([g('a', 12), g('b', 9), g('c', 10), g('d', 10)]))).toEqual(['a', 'd']);
  });

  it('hides the smallest shown group when the hidden ones alone could be worked out by subtraction', () => {
    // b (3) alone would be site − a − c: c (10) is hidden with it, making 13 hidden.
    expect(keys(suppressSmallGroups([g('a', 15), g('b', 3), g('c', 10)]))).toEqual(['a']);
    // Hidden already ≥ the minimum: nothing more to hide.
    expect(keys(suppressSmallGroups([g('a', 15), g('b', 6), g('c', 5)]))).toEqual(['a']);
    // Nothing hidden: all shown.
    expect(keys(suppressSmallGroups([g('a', 10), g('b', 11)]))).toEqual(['a', 'b']);
  });

  it('never leaves hidden respondents of 1…9 while anything is shown', () => {
    for (let seed = 1; seed < 500; seed++) {
      const groups = Array.from({ length: 1 + (seed % 6) }, (_, i) => g(`b${i}`, ((seed * (i + 7) * 31) % 25) + 1));
      const shown = suppressSmallGroups(groups);
      const hidden = groups.reduce((n, x) => n + x.respondents, 0) - shown.reduce((n, x) => n + x.respondents, 0);
      expect(shown.every((x) => x.respondents >= MINIMUM_GROUP)).toBe(true);
      if (shown.length) expect(hidden === 0 || hidden >= MINIMUM_GROUP).toBe(true);
    }
  });
});
