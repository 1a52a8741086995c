import type { Fact, IsoDate } from '../domain/facts';
import {
  beeindigingIds,
  evaluate,
  handleCommand,
  volgendeDag,
  gemeenteVan,
  ONBEKEND,
  rejectCommand,
  type EngineContext,
  type GemeenteCommand,
  type Output,
} from '../engine';
import type { IngestError, IngestErrorCode } from '../ingest/types';
import { policyFor, type Config } from '../config';
import { cloudEventsSource } from '../config/operations';
import { wmo301Validator, type XsdValidator } from '../xsd';
import { render, type RenderContext, type Rendered } from '../messages/render';
import { pseudonym } from '../domain/pseudonym';
import { maskBsnLike } from '../domain/bsn';
import {
  applyFacts,
  currentFacts,
  emptyState,
  gemeentenOf,
  positionKey,
  type ClientState,
} from '../register/state';
import type {
  ClientRecord,
  CommitEffects,
  IndexEntries,
  OutboxEntries,
  RegisterStore,
} from '../register/store';
import type { Committed } from '../register/changelog';
import { teVerwijderen } from '../engine/bewaartermijn';
import type { TopicNames } from '../topics';
import { decode, type Decoded, type InputRecord } from './decode';
import { decodeTick, sliceOf } from './tick';

export interface ProcessorOptions {
  topics: TopicNames;
  maxBytes: number;
  secret: string;
  /** Context for this record: the engine's (today, now, policies) and the envelope's (source). */
  context: () => ProcessingContext;
  /**
   * The largest Kafka record an output may become (the broker's or topic's `max.message.bytes`): a record
   * whose output would be larger is dead-lettered with OUTPUT_TOO_LARGE, at once (it cannot get smaller).
   */
  maxOutputBytes: number;
  /** Validates every WMO301 before it can be sent; an invalid one dead-letters its record (OUTPUT_INVALID). */
  xsd: XsdValidator;
  /** Called for an output that would reach a gemeente not owning the client: it is never sent. */
  onBlocked?: (clientId: string, gemeente: string) => void;
  /** The daily re-evaluation: the topic of its ticks and the number of slices (its partitions). */
  dagelijks?: { topic: string; slices: number };
  /**
   * REGISTER_BEWAARTERMIJN_DAGEN: the daily re-evaluation deletes a client this many days after its last
   * relation ended or its death (engine/bewaartermijn.ts); unset: nobody is deleted.
   */
  bewaartermijnDagen?: number;
}

export type ProcessingContext = EngineContext & RenderContext;

let validator: XsdValidator | undefined;

/** The options every Processor (the service's and the TestDriver's) takes from the configuration. */
export function configuredOptions(
  cfg: Config,
): Pick<
  ProcessorOptions,
  'topics' | 'maxBytes' | 'secret' | 'maxOutputBytes' | 'xsd' | 'dagelijks' | 'bewaartermijnDagen'
> {
  validator ??= wmo301Validator();
  return {
    topics: cfg,
    maxBytes: cfg.MAX_MESSAGE_BYTES,
    secret: cfg.SAMENLOOP_HMAC_SECRET,
    maxOutputBytes: cfg.MAX_OUTPUT_BYTES,
    xsd: validator,
    dagelijks: { topic: cfg.TOPIC_DAGELIJKS, slices: cfg.DAGELIJKS_SLICES },
    bewaartermijnDagen: cfg.REGISTER_BEWAARTERMIJN_DAGEN,
  };
}

/** The part of the processing context the configuration fixes (the day and the moment come from a clock). */
export function configuredContext(cfg: Config): Omit<ProcessingContext, 'today' | 'now'> {
  return {
    policy: policyFor(cfg),
    source: cloudEventsSource(cfg),
    mode: cfg.CLOUDEVENTS_MODE,
    signaalBewaarDagen: cfg.SIGNAAL_BEWAAR_DAGEN,
    ...(cfg.PRODUCTCODE_REGELS ? { productcodeRegels: cfg.PRODUCTCODE_REGELS } : {}),
  };
}

