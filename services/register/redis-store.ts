import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis, { type Cluster, type ClusterNode, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Rendered } from '../messages/render';
import { commitSealed } from './state-json';
import type { IsoDate } from '../domain/facts';
import { redisConnectionOptions, type RedisConnectionSettings } from '../config/redis-connection';
import { ConfigError } from '../config/errors';
import { plainCipher, type StateCipher } from './cipher';
import { KEY_CHECK_ID, KEY_CHECK_TEXT, openAtStart, registerCipher, type RegisterKeySettings } from './keys';
import type { ClientState } from './state';
import { TickWrites } from './tick-writes';
import {
  CommitHeld,
  dueScore,
  TAKEN_TTL_SECONDS,
  type ClientRecord,
  type CommitEffects,
  type Head,
  type HeadRequest,
  type IndexEntries,
  type OutboxEntries,
  type ProposalChange,
  type ProposalSummary,
  type Register,
} from './store';

/** A day in the daily index as the scripts take it: YYYYMMDD, or '' when the client leaves it. */
const dueArg = (day: IsoDate | null): string => (day === null ? '' : String(dueScore(day)));

/** Lua scripts, one file each, loaded once and called by name (the BullMQ way). */
const SCRIPTS = {
  // the number of keys comes first in each call: 2, or more with the commit's effects (commit.lua)
  registerCommit: { file: 'commit.lua', numberOfKeys: undefined },
  registerHead: { file: 'head.lua', numberOfKeys: 2 },
  dueSet: { file: 'due-set.lua', numberOfKeys: 2 },
  dueTake: { file: 'due-take.lua', numberOfKeys: 2 },
  registerReseal: { file: 'reseal.lua', numberOfKeys: 2 },
  registerRemove: { file: 'remove.lua', numberOfKeys: 2 },
  renewRebuildLock: { file: 'lock-renew.lua', numberOfKeys: 1 },
} as const;

/**
 * A script's text with its includes in place: a line `--- @include "name"` becomes lua/includes/name.lua (as
 * BullMQ does), so a piece two scripts share is written once. Redis runs one script text; there is no require.
 */
export function loadScript(file: string): string {
  const text = fs.readFileSync(path.join(__dirname, 'lua', file), 'utf8');
  return text.replace(/^--- @include "([a-z-]+)"$/gm, (_line, name: string) =>
    fs.readFileSync(path.join(__dirname, 'lua', 'includes', `${name}.lua`), 'utf8').trimEnd(),
  );
}

type ScriptedRedis = (Redis | Cluster) & {
  registerCommit(numberOfKeys: number, ...keysAndArgs: string[]): Promise<number | string>;
  registerHead(state: string, outbox: string, withState: string, ...except: string[]): Promise<string[]>;
  dueSet(due: string, versions: string, ...args: string[]): Promise<number>;
  dueTake(due: string, taken: string, ...args: string[]): Promise<string[]>;
  registerReseal(state: string, outbox: string, ...args: string[]): Promise<number>;
  registerRemove(state: string, outbox: string, expectedVersion: string): Promise<number>;
  renewRebuildLock(lock: string, owner: string, ttlMs: string): Promise<number>;
};

/** The commands `RedisStore.batch` sends, on the client or in a pipeline. */
type BatchCommands = Pick<Redis, 'hget' | 'hdel' | 'hmget'> & Pick<ScriptedRedis, 'registerHead'>;

/** Where a Redis Cluster is: its startup nodes; `options` of the constructor then apply to every node. */
export interface RedisClusterTarget {
  cluster: ClusterNode[];
  clusterOptions?: Omit<ClusterOptions, 'redisOptions'>;
}

/** Username, password and TLS of a redis:// or rediss:// URL, for the nodes of a cluster. */
export function connectionOptionsOf(url: string): RedisOptions {
  return redisConnectionOptions({ REDIS_URL: url });
}

/** `host:port` to a cluster startup node. */
function clusterNode(hostPort: string): { host: string; port: number } {
  const colon = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, colon), port: Number(hostPort.slice(colon + 1)) };
}

