/**
 * FROZEN COPY, for bench/reject.ts only: services/ingest/xml.ts as it was at commit f2db606, before the streaming
 * pass (services/ingest/xml-scan.ts) replaced the DOCTYPE regex and fast-xml-parser's validate and parse. Only
 * the import paths differ. Do not use it anywhere else, and do not fix it: it is the "before" of the benchmark.
 */
/**
 * The safe XML front door: decoded text (payload.ts did size, emptiness and UTF-8) → a namespace-resolved element
 * tree of one recognised message kind.
 *
 * Order of checks (the first failure wins):
 *   [payload.ts: TOO_LARGE → EMPTY → INVALID_UTF8 → EMPTY] → DOCTYPE_FORBIDDEN (raw text, before any parsing)
 *   → INVALID_UTF8 (a declared encoding other than UTF-8) → MALFORMED_XML (control characters, XMLValidator, the
 *   parser, text after the root, undeclared prefixes, unknown entities; SCHEMA for nesting deeper than MAX_DEPTH)
 *   → OUT_OF_SCOPE / UNKNOWN_MESSAGE / WRONG_NAMESPACE (root element).
 *
 * Entities are never expanded: a DOCTYPE or ENTITY declaration is rejected up front, fast-xml-parser runs with
 * processEntities false, and only the five predefined XML entities and character references are decoded here.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { fail, Rejection } from '../../services/ingest/checks';
/** The old checks.ts clip (removed since: reasons no longer quote values), kept for this frozen copy. */
function clip(value: string, max = 40): string {
  return value.length <= max ? value : `${value.slice(0, max)}…`;
}

import type { IngestError } from '../../services/ingest/types';
import type { XmlKindInfo } from '../../services/ingest/kinds';

/** Maximum element depth accepted (the deepest iStandaarden path in scope is about 8). */
export const MAX_DEPTH = 64;

/** An element with its namespace URI resolved. `text` is the decoded, trimmed character content. */
export interface XmlElement {
  ns: string;
  name: string;
  children: XmlElement[];
  text: string;
}

const DTD_DECLARATION = /<!(?:DOCTYPE|ENTITY)/i;
const UTF8_NAME = /^utf-?8$/i;
const NESTING_ERROR = /nested tags/i;
const XML_DECLARATION_ENCODING = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']/;
// Characters XML 1.0 does not allow anywhere (C0 controls except tab, LF, CR; U+FFFE, U+FFFF).
// eslint-disable-next-line no-control-regex -- matching these control characters is the point
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const REFERENCE = /&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));|&/g;
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const TEXT = '#text';
const CDATA = '#cdata';
const ATTRS = ':@';
const ATTR_PREFIX = '@_';

/** One parser for every message: the configuration is built once. */
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: ATTR_PREFIX,
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: CDATA,
  maxNestedTags: MAX_DEPTH,
  // No callbacks use the path: not tracking it as a string is measurably faster.
  jPath: false,
});

type OrderedNode = Record<string, unknown>;

/** Parses well-formed, DTD-free XML text into a namespace-resolved tree. Never throws. */
export function parseXmlDocument(
  text: string,
): { ok: true; root: XmlElement } | { ok: false; error: IngestError } {
  try {
    return { ok: true, root: parseOrThrow(text) };
  } catch (e) {
    if (e instanceof Rejection) return { ok: false, error: e.error };
    return { ok: false, error: { code: 'MALFORMED_XML', reason: 'XML could not be parsed' } };
  }
}

function parseOrThrow(text: string): XmlElement {
  if (DTD_DECLARATION.test(text)) {
    fail('DOCTYPE_FORBIDDEN', 'DOCTYPE or ENTITY declarations are not allowed (no DTD processing)');
  }
  const encoding = XML_DECLARATION_ENCODING.exec(text)?.[1];
  if (encoding !== undefined && !UTF8_NAME.test(encoding)) {
    fail('INVALID_UTF8', `declared encoding '${clip(encoding)}' is not UTF-8`);
  }
  if (FORBIDDEN_CHARS.test(text))
    fail('MALFORMED_XML', 'contains a control character that XML does not allow');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    fail('MALFORMED_XML', `not well-formed XML: ${clip(valid.err.msg, 120)} (line ${valid.err.line})`);
  }
  let nodes: unknown;
  try {
    nodes = parser.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : '';
    // Well-formed but deeper than maxNestedTags: a structure problem, not a syntax one.
    if (NESTING_ERROR.test(message)) fail('SCHEMA', `elements are nested deeper than ${MAX_DEPTH} levels`);
    fail('MALFORMED_XML', `not well-formed XML: ${message === '' ? 'parser error' : clip(message, 120)}`);
  }
  if (!Array.isArray(nodes)) fail('MALFORMED_XML', 'no root element');
  let root: XmlElement | undefined;
  for (const node of nodes as OrderedNode[]) {
    if (isTextNode(node)) fail('MALFORMED_XML', 'text outside the root element');
    if (root !== undefined) fail('MALFORMED_XML', 'more than one root element');
    root = toElement(node, ROOT_SCOPE);
  }
  if (root === undefined) fail('MALFORMED_XML', 'no root element');
  checkNothingAfterRoot(text, tagOf(nodes[nodes.length - 1] as OrderedNode));
  return root;
}

