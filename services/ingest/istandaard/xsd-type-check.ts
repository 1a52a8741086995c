/**
 * Every leaf element of an accepted IO31, AW33 or WMO301 against its XSD simple type and facets, as generated from
 * the XSDs into xsd-types.ts (infra/generate-xsd-types.ts): so that nothing the XSD rejects is accepted, copied
 * into a fact and sent on (a WMO301 beëindiging carries the client's naam and Contact of the input).
 *
 * It runs after the parser's own checks, which give the more specific codes (INVALID_BSN, INVALID_AGB,
 * INVALID_GEMEENTECODE, INVALID_HEADER, and INVALID_CODE with the codelist's name) and apply the stricter rules of
 * our own (the 11-proef, dates 1900..2199, times without 24:00:00). What is left:
 *   - a value not in its type's enumeration (a codelist)             → INVALID_CODE
 *   - too short or too long, not matching the pattern, not an integer or out of its range → SCHEMA
 *   - a date or time (xs:date / xs:time) that is not one, or a date outside PLAUSIBLE_DATES → INVALID_DATE
 *   - child elements not in the order of their xs:sequence           → SCHEMA
 * Reasons name the element (its path) and the rule, never the value.
 *
 * Whitespace: the XML layer hands over every value without surrounding whitespace, and that trimmed value is
 * what is checked and kept. For xs:integer, xs:date and xs:time the XSD collapses whitespace itself; for
 * xs:string types (whiteSpace preserve) a value with surrounding spaces that the XSD would reject (` AB` for
 * AanduidingWoonadres) is accepted here as its trimmed form, which is valid and is the form we send on.
 * Lengths count characters (Unicode code points), as the XSD does, not UTF-16 units.
 */
import { isIsoDate, isIsoTime, isPlausibleDate, PLAUSIBLE_DATES } from '../../domain/dates';
import { fail, hasAtLeastCodePoints, hasAtMostCodePoints } from '../checks';

export interface XsdSimpleType {
  base: 'string' | 'integer' | 'date' | 'time';
  enumeration?: readonly string[];
  minLength?: number;
  maxLength?: number;
  /** JavaScript regular-expression sources (flag u); each must match the whole value. */
  patterns?: readonly string[];
  minInclusive?: string;
  maxInclusive?: string;
}

/** A leaf names its simple type in the types table; a complex element is a tree of its children. */
export type XsdTree = { readonly [element: string]: string | XsdTree };

type Plain = string | PlainObject | Plain[];
interface PlainObject {
  readonly [name: string]: Plain | undefined;
}

const INTEGER = /^[+-]?([0-9]+)$/;
const LEADING_ZEROS = /^0+(?=\d)/;
const compiled = new Map<string, RegExp>();

function regex(source: string): RegExp {
  let re = compiled.get(source);
  if (re === undefined) {
    re = new RegExp(`^(?:${source})$`, 'u');
    compiled.set(source, re);
  }
  return re;
}

