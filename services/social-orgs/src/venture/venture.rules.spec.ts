import { canMove } from './venture.rules';

describe('venture application path (公益创投)', () => {
  it('follows call → review → notice → funding → mid-term → final', () => {
    const path = [
      'APPLIED',
      'UNDER_REVIEW',
      'PUBLIC_NOTICE',
      'FUNDED',
      'MIDTERM_EVALUATED',
      'FINAL_EVALUATED',
    ] as const;
    for (let i = 1; i < path.length; i++) expect(canMove(path[i - 1], path[i])).toBe(true);
  });
  it('refuses skips, going back and leaving an end state', () => {
    expect(canMove('APPLIED', 'FUNDED')).toBe(false);
    expect(canMove('UNDER_REVIEW', 'FUNDED')).toBe(false);
    expect(canMove('FUNDED', 'FINAL_EVALUATED')).toBe(false);
    expect(canMove('FUNDED', 'REJECTED')).toBe(false);
    expect(canMove('REJECTED', 'UNDER_REVIEW')).toBe(false);
    expect(canMove('FINAL_EVALUATED', 'MIDTERM_EVALUATED')).toBe(false);
  });
});