/** What one input record led to. The shell sends `outputs`, then acks `acks`, then commits the offset. */
export interface Handled {
  /** Rendered by the render step: what goes to Kafka, byte for byte, and what the outbox keeps. */
  outputs: Rendered[];
  deadLetter?: IngestError;
  acks: Array<{ clientId: string; position: string }>;
  /** Pseudonymised client ids touched, for logging. */
  clients: string[];
  /**
   * Which clients get a record in the register's changelog, in this record's transaction: each as the register
   * holds it at the flush (a client gone: a tombstone; register/changelog.ts). Every client the record
   * committed (`applied`: also in `committed`), deleted (`deleted`, or a tick finding it deleted already: its
   * tombstone once more), or replayed (`replay`: a crash between the Redis commit and the Kafka transaction may
   * have kept the change from the changelog). A duplicate changes nothing and is not here. This list alone
   * decides who is written (a client may appear in it more than once).
   */
  changed?: string[];
  /**
   * What this record committed of the clients in `changed`: the state and the version its commit gave it. Not who
   * is written, only a read saved: when Redis still holds that version at the flush, the changelog encodes this
   * state instead of reading it back; otherwise (another instance changed the client since) it reads it. A
   * deletion or a replay committed no state here, so its client is in `changed` only. Hence two fields that
   * overlap: `changed` must be complete whatever is known in memory; `committed` may lack clients and be out of date.
   */
  committed?: Committed[];
  outcome: 'applied' | 'duplicate' | 'replay' | 'dead-letter' | 'command' | 'command-rejected' | 'deleted';
}

const MAX_CONFLICT_RETRIES = 50;

/** Clients a tick takes from the due index at a time. */
const DAILY_PAGE = 100;

/** How often a record is tried while the pure core throws on it, before it is dead-lettered. */
export const MAX_CORE_ATTEMPTS = 3;

/**
 * An exception of the pure core (decode, reduce, decide, render) on one record: deterministic, the
 * record's fault, never the infrastructure's. The TestDriver reproduces it without Kafka or Redis.
 */
export class CoreError extends Error {
  /** The dead-letter code once the attempts are used up. */
  code: IngestErrorCode = 'PROCESSING_ERROR';
  /** False: trying again cannot help (the same input gives the same result): dead-letter at once. */
  retry = true;

  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    const name = cause instanceof Error ? cause.name : typeof cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    super(`processing failed in ${step} (${name}): ${safeText(message)}`);
    this.name = 'CoreError';
  }
}

/** Never a number long enough to be (part of) a BSN, in any form, in a reason. */
const safeText = (message: string) => maskBsnLike(message).slice(0, 300);

/** An output the record caused may not be sent: too large for the broker, or not valid against its XSD. */
export class OutputRejected extends CoreError {
  constructor(code: 'OUTPUT_TOO_LARGE' | 'OUTPUT_INVALID', reason: string, retry: boolean) {
    super('check', undefined);
    this.code = code;
    this.retry = retry;
    this.message = reason;
    this.name = 'OutputRejected';
  }
}

/** Runs one step of the pure core; what it throws becomes a CoreError. */
function core<T>(step: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new CoreError(step, err);
  }
}

/**
 * `live`: a record as it comes; `unheld`: the same, but its commits do not wait for another partition's outputs
 * (RegisterStore.commit `hold`: the record waited too long, kafka/consumer-loop.ts); `restore`: a record replayed
 * to rebuild the register, its outputs not kept.
 */
type Mode = 'live' | 'unheld' | 'restore';

/**
 * A look-ahead over the next records of one input partition (kafka/consumer-loop.ts): each record decoded
 * once, and the states of their clients read from the register in one round trip instead of one read per
 * record. A state read ahead may be stale by the time its record comes (another instance changed the client
 * meanwhile): the commit's version check then fails and the client is read again, as on any conflict. A commit
 * puts the state it wrote here, so the partition's next record of that client needs no read either.
 */
export class Lookahead {
  /** The decoded records, by input position. */
  readonly decoded = new Map<string, Decoded>();
  /** The clients' states as read ahead or last committed through this look-ahead, by client id. */
  readonly clients = new Map<string, ClientRecord>();
  /** The client ids (keyed HMACs) of the BSNs of the window's facts, computed once. */
  readonly ids = new Map<string, string>();
  /** The commits sent and not yet settled, in the order sent (`deferCommits`). */
  private readonly sent: Array<{ position: string; outcome: Promise<boolean | Error> }> = [];

