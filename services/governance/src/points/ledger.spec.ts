import { returning as updated, isUuid } from '@anju/kit';
import { allowedUnderCaps } from './ledger';

describe('allowedUnderCaps', () => {
  it('credits in full without caps', () => {
    expect(allowedUnderCaps(10, { dailyCap: null, monthlyCap: null }, 500, 5_000)).toBe(10);
  });
  it('cuts to what is left of the day, then of the month', () => {
    expect(allowedUnderCaps(10, { dailyCap: 20, monthlyCap: null }, 15, 15)).toBe(5);
    expect(allowedUnderCaps(10, { dailyCap: 20, monthlyCap: 100 }, 0, 95)).toBe(5);
    expect(allowedUnderCaps(10, { dailyCap: 20, monthlyCap: 100 }, 5, 92)).toBe(8);
  });
  it('never goes below zero, even past a lowered cap', () => {
    expect(allowedUnderCaps(10, { dailyCap: 20, monthlyCap: null }, 20, 20)).toBe(0);
    expect(allowedUnderCaps(10, { dailyCap: 20, monthlyCap: 30 }, 0, 45)).toBe(0);
  });
});

describe('helpers', () => {
  it('recognises uuids only', () => {
    expect(isUuid('6f1c2a4e-8b0d-4c55-9a1e-2f3b4c5d6e7f')).toBe(true);
    expect(isUuid('1; DROP TABLE')).toBe(false);
    expect(isUuid(undefined)).toBe(false);
  });
  it('reads the rows of UPDATE … RETURNING in either driver shape', () => {
    expect(updated([[{ a: 1 }], 1])).toEqual([{ a: 1 }]);
    expect(updated([{ a: 1 }])).toEqual([{ a: 1 }]);
    expect(updated([[], 0])).toEqual([]);
  });
});
