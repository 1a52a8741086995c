/**
 * Namespaces (Namespaces in XML 1.0): an element's qualified name resolved to its namespace URI and local name
 * in the scope its ancestors' and its own declarations make, as its start tag ends (xml-scan.ts calls it).
 * The XSDs declare no attributes: only namespace declarations and xsi:schemaLocation hints are accepted.
 *
 * What it rejects (a Rejection; xml-scan.ts reports the first of them only for an otherwise well-formed text):
 *   MALFORMED_XML  a reserved or empty-URI prefix declaration, a qualified name that is not one, an undeclared
 *                  prefix
 *   SCHEMA         any other attribute
 */
import { fail, HIDDEN_NAME, nameOf } from './checks';
import type { Attribute, XmlElement } from './xml-scan';

/** Prefix → namespace URI; '' is the default namespace. */
export type Scope = ReadonlyMap<string, string>;

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** The scope outside the root: only the `xml` prefix is bound. */
export const ROOT_SCOPE: Scope = new Map([['xml', XML_NS]]);

/** A name in quotes, or HIDDEN_NAME (see nameOf). */
export function quotedName(name: string): string {
  const shown = nameOf(name);
  return shown === HIDDEN_NAME ? shown : `'${shown}'`;
}

/**
 * Resolves the start tag `tag` with its attributes in the scope of its parent: sets `element.ns` and
 * `element.name` and returns the element's own scope (the parent's when it declares nothing). Throws a
 * Rejection, in the order declarations, name, prefix, attributes.
 */
export function resolveElement(
  element: XmlElement,
  tag: string,
  attrs: readonly Attribute[],
  parent: Scope,
): Scope {
  const scope = attrs.length === 0 ? parent : declare(attrs, parent, tag);
  const split = splitQName(tag);
  element.name = split.local;
  element.ns = resolve(split.prefix, scope, tag);
  if (attrs.length > 0) checkAttributes(attrs, scope, element.name);
  return scope;
}

interface QName {
  prefix: string;
  local: string;
}

/**
 * Qualified names split before (xml-scan.ts hands the same string for the same name): no two slices per
 * element. Bounded: emptied when it holds QNAMES_KEPT names (a hostile message can bring 10,000 new ones).
 */
const qnames = new Map<string, QName>();
const QNAMES_KEPT = 2048;

function splitQName(tag: string): QName {
  let split = qnames.get(tag);
  if (split === undefined) {
    const colon = checkQName(tag);
    const kept = detached(tag);
    split =
      colon === -1
        ? { prefix: '', local: kept }
        : { prefix: kept.slice(0, colon), local: kept.slice(colon + 1) };
    if (qnames.size >= QNAMES_KEPT) qnames.clear();
    qnames.set(kept, split);
  }
  return split;
}

/**
 * A copy of `s` that does not hold on to the text it was sliced from: V8 makes a slice of 13 characters or more
 * a view into its parent string, and a name kept past its message (here, or in xml-scan.ts's NAMES) would keep
 * that whole message alive.
 */
export const detached = (s: string): string => ` ${s}`.slice(1);

function declare(attrs: readonly Attribute[], parent: Scope, tag: string): Scope {
  let scope: Map<string, string> | undefined;
  for (const [name, uri] of attrs) {
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    const prefix = name === 'xmlns' ? '' : name.slice('xmlns:'.length);
    if (prefix === 'xmlns' || (prefix === 'xml' && uri !== XML_NS) || uri === XML_NS || uri === XMLNS_NS) {
      fail('MALFORMED_XML', `reserved namespace declaration ${nameOf(name)} on element ${nameOf(tag)}`);
    }
    if (prefix !== '' && uri === '')
      fail('MALFORMED_XML', `prefix ${nameOf(prefix)} is undeclared with an empty URI`);
    scope ??= new Map(parent);
    scope.set(prefix, uri);
  }
  return scope ?? parent;
}

/** The index of the colon of a qualified name (-1 without one); throws when it is not a qualified name. */
function checkQName(qname: string): number {
  const colon = qname.indexOf(':');
  if (colon === -1) return -1;
  if (colon === 0 || colon === qname.length - 1 || qname.indexOf(':', colon + 1) !== -1)
    fail('MALFORMED_XML', `invalid qualified name ${quotedName(qname)}`);
  return colon;
}

function resolve(prefix: string, scope: Scope, qname: string): string {
  const uri = scope.get(prefix);
  if (uri !== undefined) return uri;
  if (prefix === '') return '';
  return fail(
    'MALFORMED_XML',
    `namespace prefix ${quotedName(prefix)} of element ${nameOf(qname)} is not declared`,
  );
}

/** The XSDs declare no attributes: only namespace declarations and xsi:schemaLocation hints are accepted. */
function checkAttributes(attrs: readonly Attribute[], scope: Scope, element: string): void {
  for (const [name] of attrs) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const colon = checkQName(name);
    const ns = colon === -1 ? '' : resolve(name.slice(0, colon), scope, name);
    const local = colon === -1 ? name : name.slice(colon + 1);
    if (ns === XSI_NS && (local === 'schemaLocation' || local === 'noNamespaceSchemaLocation')) continue;
    fail('SCHEMA', `unexpected attribute ${nameOf(name)} on element ${nameOf(element)}`);
  }
}