  /**
   * `deferCommits`: a record's commit is sent and not waited for; the next record is processed meanwhile, as if
   * the commit had won (its new state is here for the window's next record of the client). One Redis connection
   * runs commands in the order sent, so a later read or commit sees it. The caller must `settle` before it
   * sends anything of these records to Kafka, and before a record that reads the register other than through
   * this look-ahead (a command, a tick): a commit that lost its race (another instance changed the client) or
   * failed makes that record, and every record after it, be processed again (kafka/consumer-loop.ts).
   */
  constructor(readonly deferCommits = false) {}

  /** The outcome of the last commit sent for each client since the last settle. */
  private readonly lastOf = new Map<string, Promise<boolean | Error>>();

  /** A commit of `clientId` sent for the record at `position`, not waited for. */
  send(position: string, clientId: string, commit: Promise<boolean>): void {
    const outcome = commit.catch((err: unknown) => asError(err));
    this.sent.push({ position, outcome });
    this.lastOf.set(clientId, outcome);
  }

  /**
   * Waits for the client's commit sent ahead, if one is unsettled: a record's state must rest on a commit that
   * won. Were the next commit sent on top of one that lost, its version check could pass against another
   * instance's change (both the version after the one read) and overwrite it. Throws CommitLost when it lost or
   * failed: the window is settled and processed again from that record (kafka/consumer-loop.ts).
   */
  async settled(clientId: string): Promise<void> {
    const outcome = this.lastOf.get(clientId);
    if (outcome === undefined) return;
    if ((await outcome) !== true) throw new CommitLost();
    if (this.lastOf.get(clientId) === outcome) this.lastOf.delete(clientId);
  }

  /** Whether commits are waiting to be settled. */
  get unsettled(): boolean {
    return this.sent.length > 0;
  }

  /**
   * Waits for every commit sent. Undefined when all won; else the input position of the first record whose
   * commit lost or failed (with the error when it failed): it and the records after it must be processed again.
   */
  async settle(): Promise<{ position: string; error?: Error } | undefined> {
    const sent = this.sent.splice(0);
    this.lastOf.clear();
    let first: { position: string; error?: Error } | undefined;
    for (const { position, outcome } of sent) {
      const r = await outcome;
      if (first === undefined && r !== true) first = r === false ? { position } : { position, error: r };
    }
    return first;
  }
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/**
 * A record's client has a commit sent ahead in its window that lost its race or failed (Lookahead.settled): the
 * record cannot be processed on top of it. The shell settles the window and goes on from the record that lost.
 */
export class CommitLost extends Error {
  constructor() {
    super("a commit sent ahead of this record's client lost or failed");
    this.name = 'CommitLost';
  }
}

/**
 * The pipeline, as named steps: decode → per client: load → reduce (applyFacts) → decide/diff
 * (engine.evaluate, typed outputs) → guard (only gemeenten that own the client) → render
 * (messages/render) → commit (state + outbox, atomic, optimistic). Every side effect goes through the
 * RegisterStore; Kafka I/O stays in the shell.
 */
export class Processor {
  constructor(
    private readonly store: RegisterStore,
    private readonly opts: ProcessorOptions,
  ) {}

  /**
   * `restore`: rebuild the register from records whose outputs were already sent (after Redis was
   * lost): state is written as usual, outputs are dropped and nothing goes to the outbox.
   * `guard`: called right before every write to the register; it throws when the record's batch may write no
   * more (the register it began on was lost: kafka/consumer-loop.ts).
   */
  async handle(
    rec: InputRecord,
    mode: Mode = 'live',
    progress?: () => Promise<void>,
    ahead?: Lookahead,
    guard?: () => void,
  ): Promise<Handled> {
    const handled =
      rec.topic === this.opts.dagelijks?.topic
        ? await this.daily(rec, mode, progress, guard)
        : await this.bounded(() => this.handleLive(rec, mode, ahead, guard));
    if (mode === 'restore') {
      handled.outputs = [];
      handled.acks = [];
    }
    return handled;
  }