/**
 * The register in Redis. Key names hold no BSN: the client id is a keyed HMAC of it. Every key of one
 * client carries the hash tag `{<clientId>}`, so a Redis Cluster keeps a client in one slot and the
 * commit script stays atomic there.
 *
 *   <prefix>{<clientId>}:state      hash  v = version, s = ClientState JSON, sealed
 *   <prefix>{<clientId>}:outbox     hash  input position -> outputs JSON, sealed (until acked)
 *   <prefix>register:key-check      string  a known text, sealed: opened at start to check the keys
 *   <prefix>gemeente:<code>:clients set   client ids with a Wmo toewijzing/aanvraag of that gemeente
 *   <prefix>beeindiging:<id>        string client id
 *   <prefix>{dagelijks:<slice>}:due      sorted set  client id -> YYYYMMDD of its next re-evaluation
 *   <prefix>{dagelijks:<slice>}:versies  hash        client id -> version of the last write to :due
 *   <prefix>{dagelijks:<slice>}:tick:<position>  set  the clients one tick took (expires after a week)
 */
export class RedisStore implements Register {
  readonly redis: ScriptedRedis;
  /** True when `redis` is a Redis Cluster client: no multi-key commands across slots, SCAN per master. */
  readonly isCluster: boolean;
  private lastConnectionError: Error | undefined;
  /** The commits of one tick in one socket write (./tick-writes.ts); a cluster spreads them over its nodes. */
  private readonly tickWrites = new TickWrites();

  /** From the configuration: a Redis Cluster when REDIS_CLUSTER_NODES is set, else the Redis at REDIS_URL. */
  static fromConfig(
    cfg: RedisConnectionSettings &
      RegisterKeySettings & { REDIS_PREFIX: string; REDIS_CLUSTER_NODES?: string[] | undefined },
  ): RedisStore {
    const nodes = cfg.REDIS_CLUSTER_NODES;
    // the ACL user, its password and TLS (services/config/redis-connection.ts)
    const options = redisConnectionOptions(cfg);
    // encryption at rest (./keys.ts): a ConfigError when the keys are missing
    const cipher = registerCipher(cfg);
    if (!nodes || nodes.length === 0) return new RedisStore(cfg.REDIS_URL, cfg.REDIS_PREFIX, options, cipher);
    return new RedisStore({ cluster: nodes.map(clusterNode) }, cfg.REDIS_PREFIX, options, cipher);
  }

  /**
   * `target`: a redis:// URL (one Redis), or the startup nodes of a Redis Cluster. `options` are the
   * connection options (of every node, in a cluster). `cipher` seals the state and outbox values of a
   * client (./keys.ts); plain by default, for tests of code that does not care about encryption at rest.
   */
  constructor(
    target: string | RedisClusterTarget,
    private readonly prefix: string,
    options: RedisOptions = {},
    readonly cipher: StateCipher = plainCipher,
  ) {
    const redisOptions: RedisOptions = { maxRetriesPerRequest: 2, enableOfflineQueue: true, ...options };
    if (typeof target === 'string') {
      this.isCluster = false;
      this.redis = new Redis(target, redisOptions) as ScriptedRedis;
    } else {
      this.isCluster = true;
      this.redis = new Redis.Cluster(target.cluster, {
        enableOfflineQueue: true,
        ...target.clusterOptions,
        redisOptions,
      }) as ScriptedRedis;
    }
    this.redis.on('error', (err: Error) => (this.lastConnectionError = err));
    this.redis.on('ready', () => (this.lastConnectionError = undefined));
    for (const [name, s] of Object.entries(SCRIPTS)) {
      this.redis.defineCommand(name, { numberOfKeys: s.numberOfKeys, lua: loadScript(s.file) });
    }
  }

  private stateKey = (id: string) => `${this.prefix}{${id}}:state`;
  private outboxKey = (id: string) => `${this.prefix}{${id}}:outbox`;
  gemeenteKey = (code: string) => `${this.prefix}gemeente:${code}:clients`;
  private beeindigingKey = (id: string) => `${this.prefix}beeindiging:${id}`;

  async load(clientId: string): Promise<ClientRecord> {
    return this.record(clientId, await this.redis.hmget(this.stateKey(clientId), 'v', 's'));
  }

  async loadAll(clientIds: readonly string[]): Promise<ClientRecord[]> {
    const raw = await this.batch(clientIds, (id, r) => r.hmget(this.stateKey(id), 'v', 's'));
    return raw.map((vs, i) => this.record(clientIds[i]!, vs as Array<string | null>));
  }

