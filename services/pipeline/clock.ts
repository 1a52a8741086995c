import type { IsoDate } from '../domain/facts';

const amsterdamDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The last answer of a time-zone formatting, by whole second: Intl's time-zone arithmetic is costly and
 * the processor asks for every record, while the answers only change once a second.
 */
function perSecond<T>(compute: (at: Date) => T): (at: Date) => T {
  let second = NaN;
  let value: T;
  return (at) => {
    const s = Math.floor(at.getTime() / 1000);
    if (s !== second) {
      value = compute(at);
      second = s;
    }
    return value;
  };
}

const amsterdamToday = perSecond((at) => amsterdamDate.format(at));

/** The processing day in Dutch local time (iStandaarden dates have no timezone), or the pinned day. */
export function today(pinned?: IsoDate, at: Date = new Date()): IsoDate {
  return pinned ?? amsterdamToday(at);
}

const amsterdamParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The moment as Dutch local time with its UTC offset, e.g. `2026-11-23T10:15:00+01:00`. */
export function nowAmsterdam(at: Date = new Date()): string {
  return amsterdamNow(at);
}

const amsterdamNow = perSecond(formatAmsterdam);

function formatAmsterdam(at: Date): string {
  const p = Object.fromEntries(amsterdamParts.formatToParts(at).map((x) => [x.type, x.value]));
  const local = `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
  const offsetMin = Math.round((Date.parse(`${local}Z`) - Math.floor(at.getTime() / 1000) * 1000) / 60000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The moment of processing: the clock's time of day, on the pinned processing day when one is set
 * (SAMENLOOP_TODAY), so that dates derived from "now" (Toewijzingsdatum, the CloudEvent time) agree with it.
 */
export function processingMoment(pinned?: IsoDate, at: Date = new Date()): string {
  const now = nowAmsterdam(at);
  return pinned === undefined ? now : `${pinned}${now.slice(10)}`;
}

/** Where the processing day and moment come from: the system clock, or a test's clock that it moves. */
export interface Clock {
  today(): IsoDate;
  /** The moment of processing (processingMoment). */
  now(): string;
}

/** The system clock in Europe/Amsterdam, or the pinned day (SAMENLOOP_TODAY) at the clock's time of day. */
export const systemClock = (pinned?: IsoDate): Clock => ({
  today: () => today(pinned),
  now: () => processingMoment(pinned),
});
