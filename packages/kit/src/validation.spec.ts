import { InputError } from './errors';
import { requireInstant } from './validation';

describe('requireInstant', () => {
  it('takes an instant with its offset, in UTC or in the province’s time', () => {
    expect(requireInstant('2026-12-01T14:30:00+08:00', 'at').toISOString()).toBe('2026-12-01T06:30:00.000Z');
    expect(requireInstant('2026-12-01T06:30:00.000Z', 'at').toISOString()).toBe('2026-12-01T06:30:00.000Z');
    expect(requireInstant('2026-12-01T14:30+08:00', 'at').toISOString()).toBe('2026-12-01T06:30:00.000Z');
  });

  it.each(['2026-12-01T14:30:00', '2026-12-01', '明天', '2026-12-01T14:30:00+0800', '2026-02-30T10:00:00Z', ''])(
    'refuses %j as FORMAT (no offset, no such day, not an instant)',
    (raw) => {
      let error: unknown;
      try {
        requireInstant(raw, 'input.startsAt');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.startsAt',
        reason: 'FORMAT',
      });
    },
  );
});