  private record(clientId: string, [v, s]: Array<string | null | undefined>): ClientRecord {
    if (v == null || s == null) return { state: undefined, version: 0 };
    return { state: JSON.parse(this.cipher.open(clientId, s)) as ClientState, version: Number(v) };
  }

  async versions(clientIds: readonly string[]): Promise<number[]> {
    const vs = await this.batch(clientIds, (id, r) => r.hget(this.stateKey(id), 'v'));
    return vs.map((v) => Number(v ?? 0));
  }

  async heads(requests: readonly HeadRequest[]): Promise<Head[]> {
    const raw = await this.batch(requests, (q, r) =>
      r.registerHead(
        this.stateKey(q.clientId),
        this.outboxKey(q.clientId),
        q.withState ? '1' : '0',
        ...q.except,
      ),
    );
    return raw.map((row, i) => {
      const [v, s, ...entries] = row as string[];
      const outbox: OutboxEntries = {};
      for (let j = 0; j < entries.length; j += 2) outbox[entries[j]!] = entries[j + 1]!;
      const version = Number(v ?? 0);
      const id = requests[i]!.clientId;
      const state = s ? (JSON.parse(this.cipher.open(id, s)) as ClientState) : undefined;
      return { version, state, outbox };
    });
  }

  /**
   * One command per item, sent together: one write and one round trip through a pipeline on a single Redis
   * (a flush's 200 commands were 200 socket writes, each a system call: the largest single cost in the
   * drain's profile), one command each in parallel in a cluster, whose pipelines may not span slots.
   */
  private async batch<T, R>(
    items: readonly T[],
    command: (item: T, r: BatchCommands) => Promise<R> | unknown,
  ): Promise<R[]> {
    if (items.length === 0) return [];
    if (this.isCluster || items.length === 1)
      return Promise.all(items.map((item) => command(item, this.redis) as Promise<R>));
    const pipe = this.redis.pipeline();
    for (const item of items) command(item, pipe as unknown as BatchCommands);
    const results = (await pipe.exec()) ?? [];
    return results.map(([err, value]) => {
      if (err) throw err;
      return value as R;
    });
  }

  async commit(
    clientId: string,
    expectedVersion: number,
    state: ClientState,
    position: string,
    outputs: readonly Rendered[],
    effects?: CommitEffects,
    hold = true,
  ): Promise<boolean> {
    const keys = [this.stateKey(clientId), this.outboxKey(clientId)];
    const args = [
      String(expectedVersion),
      commitSealed(this.cipher, clientId, state),
      position,
      outputs.length > 0 ? this.cipher.seal(clientId, JSON.stringify(outputs)) : '',
      hold ? '1' : '0',
    ];
    if (effects && !this.isCluster) {
      // one call for the record: the commit, its indexes and its due day (a socket write per command was
      // the drain's largest cost after the look-ahead)
      const { index, due } = effects;
      if (due) keys.push(this.dueKey(due.slice), this.dueVersionsKey(due.slice));
      for (const g of index.gemeenten) keys.push(this.gemeenteKey(g));
      for (const b of index.beeindigingen) keys.push(this.beeindigingKey(b));
      args.push(clientId, due ? dueArg(due.day) : '-', String(index.gemeenten.length));
    }
    if (!this.isCluster) this.tickWrites.hold((this.redis as Redis).stream);
    const r = await this.redis.registerCommit(keys.length, ...keys, ...args);
    if (typeof r === 'string') throw new CommitHeld(clientId, r);
    const won = r === 1;
    if (won && effects && this.isCluster)
      await Promise.all([
        this.index(clientId, effects.index),
        effects.due && this.setDue(effects.due.slice, clientId, expectedVersion + 1, effects.due.day),
      ]);
    return won;
  }

  async remove(clientId: string, expectedVersion: number): Promise<boolean> {
    const r = await this.redis.registerRemove(
      this.stateKey(clientId),
      this.outboxKey(clientId),
      String(expectedVersion),
    );
    return r === 1;
  }

