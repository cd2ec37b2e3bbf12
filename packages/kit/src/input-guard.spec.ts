import { checkArguments } from './input-guard';
import { cursor } from './pagination';

const problem = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { extensions: Record<string, unknown> }).extensions;
  }
  return null;
};

describe('argument guard', () => {
  it('refuses a NUL anywhere in the arguments, naming its path', () => {
    expect(problem(() => checkArguments({ search: 'a\u0000' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'search',
      reason: 'NUL_CHARACTER',
    });
    expect(problem(() => checkArguments({ input: { members: [{ name: 'ok' }, { name: '\u0000' }] } }))).toMatchObject({
      field: 'input.members[1].name',
    });
    expect(
      problem(() => checkArguments({ representations: [{ __typename: 'Resident', id: 'x\u0000' }] })),
    ).toMatchObject({ field: 'representations[0].id' });
  });

  it('refuses a page size below 1 and lets valid arguments through', () => {
    expect(problem(() => checkArguments({ first: 0 }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(problem(() => checkArguments({ first: -5 }))).toMatchObject({ field: 'first' });
    expect(problem(() => checkArguments({ first: 10, search: '李', input: { n: 1, tags: ['a', null] } }))).toBeNull();
  });
});

describe('cursors', () => {
  it('decode what they encoded, of the declared shape', () => {
    const c = cursor.encode(['李', '5e7b3d10-0000-4000-8000-000000000001']);
    expect(cursor.decode(c, 'text', 'uuid')).toEqual(['李', '5e7b3d10-0000-4000-8000-000000000001']);
    expect(cursor.decode(null, 'text', 'uuid')).toBeNull();
  });

  it.each([
    ['not base64 JSON', '!!!'],
    ['not an array', cursor.encode({ a: 1 } as never)],
    ['a wrong id', cursor.encode(['李', 'not-a-uuid'])],
    ['a wrong date', cursor.encode(['2026-02-30', '5e7b3d10-0000-4000-8000-000000000001'])],
    ['too short', cursor.encode(['李'])],
  ])('refuse %s as BAD_USER_INPUT on after', (_l, raw) => {
    const shape = _l === 'a wrong date' ? (['date', 'uuid'] as const) : (['text', 'uuid'] as const);
    expect(problem(() => cursor.decode(raw, ...shape))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
      reason: 'MALFORMED_CURSOR',
    });
  });
});
