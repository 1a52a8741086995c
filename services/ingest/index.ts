/**
 * Ingest entry points: pure functions from bytes to typed domain facts. Nothing here throws; every input gives a
 * ParseResult. Kafka, the dead-letter topic and the register are elsewhere.
 *
 * Topics and what they carry:
 *   indicatiebesluiten  IO31 (XML) and netwerkmodel indicatie events (JSON, `content-type: application/json`)
 *   zorgtoewijzingen    AW33 (XML)
 *   wmo-toewijzingen    WMO301 (XML)
 * A message of a kind in scope on another topic is rejected with WRONG_TOPIC.
 */
import { parseAw33 } from './aw33';
import { fail, guard } from './checks';
import { parseIo31 } from './io31';
import { parseNetwerkmodelJson } from './netwerkmodel';
import type { ParseResult, ParsedMessage } from './types';
import { parseWmo301 } from './wmo301';
import { type DecodeOptions, decodePayload } from './payload';
import { type XmlElement, type XmlMessageKind, readXmlMessage } from './xml';

export { DEFAULT_MAX_BYTES } from './payload';
export type { DecodeOptions } from './payload';
export { parseCsv } from './csv';
export type { CsvOptions, CsvParseResult, CsvRowResult } from './csv';

export const TOPIC_KINDS = ['indicatiebesluiten', 'zorgtoewijzingen', 'wmo-toewijzingen'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];

/** Kafka message headers as kafkajs delivers them (`IHeaders`). */
export type MessageHeaders = Readonly<
  Record<string, string | Uint8Array | ReadonlyArray<string | Uint8Array> | undefined>
>;

export type ParseOptions = DecodeOptions;

/** The topic each message kind belongs on. */
export const TOPIC_OF: Readonly<Record<XmlMessageKind | 'NETWERKMODEL', TopicKind>> = {
  IO31: 'indicatiebesluiten',
  NETWERKMODEL: 'indicatiebesluiten',
  AW33: 'zorgtoewijzingen',
  WMO301: 'wmo-toewijzingen',
};

const XML_PARSERS: Readonly<Record<XmlMessageKind, (root: XmlElement) => ParsedMessage>> = {
  IO31: parseIo31,
  AW33: parseAw33,
  WMO301: parseWmo301,
};

/**
 * Parses one Kafka message of the given topic. The format follows the `content-type` header
 * (application/json or …+json → JSON; application/xml, text/xml or …+xml → XML); without one it is sniffed from
 * the first character (`{` → JSON, otherwise XML).
 */
export function parseMessage(
  topicKind: TopicKind,
  bytes: Uint8Array | string,
  headers: MessageHeaders = {},
  options: ParseOptions = {},
): ParseResult {
  return guard(() => {
    const decoded = decodePayload(bytes, options);
    if (!decoded.ok) return decoded;
    const format = formatOf(headers, decoded.text);
    if (format === 'json') {
      if (topicKind !== TOPIC_OF.NETWERKMODEL) {
        fail(
          'WRONG_TOPIC',
          `a netwerkmodel JSON event belongs on ${TOPIC_OF.NETWERKMODEL}, not on ${topicKind}`,
        );
      }
      return { ok: true, message: parseNetwerkmodelJson(decoded.text) };
    }
    const xml = readXmlMessage(decoded.text);
    if (!xml.ok) return xml;
    const expected = TOPIC_OF[xml.ns.kind];
    if (expected !== topicKind)
      fail('WRONG_TOPIC', `${xml.ns.kind} belongs on ${expected}, not on ${topicKind}`);
    return { ok: true, message: XML_PARSERS[xml.ns.kind](xml.root) };
  });
}

/** Parses an IO31, AW33 or WMO301 message, whatever its topic. */
export function parseXmlMessage(bytes: Uint8Array | string, options: ParseOptions = {}): ParseResult {
  return guard(() => {
    const decoded = decodePayload(bytes, options);
    if (!decoded.ok) return decoded;
    const xml = readXmlMessage(decoded.text);
    if (!xml.ok) return xml;
    return { ok: true, message: XML_PARSERS[xml.ns.kind](xml.root) };
  });
}

/** Parses a netwerkmodel indicatie event (JSON). */
export function parseNetwerkmodelEvent(bytes: Uint8Array | string, options: ParseOptions = {}): ParseResult {
  return guard(() => {
    const decoded = decodePayload(bytes, options);
    if (!decoded.ok) return decoded;
    return { ok: true, message: parseNetwerkmodelJson(decoded.text) };
  });
}

const utf8 = new TextDecoder('utf-8');
const FIRST_NON_WHITESPACE = /\S/;

function formatOf(headers: MessageHeaders, text: string): 'json' | 'xml' {
  const mime = contentType(headers);
  if (mime === 'application/json' || mime.endsWith('+json')) return 'json';
  if (mime === 'application/xml' || mime === 'text/xml' || mime.endsWith('+xml')) return 'xml';
  return FIRST_NON_WHITESPACE.exec(text)?.[0] === '{' ? 'json' : 'xml';
}

/** The media type of the `content-type` header (case-insensitive name, parameters dropped), or ''. */
function contentType(headers: MessageHeaders): string {
  for (const [name, raw] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'content-type' || raw === undefined) continue;
    const first = typeof raw === 'string' || raw instanceof Uint8Array ? raw : raw[0];
    if (first === undefined) return '';
    const value = typeof first === 'string' ? first : utf8.decode(first);
    return (value.split(';')[0] ?? '').trim().toLowerCase();
  }
  return '';
}
