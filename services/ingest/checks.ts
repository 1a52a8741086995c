/**
 * Validation beyond the XSD, shared by the parsers. A failed check throws a `Rejection`, which the parser entry
 * points turn into a `ParseResult`; nothing escapes `parseMessage`.
 *
 * Reasons name the element, its context ("client #2", "ToegewezenProduct #1") and the rule, and never quote
 * an input value: any value can be a BSN put in the wrong place, in any form (plain, spaced, dotted, clipped).
 * Only what is known not to be a BSN appears: a code that passed its codelist, a length, a name without
 * digits (`nameOf`), a number the service counted (a row, a position).
 */
import type { z } from 'zod';
import { isValidBsn, maskBsnLike } from '../domain/bsn';
import { type Codelist, isCode } from '../domain/codelists';
import { isIsoDate, isIsoTime, isPlausibleDate, PLAUSIBLE_DATES } from '../domain/dates';
import type { IsoDate, IsoTime } from '../domain/facts';
import type { IngestError, IngestErrorCode, ParseResult } from './types';

/** Thrown inside the ingest layer; caught at the entry points. */
export class Rejection extends Error {
  constructor(readonly error: IngestError) {
    super(error.reason);
    this.name = 'Rejection';
  }
}

export function fail(code: IngestErrorCode, reason: string): never {
  throw new Rejection({ code, reason });
}

/** Marks a result as produced by the catch-all: a bug in this layer, never expected. */
export const INTERNAL_ERROR_REASON = 'internal ingest error';

/**
 * Runs a parser step and turns a Rejection (or, defensively, any other exception) into a failed ParseResult.
 * The catch-all never copies the exception message: it could contain message content.
 */
export function guard(step: () => ParseResult): ParseResult {
  try {
    return step();
  } catch (e) {
    if (e instanceof Rejection) return { ok: false, error: e.error };
    const name = e instanceof Error ? e.name : typeof e;
    return { ok: false, error: { code: 'SCHEMA', reason: `${INTERNAL_ERROR_REASON} (${name})` } };
  }
}

/**
 * A character XML 1.0 forbids (§2.2 Char): C0 controls other than tab, newline and carriage return, U+FFFE,
 * U+FFFF, and a surrogate without its pair (a JSON `\ud800` escape gives one). Such a character in a name or
 * an address would make the WMO301 we send invalid, so it is rejected at input, never stripped silently.
 */
export const XML_FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Every character XML_FORBIDDEN could match: the controls and non-characters it forbids and any surrogate, paired
 * or not. An expression without look-around, which V8 runs as compiled code, reads a message ≈2.5 times as fast as
 * the loop below (whose reading of every message's text was 2.5 % of a drain's profile, 1.1 % after: README,
 * Performance, eighteenth round); the loop then decides only for a text with a surrogate or a forbidden character.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const MAYBE_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/**
 * Whether `text` holds a character XML_FORBIDDEN matches: every message's text and every string of its facts pass
 * here, and the expression's look-around made it ≈2 % of a drain's CPU.
 */
export function hasForbiddenCharacter(text: string): boolean {
  return MAYBE_FORBIDDEN.test(text) && readForbiddenCharacter(text);
}

/** hasForbiddenCharacter, read by character: pairs surrogates. */
function readForbiddenCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a && c !== 0x0d) return true;
    } else if (c >= 0xd800) {
      if (c <= 0xdbff) {
        const next = text.charCodeAt(i + 1); // NaN past the end
        if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
        i++; // the pair's low half
      } else if (c <= 0xdfff || c >= 0xfffe) return true;
    }
  }
  return false;
}

/**
 * The number of Unicode code points of `value` (a high surrogate followed by a low one is one, a lone one counts
 * alone, as zod and the XSD count lengths), without making an array of them.
 */
