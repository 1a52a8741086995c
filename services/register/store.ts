import type { StateCipher } from './cipher';
import type { IsoDate } from '../domain/facts';
import type { Rendered } from '../messages/render';
import type { ClientState } from './state';

export interface ClientRecord {
  state: ClientState | undefined;
  /** Optimistic-concurrency version: 0 when the client is unknown. */
  version: number;
}

/**
 * A client's outbox entries as the store keeps them: input position (`topic/partition/offset`) → the outputs
 * of that record, sealed. Carried opaque by the changelog (register/changelog.ts), never opened there.
 */
export type OutboxEntries = Record<string, string>;

/** What `heads` asks for one client: the positions to leave out, and whether the state is wanted too. */
export interface HeadRequest {
  clientId: string;
  /** Outbox positions not wanted (a flush's own: its transaction carries their outputs already). */
  except: readonly string[];
  withState: boolean;
}

/** A client as `heads` read it, at once: the version, the state when asked for, and the other outbox entries. */
export interface Head extends ClientRecord {
  outbox: OutboxEntries;
}

/** What the indexes should hold for a client after a change (idempotent upserts). */
export interface IndexEntries {
  gemeenten: string[];
  beeindigingen: string[];
}

/**
 * What a commit also writes once it won: the index entries its change added, and the client's next day in
 * the daily re-evaluation's index (`setDue` for the new version; absent: the store keeps no daily index).
 */
export interface CommitEffects {
  index: IndexEntries;
  due?: { slice: number; day: IsoDate | null };
}

/**
 * The register behind a small interface (as Kafka Streams puts state behind a store): the Redis store
 * in production, the in-memory store in the test driver. `clientId` is the keyed pseudonym of the BSN.
 */
