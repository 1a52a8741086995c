import pino from 'pino';

/**
 * pino JSON logs. A BSN never appears in clear: log `pseudonym(bsn)` (services/domain/pseudonym.ts, a keyed HMAC, stable per
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

/** Replaces anything that looks like a BSN (9 digits) in free text. For messages from third parties. */
export function scrubBsn(text: string): string {
  return text.replace(/\b\d{9}\b/g, '[bsn]');
}