export function codePoints(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // a high surrogate followed by a low one is one code point
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * Whether `value` has at most `max` code points (the XSD's maxLength, zod's max): UTF-16 units ≥ code points, so
 * they are counted only when the units are not conclusive.
 */
export const hasAtMostCodePoints = (value: string, max: number): boolean =>
  value.length <= max || codePoints(value) <= max;

/** Whether `value` has at least `min` code points: counted only when its units (≥ code points ≥ units / 2) do not tell. */
export const hasAtLeastCodePoints = (value: string, min: number): boolean =>
  value.length >= 2 * min || (value.length >= min && codePoints(value) >= min);

/** True when a string anywhere in `value` holds a character XML forbids (no paths built: the common case). */
function holdsForbiddenCharacter(value: unknown): boolean {
  if (typeof value === 'string') return hasForbiddenCharacter(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(holdsForbiddenCharacter);
  for (const k in value) {
    if (Object.hasOwn(value, k) && holdsForbiddenCharacter((value as Record<string, unknown>)[k]))
      return true;
  }
  return false;
}

/** The path (`client.naam.achternaam`) of the first string in `value` holding a character XML forbids. */
export function forbiddenCharacterAt(value: unknown, path = ''): string | undefined {
  return holdsForbiddenCharacter(value) ? locateForbiddenCharacter(value, path) : undefined;
}

function locateForbiddenCharacter(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return hasForbiddenCharacter(value) ? path || '(value)' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  // indices are ours; keys are shown only as nameOf allows (a fact's `extra` holds input names)
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value).map(([k, v]) => [nameOf(k), v] as const);
  for (const [key, v] of entries) {
    const found = locateForbiddenCharacter(v, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** INVALID_CHARACTER when a fact holds a character XML 1.0 forbids; the reason names the field, not the value. */
export function checkCharacters(facts: readonly unknown[], context: (index: number) => string): void {
  for (let i = 0; i < facts.length; i++) {
    const at = forbiddenCharacterAt(facts[i]);
    if (at !== undefined) {
      fail(
        'INVALID_CHARACTER',
        `${at.slice(0, 160)} of ${context(i)} holds a character XML 1.0 forbids (a control character)`,
      );
    }
  }
}

/** "client #n" (1-based): how a client is named in reasons instead of by BSN. */
export const clientLabel = (index: number): string => `client #${index + 1}`;

const GEMEENTECODE = /^[0-9]{4}$/;
const AGB = /^[0-9]{8}$/;
/** xs:integer's lexical form; a minus sign only on a zero (`-0` is 0; every range here starts at 0 or 1). */
const UNSIGNED_INTEGER = /^(?:\+?([0-9]+)|-(0+))$/;
const LEADING_ZEROS = /^0+(?=\d)/;
const VERSION = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

/** BSN: 9 digits and the 11-proef (CS002). The value never appears in the reason. */
export function checkBsn(value: string, context: string): string {
  if (!isValidBsn(value)) fail('INVALID_BSN', `Bsn of ${context} is not a valid BSN (9 digits, 11-proef)`);
  return value;
}

export function checkDate(value: string, element: string, context: string): IsoDate {
  if (!isIsoDate(value)) {
    fail('INVALID_DATE', `${element} of ${context} is not a calendar date YYYY-MM-DD without timezone`);
  }
  if (!isPlausibleDate(value)) fail('INVALID_DATE', `${element} of ${context} is ${outOfRange}`);
  return value;
}

const outOfRange = `outside the accepted dates ${PLAUSIBLE_DATES.from} to ${PLAUSIBLE_DATES.to}`;

export function checkOptionalDate(
  value: string | undefined,
  element: string,
  context: string,
): IsoDate | undefined {
  return value === undefined ? undefined : checkDate(value, element, context);
}

export function checkTime(value: string, element: string, context: string): IsoTime {
  if (!isIsoTime(value))
    fail('INVALID_DATE', `${element} of ${context} is not a time HH:MM:SS without timezone`);
  return value;
}

/** CS003: Einddatum ≥ Ingangsdatum (equal is allowed: a toewijzing withdrawn before it took effect). */
export function checkPeriod(ingangsdatum: IsoDate, einddatum: IsoDate | undefined, context: string): void {
  if (einddatum !== undefined && einddatum < ingangsdatum) {
    fail('INVALID_PERIOD', `Einddatum is before Ingangsdatum in ${context}`);
  }
}

export function checkCode(list: Codelist, listName: string, value: string, context: string): string {
  if (!isCode(list, value)) fail('INVALID_CODE', `${listName} of ${context} is not in the codelist`);
  return value;
}

export function checkOptionalCode(
  list: Codelist,
  listName: string,
  value: string | undefined,
  context: string,
): string | undefined {
  return value === undefined ? undefined : checkCode(list, listName, value, context);
}

export function checkGemeentecode(value: string, element: string): string {
  if (!GEMEENTECODE.test(value))
    fail('INVALID_GEMEENTECODE', `${element} is not a 4-digit gemeentecode (${lengthOf(value)})`);
  return value;
}

export function checkAgb(value: string, element: string, context: string): string {
  if (!AGB.test(value))
    fail('INVALID_AGB', `${element} of ${context} is not an 8-digit AGB code (${lengthOf(value)})`);
  return value;
}

/**
 * An xs:integer in [min, max] as its canonical decimal string (no sign, no leading zeros), so that keys built from
 * it match however the sender wrote the number. Out of range or not an integer → SCHEMA (an XSD type violation).
 */
export function canonicalInteger(
  value: string,
  min: number,
  max: number,
  element: string,
  context: string,
): string {
  const m = UNSIGNED_INTEGER.exec(value);
  const digits = (m?.[1] ?? m?.[2])?.replace(LEADING_ZEROS, '');
  if (digits === undefined || digits.length > 15 || Number(digits) < min || Number(digits) > max) {
    fail('SCHEMA', `${element} of ${context} is not an integer ${min}..${max}`);
  }
  return digits;
}

export function isXsdVersion(value: string): boolean {
  return VERSION.test(value);
}

/** The length of a rejected value, which a reason may give instead of the value. */
export const lengthOf = (value: string): string =>
  value.length === 1 ? '1 character' : `${value.length} characters`;

/** Names (elements, attributes, prefixes, JSON keys, CSV columns) longer than this are not shown. */
const MAX_NAME = 60;
const NAME = /^[\p{L}_][\p{L}\p{M}0-9._:-]*$/u;
const DIGIT = /[0-9]/g;

/** What a reason shows instead of a name that `nameOf` does not show. */
export const HIDDEN_NAME = '[name not shown]';

/**
 * An input name as a reason may show it: only a name (a letter or `_`, then letters, digits, `.`, `_`,
 * `:`, `-`) of at most 60 characters with at most two digits (`Grondslag01`, `Telefoon02`), which no form
 * of a BSN fits in. Any other name is HIDDEN_NAME.
 */
export function nameOf(name: string): string {
  const digits = name.match(DIGIT)?.length ?? 0;
  return name.length <= MAX_NAME && digits <= 2 && NAME.test(name) ? name : HIDDEN_NAME;
}

/** A path of names (`Client/Contactgegevens/Contact[2]`), each shown only as `nameOf` allows. */
export function pathOf(segments: readonly PropertyKey[], separator = '/'): string {
  return segments
    .map((p, i) => (typeof p === 'number' ? `[${p + 1}]` : `${i === 0 ? '' : separator}${nameOf(String(p))}`))
    .join('');
}

/**
 * The rule a zod issue reports, in words built from the schema (types, limits, the allowed values), never
 * from zod's own message, which can quote the input (an unknown key, a value). A custom message of a
 * schema (a `refine`) is kept, with anything BSN-like masked.
 */
export function zodRule(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${issue.expected === 'array' ? 'a list' : `of type ${issue.expected}`}`;
    case 'too_big':
      return `is ${bound(issue.origin, 'more', issue.maximum, issue.inclusive)}`;
    case 'too_small':
      return `is ${bound(issue.origin, 'less', issue.minimum, issue.inclusive)}`;
    case 'invalid_format':
      // The pattern is the schema's.
      return issue.format === 'regex' && 'pattern' in issue
        ? `does not match the pattern ${String(issue.pattern)}`
        : `is not a valid ${issue.format}`;
    case 'invalid_value':
      // The allowed values come from the schema, not from the input.
      return issue.values.length <= 8
        ? `must be one of ${issue.values.map(String).join(', ')}`
        : 'is not one of the allowed values';
    case 'unrecognized_keys':
      return `has ${issue.keys.length} unknown field(s): ${issue.keys.map(nameOf).join(', ')}`;
    case 'invalid_union':
      return 'matches none of the allowed forms';
    case 'not_multiple_of':
      return `is not a multiple of ${String(issue.divisor)}`;
    case 'custom':
      return maskBsnLike(issue.message);
    default:
      return 'is not valid';
  }
}

function bound(origin: string, side: 'more' | 'less', limit: number | bigint, inclusive?: boolean): string {
  const n = String(limit);
  if (origin === 'string') {
    if (side === 'less' && n === '1') return 'empty';
    return `${side === 'more' ? 'longer' : 'shorter'} than ${n} characters`;
  }
  const than = inclusive === false ? (side === 'more' ? 'at least' : 'at most') : `${side} than`;
  return origin === 'array' || origin === 'set' ? `${than} ${n} items` : `${than} ${n}`;
}
