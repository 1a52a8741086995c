import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { ConfigError, loadConfig } from '../../../services/config';
import { plainCipher } from '../../../services/register/cipher';
import {
  isSealed,
  KeyringCipher,
  keyIdOf,
  openAtStart,
  parseRegisterKeys,
  registerCipher,
  SealError,
} from '../../../services/register/keys';
import { MemoryStore } from '../../../services/register/memory-store';
import { emptyState } from '../../../services/register/state';
import { registerStoreContract } from '../../support/store-contract';

const b64 = () => randomBytes(32).toString('base64');
const A = b64();
const B = b64();
const keysOf = (text: string) => {
  const r = parseRegisterKeys(text);
  if (!r.keys) throw new Error(r.problems.join('; '));
  return r.keys;
};
const cipherOf = (text: string, current: string) => new KeyringCipher(keysOf(text), current);
const STATE = JSON.stringify(emptyState('999990019'));

describe('KeyringCipher (AES-256-GCM, the client pseudonym as associated data)', () => {
  const a = cipherOf(`a:${A}`, 'a');

  it('seals to e1.<key id>.<iv>.<ciphertext+tag> without the plaintext, and opens it again', () => {
    const sealed = a.seal('c1', STATE);
    expect(sealed).toMatch(/^e1\.a\.[A-Za-z0-9+/]{16}\.[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain('999990019');
    expect(isSealed(sealed)).toBe(true);
    expect(keyIdOf(sealed)).toBe('a');
    expect(a.open('c1', sealed)).toBe(STATE);
    // a fresh IV each time: the same state never gives the same value
    expect(a.seal('c1', STATE)).not.toBe(sealed);
    expect(a.open('c1', a.seal('c1', ''))).toBe('');
  });

  it('never gives two seals the same IV, also across the refills of its pool of random bytes', () => {
    const ivs = new Set<string>();
    const n = 5000; // the pool holds 1,024 IVs: this crosses four refills
    for (let i = 0; i < n; i++) {
      const sealed = a.seal('c1', STATE);
      ivs.add(sealed.split('.')[2]!);
      if (i % 997 === 0) expect(a.open('c1', sealed)).toBe(STATE);
    }
    expect(ivs.size).toBe(n);
  });

  it("does not open a value copied to another client's key", () => {
    expect(() => a.open('c2', a.seal('c1', STATE))).toThrow(SealError);
    expect(() => a.open('c2', a.seal('c1', STATE))).toThrow(/cannot be opened with register key "a"/);
  });

  it('does not open an altered value', () => {
    const sealed = a.seal('c1', STATE);
    const [f, id, iv, data] = sealed.split('.') as [string, string, string, string];
    const bytes = Buffer.from(data, 'base64');
    bytes[3] = bytes[3]! ^ 1;
    expect(() => a.open('c1', [f, id, iv, bytes.toString('base64')].join('.'))).toThrow(SealError);
    const otherIv = randomBytes(12).toString('base64');
    expect(() => a.open('c1', [f, id, otherIv, data].join('.'))).toThrow(SealError);
    expect(() => a.open('c1', `${f}.${id}.${iv}`)).toThrow(/damaged/);
  });

  it('names an unknown key id, and a wrong key under a known id, never a key', () => {
    const b = cipherOf(`b:${B}`, 'b');
    expect(() => b.open('c1', a.seal('c1', STATE))).toThrow(
      'sealed with register key "a", which is not in REGISTER_KEYS (b)',
    );
    const wrongA = cipherOf(`a:${B}`, 'a');
    let message = '';
    try {
      wrongA.open('c1', a.seal('c1', STATE));
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/REGISTER_KEYS holds another key under that id/);
    expect(message).not.toContain(A);
    expect(message).not.toContain(B);
  });

  it('rotates: seals with the current key, opens every key of the ring', () => {
    const both = cipherOf(`a:${A},b:${B}`, 'b');
    const old = a.seal('c1', STATE);
    expect(both.open('c1', old)).toBe(STATE);
    expect(both.isCurrent(old)).toBe(false);
    const fresh = both.seal('c1', STATE);
    expect(keyIdOf(fresh)).toBe('b');
    expect(both.isCurrent(fresh)).toBe(true);
    expect(cipherOf(`b:${B}`, 'b').open('c1', fresh)).toBe(STATE);
  });

  it('reads plaintext from before encryption at rest as it is (rewritten sealed later)', () => {
    expect(a.open('c1', STATE)).toBe(STATE);
    expect(a.isCurrent(STATE)).toBe(false);
    expect(keyIdOf(STATE)).toBeUndefined();
  });
});

describe('REGISTER_KEYS', () => {
  it('parses <id>:<base64 of 32 bytes>, by commas or lines (a file)', () => {
    expect(keysOf(`a:${A}, b:${B}\n`).ids).toEqual(['a', 'b']);
    expect(keysOf(`a:${A}\nb:${B}\n`).ids).toEqual(['a', 'b']);
  });

  it('refuses a key that is not 32 bytes, a bad entry, a twice given id; naming no key', () => {
    const short = randomBytes(31).toString('base64');
    const r = parseRegisterKeys(`a:${short},${A},b:${B},b:${A},c:not*base64`);
    expect(r.keys).toBeUndefined();
    expect(r.problems).toEqual([
      'key "a": 31 bytes, must be 32 bytes in base64 (AES-256; make one with: openssl rand -base64 32)',
      'entry 2: not <key id>:<base64 key> (a key id is 1 to 32 letters, digits, "_" or "-")',
      'key "b" is given twice',
      'key "c": not base64, must be 32 bytes in base64 (AES-256; make one with: openssl rand -base64 32)',
    ]);
    expect(r.problems.join(' ')).not.toContain(A);
    expect(parseRegisterKeys(' , ').problems).toEqual([
      'no keys: give <key id>:<base64 of 32 bytes>, comma-separated',
    ]);
  });

  it('is checked by the configuration, its value never shown; nor in a dump of the configuration', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => loadConfig({ REGISTER_KEYS: `a:${short}` })).toThrow(
      'REGISTER_KEYS (value not shown): key "a": 16 bytes',
    );
    let message = '';
    try {
      loadConfig({ REGISTER_KEYS: `a:${short}` });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toContain(short);
    const cfg = loadConfig({ REGISTER_KEYS: `a:${A},b:${B}`, REGISTER_KEY_ID: 'b' });
    expect(cfg.REGISTER_KEYS!.ids).toEqual(['a', 'b']);
    for (const dump of [JSON.stringify(cfg), inspect(cfg, { depth: 5 }), String(cfg.REGISTER_KEYS)]) {
      expect(dump).toContain('[register keys a, b]');
      expect(dump).not.toContain(A);
      expect(dump).not.toContain(B);
    }
  });

  it('REGISTER_KEY_ID must be among the keys, and is required with several', () => {
    expect(() => loadConfig({ REGISTER_KEYS: `a:${A}`, REGISTER_KEY_ID: 'b' })).toThrow(
      'REGISTER_KEY_ID="b": not among the ids of REGISTER_KEYS (a)',
    );
    expect(() => loadConfig({ REGISTER_KEYS: `a:${A},b:${B}` })).toThrow(
      /REGISTER_KEY_ID: required when REGISTER_KEYS holds several keys \(a, b\)/,
    );
    expect(() => loadConfig({ REGISTER_KEY_ID: 'a' })).toThrow(
      'REGISTER_KEY_ID="a": REGISTER_KEYS (or REGISTER_KEYS_FILE) is not set',
    );
  });

  it('is required where the register is opened, unless REGISTER_ENCRYPTION=off (never in production)', () => {
    expect(() => registerCipher(loadConfig({}))).toThrow(ConfigError);
    expect(() => registerCipher(loadConfig({}))).toThrow(/REGISTER_KEYS \(or REGISTER_KEYS_FILE\): required/);
    expect(registerCipher(loadConfig({ REGISTER_ENCRYPTION: 'off' }))).toBe(plainCipher);
    const one = registerCipher(loadConfig({ REGISTER_KEYS: `a:${A}` }));
    expect(one).toBeInstanceOf(KeyringCipher);
    expect((one as KeyringCipher).currentId).toBe('a');
    expect(() => loadConfig({ REGISTER_ENCRYPTION: 'off', NODE_ENV: 'production' })).toThrow(
      /REGISTER_ENCRYPTION=off: not allowed in production/,
    );
    expect(() => loadConfig({ REGISTER_ENCRYPTION: 'off', REGISTER_KEYS: `a:${A}` })).toThrow(
      'REGISTER_ENCRYPTION=off: REGISTER_KEYS would not be used',
    );
  });
});

describe('the key check at start', () => {
  const a = cipherOf(`a:${A}`, 'a');
  const b = cipherOf(`b:${B}`, 'b');

  it('names REGISTER_KEYS when a value does not open, and REGISTER_ENCRYPTION when it is off', () => {
    expect(() => openAtStart(b, 'c1', a.seal('c1', STATE), "a client's state in the register")).toThrow(
      /REGISTER_KEYS \/ REGISTER_KEY_ID: a client's state in the register cannot be opened: sealed with register key "a"/,
    );
    expect(() => openAtStart(plainCipher, 'c1', a.seal('c1', STATE), 'x')).toThrow(
      /REGISTER_ENCRYPTION=off, but x is encrypted \(register key "a"\)/,
    );
    expect(openAtStart(a, 'c1', a.seal('c1', STATE), 'x')).toBe(STATE);
  });

  it('in the memory store: the keys it was written with pass, another key stops the start', async () => {
    const store = new MemoryStore(a);
    await store.checkKeys();
    expect(await store.commit('c1', 0, emptyState('999990019'), 't/0/0', [])).toBe(true);
    await store.checkKeys();
    Object.defineProperty(store, 'cipher', { value: b });
    await expect(store.checkKeys()).rejects.toThrow(ConfigError);
  });
});

registerStoreContract(
  'memory, sealed',
  async () => new MemoryStore(cipherOf(`a:${A}`, 'a')),
  async (s) => s.close(),
);
