import { randomBytes, randomUUID } from 'node:crypto';
import { DEMO_CLIENTS, DEMO_POLICIES } from '../../demo/scenario';
import type { Rendered } from '../../services/messages/render';
import { gemeenteTopic } from '../../services/topics';
import { KeyringCipher, parseRegisterKeys } from '../../services/register/keys';
import { RedisStore } from '../../services/register/redis-store';
import { emptyState, type ClientState } from '../../services/register/state';
import { cliEnv, feedDemo, runningService, samenloop } from '../support/cli';
import { redisUrl } from '../support/infra';
import { collect, testKafka, waitFor } from '../support/kafka';
import { exitOf, processEnv, startProcessor } from '../support/processor-process';
import { createTopicsAndWait } from '../support/topics';
import { Changelog } from '../../services/register/changelog';
import { MemoryStore } from '../../services/register/memory-store';
import { registerStoreContract } from '../support/store-contract';

/**
 * Issue 15, point 3 on the real Redis (and Kafka): the register's client states and outboxes are sealed
 * (AES-256-GCM, the pseudonym as associated data), keys rotate with `samenloop register rotate-keys`, and a
 * processor whose keys do not open the register stops at start with exit 2 naming the setting.
 */

const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');
const cipher = (keys: string, current: string) => {
  const r = parseRegisterKeys(keys);
  if (!r.keys) throw new Error(r.problems.join('; '));
  return new KeyringCipher(r.keys, current);
};
const A = cipher(`a:${KEY_A}`, 'a');
const AB = cipher(`a:${KEY_A},b:${KEY_B}`, 'b');
const B = cipher(`b:${KEY_B}`, 'b');

const url = redisUrl();
const newPrefix = () => `test:${randomUUID().slice(0, 8)}:`;

async function drop(store: RedisStore, prefix: string) {
  const keys = await store.redis.keys(`${prefix}*`);
  if (keys.length > 0) await store.redis.del(...keys);
  await store.close();
}

/** Every state `s` and outbox value under `prefix`, raw, as Redis (its AOF, its replicas) has them. */
async function rawValues(store: RedisStore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const key of await store.redis.keys(`${prefix}{*}:*`)) {
    if (key.startsWith(`${prefix}{dagelijks:`)) continue; // the daily index: client ids and days
    const hash = await store.redis.hgetall(key);
    if (key.endsWith(':state')) out.push(hash.s!);
    else if (key.endsWith(':outbox')) out.push(...Object.values(hash));
    else throw new Error(`an unexpected key ${key}`);
  }
  return out;
}

const JANSEN = DEMO_CLIENTS.jansen;
const stateOf = (bsn: string, n: number): ClientState => ({
  ...emptyState(bsn),
  applied: { [`m${n}`]: `2026-11-23T00:00:0${n % 10}Z` },
});
const outputOf = (id: string): Rendered => ({
  channel: 'samenloop',
  gemeente: '0363',
  key: id,
  value: JSON.stringify({ id, bsn: JANSEN.bsn, naam: JANSEN.achternaam }),
  contentType: 'application/cloudevents+json',
  id,
});

const prefixes = new WeakMap<object, string>();
registerStoreContract(
  'redis, sealed',
  async () => {
    const prefix = newPrefix();
    const s = new RedisStore(url, prefix, {}, A);
    prefixes.set(s, prefix);
    return s;
  },
  async (s) => drop(s as RedisStore, prefixes.get(s)!),
);

