/**
 * The first checks on any payload (XML, JSON or CSV), before it is parsed: size, emptiness and UTF-8.
 * Order: TOO_LARGE (on the bytes, before decoding) → EMPTY → INVALID_UTF8 → EMPTY (whitespace only).
 */
import type { IngestError } from './types';

export const DEFAULT_MAX_BYTES = 1024 * 1024;

export interface DecodeOptions {
  /** Payload limit in bytes; default 1 MiB. */
  maxBytes?: number;
}

export type Decoded = { ok: true; text: string } | { ok: false; error: IngestError };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const NON_WHITESPACE = /\S/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Size, emptiness and UTF-8 checks shared by the XML and JSON paths. A UTF-8 byte order mark is dropped.
 * A string input is taken as already decoded (its UTF-8 size is still checked).
 */
export function decodePayload(input: Uint8Array | string, options: DecodeOptions = {}): Decoded {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > maxBytes) return bad('TOO_LARGE', `payload is ${size} bytes, the limit is ${maxBytes}`);
  if (size === 0) return bad('EMPTY', 'payload is empty');
  let text: string;
  if (typeof input === 'string') {
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    if (LONE_SURROGATE.test(input)) return bad('INVALID_UTF8', 'payload contains an unpaired surrogate');
  } else {
    try {
      text = utf8.decode(input);
    } catch {
      return bad('INVALID_UTF8', 'payload is not valid UTF-8');
    }
  }
  if (!NON_WHITESPACE.test(text)) return bad('EMPTY', 'payload contains only whitespace');
  return { ok: true, text };
}

const bad = (code: IngestError['code'], reason: string): Decoded => ({ ok: false, error: { code, reason } });