export interface RegisterStore {
  /** Seals the values it stores (register/cipher.ts); the changelog seals its records with the same one. */
  readonly cipher: StateCipher;
  load(clientId: string): Promise<ClientRecord>;
  /** `load` for several clients: one round trip where the store can (a batch's look-ahead). */
  loadAll(clientIds: readonly string[]): Promise<ClientRecord[]>;
  /**
   * The clients' versions alone (0: unknown), without reading their states: what the changelog checks at a
   * flush. One round trip for all of them where the store can.
   */
  versions(clientIds: readonly string[]): Promise<number[]>;
  /**
   * Per client, read atomically: its version, its state when `withState`, and its outbox entries but those
   * `except` names. What the changelog needs to write a record a rebuild can replay from (register/changelog.ts).
   * One round trip for all of them where the store can.
   */
  heads(requests: readonly HeadRequest[]): Promise<Head[]>;
  /**
   * Atomically: if the stored version is still `expectedVersion`, write `state` (version + 1) and keep
   * `outputs` in the client's outbox under `position` until `ack`. Returns false on a version conflict.
   * Throws CommitHeld, writing nothing, when `outputs` is not empty and the outbox still holds outputs of
   * another input partition (`partitionOf` a position): they must reach Kafka first (see CommitHeld). `hold`
   * false (default true) commits all the same: a record that waited too long (kafka/consumer-loop.ts).
   * `effects`, only when the commit won: `index(effects.index)` and `setDue` of `effects.due` for the new
   * version, in the same atomic write where the store can (one Redis: one Lua call for the whole record),
   * else right after it (a Redis Cluster keeps the indexes in other slots).
   */
  commit(
    clientId: string,
    expectedVersion: number,
    state: ClientState,
    position: string,
    outputs: readonly Rendered[],
    effects?: CommitEffects,
    hold?: boolean,
  ): Promise<boolean>;
  /**
   * Atomically: if the stored version is still `expectedVersion`, delete the client's state and outbox (the
   * end of its bewaartermijn). Returns false on a version conflict. The indexes go first (`unindex`, `forgetDue`).
   */
  remove(clientId: string, expectedVersion: number): Promise<boolean>;
  /**
   * Writes a client's state at `version` as it is, and its outbox as `outbox` gives it (a rebuild from the
   * changelog: the outputs of records whose transaction had not committed yet).
   */
  restore(clientId: string, version: number, state: ClientState, outbox?: OutboxEntries): Promise<void>;
  /** The outputs kept for `position` (re-sent after a crash between the Redis write and the Kafka send). */
  pending(clientId: string, position: string): Promise<Rendered[] | undefined>;
  /** Forget the outbox entries once their outputs are safely in Kafka. */
  ack(clientId: string, positions: readonly string[]): Promise<void>;
  /** `ack` for the entries of a whole chunk: one round trip where the store can. */
  ackAll(entries: ReadonlyArray<{ clientId: string; position: string }>): Promise<void>;
  index(clientId: string, entries: IndexEntries): Promise<void>;
  /** Takes the client out of these indexes (a beëindiging only while it still points at this client). */
  unindex(clientId: string, entries: IndexEntries): Promise<void>;
  clientsOf(gemeente: string): Promise<string[]>;
  clientOfBeeindiging(beeindigingId: string): Promise<string | undefined>;
  /**
   * The daily re-evaluation's index, one per slice of the clients: the day on which the client must be
   * evaluated again (null: none, it leaves the index). A write with an older `version` (of the client's
   * state) than the last one written for the client is ignored, so two instances changing one client may
   * write in either order.
   */
  setDue(slice: number, clientId: string, version: number, day: IsoDate | null): Promise<void>;
  /** Takes a deleted client out of the slice's due index, and forgets its version there (a new client starts at 1). */
  forgetDue(slice: number, clientId: string): Promise<void>;
  /**
   * Up to `limit` clients of the slice due on or before `day` that the tick at input position `tick` did not
   * take yet, marked as taken by it (for a week): a redelivered tick finds them again (`takenBy`), and no
   * client is taken twice by one tick. The index itself is not changed.
   */
  takeDue(slice: number, day: IsoDate, tick: string, limit: number): Promise<string[]>;
  /** The clients the tick at `tick` took before (a redelivered tick hands back their kept outputs). */
  takenBy(slice: number, tick: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Keeping the register whole, as the shell needs it for recovery and readiness: the epoch marker that
 * says the register is complete, the lock under which one instance rebuilds it, the wipe before a
 * rebuild, and the connection's health. Implemented by both stores, so nothing outside register/ talks
 * to Redis itself.
 */
export interface RegisterMaintenance {
  /** The epoch marker, written once the register is complete (new or rebuilt); gone when Redis lost it. */
  hasEpoch(): Promise<boolean>;
  /**
   * The epoch marker's value (undefined: none), new at every rebuild. Work begun under one epoch may not be
   * sent under another: a batch that ran on while Redis lost the register and another instance or the batch's
   * own process rebuilt it computed from a register that is gone, though an epoch is there again.
   */
  epoch(): Promise<string | undefined>;
  setEpoch(): Promise<void>;
  /** One instance rebuilds at a time; the others wait for the epoch. */
  acquireRebuildLock(owner: string, ttlMs: number): Promise<boolean>;
  /** Extends the lock while `owner` still holds it (false: it does not any more). */
  renewRebuildLock(owner: string, ttlMs: number): Promise<boolean>;
  releaseRebuildLock(owner: string): Promise<void>;
  /** Every client id in the register (a SCAN: for the one-off daily index of an older register, and tests). */
  clientIds(): Promise<string[]>;
  /**
   * The marker that every client of the register is in the daily index: written once an older register (from
   * before the daily re-evaluation) was indexed; a wipe removes it.
   */
  hasDueIndex(): Promise<boolean>;
  setDueIndexed(): Promise<void>;
  /**
   * The marker that the changelog (TOPIC_CHANGELOG) holds every client of the register: written once a register
   * from before the changelog was written to it, or once the register was rebuilt from it; a wipe removes it.
   */
  hasChangelog(): Promise<boolean>;
  setChangelogFilled(): Promise<void>;
  /** Removes every key of this register except the rebuild lock; returns how many. */
  wipe(): Promise<number>;
  /**
   * At start, once the store answers: the register opens with the configured keys (encryption at rest,
   * ./keys.ts). Throws a ConfigError naming REGISTER_KEYS / REGISTER_KEY_ID when it does not.
   */
  checkKeys(): Promise<void>;
  /** Resolves once the store answers (for the start). */
  ping(): Promise<void>;
  /** Connected and ready right now (for /readyz). */
  isReady(): boolean;
  /** Connection errors as they happen (the store reconnects by itself). */
  onError(listener: (err: Error) => void): void;
}

/** A proposal (voorgestelde beëindiging) of a gemeente opened or closed by an output that was sent. */
export interface ProposalChange {
  gemeente: string;
  beeindigingId: string;
  open: boolean;
  /** Epoch ms when it was seen: the first sighting of an open proposal is kept. */
  at: number;
}

/** The open proposals of one gemeente: how many, and since when the oldest is open (epoch ms). */
export interface ProposalSummary {
  gemeente: string;
  open: number;
  oldestSince: number | undefined;
}

/**
 * The open proposals per gemeente, for the operators' metrics: kept beside the register, derived from the
 * notifications as they are sent (idempotent: a re-sent output changes nothing).
 */
export interface ProposalIndex {
  trackProposals(changes: readonly ProposalChange[]): Promise<void>;
  openProposals(): Promise<ProposalSummary[]>;
}

/** A register the service can run on: the store and its maintenance. */
export type Register = RegisterStore & RegisterMaintenance & ProposalIndex;

/** The score of a day in the due index: `YYYYMMDD` as a number (readable in redis-cli, ordered like the days). */
export const dueScore = (day: IsoDate): number => Number(day.replace(/-/g, ''));

/** How long a tick's record of the clients it took is kept (a redelivery comes long before). */
export const TAKEN_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The input partition of an input position (`topic/partition/offset`, register/state.ts positionKey): what the
 * position's record was read from, so which transactional producer sends its outputs.
 */
export const partitionOf = (position: string): string => position.slice(0, position.lastIndexOf('/'));

/**
 * A commit with outputs was refused because the client's outbox still holds outputs of another input partition
 * (`position`): a record of another partition, in this process or another instance, changed the client before
 * and its transaction has not committed yet. Committing on top of it would let this record's outputs reach Kafka
 * first, though they rest on that change: a gemeente's compacted topic would then end on the older signal.
 * Nothing was written; the record is processed again once that entry is acked (kafka/consumer-loop.ts).
 */
export class CommitHeld extends Error {
  constructor(
    /** The client (its pseudonym) whose commit was held. */
    readonly clientId: string,
    /** The input position of the outbox entry that holds it (no personal data: topic/partition/offset). */
    readonly position: string,
  ) {
    super(`the client has outputs of ${position} not yet in Kafka`);
    this.name = 'CommitHeld';
  }
}

/** Redis lost the register (its epoch marker is gone): nothing may be sent until it is rebuilt. */
export class RegisterLostError extends Error {
  constructor() {
    super('the register epoch marker is gone: Redis lost the register');
    this.name = 'RegisterLostError';
  }
}