describe('the register sealed in Redis', () => {
  it('keeps no BSN or name in clear in a state or an outbox value, and reads them back', async () => {
    const prefix = newPrefix();
    const store = new RedisStore(url, prefix, {}, A);
    try {
      const state = { ...stateOf(JANSEN.bsn, 1), naam: JANSEN.achternaam };
      expect(await store.commit('c1', 0, state, 't/0/1', [outputOf('o1')])).toBe(true);
      const raw = await rawValues(store, prefix);
      expect(raw).toHaveLength(2);
      for (const v of raw) {
        expect(v).toMatch(/^e1\.a\./);
        expect(v).not.toContain(JANSEN.bsn);
        expect(v).not.toContain(JANSEN.achternaam);
      }
      expect(await store.redis.hget(`${prefix}{c1}:state`, 'v')).toBe('1'); // the version stays clear
      expect(await store.load('c1')).toEqual({ state, version: 1 });
      expect(await store.pending('c1', 't/0/1')).toEqual([outputOf('o1')]);
      // a state restored from the changelog (a rebuild) is sealed as well
      await store.restore('c3', 4, state);
      const restored = await store.redis.hget(`${prefix}{c3}:state`, 's');
      expect(restored).toMatch(/^e1\.a\./);
      expect(restored).not.toContain(JANSEN.bsn);
      expect(await store.load('c3')).toEqual({ state, version: 4 });
      // a state copied under another client's key does not open
      await store.redis.hset(`${prefix}{c2}:state`, 'v', '1', 's', raw[0]!);
      await expect(store.load('c2')).rejects.toThrow(/cannot be opened with register key "a"/);
    } finally {
      await drop(store, prefix);
    }
  });

  describe('on a processor: the demo end to end', () => {
    const { env, cfg } = runningService({ GEMEENTE_POLICIES: DEMO_POLICIES });

    it('signals as before, and its register holds no BSN or name in clear', async () => {
      await feedDemo(env, cfg); // makes the gemeenten's topics first
      const { records, consumer } = await collect(testKafka(), [gemeenteTopic(cfg, '9999', 'samenloop')]);
      try {
        await waitFor(() => records.length >= 2, 120000, 200, 'the signals of gemeente 9999');
      } finally {
        await consumer.disconnect();
      }
      const store = RedisStore.fromConfig(cfg);
      try {
        const raw = await rawValues(store, cfg.REDIS_PREFIX);
        expect(raw.length).toBeGreaterThanOrEqual(3); // the demo's three clients
        for (const v of raw) {
          expect(v).toMatch(/^e1\.run\./);
          for (const c of Object.values(DEMO_CLIENTS)) {
            expect(v).not.toContain(c.bsn);
            expect(v).not.toContain(c.achternaam);
          }
        }
        const check = await store.redis.get(`${cfg.REDIS_PREFIX}register:key-check`);
        expect(check).toMatch(/^e1\.run\./);
      } finally {
        await store.close();
      }
      // and the register opens for the command line with the same keys
      const inspect = await samenloop(['inspect', '--json'], env, `${JANSEN.bsn}\n`);
      expect([inspect.code, inspect.stderr]).toEqual([0, '']);
      expect(inspect.stdout).toContain(JANSEN.achternaam);
    });
  });
});

describe('samenloop register rotate-keys', () => {
  it('rewrites every value not under the current key, once; the old key can then be dropped', async () => {
    const { env } = cliEnv();
    const prefix = env.REDIS_PREFIX!;
    const old = new RedisStore(url, prefix, {}, A);
    const rotated = new RedisStore(url, prefix, {}, B);
    try {
      await old.checkKeys(); // the key check value, under a
      for (let i = 0; i < 30; i++) {
        expect(await old.commit(`c${i}`, 0, stateOf(JANSEN.bsn, i), `t/0/${i}`, [outputOf(`o${i}`)])).toBe(
          true,
        );
      }
      // a plaintext value from before encryption at rest is rotated too
      await old.redis.hset(`${prefix}{plain}:state`, 'v', '1', 's', JSON.stringify(stateOf(JANSEN.bsn, 99)));

      const both = { ...env, REGISTER_KEYS: `a:${KEY_A},b:${KEY_B}`, REGISTER_KEY_ID: 'b' };
      const reader = new RedisStore(url, prefix, {}, AB);
      expect((await reader.load('c7')).state).toEqual(stateOf(JANSEN.bsn, 7));
      await reader.close();

      const first = await samenloop(['register', 'rotate-keys'], both);
      expect([first.code, first.stderr]).toEqual([0, '']);
      // 30 states, 30 outboxes, the plaintext state and the key check value
      expect(first.stdout).toBe('rewritten 62 value(s) of 31 client(s) under register key "b"\n');
      const raw = await rawValues(rotated, prefix);
      expect(raw).toHaveLength(61);
      expect(raw.every((v) => v.startsWith('e1.b.'))).toBe(true);
      expect(await rotated.redis.get(`${prefix}register:key-check`)).toMatch(/^e1\.b\./);

      const again = await samenloop(['register', 'rotate-keys'], both);
      expect([again.code, again.stdout]).toEqual([
        0,
        'rewritten 0 value(s) of 0 client(s) under register key "b"\n',
      ]);

      // key a dropped: everything still opens
      await rotated.checkKeys();
      for (let i = 0; i < 30; i++) {
        expect(await rotated.load(`c${i}`)).toEqual({ state: stateOf(JANSEN.bsn, i), version: 1 });
        expect(await rotated.pending(`c${i}`, `t/0/${i}`)).toEqual([outputOf(`o${i}`)]);
      }
      expect((await rotated.load('plain')).state).toEqual(stateOf(JANSEN.bsn, 99));

      // with only key a, the rotated register does not open: exit 2, naming the setting
      const wrong = await samenloop(['register', 'rotate-keys'], {
        ...env,
        REGISTER_KEYS: `a:${KEY_A}`,
        REGISTER_KEY_ID: 'a',
      });
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('REGISTER_KEYS');
      expect(wrong.stderr).not.toContain(KEY_A);
    } finally {
      await rotated.close();
      await drop(old, prefix);
    }
  });

  it('loses no commit that races it (the version decides, the client is read again)', async () => {
    const prefix = newPrefix();
    const old = new RedisStore(url, prefix, {}, A);
    const store = new RedisStore(url, prefix, {}, AB);
    try {
      const clients = Array.from({ length: 40 }, (_, i) => `r${i}`);
      for (const id of clients) await old.commit(id, 0, stateOf(JANSEN.bsn, 0), 't/0/0', [outputOf(id)]);
      // processors (already on key b) commit while the rotation runs
      const writers = (async () => {
        for (let round = 1; round <= 5; round++)
          for (const id of clients) {
            const { version } = await store.load(id);
            expect(await store.commit(id, version, stateOf(JANSEN.bsn, round), `t/0/${round}`, [])).toBe(
              true,
            );
            if (round === 3) await store.ack(id, ['t/0/0']);
          }
      })();
      const rotation = store.rotateKeys((v) => AB.isCurrent(v));
      await Promise.all([writers, rotation]);
      for (const id of clients) {
        expect(await store.load(id)).toEqual({ state: stateOf(JANSEN.bsn, 5), version: 6 });
        expect(await store.pending(id, 't/0/0')).toBeUndefined(); // an acked entry is not brought back
      }
      await store.rotateKeys((v) => AB.isCurrent(v));
      expect((await rawValues(store, prefix)).every((v) => v.startsWith('e1.b.'))).toBe(true);
    } finally {
      await old.close();
      await drop(store, prefix);
    }
  });
});

