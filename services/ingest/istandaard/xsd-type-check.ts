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
import { fail } from '../checks';

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

/** Throws a Rejection when `value` is not a valid `type`; `element` is the element's path for the reason. */
export function checkSimpleValue(
  value: string,
  type: XsdSimpleType,
  typeName: string,
  element: string,
): void {
  const name = typeName.slice(typeName.indexOf(':') + 1);
  switch (type.base) {
    case 'date':
      if (!isIsoDate(value)) {
        fail('INVALID_DATE', `element ${element} is not a calendar date YYYY-MM-DD without timezone`);
      }
      if (!isPlausibleDate(value)) {
        fail(
          'INVALID_DATE',
          `element ${element} is outside the accepted dates ${PLAUSIBLE_DATES.from} to ${PLAUSIBLE_DATES.to}`,
        );
      }
      break;
    case 'time':
      if (!isIsoTime(value))
        fail('INVALID_DATE', `element ${element} is not a time HH:MM:SS without timezone`);
      break;
    case 'integer':
      if (!inRange(value, type.minInclusive, type.maxInclusive)) {
        fail(
          'SCHEMA',
          `element ${element} is not an integer ${type.minInclusive ?? ''}..${type.maxInclusive ?? ''} (${name})`,
        );
      }
      break;
    case 'string': {
      if (type.enumeration !== undefined && !type.enumeration.includes(value)) {
        fail('INVALID_CODE', `element ${element} is not a code of its codelist (${name})`);
      }
      const length = [...value].length;
      if (type.minLength !== undefined && length < type.minLength) {
        fail('SCHEMA', `element ${element} is shorter than ${type.minLength} characters (${name})`);
      }
      if (type.maxLength !== undefined && length > type.maxLength) {
        fail('SCHEMA', `element ${element} is longer than ${type.maxLength} characters (${name})`);
      }
      break;
    }
  }
  for (const source of type.patterns ?? []) {
    if (!regex(source).test(value)) {
      fail(
        type.enumeration ? 'INVALID_CODE' : 'SCHEMA',
        `element ${element} does not match the pattern of ${name}`,
      );
    }
  }
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

function walk(
  node: Plain,
  tree: XsdTree,
  types: Readonly<Record<string, XsdSimpleType>>,
  path: string,
): void {
  if (typeof node === 'string' || Array.isArray(node)) {
    fail('SCHEMA', `element ${path} must contain child elements`);
  }
  const order = Object.keys(tree);
  let previous = -1;
  for (const key of Object.keys(node)) {
    const child = node[key];
    const spec = Object.hasOwn(tree, key) ? tree[key] : undefined;
    if (child === undefined) continue;
    if (spec === undefined) fail('SCHEMA', `unexpected element in ${path}`);
    const position = order.indexOf(key);
    if (position < previous) {
      fail(
        'SCHEMA',
        `element ${path}/${key} is out of order (the XSD sequence puts it before ${order[previous]})`,
      );
    }
    previous = position;
    const items = Array.isArray(child) ? child : [child];
    items.forEach((item, i) => {
      const at = `${path}/${key}${Array.isArray(child) ? `[${i + 1}]` : ''}`;
      if (typeof spec === 'string') {
        const type = types[spec];
        if (type === undefined) throw new Error(`no simple type ${spec}`);
        if (typeof item !== 'string') fail('SCHEMA', `element ${at} must not contain child elements`);
        checkSimpleValue(item, type, spec, at);
      } else {
        walk(item, spec, types, at);
      }
    });
  }
}
