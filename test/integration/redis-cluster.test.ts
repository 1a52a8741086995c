import { randomBytes, randomUUID } from 'node:crypto';
import type { Cluster } from 'ioredis';
import { loadConfig } from '../../services/config';
import type { Rendered as Output } from '../../services/messages/render';
import { KeyringCipher, parseRegisterKeys } from '../../services/register/keys';
import { RedisStore } from '../../services/register/redis-store';
import { emptyState } from '../../services/register/state';
import { REGISTER_KEY_ENV } from '../support/kafka';
import { startRedisCluster, type RedisClusterHandle } from '../support/redis-cluster';
import { racingCommitsContract, registerStoreContract } from '../support/store-contract';

/** The RedisStore on a real 3-master Redis Cluster (private redis-server processes, killed afterwards). */
let cluster: RedisClusterHandle;

beforeAll(async () => {
  cluster = await startRedisCluster();
}, 300000);

afterAll(async () => {
  await cluster?.kill();
});

/** Keys under `prefix` per master, read from each master directly (not through the store). */
async function keysPerMaster(store: RedisStore, prefix: string): Promise<string[][]> {
  const masters = (store.redis as Cluster).nodes('master');
  expect(masters).toHaveLength(3);
  return Promise.all(masters.map(async (m) => (await m.keys(`${prefix}*`)).sort()));
}

async function drop(store: RedisStore, prefix: string) {
  for (const keys of await keysPerMaster(store, prefix)) {
    await Promise.all(keys.map((k) => store.redis.del(k)));
  }
  await store.close();
}

const prefixes = new WeakMap<object, string>();

registerStoreContract(
  'redis cluster',
  async () => {
    const prefix = `test:${randomUUID().slice(0, 8)}:`;
    const s = RedisStore.fromConfig(
      loadConfig({
        REDIS_CLUSTER_NODES: cluster.hostPorts.join(','),
        REDIS_PREFIX: prefix,
        ...REGISTER_KEY_ENV,
      }),
    );
    prefixes.set(s, prefix);
    return s;
  },
  async (s) => drop(s as RedisStore, prefixes.get(s)!),
);

describe('RedisStore on a Redis Cluster', () => {
  it('connects in cluster mode from REDIS_CLUSTER_NODES', async () => {
    const prefix = `test:${randomUUID().slice(0, 8)}:`;
    const store = RedisStore.fromConfig(
      loadConfig({
        REDIS_CLUSTER_NODES: cluster.hostPorts.join(','),
        REDIS_PREFIX: prefix,
        ...REGISTER_KEY_ENV,
      }),
    );
    try {
      expect(store.isCluster).toBe(true);
      expect(await store.redis.ping()).toBe('PONG');
      expect(store.redis.status).toBe('ready');
      expect(await store.hasEpoch()).toBe(false);
      await store.setEpoch();
      expect(await store.hasEpoch()).toBe(true);
      expect(await store.acquireRebuildLock('me', 10000)).toBe(true);
      expect(await store.acquireRebuildLock('other', 10000)).toBe(false);
      await store.releaseRebuildLock('me');
      expect(await store.acquireRebuildLock('other', 10000)).toBe(true);
    } finally {
      await drop(store, prefix);
    }
  });

  it('spreads clients over the masters, and wipe()/clientIds() see all of them', async () => {
    const prefix = `test:${randomUUID().slice(0, 8)}:`;
    const store = new RedisStore({ cluster: cluster.nodes }, prefix);
    try {
      const ids = Array.from({ length: 60 }, (_, i) => `client${String(i).padStart(2, '0')}`);
      const out = (id: string): Output => ({
        channel: 'samenloop',
        gemeente: '0363',
        key: id,
        value: '{}',
        contentType: 'application/cloudevents+json',
        id,
      });
      for (const [i, id] of ids.entries()) {
        expect(await store.commit(id, 0, emptyState('999990019'), `t/0/${i}`, [out(id)])).toBe(true);
        await store.index(id, { gemeenten: ['0363', `0${100 + (i % 5)}`], beeindigingen: [`b${i}`] });
      }
      await store.setEpoch();
      expect(await store.acquireRebuildLock('me', 60000)).toBe(true);

      const perMaster = await keysPerMaster(store, prefix);
      const stateKeysPerMaster = perMaster.map((keys) => keys.filter((k) => k.endsWith(':state')).length);
      // A client's state and outbox share its slot, and so its master; the clients land on several masters.
      expect(stateKeysPerMaster.filter((n) => n > 0).length).toBeGreaterThan(1);
      expect(stateKeysPerMaster.reduce((a, b) => a + b, 0)).toBe(ids.length);
      for (const keys of perMaster) {
        for (const k of keys.filter((x) => x.endsWith(':state')))
          expect(keys).toContain(k.replace(/:state$/, ':outbox'));
      }
      const total = perMaster.flat().length;
      // state + outbox + beëindiging per client, 6 gemeente sets, the epoch and the lock.
      expect(total).toBe(3 * ids.length + 6 + 2);

      expect(await store.clientIds()).toEqual(ids);
      expect((await store.clientsOf('0363')).length).toBe(ids.length);

      // wipe() removes every key on every master except the rebuild lock.
      expect(await store.wipe()).toBe(total - 1);
      expect((await keysPerMaster(store, prefix)).flat()).toEqual([`${prefix}register:rebuild-lock`]);
      expect(await store.clientIds()).toEqual([]);
      expect(await store.hasEpoch()).toBe(false);
    } finally {
      await drop(store, prefix);
    }
  });

  it("checks its keys and rotates them on every master (reseal.lua in the client's slot)", async () => {
    const prefix = `test:${randomUUID().slice(0, 8)}:`;
    const keys = (text: string, current: string) => new KeyringCipher(parseRegisterKeys(text).keys!, current);
    const a = `a:${randomBytes(32).toString('base64')}`;
    const b = `b:${randomBytes(32).toString('base64')}`;
    const old = new RedisStore({ cluster: cluster.nodes }, prefix, {}, keys(a, 'a'));
    const both = keys(`${a},${b}`, 'b');
    const store = new RedisStore({ cluster: cluster.nodes }, prefix, {}, both);
    try {
      await old.checkKeys();
      const ids = Array.from({ length: 30 }, (_, i) => `client${i}`);
      for (const [i, id] of ids.entries())
        expect(await old.commit(id, 0, emptyState('999990019'), `t/0/${i}`, [])).toBe(true);
      await store.checkKeys();
      expect(await store.rotateKeys((v) => both.isCurrent(v))).toEqual({ clients: 30, values: 31 });
      expect(await store.rotateKeys((v) => both.isCurrent(v))).toEqual({ clients: 0, values: 0 });
      const states = await Promise.all(ids.map((id) => store.redis.hget(`${prefix}{${id}}:state`, 's')));
      expect(states.every((s) => s!.startsWith('e1.b.'))).toBe(true);
      const onlyB = new RedisStore({ cluster: cluster.nodes }, prefix, {}, keys(b, 'b'));
      try {
        await onlyB.checkKeys();
        expect((await onlyB.load('client7')).state).toEqual(emptyState('999990019'));
      } finally {
        await onlyB.close();
      }
      await expect(old.checkKeys()).rejects.toThrow(/REGISTER_KEYS/);
    } finally {
      await old.close();
      await drop(store, prefix);
    }
  });

  racingCommitsContract(
    (prefix) => new RedisStore({ cluster: cluster.nodes }, prefix),
    (s, prefix) => drop(s as RedisStore, prefix),
  );
});
