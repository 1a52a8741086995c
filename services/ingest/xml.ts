/**
 * The safe XML front door: decoded text (payload.ts did size, emptiness and UTF-8) → a namespace-resolved element
 * tree of one recognised message kind.
 *
 * Order of checks (the first failure wins):
 *   [payload.ts: TOO_LARGE → EMPTY → INVALID_UTF8 → EMPTY] → INVALID_UTF8 (a declared encoding other than
 *   UTF-8) → MALFORMED_XML (control characters) → one streaming pass (xml-scan.ts), whose first problem in
 *   document order wins: DOCTYPE_FORBIDDEN, MALFORMED_XML, SCHEMA (nesting deeper than MAX_DEPTH) or TOO_LARGE
 *   (the structural limits XML_LIMITS) → MALFORMED_XML / SCHEMA (namespaces, attributes: xml-names.ts, resolved in
 *   the same pass, the first in document order reported after it) → OUT_OF_SCOPE /
 *   UNKNOWN_MESSAGE / WRONG_NAMESPACE (root element).
 *
 * Entities are never expanded: a DOCTYPE or ENTITY declaration is rejected where it stands, and only the five
 * predefined XML entities and character references are decoded.
 */
import { fail, hasForbiddenCharacter, nameOf, Rejection } from './checks';
import type { IngestError } from './types';
import type { XmlKindInfo } from './kinds';
import { quotedName } from './xml-names';
import { scanXml, type XmlElement, XML_LIMITS } from './xml-scan';

export { XML_LIMITS } from './xml-scan';
export type { XmlElement } from './xml-scan';

/** Maximum element depth accepted (the deepest iStandaarden path in scope is about 8). */
export const MAX_DEPTH = XML_LIMITS.maxDepth;

const UTF8_NAME = /^utf-?8$/i;
const XML_DECLARATION_ENCODING = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']/;

/** Parses well-formed, DTD-free XML text into a namespace-resolved tree (xml-scan.ts). Never throws. */
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
  const encoding = XML_DECLARATION_ENCODING.exec(text)?.[1];
  if (encoding !== undefined && !UTF8_NAME.test(encoding)) {
    fail('INVALID_UTF8', `declared encoding ${quotedName(encoding)} is not UTF-8`);
  }
  if (hasForbiddenCharacter(text))
    fail('MALFORMED_XML', 'contains a control character that XML does not allow');
  return scanXml(text);
}

// ---------------------------------------------------------------------------------------------------------------
// Root recognition

// Versions and message names short enough that the reasons quoting them can carry no BSN (iWmo 3_2, wmo301).
const ISTANDAARD_NS =
  /^http:\/\/www\.istandaarden\.nl\/(iwlz|iwmo|ijw)\/([0-9]{1,2}_[0-9]{1,2})\/([a-z]{1,4}[0-9]{1,3})\/schema$/;
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
    return reject('UNKNOWN_MESSAGE', `root element ${nameOf(root.name)} is not an iStandaarden Bericht`);
  if (root.ns === '') return reject('WRONG_NAMESPACE', 'root element Bericht has no namespace');
  const known = kinds.find((k) => k.namespaces.message === root.ns);
  if (known !== undefined) return { ok: true, kind: known };
  const m = ISTANDAARD_NS.exec(root.ns);
  if (m === null)
    return reject('UNKNOWN_MESSAGE', 'the root namespace is not an iStandaarden message namespace');
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
    : 'an unknown namespace';
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
