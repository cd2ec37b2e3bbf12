import { isIsoDate, isUuid, uuidsOf } from './ids';

describe('id and date checks', () => {
  it('accepts uuids and keeps only them', () => {
    expect(isUuid('3f45928b-0250-49a1-8d47-0dc16aa43c5c')).toBe(true);
    expect(isUuid('3f45928b')).toBe(false);
    expect(uuidsOf(['x', '3f45928b-0250-49a1-8d47-0dc16aa43c5c', 7])).toEqual(['3f45928b-0250-49a1-8d47-0dc16aa43c5c']);
  });

  it('accepts only calendar dates that exist', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
    expect(isIsoDate(undefined)).toBe(false);
  });
});
