import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import { ConfigError } from '../config/errors';
import type { RegisterKeys } from '../config/register-keys';
import { plainCipher, type StateCipher } from './cipher';

export { KEY_ID_PATTERN, parseRegisterKeys, RegisterKeys } from '../config/register-keys';

/**
 * Encryption at rest of the register: the keys (REGISTER_KEYS, REGISTER_KEY_ID) and the StateCipher that
 * seals a client's state and outbox with them before they go to Redis (or the changelog topic).
 *
 * A sealed value is text, format 1:
 *
 *   e1.<key id>.<IV, base64>.<ciphertext and 16-byte GCM tag, base64>
 *
 * AES-256-GCM (node:crypto), a fresh random 96-bit IV per value, the client's pseudonym as associated data:
 * a value copied to another client's key does not open. The key id inside each value lets keys rotate:
 * new values are sealed with the current key (REGISTER_KEY_ID), older ones open with any key still in
 * REGISTER_KEYS until `samenloop register rotate-keys` rewrote them. A value that does not start with
 * `e1.` is plaintext from before encryption at rest (JSON starts with `{` or `[`): it is read as it is, and
 * sealed by the next write or by rotate-keys.
 */

const FORMAT = 'e1';
const SEALED_PREFIX = `${FORMAT}.`;
const IV_BYTES = 12;

/**
 * The IVs of the seals, drawn from a pool of random bytes filled 1,024 IVs at a time: one call into the CSPRNG
 * per 1,024 seals instead of one per seal (≈2 % of the drain's CPU). Each IV is still 96 random bits (NIST
 * SP 800-38D 8.2.2) and no byte is handed out twice: the pool is filled anew before it is read again. An IV is
 * a view into the pool, read only by the synchronous `seal` that took it.
 */
const IV_POOL = Buffer.alloc(IV_BYTES * 1024);
let ivAt = IV_POOL.length;
function nextIv(): Buffer {
  if (ivAt + IV_BYTES > IV_POOL.length) {
    randomFillSync(IV_POOL);
    ivAt = 0;
  }
  const iv = IV_POOL.subarray(ivAt, ivAt + IV_BYTES);
  ivAt += IV_BYTES;
  return iv;
}
const TAG_BYTES = 16;

/** A stored value that cannot be opened: unknown key id, wrong key, another client's value, altered. */
export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

/** True when `stored` is a sealed value (else plaintext from before encryption at rest). */
export const isSealed = (stored: string): boolean => stored.startsWith(SEALED_PREFIX);

/** The id of the key `stored` was sealed with; undefined for plaintext. */
export function keyIdOf(stored: string): string | undefined {
  if (!isSealed(stored)) return undefined;
  const end = stored.indexOf('.', SEALED_PREFIX.length);
  return end < 0 ? undefined : stored.slice(SEALED_PREFIX.length, end);
}

/** AES-256-GCM with a keyring: seals with the current key, opens with whichever key a value names. */
export class KeyringCipher implements StateCipher {
  private readonly current: Buffer;

  constructor(
    private readonly keys: RegisterKeys,
    readonly currentId: string,
  ) {
    const current = keys.keyOf(currentId);
    if (current === undefined)
      throw new ConfigError([
        `REGISTER_KEY_ID=${JSON.stringify(currentId)}: not among the ids of REGISTER_KEYS (${keys.ids.join(', ')})`,
      ]);
    this.current = current;
  }

  seal(clientId: string, plaintext: string): string {
    const iv = nextIv();
    const c = createCipheriv('aes-256-gcm', this.current, iv);
    c.setAAD(Buffer.from(clientId, 'utf8'));
    const sealed = Buffer.concat([c.update(plaintext, 'utf8'), c.final(), c.getAuthTag()]);
    return `${SEALED_PREFIX}${this.currentId}.${iv.toString('base64')}.${sealed.toString('base64')}`;
  }

