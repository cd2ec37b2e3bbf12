import { canAdvance } from './incubation.rules';

describe('incubation lifecycle (孵化)', () => {
  it('moves one step forward at a time', () => {
    expect(canAdvance('applied', 'incubating')).toBe(true);
    expect(canAdvance('incubating', 'registered')).toBe(true);
    expect(canAdvance('registered', 'graduated')).toBe(true);
  });
  it('refuses skipping, going back, staying and leaving graduation', () => {
    expect(canAdvance('applied', 'registered')).toBe(false);
    expect(canAdvance('applied', 'graduated')).toBe(false);
    expect(canAdvance('registered', 'incubating')).toBe(false);
    expect(canAdvance('incubating', 'incubating')).toBe(false);
    expect(canAdvance('graduated', 'applied')).toBe(false);
  });
});
