/**
 * From the namespace-resolved element tree to the plain object the zod message schemas read, with the namespace
 * rules of iStandaarden (elementFormDefault="qualified"):
 *   - a child of a basisschema complex type (BASISSCHEMA_CONTAINERS), or of an element that is itself in the
 *     basisschema namespace, must be in the basisschema namespace;
 *   - every other element must be in the message namespace.
 * A leaf element becomes its text; a complex element an object keyed by local name; the parent/child pairs in
 * REPEATED_ELEMENTS become arrays (at most REPEAT_LIMITS of each, else TOO_MANY); any other repeated element, and
 * mixed content, are SCHEMA errors.
 */
import type { z } from 'zod';
import { BASISSCHEMA_CONTAINERS, REPEAT_LIMITS, REPEATED_ELEMENTS } from './istandaard/schema';
import { fail, nameOf, pathOf as namesPath, zodRule } from './checks';
import type { MessageNamespaces } from './kinds';
import { compileShape } from './shape';
import type { XmlElement } from './xml';

type Plain = string | PlainObject | Plain[];
interface PlainObject {
  [name: string]: Plain;
}

/** Converts the children of the root element. Throws a Rejection (WRONG_NAMESPACE or SCHEMA). */
export function toPlain(root: XmlElement, ns: MessageNamespaces): PlainObject {
  if (root.children.length === 0) fail('SCHEMA', `${root.name} has no child elements`);
  return convertComplex(root, ns, [root.name]);
}

/**
 * `path` is the stack of element names (with `[n]` for repeated ones) down to `el`; it is only joined into a
 * string when a reason needs it.
 */
function convert(el: XmlElement, ns: MessageNamespaces, path: string[]): Plain {
  return el.children.length === 0 ? el.text : convertComplex(el, ns, path);
}

/**
 * The objects of the plain tree: no prototype to inherit from (element names such as __proto__ or constructor
 * are plain keys), yet made by a constructor, so V8 gives them fast properties; `Object.create(null)` makes a
 * dictionary, and the conversion was a tenth of the ingest.
 */
const PlainNode = function PlainNode(this: PlainObject) {} as unknown as new () => PlainObject;
PlainNode.prototype = Object.create(null) as object;

/** REPEAT_LIMITS by parent element, then child: no `parent/child` string per element. */
const REPEATS = new Map<string, Map<string, number>>();
for (const pair of REPEATED_ELEMENTS) {
  const [parent, child] = pair.split('/') as [string, string];
  let children = REPEATS.get(parent);
  if (!children) REPEATS.set(parent, (children = new Map()));
  children.set(child, REPEAT_LIMITS[pair]!);
}

function convertComplex(el: XmlElement, ns: MessageNamespaces, path: string[]): PlainObject {
  if (el.text !== '') fail('SCHEMA', `element ${pathOf(path)} has both text and child elements`);
  const obj = new PlainNode();
  const expected = el.ns === ns.basis || BASISSCHEMA_CONTAINERS.has(el.name) ? ns.basis : ns.message;
  const repeats = REPEATS.get(el.name);
  for (const child of el.children) {
    if (child.ns !== expected) {
      fail(
        'WRONG_NAMESPACE',
        `element ${pathOf([...path, child.name])} is in ${namespaceOf(child.ns, ns)}, expected '${expected}'`,
      );
    }
    const existing = obj[child.name];
    const limit = repeats?.get(child.name);
    if (limit !== undefined) {
      const list = (existing as Plain[] | undefined) ?? (obj[child.name] = []);
      if (list.length === limit) {
        fail('TOO_MANY', `more than ${limit} ${child.name} elements in ${pathOf(path)}`);
      }
      path.push(`${child.name}[${list.length + 1}]`);
      list.push(convert(child, ns, path));
      path.pop();
    } else if (existing !== undefined) {
      fail('SCHEMA', `element ${pathOf([...path, child.name])} occurs more than once`);
    } else {
      path.push(child.name);
      obj[child.name] = convert(child, ns, path);
      path.pop();
    }
  }
  return obj;
}

/** The path of the element stack: element names as `nameOf` shows them, `[n]` kept. */
const pathOf = (path: readonly string[]): string =>
  path
    .map((p) => p.replace(/^(.*?)(\[[0-9]+\])?$/, (_, name: string, index = '') => nameOf(name) + index))
    .join('/');

/** A namespace as a reason may show it: one of the message's own, or none; any other is not quoted. */
function namespaceOf(uri: string, ns: MessageNamespaces): string {
  if (uri === '') return 'no namespace';
  return uri === ns.message || uri === ns.basis ? `namespace '${uri}'` : 'another namespace';
}

/** Each message schema's copy-free checker (shape.ts), compiled at its first message. */
const checkers = new WeakMap<z.ZodType, (value: unknown) => boolean>();

/**
 * Checks the plain object against a message schema and returns it, typed; a mismatch is a SCHEMA rejection with
 * a readable reason. A tree that matches is checked by shape.ts without a copy; zod runs only for one that does
 * not, for its first issue (and if zod accepts what the checker refused, which would be a bug there, zod's
 * answer stands).
 */
export function checkStructure<S extends z.ZodType>(
  schema: S,
  plain: PlainObject,
  rootName: string,
): z.infer<S> {
  let matches = checkers.get(schema);
  if (matches === undefined) checkers.set(schema, (matches = compileShape(schema)));
  if (matches(plain)) return plain as z.infer<S>;
  const result = schema.safeParse(plain);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) return fail('SCHEMA', `${rootName} does not match the message structure`);
  return fail('SCHEMA', describeIssue(issue, plain, rootName));
}

function describeIssue(issue: z.core.$ZodIssue, plain: PlainObject, rootName: string): string {
  const path = namesPath([rootName, ...issue.path]);
  const parent = namesPath([rootName, ...issue.path.slice(0, -1)]);
  const last = issue.path[issue.path.length - 1];
  const value = valueAt(plain, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `required element ${nameOf(String(last))} is missing in ${parent}`;
      if (value === '') return `element ${path} is empty`;
      if (issue.expected === 'object') return `element ${path} must contain child elements`;
      return `element ${path} must not contain child elements`;
    case 'too_small':
      return `element ${path} is empty`;
    case 'too_big':
      return `element ${path} is longer than ${String(issue.maximum)} characters`;
    case 'unrecognized_keys':
      return `unexpected element ${issue.keys.map(nameOf).join(', ')} in ${path}`;
    default:
      return `element ${path} ${zodRule(issue)}`;
  }
}

function valueAt(plain: Plain, path: readonly PropertyKey[]): Plain | undefined {
  let current: Plain | undefined = plain;
  for (const key of path) {
    if (current === undefined || typeof current === 'string') return undefined;
    current = Array.isArray(current) ? current[Number(key)] : current[String(key)];
  }
  return current;
}
