import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type Redis from 'ioredis';
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

describe('the commits of one tick', () => {
  it('go to Redis in one socket write, in the order they were made (a read sent after them sees them)', async () => {
    const prefix = `test:${randomUUID().slice(0, 8)}:`;
    const store = new RedisStore(url, prefix);
    try {
      await store.redis.ping(); // connected: the socket is there
      const socket = (store.redis as Redis).stream as Socket & {
        _write: Socket['_write'];
        _writev?: (chunks: Array<{ chunk: unknown }>, cb: (err?: Error | null) => void) => void;
      };
      // the real socket's own methods, counted: how many writes reach it and how many commands each carries
      const writes: number[] = [];
      const write = socket._write.bind(socket);
      const writev = socket._writev!.bind(socket);
      socket._write = (chunk, encoding, cb) => (writes.push(1), write(chunk, encoding, cb));
      socket._writev = (chunks, cb) => (writes.push(chunks.length), writev(chunks, cb));
      const ids = Array.from({ length: 50 }, (_, i) => `tick${i}`);
      const state = { bsn: '999990019', facts: {}, applied: {} };
      const commits = ids.map((id, i) => store.commit(id, 0, state, `t/0/${i}`, []));
      const read = store.versions(ids); // a pipeline, written after the commits in the same tick
      expect(await Promise.all(commits)).toEqual(ids.map(() => true));
      expect(await read).toEqual(ids.map(() => 1));
      socket._write = write;
      socket._writev = writev;
      // 50 commits and the pipeline of 50 reads: one write of 51 chunks (without the cork: 51 writes)
      expect(writes).toEqual([51]);
      // the next tick's command is written on its own again, at once
      expect(await store.commit('tick0', 1, state, 't/0/50', [])).toBe(true);
    } finally {
      await drop(store, prefix);
    }
  });
});
