import { gradePeriod, periodRange } from './grade';

describe("a social worker's period grade (优秀/合格/不合格)", () => {
  it('is the assessment alone with fewer than three ratings', () => {
    expect(gradePeriod('2026-Q3', 86, [])).toMatchObject({
      compositeScore: 86,
      grade: 'EXCELLENT',
      ratingCount: 0,
      averageRating: null,
    });
    expect(gradePeriod('2026-Q3', 84.99, [5, 5])).toMatchObject({
      compositeScore: 84.99,
      grade: 'PASS',
      averageRating: 5,
    });
    expect(gradePeriod('2026-Q3', 59.99, [1, 1])).toMatchObject({ grade: 'FAIL' });
  });

  it("weighs the assessment 0.7 and the residents' mean rating, on 0–100, 0.3 from three ratings on", () => {
    // 0.7 × 80 + 0.3 × ((4.5 − 1) / 4 × 100 = 87.5) = 56 + 26.25 = 82.25
    expect(gradePeriod('2026-Q3', 80, [4, 5, 4, 5])).toMatchObject({
      compositeScore: 82.25,
      grade: 'PASS',
      averageRating: 4.5,
    });
    // 0.7 × 82 + 0.3 × 100 = 87.4: the residents lift a PASS to EXCELLENT.
    expect(gradePeriod('2026-Q3', 82, [5, 5, 5])).toMatchObject({ compositeScore: 87.4, grade: 'EXCELLENT' });
    // 0.7 × 70 + 0.3 × 25 = 56.5: they pull a PASS down to FAIL.
    expect(gradePeriod('2026-Q3', 70, [2, 2, 2])).toMatchObject({ compositeScore: 56.5, grade: 'FAIL' });
    // Boundaries: exactly 85 and 60.
    expect(gradePeriod('x', 85, []).grade).toBe('EXCELLENT');
    expect(gradePeriod('x', 60, []).grade).toBe('PASS');
  });

  it('fails a period whose residents are broadly dissatisfied (mean below 2), whatever the score', () => {
    // 0.7 × 100 + 0.3 × 16.67 = 75 — a PASS by the sum, FAIL by the residents.
    expect(gradePeriod('2026-Q3', 100, [1, 2, 2])).toMatchObject({
      compositeScore: 75,
      grade: 'FAIL',
      averageRating: 1.67,
    });
    // A mean of exactly 2 is not below 2: 0.7 × 100 + 0.3 × 25 = 77.5, PASS.
    expect(gradePeriod('2026-Q3', 100, [2, 2, 2])).toMatchObject({ compositeScore: 77.5, grade: 'PASS' });
  });

  it('maps each period form to its dates', () => {
    expect(periodRange('2026')).toEqual({ from: '2026-01-01', to: '2027-01-01' });
    expect(periodRange('2026-H1')).toEqual({ from: '2026-01-01', to: '2026-07-01' });
    expect(periodRange('2026-H2')).toEqual({ from: '2026-07-01', to: '2027-01-01' });
    expect(periodRange('2026-Q4')).toEqual({ from: '2026-10-01', to: '2027-01-01' });
    expect(periodRange('2026-Q1')).toEqual({ from: '2026-01-01', to: '2026-04-01' });
    expect(periodRange('2026-12')).toEqual({ from: '2026-12-01', to: '2027-01-01' });
    expect(periodRange('2028-02')).toEqual({ from: '2028-02-01', to: '2028-03-01' });
  });
});
