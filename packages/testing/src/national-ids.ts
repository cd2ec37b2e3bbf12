import { checkCharacter } from '@anju/kit';

/** A valid GB 11643 ID number for a region, birth date (YYYYMMDD) and sequence (odd = male). */
export function nationalId(regionCode = '530102', birth = '19850312', sequence = 123): string {
  const first17 = `${regionCode}${birth}${String(sequence).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

/** The same number with a wrong check character. */
export function withWrongCheckDigit(id: string): string {
  const right = id[17];
  const wrong = right === '0' ? '1' : '0';
  return id.slice(0, 17) + wrong;
}
