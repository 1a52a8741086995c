/**
 * Periods of whole days, `YYYY-MM-DD` strings (which compare correctly as strings); `eind` undefined = open-ended.
 */
import { minIsoDate } from '../domain/dates';
import type { IsoDate } from '../domain/facts';
export { addDays } from '../domain/dates';

export interface Periode {
  start: IsoDate;
  eind?: IsoDate;
}

export const laterOf = (a: IsoDate, b: IsoDate): IsoDate => (a > b ? a : b);

/** The earlier of two ends; undefined = open-ended, so it loses (minIsoDate treats undefined as absent). */
export const earlierEnd: (a: IsoDate | undefined, b: IsoDate | undefined) => IsoDate | undefined = minIsoDate;

export const isEmpty = (p: Periode): boolean => p.eind !== undefined && p.eind < p.start;

export const overlaps = (a: Periode, b: Periode): boolean =>
  (a.eind === undefined || b.start <= a.eind) && (b.eind === undefined || a.start <= b.eind);

/** The common part of two periods, or undefined. */
export function intersect(a: Periode, b: Periode): Periode | undefined {
  const p: Periode = { start: laterOf(a.start, b.start) };
  const eind = earlierEnd(a.eind, b.eind);
  if (eind !== undefined) p.eind = eind;
  return isEmpty(p) ? undefined : p;
}

/** Runs today or later. */
export const isCurrent = (p: Periode, today: IsoDate): boolean => p.eind === undefined || p.eind >= today;
