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
import { checkCharacters, fail, guard } from './checks';
import type { InputKind } from './kinds';
import { netwerkmodel } from './netwerkmodel';
import { type DecodeOptions, decodePayload } from './payload';
import { JSON_KINDS, XML_KINDS } from './registry';
import type { ParsedMessage, ParseResult } from './types';
import { readXmlMessage } from './xml';

export { DEFAULT_MAX_BYTES } from './payload';
export type { DecodeOptions } from './payload';
export { parseCsv } from './csv/parse';
export type { CsvOptions, CsvParseResult, CsvRowResult } from './csv/parse';
export {
  parseUploadRecord,
  uploadMessageId,
  uploadRecordValue,
  UPLOAD_CONTENT_TYPE,
  type UploadRecord,
} from './csv/upload';
export { parseCommand, type ParsedCommand } from './command/parse';
export { INPUT_KINDS, type InputKind } from './kinds';

/** Kafka message headers as kafkajs delivers them (`IHeaders`). */
export type MessageHeaders = Readonly<
  Record<string, string | Uint8Array | ReadonlyArray<string | Uint8Array> | undefined>
>;

export type ParseOptions = DecodeOptions;

/**
 * Parses one Kafka message of the given topic. The format follows the `content-type` header
 * (application/json or …+json → JSON; application/xml, text/xml or …+xml → XML); without one it is sniffed from
 * the first character (`{` → JSON, otherwise XML).
 */
export function parseMessage(
  topicKind: InputKind,
  bytes: Uint8Array | string,
  headers: MessageHeaders = {},
  options: ParseOptions = {},
): ParseResult {
  return guard(() => {
    const decoded = decodePayload(bytes, options);
    if (!decoded.ok) return decoded;
    const format = formatOf(headers, decoded.text);
    if (format === 'json') {
      const kind = JSON_KINDS.find((k) => k.input === topicKind);
      if (kind === undefined) {
        const on = JSON_KINDS.map((k) => k.input).join(', ');
        fail('WRONG_TOPIC', `a netwerkmodel JSON event belongs on ${on}, not on ${topicKind}`);
      }
      return checked(kind.parse(decoded.text));
    }
    const xml = readXmlMessage(decoded.text, XML_KINDS);
    if (!xml.ok) return xml;
    if (xml.kind.input !== topicKind)
      fail('WRONG_TOPIC', `${xml.kind.name} belongs on ${xml.kind.input}, not on ${topicKind}`);
    return { ok: true, message: xml.kind.parse(xml.root, xml.kind) };
  });
}

/**
 * Every fact of an accepted JSON message holds only characters XML allows (else INVALID_CHARACTER): a JSON escape
 * can spell any of them. An XML message needs no such walk over its facts: its whole text was checked before the
 * scan (MALFORMED_XML), and the scanner decodes only the predefined entities and character references to XML
 * characters, so no fact string of it can hold one (test/unit/ingest/characters.test.ts).
 */
function checked(message: ParsedMessage): ParseResult {
  checkCharacters(message.facts, (i) => `fact #${i + 1}`);
  return { ok: true, message };
}

/** Parses an IO31, AW33 or WMO301 message, whatever its topic. */
export function parseXmlMessage(bytes: Uint8Array | string, options: ParseOptions = {}): ParseResult {
  return guard(() => {
    const decoded = decodePayload(bytes, options);
    if (!decoded.ok) return decoded;
    const xml = readXmlMessage(decoded.text, XML_KINDS);
    if (!xml.ok) return xml;
    return { ok: true, message: xml.kind.parse(xml.root, xml.kind) };
  });
}

/** Parses a netwerkmodel indicatie event (JSON). */
export function parseNetwerkmodelEvent(bytes: Uint8Array | string, options: ParseOptions = {}): ParseResult {
  return guard(() => {
    const decoded = decodePayload(bytes, options);
    if (!decoded.ok) return decoded;
    return checked(netwerkmodel.parse(decoded.text));
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
