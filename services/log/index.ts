import { createHmac } from 'node:crypto';
import pino from 'pino';

/**
 * pino JSON logs. A BSN never appears in clear: log `pseudonym(bsn)` (a keyed HMAC, stable per
 * secret, so one client's lines can be followed without revealing who it is). As a second line of
 * defence, `redact` scrubs the usual field names.
 */
export function createLogger(level: string, name = 'samenloop') {
  return pino({
    name,
    level,
    base: { pid: process.pid },
    redact: { paths: ['bsn', '*.bsn', 'client.bsn', '*.client.bsn'], censor: '[bsn]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type Logger = ReturnType<typeof createLogger>;

/** Keyed pseudonym of a BSN: also the client id in Redis key names. 32 hex chars (128 bits). */
export function pseudonym(secret: string, bsn: string): string {
  return createHmac('sha256', secret).update(bsn).digest('hex').slice(0, 32);
}

/** Replaces anything that looks like a BSN (9 digits) in free text. For messages from third parties. */
export function scrubBsn(text: string): string {
  return text.replace(/\b\d{9}\b/g, '[bsn]');
}