  /**
   * Runs `attempt` again while the pure core throws, MAX_CORE_ATTEMPTS times in all; then the record is
   * dead-lettered with PROCESSING_ERROR and the cause, and processing goes on. Errors of the register
   * (Redis) are not caught here: the shell retries those without end.
   */
  private async bounded(attempt: () => Promise<Handled>): Promise<Handled> {
    let failure: CoreError | undefined;
    for (let i = 0; i < MAX_CORE_ATTEMPTS && failure?.retry !== false; i++) {
      try {
        return await attempt();
      } catch (err) {
        if (!(err instanceof CoreError)) throw err;
        failure = err;
      }
    }
    return {
      outputs: [],
      deadLetter: { code: failure!.code, reason: failure!.message },
      acks: [],
      clients: [],
      outcome: 'dead-letter',
    };
  }

  /**
   * The last step before commit: every output fits in a Kafka record, and every WMO301 is valid against
   * WMO301.xsd. Throws OutputRejected; nothing of the record is committed or sent then.
   */
  private async check(outputs: readonly Rendered[]): Promise<void> {
    const limit = this.opts.maxOutputBytes - RECORD_OVERHEAD_BYTES;
    for (const o of outputs) {
      const bytes = Buffer.byteLength(o.value ?? '') + Buffer.byteLength(o.key);
      if (bytes > limit) {
        throw new OutputRejected(
          'OUTPUT_TOO_LARGE',
          `a ${o.channel} output of ${bytes} bytes exceeds the ${limit} bytes a record may hold (MAX_OUTPUT_BYTES ${this.opts.maxOutputBytes})`,
          false,
        );
      }
    }
    const wmo301 = outputs.flatMap((o) => (o.contentType === 'application/xml' ? [o] : []));
    let problems: string[][];
    try {
      problems = await this.opts.xsd.validate(wmo301.map((o) => o.value));
    } catch (err) {
      // the validator itself failed (its worker, its memory): tried again like any core failure, bounded
      const name = err instanceof Error ? err.name : typeof err;
      throw new OutputRejected('OUTPUT_INVALID', `the WMO301 validator failed (${name}): not sent`, true);
    }
    const invalid = problems.findIndex((p) => p.length > 0);
    if (invalid !== -1) {
      throw new OutputRejected(
        'OUTPUT_INVALID',
        `WMO301 ${wmo301[invalid]!.id} fails WMO301.xsd (${safeText(problems[invalid]!.slice(0, 3).join('; '))}): not sent`,
        true,
      );
    }
  }

  /**
   * Decodes the records ahead (never a tick of the daily re-evaluation) and reads the states of the clients
   * their facts are about, in one round trip. A record the decode step throws on is left to `handle` (its
   * bounded retry); a register that does not answer leaves the reads to `handle` too (the shell's retry).
   */
  async lookahead(recs: readonly InputRecord[], deferCommits = false): Promise<Lookahead> {
    const ahead = new Lookahead(deferCommits);
    const ids = new Set<string>();
    for (const rec of recs) {
      if (rec.topic === this.opts.dagelijks?.topic) continue;
      let decoded: Decoded;
      try {
        decoded = this.decodeRecord(rec);
      } catch {
        continue;
      }
      ahead.decoded.set(positionKey(rec), decoded);
      if (decoded.kind !== 'facts') continue;
      for (const f of decoded.message.facts) {
        const bsn = f.client.bsn;
        let id = ahead.ids.get(bsn);
        if (id === undefined) ahead.ids.set(bsn, (id = pseudonym(this.opts.secret, bsn)));
        ids.add(id);
      }
    }
    const list = [...ids];
    try {
      const loaded = await this.store.loadAll(list);
      list.forEach((id, i) => ahead.clients.set(id, loaded[i]!));
    } catch {
      ahead.clients.clear();
    }
    return ahead;
  }

  /** The decode step of an input record (not a tick), under this processor's topics and size limit. */
  private decodeRecord(rec: InputRecord): Decoded {
    return decode(rec, this.opts.topics, this.opts.maxBytes);
  }

