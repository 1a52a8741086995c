import { createHmac } from 'node:crypto';

/**
 * Keyed pseudonym of a BSN: the client id in Redis key names, logs and metrics, so one client's traces can
 * be followed without revealing who it is. 32 hex chars (128 bits) of HMAC-SHA-256, stable per secret.
 */
export function pseudonym(secret: string, bsn: string): string {
  return createHmac('sha256', secret).update(bsn).digest('hex').slice(0, 32);
}
