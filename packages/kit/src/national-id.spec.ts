import { ageByYear, checkCharacter, maskNationalId, maskPhone, maskPhoneInput, parseNationalId } from './national-id';

describe('GB 11643 national ID', () => {
  const TODAY = new Date('2026-11-30T12:00:00Z');
  it('accepts the standard example and derives birth date and gender', () => {
    const r = parseNationalId('11010519491231002x', TODAY);
    expect(r).toEqual({
      ok: true,
      facts: { normalized: '11010519491231002X', regionCode: '110105', birthDate: '1949-12-31', gender: 'female' },
    });
  });

  it('computes the check character by ISO 7064 MOD 11-2', () => {
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(checkCharacter('44052418800101001')).toBe('4');
  });

  it('rejects a wrong check digit, naming the problem', () => {
    const r = parseNationalId('110105194912310021', TODAY);
    expect(r).toMatchObject({ ok: false, problem: 'CHECK_DIGIT' });
  });

  it.each([
    ['too short', '1101051949123100', 'FORMAT'],
    ['letters inside', '1101051949123100AX', 'FORMAT'],
    ['31 February', `53010219850231123`, 'BIRTH_DATE'],
    ['born in the future', '530102' + '20990101' + '123', 'BIRTH_DATE'],
  ])('rejects %s', (_label, body, problem) => {
    const id = body.length === 17 ? body + checkCharacter(body) : body;
    expect(parseNationalId(id, TODAY)).toMatchObject({ ok: false, problem });
  });

  it('every single-digit typo in a valid number is caught', () => {
    const valid = '53010219850312123' + checkCharacter('53010219850312123');
    for (let i = 0; i < 17; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === valid[i]) continue;
        const typo = valid.slice(0, i) + d + valid.slice(i + 1);
        const r = parseNationalId(typo, TODAY);
        expect(r.ok).toBe(false);
      }
    }
  });

  it('masks without the birth date, and phones', () => {
    expect(maskNationalId('53010219850312123X')).toBe('530102************');
    expect(maskPhone('13812341234')).toBe('138****1234');
  });

  it('masks a phone given as input, or refuses it with a typed error on its field', () => {
    expect(maskPhoneInput(' 138-1234 1234 ', 'input.phone')).toBe('138****1234');
    expect(maskPhoneInput('', 'input.phone')).toBeNull();
    expect(maskPhoneInput(null, 'input.phone')).toBeNull();
    expect(() => maskPhoneInput('2381234123', 'input.phone')).toThrow(
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.phone' }),
      }),
    );
  });

  it('counts age by the year in Yunnan, so it never changes on the birthday', () => {
    expect(ageByYear('1985-03-12', new Date('2026-03-11T00:00:00Z'))).toBe(41);
    expect(ageByYear('1985-03-12', new Date('2026-03-12T00:00:00Z'))).toBe(41);
    expect(ageByYear('1985-12-31', new Date('2026-12-31T15:59:59Z'))).toBe(41);
    expect(ageByYear('1985-12-31', new Date('2026-12-31T16:00:00Z'))).toBe(42); // already 2027 in Yunnan
  });
});
