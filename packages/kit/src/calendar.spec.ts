import {
  addDays,
  addMonths,
  addYears,
  ageOn,
  provinceDate,
  provinceMonth,
  provinceTimeOfDay,
  quietHoursEnd,
  startOfProvinceDay,
  startOfProvinceMonth,
} from './calendar';

describe('the province calendar (Asia/Shanghai, UTC+8, no DST)', () => {
  it('puts an instant on the Yunnan day and month, not the UTC one', () => {
    expect(provinceDate(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11-30');
    expect(provinceDate(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12-01');
    expect(provinceMonth(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12');
    expect(provinceMonth(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01');
    expect(provinceDate(new Date('2028-02-28T16:00:00Z'))).toBe('2028-02-29');
  });

  it('starts days and months at 00:00 in Yunnan', () => {
    expect(startOfProvinceDay('2026-12-01').toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(startOfProvinceMonth('2027-01').toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('adds days and months across month, year and leap-day turns', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-02-29', 1)).toBe('2028-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2027-01', -1)).toBe('2026-12');
  });

  it('counts whole years of age (周岁) on a date, leap-day births included', () => {
    expect(ageOn('1985-03-12', '2026-03-11')).toBe(40);
    expect(ageOn('1985-03-12', '2026-03-12')).toBe(41);
    expect(ageOn('2012-02-29', '2028-02-28')).toBe(15);
    expect(ageOn('2012-02-29', '2028-02-29')).toBe(16);
    expect(ageOn('2012-02-29', '2027-02-28')).toBe(14);
    expect(ageOn('2012-02-29', '2027-03-01')).toBe(15);
  });

  it('moves a date by years so that "born on or before today − N years" is "aged N or more"', () => {
    expect(addYears('2028-02-29', -1)).toBe('2027-02-28');
    expect(addYears('2028-02-29', -16)).toBe('2012-02-29');
    expect(addYears('2026-12-01', -18)).toBe('2008-12-01');
    for (const today of ['2028-02-29', '2027-02-28', '2027-03-01', '2026-12-31', '2027-01-01']) {
      for (const birth of [
        '2012-02-29',
        '2011-02-28',
        '2011-03-01',
        '2008-12-31',
        '2009-01-01',
        '2027-02-28',
        '2027-03-01',
      ]) {
        if (birth > today) continue;
        for (const n of [0, 1, 15, 16, 18])
          expect([today, birth, n, birth <= addYears(today, -n)]).toEqual([today, birth, n, ageOn(birth, today) >= n]);
      }
    }
  });

  it("reads the time of day and quiet hours in Yunnan, across midnight and a year's turn", () => {
    expect(provinceTimeOfDay(new Date('2026-12-31T15:59:00Z'))).toBe('23:59');
    const night = (iso: string) => quietHoursEnd(new Date(iso), 22 * 60, 7 * 60)?.toISOString() ?? null;
    expect(night('2026-12-31T14:00:00Z')).toBe('2026-12-31T23:00:00.000Z'); // 22:00 → 07:00 next morning
    expect(night('2026-12-31T16:30:00Z')).toBe('2026-12-31T23:00:00.000Z'); // 00:30 on 1 January
    expect(night('2026-12-31T22:59:59Z')).toBe('2026-12-31T23:00:00.000Z');
    expect(night('2026-12-31T23:00:00Z')).toBeNull(); // 07:00: awake
    expect(night('2026-12-31T13:59:00Z')).toBeNull(); // 21:59
    const lunch = (iso: string) => quietHoursEnd(new Date(iso), 12 * 60, 14 * 60)?.toISOString() ?? null;
    expect(lunch('2027-01-01T05:00:00Z')).toBe('2027-01-01T06:00:00.000Z'); // 13:00 → 14:00
    expect(lunch('2027-01-01T06:00:00Z')).toBeNull();
    expect(quietHoursEnd(new Date('2027-01-01T05:00:00Z'), 600, 600)).toBeNull();
  });
});