  open(clientId: string, stored: string): string {
    if (!isSealed(stored)) return stored;
    const parts = stored.split('.');
    const [, id = '', ivText = '', dataText = ''] = parts;
    const iv = Buffer.from(ivText, 'base64');
    const data = Buffer.from(dataText, 'base64');
    if (parts.length !== 4 || iv.length !== IV_BYTES || data.length < TAG_BYTES)
      throw new SealError(`not a sealed register value of format ${FORMAT} (damaged)`);
    const key = this.keys.keyOf(id);
    if (key === undefined)
      throw new SealError(
        `sealed with register key "${id}", which is not in REGISTER_KEYS (${this.keys.ids.join(', ')})`,
      );
    const d = createDecipheriv('aes-256-gcm', key, iv);
    d.setAAD(Buffer.from(clientId, 'utf8'));
    d.setAuthTag(data.subarray(data.length - TAG_BYTES));
    try {
      return Buffer.concat([d.update(data.subarray(0, data.length - TAG_BYTES)), d.final()]).toString('utf8');
    } catch {
      throw new SealError(
        `cannot be opened with register key "${id}": REGISTER_KEYS holds another key under that id, ` +
          "or the value was altered or belongs to another client's key",
      );
    }
  }

  /** True when `stored` is sealed with the current key (rotate-keys leaves it as it is). */
  isCurrent(stored: string): boolean {
    return keyIdOf(stored) === this.currentId;
  }
}

/** The settings of encryption at rest, as services/config parses them. */
export interface RegisterKeySettings {
  REGISTER_ENCRYPTION: 'on' | 'off';
  REGISTER_KEYS?: RegisterKeys | undefined;
  REGISTER_KEY_ID?: string | undefined;
}

/**
 * The cipher of the register from the configuration. Encryption is on unless REGISTER_ENCRYPTION=off
 * (refused in production by services/config); on, REGISTER_KEYS is required. Throws ConfigError (exit 2).
 */
export function registerCipher(cfg: RegisterKeySettings): StateCipher {
  if (cfg.REGISTER_ENCRYPTION === 'off') return plainCipher;
  const keys = cfg.REGISTER_KEYS;
  if (keys === undefined)
    throw new ConfigError([
      'REGISTER_KEYS (or REGISTER_KEYS_FILE): required to read and write the register, which is encrypted at ' +
        'rest (<key id>:<base64 of 32 bytes>; make a key with: openssl rand -base64 32). Only for development: ' +
        'REGISTER_ENCRYPTION=off',
    ]);
  const current = cfg.REGISTER_KEY_ID ?? (keys.ids.length === 1 ? keys.ids[0] : undefined);
  if (current === undefined)
    throw new ConfigError([
      `REGISTER_KEY_ID: required when REGISTER_KEYS holds several keys (${keys.ids.join(', ')}): the key of new writes`,
    ]);
  return new KeyringCipher(keys, current);
}

/** The pseudo client id of the key check value (not a pseudonym: those are hex). */
export const KEY_CHECK_ID = 'register:key-check';
export const KEY_CHECK_TEXT = 'samenloop register key check';

/**
 * Opens a value found in the register at start with the configured cipher: ConfigError (exit 2) naming the
 * settings when it cannot, so a wrong or missing key stops the processor before it writes anything.
 */
export function openAtStart(cipher: StateCipher, clientId: string, stored: string, what: string): string {
  if (!(cipher instanceof KeyringCipher) && isSealed(stored))
    throw new ConfigError([
      `REGISTER_ENCRYPTION=off, but ${what} is encrypted (register key ` +
        `"${keyIdOf(stored) ?? '?'}"): set REGISTER_KEYS and REGISTER_KEY_ID`,
    ]);
  try {
    return cipher.open(clientId, stored);
  } catch (err) {
    throw new ConfigError([
      `REGISTER_KEYS / REGISTER_KEY_ID: ${what} cannot be opened: ${(err as Error).message}`,
    ]);
  }
}