  async restore(
    clientId: string,
    version: number,
    state: ClientState,
    outbox: OutboxEntries = {},
  ): Promise<void> {
    const sealed = this.cipher.seal(clientId, JSON.stringify(state));
    const entries = Object.entries(outbox).flat();
    // one MULTI: the state and its outbox as the changelog record gave them, never one without the other
    const tx = this.redis.multi().hset(this.stateKey(clientId), 'v', String(version), 's', sealed);
    tx.del(this.outboxKey(clientId));
    if (entries.length > 0) tx.hset(this.outboxKey(clientId), ...entries);
    const results = (await tx.exec()) ?? [];
    for (const [err] of results) if (err) throw err;
  }

  async pending(clientId: string, position: string): Promise<Rendered[] | undefined> {
    const raw = await this.redis.hget(this.outboxKey(clientId), position);
    return raw === null ? undefined : (JSON.parse(this.cipher.open(clientId, raw)) as Rendered[]);
  }

  async ackAll(entries: ReadonlyArray<{ clientId: string; position: string }>): Promise<void> {
    await this.batch(entries, (e, r) => r.hdel(this.outboxKey(e.clientId), e.position));
  }

  async ack(clientId: string, positions: readonly string[]): Promise<void> {
    if (positions.length > 0) await this.redis.hdel(this.outboxKey(clientId), ...positions);
  }

  async index(clientId: string, entries: IndexEntries): Promise<void> {
    if (entries.gemeenten.length + entries.beeindigingen.length === 0) return;
    // One command each, in parallel (a Pipeline object costs more to build than the one or two commands a
    // client has), and in a cluster the keys are in different slots anyway.
    await Promise.all([
      ...entries.gemeenten.map((g) => this.redis.sadd(this.gemeenteKey(g), clientId)),
      ...entries.beeindigingen.map((b) => this.redis.set(this.beeindigingKey(b), clientId)),
    ]);
  }

  async unindex(clientId: string, entries: IndexEntries): Promise<void> {
    await Promise.all([
      ...entries.gemeenten.map((g) => this.redis.srem(this.gemeenteKey(g), clientId)),
      ...entries.beeindigingen.map(async (b) => {
        // ids are unique per client (engine/ids.ts); the check keeps this safe anyway
        if ((await this.redis.get(this.beeindigingKey(b))) === clientId)
          await this.redis.del(this.beeindigingKey(b));
      }),
    ]);
  }

  async clientsOf(gemeente: string): Promise<string[]> {
    return (await this.redis.smembers(this.gemeenteKey(gemeente))).sort();
  }

  async clientOfBeeindiging(beeindigingId: string): Promise<string | undefined> {
    return (await this.redis.get(this.beeindigingKey(beeindigingId))) ?? undefined;
  }

  /** The keys of one slice of the daily index share the hash tag `{dagelijks:<slice>}`: one cluster slot. */
  dueKey = (slice: number) => `${this.prefix}{dagelijks:${slice}}:due`;
  private dueVersionsKey = (slice: number) => `${this.prefix}{dagelijks:${slice}}:versies`;
  private takenKey = (slice: number, tick: string) => `${this.prefix}{dagelijks:${slice}}:tick:${tick}`;

  async setDue(slice: number, clientId: string, version: number, day: IsoDate | null): Promise<void> {
    await this.redis.dueSet(
      this.dueKey(slice),
      this.dueVersionsKey(slice),
      clientId,
      String(version),
      dueArg(day),
    );
  }

  async forgetDue(slice: number, clientId: string): Promise<void> {
    await Promise.all([
      this.redis.zrem(this.dueKey(slice), clientId),
      this.redis.hdel(this.dueVersionsKey(slice), clientId),
    ]);
  }

  async takeDue(slice: number, day: IsoDate, tick: string, limit: number): Promise<string[]> {
    return this.redis.dueTake(
      this.dueKey(slice),
      this.takenKey(slice, tick),
      String(dueScore(day)),
      String(limit),
      String(TAKEN_TTL_SECONDS),
    );
  }