  private async handleLive(
    rec: InputRecord,
    mode: Mode,
    ahead?: Lookahead,
    guard?: () => void,
  ): Promise<Handled> {
    const position = positionKey(rec);
    const decoded = ahead?.decoded.get(position) ?? core('decode', () => this.decodeRecord(rec));
    switch (decoded.kind) {
      case 'dead-letter':
        return { outputs: [], deadLetter: decoded.error, acks: [], clients: [], outcome: 'dead-letter' };
      case 'command-invalid':
        return {
          outputs: [
            core('render', () =>
              render(rejectCommand(decoded.gemeente, decoded.raw, decoded.reason), this.opts.context()),
            ),
          ],
          acks: [],
          clients: [],
          outcome: 'command-rejected',
        };
      case 'command':
        return this.command(decoded.gemeente, decoded.command, position, mode, guard);
      case 'facts':
        return this.facts(decoded.message.messageId, decoded.message.facts, position, mode, ahead, guard);
    }
  }

  private async facts(
    messageId: string,
    facts: Fact[],
    position: string,
    mode: Mode,
    ahead?: Lookahead,
    guard?: () => void,
  ): Promise<Handled> {
    const byClient = new Map<string, Fact[]>();
    for (const f of facts) {
      const list = byClient.get(f.client.bsn);
      if (list) list.push(f);
      else byClient.set(f.client.bsn, [f]);
    }
    const handled: Handled = { outputs: [], acks: [], clients: [], outcome: 'duplicate' };
    // Each client on its own: one whose facts break the core does not hold back the others of the message.
    for (const [bsn, clientFacts] of byClient) {
      const r = await this.bounded(() =>
        this.updateClient(
          bsn,
          messageId,
          position,
          mode,
          (state, ctx) => {
            const applied = applyFacts(state, messageId, position, clientFacts);
            if (applied.outcome !== 'applied') return { outcome: applied.outcome };
            const next = applied.state;
            const evaluated = evaluate(bsn, currentFacts(next), next.engine, ctx);
            next.engine = evaluated.state;
            return { outcome: 'applied', state: next, outputs: evaluated.outputs };
          },
          { ahead, guard },
        ),
      );
      merge(handled, r);
    }
    return handled;
  }

  private async command(
    gemeente: string,
    command: GemeenteCommand,
    position: string,
    mode: Mode,
    guard?: () => void,
  ): Promise<Handled> {
    const clientId = await this.store.clientOfBeeindiging(command.beeindigingId);
    const record = clientId === undefined ? undefined : await this.store.load(clientId);
    const bsn = record?.state?.bsn;
    if (bsn === undefined) {
      return {
        outputs: [
          core('render', () => render(rejectCommand(gemeente, command, ONBEKEND), this.opts.context())),
        ],
        acks: [],
        clients: [],
        outcome: 'command-rejected',
      };
    }
    const messageId = `opdracht:${position}`;
    const r = await this.updateClient(
      bsn,
      messageId,
      position,
      mode,
      (state, ctx) => {
        const applied = applyFacts(state, messageId, position, []);
        if (applied.outcome !== 'applied') return { outcome: applied.outcome };
        const next = applied.state;
        const result = handleCommand(bsn, currentFacts(next), next.engine, gemeente, command, ctx);
        next.engine = result.state;
        return { outcome: 'applied', state: next, outputs: result.outputs };
      },
      { guard },
    );
    const handled: Handled = { outputs: [], acks: [], clients: [], outcome: 'command' };
    merge(handled, r);
    handled.outcome = 'command';
    return handled;
  }

