/**
 * The register's changelog (as Kafka Streams keeps one for each state store): a compacted topic
 * (TOPIC_CHANGELOG) keyed by the client's pseudonym whose last record per key is the client's latest state —
 * or a tombstone (null) once the client was deleted. A register Redis lost is rebuilt from it
 * (kafka/recovery.ts), so the inputs need not be kept for ever.
 *
 * The value is `{"v":<version>,"s":<ClientState>,"o":<outbox>}`, sealed with the StateCipher for the client:
 * what the rebuild needs (the facts, the engine's decisions and beëindigingen, the applied message ids, and the
 * outputs of records not yet committed), no more. A record without outbox entries whose state is the one a
 * commit of this process sealed for Redis (most of them) is `{"v":<version>,"s":"<that sealed state>"}`
 * instead: the state is not sealed a second time (an AES pass and a base64 of ≈5 KB per changed client), and
 * what is in clear is the version only. decode reads both forms.
 *
 * Which state is written, and why the last record is the latest state. Two instances may change one client
 * from two input partitions (a client's messages come on several topics): A commits version 5 to Redis, B
 * reads 5 and commits 6, yet A's Kafka transaction may commit after B's. Had each written the state it
 * computed, the last record would be version 5, older than Redis. So:
 *
 * 1. A flush writes each changed client's state as Redis holds it at flush time (`records`), not the state
 *    its records computed — read after the commit to Redis, in the transaction with the outputs and offsets.
 * 2. After its transaction committed, the flush reads the versions again (`settle`): a client whose version
 *    in Redis is no longer the one it wrote (another instance changed it, or deleted it, and that instance's
 *    record may have gone to the log before this one) is written again as it is now, in a transaction of its
 *    own, until they agree. Whichever transaction commits last, its writer checks after it: so the last
 *    record of a client always carries the state Redis has.
 * 3. The rebuild takes a record only if its version is higher than the one it restored for that client
 *    (a tombstone clears it), so a record of an older version that still sits after a newer one in a log not
 *    yet compacted — a crash between 2's transaction and its check — never turns the client back.
 *
 * A replay after a crash (the outbox path) marks the client changed as well: the crash may have come between
 * the Redis commit and the transaction, so the change may never have reached the changelog.
 *
 * Why a record carries outbox entries ("o"). The state a flush writes may hold the change of a record whose own
 * transaction has not committed yet: another input partition's chunk in flight in this process or another
 * instance, which committed to Redis before this flush read the client. Should Redis then lose the register,
 * the rebuild restores that change, the record comes again, is found applied (a replay), and its outputs
 * would be looked up in an outbox Redis lost: never sent. So a record carries the client's outbox entries
 * read at once with its version (`RegisterStore.heads`), but those of the flush's own records (their outputs
 * are in the same transaction). An entry leaves the outbox only once its transaction committed, so every
 * record of a version that holds a change also holds that change's outputs until they are safely in Kafka.
 * The rebuild restores the entries whose input position the group has not committed past (kafka/rebuild.ts).
 *
 * What is read for it: 1 and 2 ask Redis for the client's version only. When it is the version a record of the
 * flush committed (`Committed`), the state is the one that commit wrote (a version is written by one commit
 * only) and is encoded from memory; the state is read from Redis only for a client another instance changed
 * in between. So a flush costs a small read per changed client, not two reads and decryptions of its state.
 */
import type { Head, OutboxEntries, RegisterMaintenance, RegisterStore } from './store';
import { RegisterLostError } from './store';
import type { StateCipher } from './cipher';
import type { ClientState } from './state';
import { isSealed } from './keys';
import { committedSealed, stateJson } from './state-json';

/** One record for the changelog topic: the pseudonym, and the sealed state (null: a tombstone). */
export interface ChangelogRecord {
  key: string;
  value: string | null;
}

/** What a flush wrote for a client: the version (0 for a tombstone), checked again after the transaction. */
export interface Written {
  clientId: string;
  version: number;
}

/** A state a record committed to the register, at the version the commit gave it. */
export interface Committed {
  clientId: string;
  version: number;
  state: ClientState;
}

/** A flush's own outbox entry: its transaction carries these outputs, so the record need not. */
export interface OwnEntry {
  clientId: string;
  position: string;
}

/**
 * A changelog record read back: the state at its version, with the outbox entries of records not yet committed
 * when it was written; or null (the client was deleted).
 */
export type ChangelogEntry = { version: number; state: ClientState; outbox: OutboxEntries } | null;

/** How often `settle` writes again before it gives up (each round needs another instance's change between). */
const MAX_SETTLE_ROUNDS = 20;

const NONE: readonly string[] = [];

export class Changelog {
  constructor(
    private readonly store: Pick<RegisterStore, 'heads' | 'versions' | 'cipher'> &
      Pick<RegisterMaintenance, 'hasEpoch' | 'epoch'>,
    /** Seals the records: by default the register's own cipher (the same keys as its values in Redis). */
    readonly cipher: StateCipher = store.cipher,
  ) {}

  /** The value of a client's record: its state at `version`, and the outbox entries to keep, sealed for it. */
  encode(clientId: string, version: number, state: ClientState, outbox: OutboxEntries = {}): string {
    // JSON.stringify({ v, s, o }) written out, with the state's JSON as its commit wrote it (./state-json.ts)
    let o = '';
    for (const _ in outbox) {
      o = `,"o":${JSON.stringify(outbox)}`;
      break;
    }
    if (o === '') {
      // the state as its commit sealed it for Redis (kept only when sealed: a cipher that keeps it in clear
      // would make it JSON in a JSON string)
      const sealed = committedSealed(this.cipher, clientId, state);
      if (sealed !== undefined) {
        return `{"v":${JSON.stringify(version)},"s":${JSON.stringify(sealed)}}`;
      }
    }
    return this.cipher.seal(clientId, `{"v":${JSON.stringify(version)},"s":${stateJson(state)}${o}}`);
  }

