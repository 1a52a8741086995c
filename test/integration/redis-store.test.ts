import { randomUUID } from 'node:crypto';
import { RedisStore } from '../../services/register/redis-store';
import { redisUrl } from '../support/infra';
import { racingCommitsContract, registerStoreContract } from '../support/store-contract';

const url = redisUrl();

async function drop(store: RedisStore, prefix: string) {
  const keys = await store.redis.keys(`${prefix}*`);
  if (keys.length > 0) await store.redis.del(...keys);
  await store.close();
}

const prefixes = new WeakMap<object, string>();

registerStoreContract(
  'redis',
  async () => {
    const prefix = `test:${randomUUID().slice(0, 8)}:`;
    const s = new RedisStore(url, prefix);
    prefixes.set(s, prefix);
    return s;
  },
  async (s) => drop(s as RedisStore, prefixes.get(s)!),
);

describe('RedisStore key layout', () => {
  it('hash-tags every key of a client and keeps BSNs out of key names', async () => {
    const prefix = `test:${randomUUID().slice(0, 8)}:`;
    const store = new RedisStore(url, prefix);
    try {
      await store.commit('abc123', 0, { bsn: '999990019', facts: {}, applied: {} }, 't/0/1', [
        {
          channel: 'samenloop',
          gemeente: '0363',
          key: 'k',
          value: '{}',
          contentType: 'application/cloudevents+json',
          id: 'i',
        },
      ]);
      await store.index('abc123', { gemeenten: ['0363'], beeindigingen: ['b1'] });
      const keys = (await store.redis.keys(`${prefix}*`)).sort();
      expect(keys).toEqual(
        [
          `${prefix}{abc123}:outbox`,
          `${prefix}{abc123}:state`,
          `${prefix}beeindiging:b1`,
          `${prefix}gemeente:0363:clients`,
        ].sort(),
      );
      expect(keys.join(' ')).not.toContain('999990019');
      expect(await store.clientIds()).toEqual(['abc123']);
    } finally {
      await drop(store, prefix);
    }
  });

  racingCommitsContract(
    (prefix) => new RedisStore(url, prefix),
    (s, prefix) => drop(s as RedisStore, prefix),
  );
});

describe('the rebuild lock', () => {
  it('is renewed only by its owner, and expires when the owner stops renewing (killed)', async () => {
    const prefix = `test:${randomUUID().slice(0, 8)}:`;
    const store = new RedisStore(url, prefix);
    try {
      expect(await store.acquireRebuildLock('a', 300)).toBe(true);
      expect(await store.renewRebuildLock('b', 60000)).toBe(false);
      expect(await store.renewRebuildLock('a', 60000)).toBe(true);
      expect(await store.redis.pttl(`${prefix}register:rebuild-lock`)).toBeGreaterThan(1000);
      expect(await store.acquireRebuildLock('b', 300)).toBe(false);
      // a lock no one renews is gone after its TTL: another instance takes it
      expect(await store.renewRebuildLock('a', 200)).toBe(true);
      await new Promise((r) => setTimeout(r, 600));
      expect(await store.acquireRebuildLock('b', 300)).toBe(true);
      expect(await store.renewRebuildLock('a', 60000)).toBe(false);
    } finally {
      await drop(store, prefix);
    }
  });
});
