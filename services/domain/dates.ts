/**
 * Calendar dates as iStandaarden carry them: `YYYY-MM-DD` without a timezone (LDT_Datum is xs:date restricted by
 * the pattern `[^:Z]*`, so `2024-01-01Z` and `2024-01-01+01:00` are invalid), and times `HH:MM:SS` without a
 * timezone (LDT_Tijd, pattern `[^Z+-]+`). Valid ISO dates compare correctly as strings.
 */
import type { IsoDate, IsoTime } from './facts';

const DASH = 45; // '-'
const TIME = /^([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,9})?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAY_MS = 86_400_000;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The number written by the ASCII digits value[from, from + n), or -1 if any is not one. */
function digitsAt(value: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * A real calendar date `YYYY-MM-DD` (year 0001..9999), without a timezone. Read by character, not by a regular
 * expression: every date of every record passes here, and a match allocates its array and strings.
 */
export function isIsoDate(value: string): value is IsoDate {
  if (value.length !== 10 || value.charCodeAt(4) !== DASH || value.charCodeAt(7) !== DASH) return false;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const max = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day <= max;
}

/**
 * The dates samenloop accepts in any input: 1900-01-01 to 2199-12-31. 1900-01-01 is the placeholder the
 * iStandaarden use for an unknown geboortedatum (DatumGebruik 3), and no living client was born earlier;
 * 2199-12-31 leaves room for any real Einddatum (an open end is an absent Einddatum, not a far date) while
 * keeping all date arithmetic of the engine (a day before, a year after) far inside years 0001..9999.
 */
export const PLAUSIBLE_DATES = { from: '1900-01-01', to: '2199-12-31' } as const;

/** A real calendar date within PLAUSIBLE_DATES. */
export function isPlausibleDate(value: string): value is IsoDate {
  return isIsoDate(value) && value >= PLAUSIBLE_DATES.from && value <= PLAUSIBLE_DATES.to;
}

/** A time `HH:MM:SS` (optionally with fractional seconds), without a timezone. */
export function isIsoTime(value: string): value is IsoTime {
  return TIME.test(value);
}

/** Negative if a < b, 0 if equal, positive if a > b (both valid ISO dates). */
export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isBefore(a: IsoDate, b: IsoDate): boolean {
  return a < b;
}

export function isAfter(a: IsoDate, b: IsoDate): boolean {
  return a > b;
}

/** The later of two dates; `undefined` counts as "absent", not as "open-ended". */
export function maxIsoDate(a: IsoDate | undefined, b: IsoDate | undefined): IsoDate | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

/** The earlier of two dates; `undefined` counts as "absent". */
export function minIsoDate(a: IsoDate | undefined, b: IsoDate | undefined): IsoDate | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

function epochMs(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError('not an ISO date');
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0..99 to 1900..1999.
  return new Date(0).setUTCFullYear(digitsAt(date, 0, 4), digitsAt(date, 5, 2) - 1, digitsAt(date, 8, 2));
}

/** `date` plus `days` calendar days (negative to go back). Throws a RangeError on an invalid date. */
export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(epochMs(date) + Math.trunc(days) * DAY_MS);
  const y = d.getUTCFullYear();
  if (y < 1 || y > 9999) throw new RangeError('result is outside years 0001..9999');
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(y, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** Number of calendar days from a to b (b − a). Throws a RangeError on an invalid date. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((epochMs(b) - epochMs(a)) / DAY_MS);
}