/** Compares two unsigned decimal strings without leading zeros. */
function compareDigits(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

function inRange(value: string, min: string | undefined, max: string | undefined): boolean {
  const m = INTEGER.exec(value);
  if (!m) return false;
  const digits = m[1]!.replace(LEADING_ZEROS, '');
  const negative = value.startsWith('-') && digits !== '0';
  // every integer range in scope has a lower bound of at least 0
  if (negative) return min === undefined || min.startsWith('-');
  if (min !== undefined && !min.startsWith('-') && compareDigits(digits, min) < 0) return false;
  if (max !== undefined && (max.startsWith('-') || compareDigits(digits, max) > 0)) return false;
  return true;
}

/** What is wrong with a value, if anything (valueFault); the reason is written only for a value that fails. */
const enum Fault {
  NotADate = 1,
  ImplausibleDate,
  NotATime,
  NotAnInteger,
  NotACode,
  TooShort,
  TooLong,
  NoPatternMatch,
}

/**
 * Checks `value` against `type` and allocates nothing while it is valid (this runs for every leaf of every
 * message): the reason, with the element's path and the type's name, is written by `failWith` only for a fault.
 */
function valueFault(value: string, type: XsdSimpleType): Fault | undefined {
  switch (type.base) {
    case 'date':
      if (!isIsoDate(value)) return Fault.NotADate;
      if (!isPlausibleDate(value)) return Fault.ImplausibleDate;
      break;
    case 'time':
      if (!isIsoTime(value)) return Fault.NotATime;
      break;
    case 'integer':
      if (!inRange(value, type.minInclusive, type.maxInclusive)) return Fault.NotAnInteger;
      break;
    case 'string': {
      if (type.enumeration !== undefined && !type.enumeration.includes(value)) return Fault.NotACode;
      // (a value too short in code points can never be too long: the XSDs' minLength ≤ maxLength)
      const { minLength, maxLength } = type;
      if (maxLength !== undefined && !hasAtMostCodePoints(value, maxLength)) return Fault.TooLong;
      if (minLength !== undefined && !hasAtLeastCodePoints(value, minLength)) return Fault.TooShort;
      break;
    }
  }
  const patterns = type.patterns;
  if (patterns !== undefined) {
    for (let i = 0; i < patterns.length; i++) {
      if (!regex(patterns[i]!).test(value)) return Fault.NoPatternMatch;
    }
  }
  return undefined;
}

function failWith(fault: Fault, type: XsdSimpleType, typeName: string, element: string): never {
  const name = typeName.slice(typeName.indexOf(':') + 1);
  switch (fault) {
    case Fault.NotADate:
      return fail('INVALID_DATE', `element ${element} is not a calendar date YYYY-MM-DD without timezone`);
    case Fault.ImplausibleDate:
      return fail(
        'INVALID_DATE',
        `element ${element} is outside the accepted dates ${PLAUSIBLE_DATES.from} to ${PLAUSIBLE_DATES.to}`,
      );
    case Fault.NotATime:
      return fail('INVALID_DATE', `element ${element} is not a time HH:MM:SS without timezone`);
    case Fault.NotAnInteger:
      return fail(
        'SCHEMA',
        `element ${element} is not an integer ${type.minInclusive ?? ''}..${type.maxInclusive ?? ''} (${name})`,
      );
    case Fault.NotACode:
      return fail('INVALID_CODE', `element ${element} is not a code of its codelist (${name})`);
    case Fault.TooShort:
      return fail('SCHEMA', `element ${element} is shorter than ${type.minLength} characters (${name})`);
    case Fault.TooLong:
      return fail('SCHEMA', `element ${element} is longer than ${type.maxLength} characters (${name})`);
    case Fault.NoPatternMatch:
      return fail(
        type.enumeration ? 'INVALID_CODE' : 'SCHEMA',
        `element ${element} does not match the pattern of ${name}`,
      );
  }
}

/** Throws a Rejection when `value` is not a valid `type`; `element` is the element's path for the reason. */
export function checkSimpleValue(
  value: string,
  type: XsdSimpleType,
  typeName: string,
  element: string,
): void {
  const fault = valueFault(value, type);
  if (fault !== undefined) failWith(fault, type, typeName, element);
}

/**
 * Walks the plain message object (structure.ts's toPlain, in document order, already checked against the zod
 * schema) along the XSD tree: the children of every element in the order of its xs:sequence (a repeated element
 * is one key, at its first occurrence; the XSDs repeat only the single child of a wrapper), and every leaf value
 * against its simple type. `path` is the root element's name.
 */
export function checkSimpleTypes(
  plain: unknown,
  tree: XsdTree,
  types: Readonly<Record<string, XsdSimpleType>>,
  path: string,
): void {
  walk(plain as Plain, tree, types, path);
}

/** Each tree's children by name with their position in its xs:sequence, made once per tree. */
const sequences = new WeakMap<XsdTree, { names: readonly string[]; position: ReadonlyMap<string, number> }>();

function sequenceOf(tree: XsdTree) {
  let seq = sequences.get(tree);
  if (seq === undefined) {
    const names = Object.keys(tree);
    seq = { names, position: new Map(names.map((n, i) => [n, i])) };
    sequences.set(tree, seq);
  }
  return seq;
}

/** An element's path for a reason: `index` 0 for a single element, else its 1-based position among its kind. */
function pathOf(parent: string, key: string, index: number): string {
  return index === 0 ? `${parent}/${key}` : `${parent}/${key}[${index}]`;
}

function walk(
  node: Plain,
  tree: XsdTree,
  types: Readonly<Record<string, XsdSimpleType>>,
  path: string,
): void {
  if (typeof node === 'string' || Array.isArray(node)) {
    fail('SCHEMA', `element ${path} must contain child elements`);
  }
  const { names, position } = sequenceOf(tree);
  let previous = -1;
  // for…in, not Object.keys: no array of keys per element (the tree's objects have no enumerable inherited keys)
  for (const key in node) {
    const child = node[key];
    if (child === undefined) continue;
    const at = position.get(key);
    if (at === undefined) fail('SCHEMA', `unexpected element in ${path}`);
    if (at < previous) {
      fail(
        'SCHEMA',
        `element ${path}/${key} is out of order (the XSD sequence puts it before ${names[previous]})`,
      );
    }
    previous = at;
    const spec = tree[key]!;
    if (Array.isArray(child)) {
      for (let i = 0; i < child.length; i++) visit(child[i]!, spec, types, path, key, i + 1);
    } else {
      visit(child, spec, types, path, key, 0);
    }
  }
}

function visit(
  item: Plain,
  spec: string | XsdTree,
  types: Readonly<Record<string, XsdSimpleType>>,
  parent: string,
  key: string,
  index: number,
): void {
  if (typeof spec !== 'string') {
    walk(item, spec, types, pathOf(parent, key, index));
    return;
  }
  const type = types[spec];
  if (type === undefined) throw new Error(`no simple type ${spec}`);
  if (typeof item !== 'string') {
    fail('SCHEMA', `element ${pathOf(parent, key, index)} must not contain child elements`);
  }
  const fault = valueFault(item, type);
  if (fault !== undefined) failWith(fault, type, spec, pathOf(parent, key, index));
}