  async takenBy(slice: number, tick: string): Promise<string[]> {
    return (await this.redis.smembers(this.takenKey(slice, tick))).sort();
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

  async epoch(): Promise<string | undefined> {
    return (await this.redis.get(this.epochKey())) ?? undefined;
  }

  async setEpoch(): Promise<void> {
    await this.redis.set(this.epochKey(), `${new Date().toISOString()} ${randomUUID()}`);
  }

  /** One instance rebuilds at a time; the others wait for the epoch. */
  async acquireRebuildLock(owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.lockKey(), owner, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async renewRebuildLock(owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.renewRebuildLock(this.lockKey(), owner, String(ttlMs))) === 1;
  }

  async releaseRebuildLock(owner: string): Promise<void> {
    if ((await this.redis.get(this.lockKey())) === owner) await this.redis.del(this.lockKey());
  }

  private keyCheckKey = () => `${this.prefix}register:key-check`;

  /**
   * At start: the key check value and one client's state must open with the configured keys (a ConfigError,
   * exit 2, naming REGISTER_KEYS / REGISTER_KEY_ID when not). A register without a key check value gets
   * one, sealed with the current key.
   */
  async checkKeys(): Promise<void> {
    const check = await this.redis.get(this.keyCheckKey());
    if (check === null) {
      await this.redis.set(this.keyCheckKey(), this.cipher.seal(KEY_CHECK_ID, KEY_CHECK_TEXT), 'NX');
    } else if (
      openAtStart(this.cipher, KEY_CHECK_ID, check, 'the key check value in the register') !== KEY_CHECK_TEXT
    ) {
      throw new ConfigError([
        'REGISTER_KEYS: the key check value in the register is not what samenloop wrote',
      ]);
    }
    for await (const keys of this.scan(`${this.prefix}{*}:state`, 500)) {
      const key = keys[0];
      if (key === undefined) continue;
      const s = await this.redis.hget(key, 's');
      if (s !== null) openAtStart(this.cipher, this.clientIdOf(key), s, "a client's state in the register");
      return;
    }
  }

  /**
   * `samenloop register rotate-keys`: every state, outbox and key check value not sealed with the current
   * key (`isCurrent`) opened and sealed again with it. Per client atomically (reseal.lua: only while the
   * version read is still there, so a concurrent commit is never lost; a client that changed is read again).
   */
  async rotateKeys(isCurrent: (stored: string) => boolean): Promise<{ clients: number; values: number }> {
    let clients = 0;
    let values = 0;
    for await (const keys of this.scan(`${this.prefix}{*}:state`, 500)) {
      for (const key of keys) {
        const n = await this.resealClient(this.clientIdOf(key), isCurrent);
        if (n > 0) clients += 1;
        values += n;
      }
    }
    const check = await this.redis.get(this.keyCheckKey());
    if (check !== null && !isCurrent(check)) {
      const resealed = this.cipher.seal(KEY_CHECK_ID, this.cipher.open(KEY_CHECK_ID, check));
      await this.redis.set(this.keyCheckKey(), resealed);
      values += 1;
    }
    return { clients, values };
  }

  /** Reseals one client's values that are not under the current key; how many were rewritten. */
  private async resealClient(clientId: string, isCurrent: (stored: string) => boolean): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      const [state, outbox] = await Promise.all([
        this.redis.hgetall(this.stateKey(clientId)),
        this.redis.hgetall(this.outboxKey(clientId)),
      ]);
      if (state.v === undefined) return 0; // gone since the SCAN
      const args: string[] = [state.v, ''];
      if (state.s !== undefined && !isCurrent(state.s))
        args[1] = this.cipher.seal(clientId, this.cipher.open(clientId, state.s));
      for (const [position, raw] of Object.entries(outbox))
        if (!isCurrent(raw)) args.push(position, this.cipher.seal(clientId, this.cipher.open(clientId, raw)));
      const rewritten = (args[1] === '' ? 0 : 1) + (args.length - 2) / 2;
      if (rewritten === 0) return 0;
      if ((await this.redis.registerReseal(this.stateKey(clientId), this.outboxKey(clientId), ...args)) === 1)
        return rewritten;
      if (attempt >= 100) throw new Error(`client ${clientId}: changed 100 times while being resealed`);
    }
  }

  private clientIdOf = (stateKey: string) =>
    stateKey.slice(this.prefix.length + 1, stateKey.indexOf('}', this.prefix.length));

  /** The nodes to SCAN: the Redis itself, or every master of the cluster. */
  private async scanNodes(): Promise<Redis[]> {
    if (!this.isCluster) return [this.redis as Redis];
    const cluster = this.redis as Cluster;
    // Queued until the cluster is ready, so its slot table (and so its masters) is known.
    if (cluster.status !== 'ready') await cluster.ping();
    const masters = cluster.nodes('master');
    if (masters.length === 0) throw new Error('redis cluster: no master nodes known');
    return masters;
  }

  /** SCANs every node for `match`, batch by batch. */
  private async *scan(match: string, count: number): AsyncGenerator<string[]> {
    for (const node of await this.scanNodes()) {
      yield* node.scanStream({ match, count }) as AsyncIterable<string[]>;
    }
  }

  /** Removes every key of this register except the rebuild lock (what a partial loss left behind). */
  async wipe(): Promise<number> {
    let removed = 0;
    for await (const keys of this.scan(`${this.prefix}*`, 1000)) {
      const doomed = keys.filter((k) => k !== this.lockKey());
      if (doomed.length === 0) continue;
      if (this.isCluster) {
        // Keys of one master still span many slots: UNLINK each key.
        const counts = await Promise.all(doomed.map((k) => this.redis.unlink(k)));
        removed += counts.reduce((a, b) => a + b, 0);
      } else {
        removed += await this.redis.unlink(...doomed);
      }
    }
    return removed;
  }

  /** All client ids under this prefix (SCAN; for the register view and tests, not the hot path). */
  async clientIds(): Promise<string[]> {
    const ids = new Set<string>();
    for await (const keys of this.scan(`${this.prefix}{*}:state`, 500)) {
      for (const k of keys) ids.add(this.clientIdOf(k));
    }
    return [...ids].sort();
  }

  private dueIndexedKey = () => `${this.prefix}dagelijks:geindexeerd`;

  async hasDueIndex(): Promise<boolean> {
    return (await this.redis.exists(this.dueIndexedKey())) === 1;
  }

  async setDueIndexed(): Promise<void> {
    await this.redis.set(this.dueIndexedKey(), new Date().toISOString());
  }

  private changelogKey = () => `${this.prefix}register:changelog`;

  async hasChangelog(): Promise<boolean> {
    return (await this.redis.exists(this.changelogKey())) === 1;
  }

  async setChangelogFilled(): Promise<void> {
    await this.redis.set(this.changelogKey(), new Date().toISOString());
  }

  async ping(): Promise<void> {
    try {
      await this.redis.ping();
    } catch (err) {
      // ioredis ends a command with "max retries" after failed connects: give the connect's own error
      // (an untrusted certificate, a refused client certificate) as the cause, so a start can tell why.
      const last = this.lastConnectionError;
      if (last === undefined || last === err) throw err;
      throw Object.assign(
        new Error(`${(err as Error).message} (last connection error: ${last.message})`, { cause: err }),
        { lastNodeError: last },
      );
    }
  }

  isReady(): boolean {
    return this.redis.status === 'ready';
  }

  onError(listener: (err: Error) => void): void {
    this.redis.on('error', listener);
  }

  private proposalsKey = (gemeente: string) => `${this.prefix}voorstellen:${gemeente}`;
  private proposalGemeentenKey = () => `${this.prefix}voorstellen:gemeenten`;

  /**
   * A sorted set per gemeente of its open proposals (score: when first seen), and a set of the gemeenten.
   * ZADD NX / ZREM: a re-sent output changes nothing. Single-key commands, so a Redis Cluster is fine.
   */
  async trackProposals(changes: readonly ProposalChange[]): Promise<void> {
    if (changes.length === 0) return;
    const gemeenten = [...new Set(changes.map((c) => c.gemeente))];
    await this.redis.sadd(this.proposalGemeentenKey(), ...gemeenten);
    for (const c of changes) {
      if (c.open) await this.redis.zadd(this.proposalsKey(c.gemeente), 'NX', c.at, c.beeindigingId);
      else await this.redis.zrem(this.proposalsKey(c.gemeente), c.beeindigingId);
    }
  }

  async openProposals(): Promise<ProposalSummary[]> {
    const gemeenten = (await this.redis.smembers(this.proposalGemeentenKey())).sort();
    return Promise.all(
      gemeenten.map(async (gemeente) => {
        const key = this.proposalsKey(gemeente);
        const [open, oldest] = await Promise.all([
          this.redis.zcard(key),
          this.redis.zrange(key, 0, 0, 'WITHSCORES'),
        ]);
        return { gemeente, open, oldestSince: oldest[1] === undefined ? undefined : Number(oldest[1]) };
      }),
    );
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
