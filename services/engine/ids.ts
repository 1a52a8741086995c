/**
 * Deterministic identities: canonical JSON (sorted keys, no undefined) hashed with sha-256. Pure.
 */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level and undefined members left out: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The first `length` base32 (RFC 4648 alphabet) characters of the sha-256 of `text`. */
export function sha256Base32(text: string, length: number): string {
  const bytes = createHash('sha256').update(text, 'utf8').digest();
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += BASE32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

export { BEEINDIGING_ID_PATTERN } from '../domain/commands';

export const beeindigingId = (content: unknown): string =>
  `bd-${sha256Hex(canonicalJson(content)).slice(0, 24)}`;

/**
 * WMO301 BerichtIdentificatie/Identificatie: `SL` + 10 base32 characters (50 bits) of the hash of its content,
 * 12 characters in all (LDT_IdentificatieBericht: 1..12).
 */
export const wmo301Identificatie = (content: unknown): string =>
  `SL${sha256Base32(canonicalJson(content), 10)}`;