  /**
   * A tick of the daily re-evaluation (`pipeline/tick.ts`): every client of its slice whose next date
   * (`engine/dagen.ts`) is on or before the tick's day is evaluated again, without new facts, under the message
   * id `dag:<day>`, so its outputs are kept and replayed like those of any message. The clients a tick takes are
   * recorded in the register first: a redelivered tick hands back their kept outputs, then takes the rest.
   * A tick for a day already done finds nobody due: nothing happens.
   */
  private async daily(
    rec: InputRecord,
    mode: Mode,
    progress?: () => Promise<void>,
    guard?: () => void,
  ): Promise<Handled> {
    const { slices } = this.opts.dagelijks!;
    const decoded = core('decode', () => decodeTick(rec, slices, this.opts.context().today));
    if (!decoded.ok)
      return { outputs: [], deadLetter: decoded.error, acks: [], clients: [], outcome: 'dead-letter' };
    const { dag, slice } = decoded.tick;
    const position = positionKey(rec);
    const messageId = `dag:${dag}`;
    const handled: Handled = { outputs: [], acks: [], clients: [], outcome: 'duplicate' };
    const one = async (clientId: string) => {
      const { state, version } = await this.store.load(clientId);
      guard?.();
      if (!state) {
        // deleted (by this tick before a crash, or earlier): out of the index, and its tombstone once more
        await this.store.forgetDue(sliceOf(clientId, slices), clientId);
        merge(handled, {
          outputs: [],
          acks: [],
          clients: [clientId],
          changed: [clientId],
          outcome: 'duplicate',
        });
        return;
      }
      // indexed under another slice count (DAGELIJKS_SLICES raised): it moves to its own slice below
      if (sliceOf(clientId, slices) !== slice) await this.store.setDue(slice, clientId, version, null);
      const r = await this.bounded(() =>
        this.updateClient(
          state.bsn,
          messageId,
          position,
          mode,
          (current, ctx) => {
            const applied = applyFacts(current, messageId, position, []);
            if (applied.outcome !== 'applied') return { outcome: applied.outcome };
            const next = applied.state;
            // the bewaartermijn is over: deleted, before anything is evaluated (nothing goes to a gemeente)
            const termijn = this.opts.bewaartermijnDagen;
            if (
              termijn !== undefined &&
              teVerwijderen(currentFacts(current), current.engine, ctx.today, termijn)
            )
              return { outcome: 'delete' };
            next.dag = ctx.today;
            const evaluated = evaluate(next.bsn, currentFacts(next), next.engine, ctx);
            next.engine = evaluated.state;
            return { outcome: 'applied', state: next, outputs: evaluated.outputs };
          },
          // the only path that deletes: its delete unindexes the client first, and may then lose the race
          { atLeast: dag, indexInFull: true, guard },
        ),
      );
      if (r.deadLetter)
        r.deadLetter = { ...r.deadLetter, reason: `client ${clientId}: ${r.deadLetter.reason}` };
      merge(handled, r);
      await progress?.();
    };
    for (const clientId of await this.store.takenBy(slice, position)) await one(clientId);
    for (;;) {
      guard?.();
      const due = await this.store.takeDue(slice, dag, position, DAILY_PAGE);
      if (due.length === 0) break;
      for (const clientId of due) await one(clientId);
    }
    return handled;
  }

  /**
   * Deletes a client whose bewaartermijn is over: first its indexes (gemeenten, beëindigingen, the daily index),
   * then — if nobody changed it since `version` — its state and outbox. On a conflict the caller reads again
   * (a new message may have made it a client to keep: the daily commit that follows indexes it in full again).
   */
  private async remove(clientId: string, version: number, state: ClientState): Promise<boolean> {
    await this.store.unindex(clientId, indexEntries(state));
    const d = this.opts.dagelijks;
    if (d) await this.store.forgetDue(sliceOf(clientId, d.slices), clientId);
    return this.store.remove(clientId, version);
  }

  /**
   * One record of the register's changelog, in a rebuild (kafka/recovery.ts): the client's state at `version`,
   * with its indexes and its day in the daily index, and the outbox entries of its records not yet committed
   * (they come again as replays and send these outputs); or (`null`, a tombstone) the client deleted. A version
   * older than the one this rebuild restored already (`restored`: client id → version, kept by the rebuild) is
   * ignored: the rebuild never goes back to an older state. What the register holds is not asked: with several
   * partitions in hand, a batch that ran on through the loss may have committed a client into the wiped register,
   * computed from nothing and at any version; its transaction fails (kafka/sink.ts), the record comes again, and
   * the changelog's state is the one to restore.
   */
  async restoreClient(
    clientId: string,
    version: number,
    state: ClientState | null,
    outbox: OutboxEntries,
    restored: Map<string, number>,
  ): Promise<void> {
    if (state === null) {
      restored.delete(clientId);
      const current = await this.store.load(clientId);
      if (current.state) await this.remove(clientId, current.version, current.state);
      return;
    }
    if ((restored.get(clientId) ?? 0) >= version) return;
    await this.store.restore(clientId, version, state, outbox);
    await this.store.index(clientId, indexEntries(state));
    await this.setDue(clientId, version, state, processingDay(this.opts.context(), state).today);
    // only once all of it is written: a record read again after a failure is restored again
    restored.set(clientId, version);
  }

