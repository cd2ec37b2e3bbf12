import { addDays, addMonths, provinceDate, provinceMonth, startOfProvinceDay, startOfProvinceMonth } from './calendar';

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

});
