import { provinceDate } from './calendar';
import { InputError } from './errors';

/**
 * Resident identity card numbers (居民身份证号码), GB 11643-1999: 6-digit region code, 8-digit
 * birth date, 3-digit sequence (odd for men, even for women), ISO 7064 MOD 11-2 check character.
 * Pure functions: unit-tested directly.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type Gender = 'male' | 'female';

export interface NationalIdFacts {
  /** Normalized: 18 characters, upper-case X. */
  normalized: string;
  regionCode: string;
  birthDate: string; // YYYY-MM-DD
  gender: Gender;
}

export type NationalIdProblem = 'FORMAT' | 'BIRTH_DATE' | 'CHECK_DIGIT';

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

export function parseNationalId(
  raw: string,
  today: Date,
): { ok: true; facts: NationalIdFacts } | { ok: false; problem: NationalIdProblem; message: string } {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) {
    return { ok: false, problem: 'FORMAT', message: 'An ID number has 17 digits followed by a digit or X.' };
  }
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || birth.getTime() > today.getTime()) {
    return {
      ok: false,
      problem: 'BIRTH_DATE',
      message: 'The birth date inside the ID number is not a real past date.',
    };
  }
  if (checkCharacter(id.slice(0, 17)) !== id[17]) {
    return {
      ok: false,
      problem: 'CHECK_DIGIT',
      message: 'The ID number’s check digit is wrong: a digit was probably mistyped.',
    };
  }
  return {
    ok: true,
    facts: {
      normalized: id,
      regionCode: id.slice(0, 6),
      birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
      gender: Number(id[16]) % 2 === 1 ? 'male' : 'female',
    },
  };
}

/**
 * `530102************`: the county code (区县代码) only. What any role sees of a resident together
 * must leave at least 10,000 candidate numbers (the README's "Security model"): the county code is
 * shown, the age gives the birth year (see `ageByYear`), the gender the sequence's parity. Left
 * unknown: the birth day within the year (365) × the sequence of that parity (500) = 182,500
 * numbers, the check digit adding nothing (it follows from the rest). Showing the last four, as
 * was done, gave away sequence and check digit: 365 candidates, found by a few dozen searches.
 */
export function maskNationalId(id: string): string {
  return `${id.slice(0, 6)}${'*'.repeat(12)}`;
}

/** `138****1234`. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/**
 * A phone given as input, reduced to what an NGO may see (`138****1234`), for a service that never
 * stores the full number; none given is null; anything but 11 digits starting with 1 is a FORMAT error on `field`.
 */
export function maskPhoneInput(raw: string | null | undefined, field: string): string | null {
  if (raw == null || raw.trim() === '') return null;
  const digits = raw.replace(/[\s-]/g, '');
  if (!/^1\d{10}$/.test(digits))
    throw new InputError(field, 'A mobile phone number has 11 digits starting with 1.', 'FORMAT');
  return maskPhone(digits);
}

/** Mainland mobile numbers: 11 digits starting 13–19. */
export function isMobilePhone(phone: string): boolean {
  return /^1[3-9]\d{9}$/.test(phone);
}

/**
 * Age as the province counts years (this year in Yunnan − the birth year): it reveals the birth
 * year and nothing finer, even to someone who watches it every day (whole years to the birthday
 * would change on the birthday and give the day away).
 */
export function ageByYear(birthDate: string, at: Date): number {
  return Number(provinceDate(at).slice(0, 4)) - Number(birthDate.slice(0, 4));
}
