import { checkScore, gradeOf } from './grade';

describe('evaluation grade (A ≥85 / B 60–84 / C <60)', () => {
  it.each([
    [100, 'A'],
    [85, 'A'],
    [84.99, 'B'],
    [84, 'B'],
    [60, 'B'],
    [59.99, 'C'],
    [0, 'C'],
  ])('%p → %s', (score, grade) => expect(gradeOf(score)).toBe(grade));

  it('has no grade outside 0–100', () => {
    for (const s of [-0.01, 100.01, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => gradeOf(s)).toThrow(RangeError);
  });

  it('turns a bad input score into a typed error', () => {
    expect(() => checkScore(101, 'input.score')).toThrow(
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.score', reason: 'RANGE' }),
      }),
    );
    expect(checkScore(0, 'input.score')).toBe(0);
  });
});
