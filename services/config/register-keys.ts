import { inspect } from 'node:util';

/**
 * The keys of the register's encryption at rest (REGISTER_KEYS), as the configuration parses them; the
 * cipher that uses them is services/register/keys.ts.
 */

const KEY_BYTES = 32;

/** A key id: letters, digits, `_` or `-` (it is written in every value, and named in errors: never secret). */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

const secrets = new WeakMap<RegisterKeys, ReadonlyMap<string, Buffer>>();

/**
 * The register keys by id. The key bytes are out of reach of JSON.stringify, util.inspect and pino: a
 * configuration dump shows the ids only.
 */
export class RegisterKeys {
  constructor(keys: ReadonlyMap<string, Buffer>) {
    secrets.set(this, keys);
  }

  get ids(): string[] {
    return [...secrets.get(this)!.keys()];
  }

  keyOf(id: string): Buffer | undefined {
    return secrets.get(this)!.get(id);
  }

  toString(): string {
    return `[register keys ${this.ids.join(', ')}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * REGISTER_KEYS: `<id>:<base64 of 32 bytes>` entries, separated by commas or line breaks (a file). Problems
 * name the entry or the key id, never the key.
 */
export function parseRegisterKeys(text: string): { keys?: RegisterKeys; problems: string[] } {
  const entries = text.split(/[,\s]+/).filter(Boolean);
  const problems: string[] = [];
  if (entries.length === 0)
    return { problems: ['no keys: give <key id>:<base64 of 32 bytes>, comma-separated'] };
  const keys = new Map<string, Buffer>();
  for (const [i, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon);
    const b64 = entry.slice(colon + 1);
    if (!KEY_ID_PATTERN.test(id)) {
      problems.push(
        `entry ${i + 1}: not <key id>:<base64 key> (a key id is 1 to 32 letters, digits, "_" or "-")`,
      );
      continue;
    }
    if (keys.has(id)) {
      problems.push(`key "${id}" is given twice`);
      continue;
    }
    const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64') : undefined;
    if (bytes?.length !== KEY_BYTES) {
      problems.push(
        `key "${id}": ${bytes === undefined ? 'not base64' : `${bytes.length} bytes`}, must be ` +
          `${KEY_BYTES} bytes in base64 (AES-256; make one with: openssl rand -base64 32)`,
      );
      continue;
    }
    keys.set(id, bytes);
  }
  return problems.length > 0 ? { problems } : { keys: new RegisterKeys(keys), problems };
}
