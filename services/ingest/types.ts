import type { Fact, SourceKind } from '../domain/facts';

/**
 * Dead-letter error codes. Every rejected input carries exactly one; README lists them.
 * Keep this list and README's DLQ table in step.
 */
export const INGEST_ERROR_CODES = [
  'TOO_LARGE', // payload over the configured limit
  'EMPTY', // zero bytes or only whitespace
  'INVALID_UTF8', // bytes are not valid UTF-8
  'MALFORMED_XML', // not well-formed XML
  'DOCTYPE_FORBIDDEN', // DOCTYPE / ENTITY declaration (rejected before any expansion)
  'WRONG_NAMESPACE', // root or child element in an unexpected namespace
  'UNKNOWN_MESSAGE', // root element / message type not recognised at all
  'OUT_OF_SCOPE', // recognised but not ours to process (e.g. iJw JW301: Jeugdwet gives no legal basis)
  'WRONG_TOPIC', // a valid message type on a topic that does not carry it
  'WRONG_SENDER', // a WMO301 on a gemeente's toewijzingen topic whose Afzender is another gemeente
  'INVALID_HEADER', // BerichtCode / BerichtVersie / BerichtSubversie / XsdVersie do not match the message
  'SCHEMA', // structure does not match the XSD-derived schema (missing/extra/too long element), or a value its XSD type's length/pattern/range rejects
  'INVALID_BSN', // BSN fails the 11-proef
  'INVALID_DATE', // not a real calendar date, or has a timezone
  'INVALID_PERIOD', // Einddatum before Ingangsdatum
  'INVALID_CODE', // a code not in its codelist (Leveringsvorm, ZzpCode, Productcategorie, RedenWijziging, …, any XSD enumeration)
  'INVALID_GEMEENTECODE', // gemeentecode not 4 digits
  'INVALID_AGB', // AGB code not 8 digits
  'INVALID_JSON', // JSON that does not parse
  'INVALID_ENVELOPE', // JSON that parses but fails the envelope schema
  'INVALID_CSV', // CSV row/header problems
  'INVALID_CHARACTER', // a value holds a character XML 1.0 forbids (a control character): it could never be sent on
  'TOO_MANY', // more repetitions of an element (clients, products, contacts, …) than REPEAT_LIMITS allows
  'PROCESSING_ERROR', // the pure core threw on the record MAX_CORE_ATTEMPTS times (a bug, or a register it cannot read)
  'OUTPUT_TOO_LARGE', // an output the record caused would exceed MAX_OUTPUT_BYTES (the broker's max.message.bytes)
  'OUTPUT_INVALID', // a WMO301 the record caused fails WMO301.xsd (a bug): never sent
] as const;

export type IngestErrorCode = (typeof INGEST_ERROR_CODES)[number];

/** A rejection. `reason` is human readable and must never contain a BSN in clear. */
export interface IngestError {
  code: IngestErrorCode;
  reason: string;
}

/** A parsed message: its identity and the facts it carries (possibly about several clients). */
export interface ParsedMessage {
  kind: SourceKind;
  /** Identity for de-duplication: sender + BerichtIdentificatie, or the event id. */
  messageId: string;
  facts: Fact[];
}

export type ParseResult = { ok: true; message: ParsedMessage } | { ok: false; error: IngestError };

export const reject = (code: IngestErrorCode, reason: string): ParseResult => ({
  ok: false,
  error: { code, reason },
});