  /**
   * The part of a record's value the cipher opens: the value itself, or, in the form with a sealed state, that
   * state (for the start's check that the register's keys open the changelog).
   */
  sealedText(value: string): string {
    if (isSealed(value) || !value.startsWith('{"v":')) return value;
    try {
      const s = (JSON.parse(value) as { s?: unknown }).s;
      return typeof s === 'string' ? s : value;
    } catch {
      return value;
    }
  }

  /** A record's value read back; throws when it cannot be opened or is not a register state. */
  decode(clientId: string, value: Buffer | string | null): ChangelogEntry {
    if (value === null || value.length === 0) return null;
    const parsed = JSON.parse(this.cipher.open(clientId, value.toString())) as {
      v?: unknown;
      s?: unknown;
      o?: unknown;
    };
    // the form whose state is sealed on its own (encode)
    if (typeof parsed.s === 'string') parsed.s = JSON.parse(this.cipher.open(clientId, parsed.s)) as unknown;
    if (typeof parsed.v !== 'number' || typeof parsed.s !== 'object' || parsed.s === null)
      throw new Error(`changelog: the record of client ${clientId} is not a register state`);
    const o = parsed.o;
    if (
      o !== undefined &&
      (typeof o !== 'object' || o === null || Object.values(o).some((x) => typeof x !== 'string'))
    )
      throw new Error(`changelog: the outbox in the record of client ${clientId} is not one`);
    return {
      version: parsed.v,
      state: parsed.s as ClientState,
      outbox: (o as OutboxEntries | undefined) ?? {},
    };
  }

  /**
   * The records of these clients as the register holds them now (a client gone: a tombstone), each with the
   * client's outbox entries but the flush's `own`. `committed`: the states the flush's records committed (the
   * last per client counts); one whose version Redis still holds is written from memory, any other client's
   * state is read from Redis, at once with its outbox.
   */
  async records(
    clientIds: readonly string[],
    committed: readonly Committed[] = [],
    own: readonly OwnEntry[] = [],
  ): Promise<{ records: ChangelogRecord[]; written: Written[] }> {
    const ids = [...new Set(clientIds)];
    const known = new Map<string, Committed>();
    for (const c of committed) known.set(c.clientId, c);
    const except = new Map<string, string[]>();
    for (const { clientId, position } of own) {
      const list = except.get(clientId);
      if (list) list.push(position);
      else except.set(clientId, [position]);
    }
    const ask = (clientId: string, withState: boolean) => ({
      clientId,
      except: except.get(clientId) ?? NONE,
      withState,
    });
    // the state too where none is known from a commit of this flush (a deletion, a replay, the settle check)
    const heads: Head[] = await this.store.heads(ids.map((id) => ask(id, !known.has(id))));
    // a client changed since its commit (another chunk or instance): its state read now, at once with its outbox
    const reread: number[] = [];
    heads.forEach((h, i) => {
      const k = known.get(ids[i]!);
      if (h.version !== 0 && k !== undefined && k.version !== h.version) reread.push(i);
    });
    if (reread.length > 0) {
      const again = await this.store.heads(reread.map((i) => ask(ids[i]!, true)));
      reread.forEach((i, j) => (heads[i] = again[j]!));
    }
    const records: ChangelogRecord[] = [];
    const written: Written[] = [];
    ids.forEach((clientId, i) => {
      const { version, outbox } = heads[i]!;
      const state = version === 0 ? undefined : (heads[i]!.state ?? known.get(clientId)?.state);
      records.push({ key: clientId, value: state ? this.encode(clientId, version, state, outbox) : null });
      written.push({ clientId, version: state ? version : 0 });
    });
    return { records, written };
  }

  /**
   * After the transaction that wrote `written` committed: the clients whose version in the register is no
   * longer the one written are written again as they are now (`send`: a transaction of the changelog records
   * alone), until the register and the last records agree. Resolves to the number of records written again.
   * Throws a RegisterLostError, writing nothing, once Redis lost the register: its clients would look deleted,
   * and their tombstones would wipe the changelog the register is rebuilt from. `epoch`: the register's epoch
   * the flush began under (RegisterMaintenance.epoch); a register rebuilt since then counts as lost too (the
   * states read for the records may be those of batches that ran on through the loss).
   */
  async settle(
    written: readonly Written[],
    send: (records: ChangelogRecord[]) => Promise<void>,
    epoch?: string,
  ): Promise<number> {
    let open = [...written];
    let again = 0;
    for (let round = 0; open.length > 0; round++) {
      const now = await this.store.versions(open.map((w) => w.clientId));
      const stale = open.filter((w, i) => now[i] !== w.version);
      if (stale.length === 0) return again;
      if (round >= MAX_SETTLE_ROUNDS)
        throw new Error(
          `changelog: ${stale.length} client(s) kept changing while their records were written`,
        );
      const next = await this.records(stale.map((w) => w.clientId));
      const lost =
        epoch === undefined ? !(await this.store.hasEpoch()) : (await this.store.epoch()) !== epoch;
      if (lost) throw new RegisterLostError();
      await send(next.records);
      again += next.records.length;
      open = next.written;
    }
    return again;
  }
}