describe('a processor whose keys do not open the register', () => {
  /** A register written with key a (its key check value and one client), and the processor's environment. */
  async function registerUnderA(): Promise<Record<string, string>> {
    const { env } = await processEnv({ LOG_LEVEL: 'warn', START_TIMEOUT_MS: '120000' });
    const store = new RedisStore(url, env.REDIS_PREFIX!, {}, A);
    await store.checkKeys();
    await store.commit('c1', 0, stateOf(JANSEN.bsn, 1), 't/0/1', []);
    await store.close();
    return env;
  }

  it.each([
    [
      'an unknown key id',
      `x:${KEY_B}`,
      'x',
      /REGISTER_KEYS \/ REGISTER_KEY_ID: .* sealed with register key \\?"a\\?", which is not in REGISTER_KEYS \(x\)/,
    ],
    ['another key under the same id', `a:${KEY_B}`, 'a', /REGISTER_KEYS holds another key under that id/],
    ['no key at all', '', '', /REGISTER_KEYS \(or REGISTER_KEYS_FILE\): required/],
  ])('stops at start with exit 2 naming the setting: %s', async (_what, keys, id, message) => {
    const env = await registerUnderA();
    const { child, output } = startProcessor({ ...env, REGISTER_KEYS: keys, REGISTER_KEY_ID: id });
    expect(await exitOf(child, 300000)).toBe(2);
    expect(output()).toMatch(message);
    expect(output()).not.toContain(KEY_A);
    expect(output()).not.toContain(KEY_B);
  });
  it.each([
    ['sealed as a whole', false],
    ['its state sealed as its commit sealed it for the register', true],
  ])(
    'stops at start with exit 2 naming the setting when the register is lost and its changelog is sealed with another key (%s)',
    async (_form, committed) => {
      // Redis lost the register (nothing under the prefix, no epoch); its changelog holds a client sealed with a
      const { env } = await processEnv({ LOG_LEVEL: 'warn', START_TIMEOUT_MS: '120000' });
      const kafka = testKafka();
      const admin = kafka.admin();
      const producer = kafka.producer();
      await Promise.all([admin.connect(), producer.connect()]);
      try {
        await createTopicsAndWait(admin, [
          {
            topic: env.TOPIC_CHANGELOG!,
            numPartitions: 1,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          },
        ]);
        const store = new MemoryStore(A);
        const state = stateOf(JANSEN.bsn, 1);
        if (committed) expect(await store.commit('c1', 0, state, 't/0/1', [])).toBe(true);
        const value = new Changelog(store).encode('c1', 1, state);
        expect(value.startsWith('{"v":1,"s":"')).toBe(committed);
        await producer.send({ topic: env.TOPIC_CHANGELOG!, acks: -1, messages: [{ key: 'c1', value }] });
      } finally {
        await Promise.all([admin.disconnect(), producer.disconnect()]);
      }
      const { child, output } = startProcessor({ ...env, REGISTER_KEYS: `b:${KEY_B}`, REGISTER_KEY_ID: 'b' });
      expect(await exitOf(child, 300000)).toBe(2);
      expect(output()).toMatch(
        /REGISTER_KEYS \/ REGISTER_KEY_ID: a record of [\w.-]+ cannot be opened: sealed with register key \\?"a\\?", which is not in REGISTER_KEYS \(b\)/,
      );
      expect(output()).not.toContain(KEY_A);
      expect(output()).not.toContain(KEY_B);
      expect(output()).not.toContain(JANSEN.bsn);
    },
  );
});