  /** Puts a client of the register in the daily index (an older register's clients, once). */
  async indexDue(clientId: string): Promise<void> {
    const { state, version } = await this.store.load(clientId);
    if (state) await this.setDue(clientId, version, state, processingDay(this.opts.context(), state).today);
  }

  /** Puts the client in the daily index at its next date that matters after `today` (or takes it out). */
  private async setDue(clientId: string, version: number, state: ClientState, today: IsoDate) {
    const due = this.dueOf(clientId, state, today);
    if (due) await this.store.setDue(due.slice, clientId, version, due.day);
  }

  /** The client's slice and next day in the daily index (none when there is no daily re-evaluation). */
  private dueOf(clientId: string, state: ClientState, today: IsoDate): CommitEffects['due'] {
    const d = this.opts.dagelijks;
    if (!d) return undefined;
    const day = core('decide', () =>
      volgendeDag(currentFacts(state), state.engine, today, this.opts.bewaartermijnDagen),
    );
    return { slice: sliceOf(clientId, d.slices), day: day ?? null };
  }

  /**
   * Read-modify-write of one client with optimistic concurrency: on a conflict (another instance
   * changed the client in between) re-read and recompute. A replay returns the outbox of that record.
   */
  private async updateClient(
    bsn: string,
    messageId: string,
    position: string,
    mode: Mode,
    step: (
      state: ClientState,
      ctx: EngineContext,
    ) =>
      | { outcome: 'duplicate' | 'replay' | 'delete' }
      | { outcome: 'applied'; state: ClientState; outputs: Output[] },
    { atLeast, indexInFull = false, ahead, guard }: UpdateOptions = {},
  ): Promise<Handled> {
    const clientId = ahead?.ids.get(bsn) ?? pseudonym(this.opts.secret, bsn);
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      // a state a commit sent ahead left must be one that won
      if (ahead?.deferCommits) await ahead.settled(clientId);
      const { state, version } = ahead?.clients.get(clientId) ?? (await this.store.load(clientId));
      const current = state ?? emptyState(bsn);
      const ctx = processingDay(this.opts.context(), current, atLeast);
      const r = core('reduce and decide', () => step(current, ctx));
      // nothing is written by a batch whose register was lost meanwhile (kafka/consumer-loop.ts)
      guard?.();
      if (r.outcome === 'delete') {
        ahead?.clients.delete(clientId);
        if (await this.remove(clientId, version, current))
          return { outputs: [], acks: [], clients: [clientId], changed: [clientId], outcome: 'deleted' };
        continue;
      }
      if (r.outcome !== 'applied') {
        if (r.outcome === 'duplicate')
          return { outputs: [], acks: [], clients: [clientId], outcome: 'duplicate' };
        const pending = (await this.store.pending(clientId, position)) ?? [];
        // the index and the daily index at once: independent writes, one round trip instead of two
        await Promise.all([
          this.store.index(clientId, indexEntries(current)),
          this.setDue(clientId, version, current, ctx.today),
        ]);
        return {
          outputs: pending,
          acks: pending.length > 0 ? [{ clientId, position }] : [],
          clients: [clientId],
          // a crash between the Redis commit and the Kafka transaction kept the change from the changelog too
          changed: [clientId],
          outcome: 'replay',
        };
      }
      const owners = new Set(gemeentenOf(r.state));
      const guarded = r.outputs.filter((o) => {
        // a tombstone (no data) goes to the gemeente its decision reference names, also when its facts are gone
        if (o.kind === 'tombstone') {
          if (gemeenteVan(o.subject) === o.gemeente) return true;
        } else if (owners.has(o.gemeente) || o.kind === 'opdracht-afgewezen') return true;
        this.opts.onBlocked?.(clientId, o.gemeente);
        return false;
      });
      const outputs = core('render', () => guarded.map((o) => render(o, ctx)));
      await this.check(outputs);
      guard?.();
      const kept = mode === 'restore' ? [] : outputs;
      // on a conflict the client is read again from the register; after the commit it is what was written
      ahead?.clients.delete(clientId);
      const effects: CommitEffects = {
        // only what the change added: the rest was indexed with the previous version (or, if a crash came
        // between that commit and its index, is indexed when its record comes again: the replay above);
        // all of it when the previous indexes may be gone (`indexInFull`, the daily re-evaluation)
        index: indexInFull ? indexEntries(r.state) : addedEntries(state, r.state),
        due: this.dueOf(clientId, r.state, ctx.today),
      };
      const commit = this.store.commit(
        clientId,
        version,
        r.state,
        position,
        kept,
        effects,
        mode !== 'unheld',
      );
      // deferred: the record goes on as if the commit won; the look-ahead's settle says if it did
      if (ahead?.deferCommits) ahead.send(position, clientId, commit);
      if (ahead?.deferCommits || (await commit)) {
        ahead?.clients.set(clientId, { state: r.state, version: version + 1 });
        return {
          outputs,
          acks: outputs.length > 0 ? [{ clientId, position }] : [],
          clients: [clientId],
          changed: [clientId],
          committed: [{ clientId, version: version + 1, state: r.state }],
          outcome: 'applied',
        };
      }
    }
    throw new Error(`register: ${MAX_CONFLICT_RETRIES} version conflicts in a row for client ${clientId}`);
  }
}