/**
 * fast-xml-parser accepts and drops character data after the root element (`<a/>tail`); XML allows only
 * whitespace, comments and processing instructions there.
 */
function checkNothingAfterRoot(text: string, rootTag: string): void {
  const close = text.lastIndexOf(`</${rootTag}`);
  const rootEnd = close === -1 ? text.lastIndexOf('/>') + 2 : text.indexOf('>', close) + 1;
  let tail = text.slice(Math.max(rootEnd, 0)).trim();
  while (tail !== '') {
    let rest: string;
    if (tail.startsWith('<!--') && tail.includes('-->')) rest = tail.slice(tail.indexOf('-->') + 3);
    else if (tail.startsWith('<?') && tail.includes('?>')) rest = tail.slice(tail.indexOf('?>') + 2);
    else return fail('MALFORMED_XML', 'text after the root element');
    tail = rest.trim();
  }
}

type Scope = ReadonlyMap<string, string>;
const ROOT_SCOPE: Scope = new Map([['xml', XML_NS]]);

function isTextNode(node: OrderedNode): boolean {
  return Object.hasOwn(node, TEXT) || Object.hasOwn(node, CDATA);
}

function tagOf(node: OrderedNode): string {
  for (const key of Object.keys(node)) if (key !== ATTRS) return key;
  return fail('MALFORMED_XML', 'element without a name');
}

function toElement(node: OrderedNode, parentScope: Scope): XmlElement {
  const tag = tagOf(node);
  const attrs = node[ATTRS] as Record<string, string> | undefined;
  const scope = attrs === undefined ? parentScope : declare(attrs, parentScope, tag);
  const { prefix, local } = splitQName(tag);
  const ns = resolve(prefix, scope, tag);
  if (attrs !== undefined) checkAttributes(attrs, scope, local);
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[tag] as OrderedNode[] | undefined) ?? []) {
    if (Object.hasOwn(child, TEXT)) text += decodeReferences(String(child[TEXT]));
    else if (Object.hasOwn(child, CDATA)) text += cdataText(child[CDATA]);
    else children.push(toElement(child, scope));
  }
  return { ns, name: local, children, text };
}

function cdataText(content: unknown): string {
  let text = '';
  for (const part of (content as OrderedNode[] | undefined) ?? []) text += String(part[TEXT] ?? '');
  return text;
}

function declare(attrs: Record<string, string>, parent: Scope, tag: string): Scope {
  let scope: Map<string, string> | undefined;
  for (const [key, raw] of Object.entries(attrs)) {
    const name = key.slice(ATTR_PREFIX.length);
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    const uri = decodeReferences(raw);
    const prefix = name === 'xmlns' ? '' : name.slice('xmlns:'.length);
    if (prefix === 'xmlns' || (prefix === 'xml' && uri !== XML_NS) || uri === XML_NS || uri === XMLNS_NS) {
      fail('MALFORMED_XML', `reserved namespace declaration ${name} on element ${clip(tag)}`);
    }
    if (prefix !== '' && uri === '')
      fail('MALFORMED_XML', `prefix ${clip(prefix)} is undeclared with an empty URI`);
    scope ??= new Map(parent);
    scope.set(prefix, uri);
  }
  return scope ?? parent;
}

function splitQName(qname: string): { prefix: string; local: string } {
  const colon = qname.indexOf(':');
  if (colon === -1) return { prefix: '', local: qname };
  const prefix = qname.slice(0, colon);
  const local = qname.slice(colon + 1);
  if (prefix === '' || local === '' || local.includes(':'))
    fail('MALFORMED_XML', `invalid qualified name '${clip(qname)}'`);
  return { prefix, local };
}

function resolve(prefix: string, scope: Scope, qname: string): string {
  const uri = scope.get(prefix);
  if (uri !== undefined) return uri;
  if (prefix === '') return '';
  return fail(
    'MALFORMED_XML',
    `namespace prefix '${clip(prefix)}' of element ${clip(qname)} is not declared`,
  );
}

/** The XSDs declare no attributes: only namespace declarations and xsi:schemaLocation hints are accepted. */
function checkAttributes(attrs: Record<string, string>, scope: Scope, element: string): void {
  for (const key of Object.keys(attrs)) {
    const name = key.slice(ATTR_PREFIX.length);
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const { prefix, local } = splitQName(name);
    const ns = prefix === '' ? '' : resolve(prefix, scope, name);
    if (ns === XSI_NS && (local === 'schemaLocation' || local === 'noNamespaceSchemaLocation')) continue;
    fail('SCHEMA', `unexpected attribute ${clip(name)} on element ${element}`);
  }
}

