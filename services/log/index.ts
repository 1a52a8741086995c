import pino, { type DestinationStream } from 'pino';
import { BSN_MASK, maskBsnLike } from '../domain/bsn';

/**
 * pino JSON logs. A BSN never appears in clear: log `pseudonym(bsn)` (services/domain/pseudonym.ts, a keyed HMAC, stable per
 * secret, so one client's lines can be followed without revealing who it is). As a second line of
 * defence, `redact` scrubs the usual field names, and every string of a line (its message, the strings of
 * its fields, an error's message and stack) goes through `scrubBsn`, so a BSN that reached a log call in
 * any form (plain, spaced, dotted, dashed, clipped) is masked before the line is written.
 *
 * `destination`: where the lines go (default stdout); tests pass a stream to read them.
 */
export function createLogger(level: string, name = 'samenloop', destination?: DestinationStream) {
  const options: pino.LoggerOptions = {
    name,
    level,
    base: { pid: process.pid },
    redact: { paths: ['bsn', '*.bsn', 'client.bsn', '*.client.bsn'], censor: '[bsn]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Not the bindings of a child logger (pino does not pass them through a formatter): the service
    // makes none; one that it makes must bind only its own values.
    // Errors are serialized (and scrubbed) by the log formatter, under any field name.
    serializers: { err: (e: unknown) => e },
    formatters: { log: (fields) => scrubFields(fields) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a: unknown) => (typeof a === 'string' ? scrubBsn(a) : a));
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

export type Logger = ReturnType<typeof createLogger>;

/**
 * Replaces anything that could be a BSN in free text: eight or more digits in a row, also when spaces,
 * dots, dashes, underscores or slashes separate them, or when only eight of the nine are left (a clipped
 * value; the 11-proef restores the ninth). ISO dates are kept.
 */
export function scrubBsn(text: string): string {
  return maskBsnLike(text);
}

/** Fields whose values are the service's own counters, never input: an 8-digit Kafka offset stays readable. */
const OWN_FIELDS: ReadonlySet<string> = new Set(['offset', 'partition', 'pid']);

/**
 * A whole field value that is one of the service's own ids stays: a client's pseudonym (32 hex characters,
 * services/domain/pseudonym.ts), which often holds 8 digits in a row, or a beëindiging id.
 */
const OWN_ID = /^(?:[0-9a-f]{32}|bd-[0-9a-f]{24})$/;

function scrubFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return OWN_ID.test(value) ? value : scrubBsn(value);
  // A number of 8 or 9 digits can be (most of) a BSN; counters and durations are far smaller.
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1e7 && value < 1e9) return BSN_MASK;
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  // Before pino's serializers: an Error is serialized here (type, message, stack, cause) and scrubbed.
  if (value instanceof Error) {
    const serialized = pino.stdSerializers.err(value) as unknown as Record<string, unknown>;
    for (const k of Object.keys(serialized)) serialized[k] = scrubFields(serialized[k], depth + 1);
    return serialized;
  }
  if (Array.isArray(value)) return value.map((v) => scrubFields(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[scrubBsn(k)] = OWN_FIELDS.has(k) ? v : scrubFields(v, depth + 1);
  }
  return out;
}
