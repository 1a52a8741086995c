import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis, { type RedisOptions } from 'ioredis';
import type { Output } from '../engine';
import type { ClientState } from './state';
import type { ClientRecord, IndexEntries, RegisterStore } from './store';

/** Lua scripts, one file each, loaded once and called by name (the BullMQ way). */
const SCRIPTS = {
  registerCommit: { file: 'commit.lua', numberOfKeys: 2 },
} as const;

function loadScript(file: string): string {
  return fs.readFileSync(path.join(__dirname, 'lua', file), 'utf8');
}

type ScriptedRedis = Redis & {
  registerCommit(state: string, outbox: string, ...args: string[]): Promise<number>;
};

/**
 * The register in Redis. Key names hold no BSN: the client id is a keyed HMAC of it. Every key of one
 * client carries the hash tag `{<clientId>}`, so a Redis Cluster keeps a client in one slot and the
 * commit script stays atomic there.
 *
 *   <prefix>{<clientId>}:state      hash  v = version, s = ClientState JSON
 *   <prefix>{<clientId>}:outbox     hash  input position -> outputs JSON (until acked)
 *   <prefix>gemeente:<code>:clients set   client ids with a Wmo toewijzing/aanvraag of that gemeente
 *   <prefix>beeindiging:<id>        string client id
 */
export class RedisStore implements RegisterStore {
  readonly redis: ScriptedRedis;

  constructor(
    url: string,
    private readonly prefix: string,
    options: RedisOptions = {},
  ) {
    this.redis = new Redis(url, {
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
      ...options,
    }) as ScriptedRedis;
    for (const [name, s] of Object.entries(SCRIPTS)) {
      this.redis.defineCommand(name, { numberOfKeys: s.numberOfKeys, lua: loadScript(s.file) });
    }
  }

  private stateKey = (id: string) => `${this.prefix}{${id}}:state`;
  private outboxKey = (id: string) => `${this.prefix}{${id}}:outbox`;
  gemeenteKey = (code: string) => `${this.prefix}gemeente:${code}:clients`;
  private beeindigingKey = (id: string) => `${this.prefix}beeindiging:${id}`;

  async load(clientId: string): Promise<ClientRecord> {
    const [v, s] = await this.redis.hmget(this.stateKey(clientId), 'v', 's');
    if (v == null || s == null) return { state: undefined, version: 0 };
    return { state: JSON.parse(s) as ClientState, version: Number(v) };
  }

  async commit(
    clientId: string,
    expectedVersion: number,
    state: ClientState,
    position: string,
    outputs: readonly Output[],
  ): Promise<boolean> {
    const r = await this.redis.registerCommit(
      this.stateKey(clientId),
      this.outboxKey(clientId),
      String(expectedVersion),
      JSON.stringify(state),
      position,
      outputs.length > 0 ? JSON.stringify(outputs) : '',
    );
    return r === 1;
  }

  async pending(clientId: string, position: string): Promise<Output[] | undefined> {
    const raw = await this.redis.hget(this.outboxKey(clientId), position);
    return raw === null ? undefined : (JSON.parse(raw) as Output[]);
  }

  async ack(clientId: string, positions: readonly string[]): Promise<void> {
    if (positions.length > 0) await this.redis.hdel(this.outboxKey(clientId), ...positions);
  }

  async index(clientId: string, entries: IndexEntries): Promise<void> {
    if (entries.gemeenten.length + entries.beeindigingen.length === 0) return;
    const p = this.redis.pipeline();
    for (const g of entries.gemeenten) p.sadd(this.gemeenteKey(g), clientId);
    for (const b of entries.beeindigingen) p.set(this.beeindigingKey(b), clientId);
    const results = await p.exec();
    const failed = results?.find(([err]) => err);
    if (failed) throw failed[0];
  }

  async clientsOf(gemeente: string): Promise<string[]> {
    return (await this.redis.smembers(this.gemeenteKey(gemeente))).sort();
  }

  async clientOfBeeindiging(beeindigingId: string): Promise<string | undefined> {
    return (await this.redis.get(this.beeindigingKey(beeindigingId))) ?? undefined;
  }

  private epochKey = () => `${this.prefix}register:epoch`;
  private lockKey = () => `${this.prefix}register:rebuild-lock`;

  /**
   * The register's epoch marker: written once the register is complete (new, or rebuilt). If it is gone
   * while the consumer group has committed offsets, Redis lost the register (flush, failover without
   * persistence) and it must be rebuilt before anything else is processed.
   */
  async hasEpoch(): Promise<boolean> {
    return (await this.redis.exists(this.epochKey())) === 1;
  }

  async setEpoch(): Promise<void> {
    await this.redis.set(this.epochKey(), new Date().toISOString());
  }

  /** One instance rebuilds at a time; the others wait for the epoch. */
  async acquireRebuildLock(owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.lockKey(), owner, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async releaseRebuildLock(owner: string): Promise<void> {
    if ((await this.redis.get(this.lockKey())) === owner) await this.redis.del(this.lockKey());
  }

  /** Removes every key of this register except the rebuild lock (what a partial loss left behind). */
  async wipe(): Promise<number> {
    let removed = 0;
    const stream = this.redis.scanStream({ match: `${this.prefix}*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      const doomed = keys.filter((k) => k !== this.lockKey());
      if (doomed.length > 0) removed += await this.redis.unlink(...doomed);
    }
    return removed;
  }

  /** All client ids under this prefix (SCAN; for the register view and tests, not the hot path). */
  async clientIds(): Promise<string[]> {
    const ids = new Set<string>();
    const stream = this.redis.scanStream({ match: `${this.prefix}{*}:state`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      for (const k of keys) ids.add(k.slice(this.prefix.length + 1, k.indexOf('}', this.prefix.length)));
    }
    return [...ids].sort();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