/** Decodes the five predefined entities and character references; anything else after `&` is not well-formed. */
function decodeReferences(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(
    REFERENCE,
    (match, hex: string | undefined, dec: string | undefined, named: string | undefined) => {
      if (named !== undefined) return PREDEFINED[named] ?? match;
      if (hex === undefined && dec === undefined)
        fail('MALFORMED_XML', 'undeclared entity or bare & in character data');
      const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
      const allowed =
        code === 0x9 ||
        code === 0xa ||
        code === 0xd ||
        (code >= 0x20 && code <= 0xd7ff) ||
        (code >= 0xe000 && code <= 0xfffd) ||
        (code >= 0x10000 && code <= 0x10ffff);
      if (!allowed) fail('MALFORMED_XML', `character reference ${clip(match)} is not an XML character`);
      return String.fromCodePoint(code);
    },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Root recognition

const ISTANDAARD_NS =
  /^http:\/\/www\.istandaarden\.nl\/(iwlz|iwmo|ijw)\/([0-9]+_[0-9]+)\/([a-z]+[0-9]+)\/schema$/;
const IJW_NS_PREFIX = 'http://www.istandaarden.nl/ijw/';
const FAMILY_LABEL: Readonly<Record<string, string>> = { iwlz: 'iWlz', iwmo: 'iWmo', ijw: 'iJw' };

function familyOf(ns: string): string {
  return ISTANDAARD_NS.exec(ns)?.[1] ?? '';
}

/**
 * Recognises the message from its root element among `kinds` (services/ingest/registry.ts). Returns the
 * kind, whose namespaces the rest of the tree is checked against.
 */
export function recogniseRoot<K extends XmlKindInfo>(
  root: XmlElement,
  kinds: readonly K[],
): { ok: true; kind: K } | { ok: false; error: IngestError } {
  const reject = (code: IngestError['code'], reason: string) => ({
    ok: false as const,
    error: { code, reason },
  });
  if (root.ns.startsWith(IJW_NS_PREFIX)) {
    return reject(
      'OUT_OF_SCOPE',
      `iJw message (${describeNs(root.ns)}) is out of scope: the Jeugdwet gives no legal basis for a samenloop signal`,
    );
  }
  if (root.name !== 'Bericht')
    return reject('UNKNOWN_MESSAGE', `root element ${clip(root.name)} is not an iStandaarden Bericht`);
  if (root.ns === '') return reject('WRONG_NAMESPACE', 'root element Bericht has no namespace');
  const known = kinds.find((k) => k.namespaces.message === root.ns);
  if (known !== undefined) return { ok: true, kind: known };
  const m = ISTANDAARD_NS.exec(root.ns);
  if (m === null)
    return reject(
      'UNKNOWN_MESSAGE',
      `root namespace '${clip(root.ns, 80)}' is not an iStandaarden message namespace`,
    );
  const [, family = '', version = '', name = ''] = m;
  const supported = kinds.find(
    (k) => familyOf(k.namespaces.message) === family && k.name.toLowerCase() === name,
  );
  if (supported !== undefined) {
    return reject(
      'WRONG_NAMESPACE',
      `${name.toUpperCase()} in namespace of ${FAMILY_LABEL[family]} ${version.replace('_', '.')}; expected ${supported.namespaces.message}`,
    );
  }
  return reject(
    'OUT_OF_SCOPE',
    `${name.toUpperCase()} (${FAMILY_LABEL[family]} ${version.replace('_', '.')}) is not processed: samenloop reads ${kinds
      .map((k) => k.name)
      .join(', ')
      .replace(/, ([^,]*)$/, ' and $1')} only`,
  );
}

function describeNs(ns: string): string {
  const m = ISTANDAARD_NS.exec(ns);
  return m
    ? `${(m[3] ?? '').toUpperCase()}, ${FAMILY_LABEL[m[1] ?? ''] ?? ''} ${(m[2] ?? '').replace('_', '.')}`
    : clip(ns, 80);
}

export type XmlMessage<K> = { ok: true; kind: K; root: XmlElement } | { ok: false; error: IngestError };

/** The full front door for XML text: parse, then recognise the root among `kinds`. */
export function readXmlMessage<K extends XmlKindInfo>(text: string, kinds: readonly K[]): XmlMessage<K> {
  const doc = parseXmlDocument(text);
  if (!doc.ok) return doc;
  const recognised = recogniseRoot(doc.root, kinds);
  if (!recognised.ok) return recognised;
  return { ok: true, kind: recognised.kind, root: doc.root };
}