/** How `Processor.updateClient` reads, evaluates and indexes one client, beyond its step. */
interface UpdateOptions {
  /** The day of the tick being handled: the client is evaluated as of this day at the earliest (processingDay). */
  atLeast?: IsoDate;
  /**
   * The client's previous indexes may be gone: a commit indexes its state in full (gemeenten, beëindigingen), not
   * only the entries the change added. The daily re-evaluation sets it, the only path that deletes: a delete
   * unindexes the client first, and when it then loses the version race (another instance's commit, which indexed
   * only what it added, made it a client to keep) or crashes, the retry or the redelivered tick indexes it again.
   */
  indexInFull?: boolean;
  /** The partition's look-ahead: the client id and state read ahead, and where the commit puts the new state. */
  ahead?: Lookahead;
  /** Throws when the batch may write no more (Processor.handle); called right before each write. */
  guard?: () => void;
}

/**
 * The day a client is evaluated as of: today, but never before the last daily re-evaluation of the client
 * (a clock a moment behind at midnight must not undo what the tick of the new day did) nor before `atLeast`
 * (the day of the tick being handled).
 */
function processingDay<C extends { today: IsoDate }>(ctx: C, state: ClientState, atLeast?: IsoDate): C {
  let today = ctx.today;
  for (const d of [state.dag, atLeast]) if (d !== undefined && d > today) today = d;
  return today === ctx.today ? ctx : { ...ctx, today };
}

/**
 * Room kept for a record's headers and Kafka's per-record and per-batch overhead: the key and value of an
 * output may use MAX_OUTPUT_BYTES minus this.
 */
export const RECORD_OVERHEAD_BYTES = 512;

function indexEntries(state: ClientState) {
  return { gemeenten: gemeentenOf(state), beeindigingen: state.engine ? beeindigingIds(state.engine) : [] };
}

/** The index entries of `next` that `before` (the previous version of the client, if any) did not have. */
function addedEntries(before: ClientState | undefined, next: ClientState): IndexEntries {
  const now = indexEntries(next);
  if (before === undefined) return now;
  const had = indexEntries(before);
  return {
    gemeenten: now.gemeenten.filter((g) => !had.gemeenten.includes(g)),
    beeindigingen: now.beeindigingen.filter((b) => !had.beeindigingen.includes(b)),
  };
}

function merge(into: Handled, r: Handled): void {
  into.outputs.push(...r.outputs);
  into.acks.push(...r.acks);
  into.clients.push(...r.clients);
  if (r.changed) (into.changed ??= []).push(...r.changed);
  if (r.committed) (into.committed ??= []).push(...r.committed);
  if (r.deadLetter) {
    into.deadLetter ??= r.deadLetter;
    if (into.outcome === 'duplicate') into.outcome = 'dead-letter';
  }
  if (r.outcome === 'applied' || (r.outcome === 'replay' && into.outcome !== 'applied'))
    into.outcome = r.outcome;
  else if (r.outcome === 'deleted' && into.outcome === 'duplicate') into.outcome = 'deleted';
}
