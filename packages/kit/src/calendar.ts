/**
 * The province's calendar (云南, China Standard Time): every day, month or age the domain means is
 * counted in Asia/Shanghai, UTC+8 all year with no daylight saving, whatever the server's zone.
 * Dates are `YYYY-MM-DD` strings and months `YYYY-MM`; instants are `Date`s from the process's
 * clock (see `clock.ts`), never read here.
 */
export const PROVINCE_TIME_ZONE = 'Asia/Shanghai';
/** SQL literal of the zone, for `… AT TIME ZONE ${PROVINCE_ZONE_SQL}`. */
export const PROVINCE_ZONE_SQL = `'${PROVINCE_TIME_ZONE}'`;

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The day an instant falls on in the province ("today in Yunnan" for the clock's reading). */
export function provinceDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The time of day an instant falls at in the province: `HH:MM` (quiet hours, messages to residents). */
export function provinceTimeOfDay(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(11, 16);
}

/**
 * Quiet hours (免打扰) from `startMinute` to `endMinute` after midnight, province time; an end before
 * the start runs into the next morning (22:00–07:00). Returns the instant the quiet window holding
 * `at` ends, or null when `at` is outside it (or the window is empty).
 */
export function quietHoursEnd(at: Date, startMinute: number, endMinute: number): Date | null {
  if (startMinute === endMinute) return null;
  const minute = Math.floor(((at.getTime() + OFFSET_MS) % DAY_MS) / 60_000);
  const inside =
    startMinute < endMinute ? minute >= startMinute && minute < endMinute : minute >= startMinute || minute < endMinute;
  if (!inside) return null;
  const dayStart = startOfProvinceDay(provinceDate(at)).getTime();
  const end = dayStart + endMinute * 60_000;
  return new Date(end > at.getTime() ? end : end + DAY_MS);
}

/** The month an instant falls in, in the province: `YYYY-MM`. */
export function provinceMonth(at: Date): string {
  return provinceDate(at).slice(0, 7);
}

/** The instant a province day starts (00:00 in Yunnan). */
export function startOfProvinceDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS);
}

/** The instant a province month (`YYYY-MM`) starts. */
export function startOfProvinceMonth(month: string): Date {
  return startOfProvinceDay(`${month}-01`);
}

/** The calendar date `days` days after (or before, if negative) a date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The month `months` months after (or before) a month. */
export function addMonths(month: string, months: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + months, 1));
  return d.toISOString().slice(0, 7);
}

/**
 * The same day `years` years later (or earlier); 29 February falls back to 28 February in a
 * common year, so that "born on or before today − N years" means "aged N or more today".
 */
export function addYears(date: string, years: number): string {
  const y = String(Number(date.slice(0, 4)) + years).padStart(4, '0');
  const md = date.slice(5);
  return md === '02-29' && !isLeapYear(Number(y)) ? `${y}-02-28` : `${y}-${md}`;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Whole years of age (周岁) on a province date; someone born on 29 February turns a year older on
 * 1 March in common years.
 */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
