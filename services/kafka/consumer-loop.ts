import type { SpanContext } from '@opentelemetry/api';
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Config } from '../config';
import { scrubBsn, type Logger } from '../log';
import type { Metrics } from '../metrics';
import type { InputRecord } from '../pipeline/decode';
import { CommitLost, type Handled, type Lookahead, type Processor } from '../pipeline/processor';
import type { ProposalIndex, RegisterMaintenance, RegisterStore } from '../register/store';
import { inputTopics } from '../topics';
import { inRecordSpan, inSendSpan } from '../tracing';
import { inputRecordOf } from './headers';
import { observeSent } from './observe';
import { fatalCause } from './retriable';
import { CommitHeld, partitionOf, RegisterLostError } from '../register/store';
import { committedOffsets } from './rebuild';
import { positionKey } from '../register/state';
import type { ChunkEntry, TransactionalSink } from './sink';
import { within } from './startup';
import type { TopicManager } from './topics';

/**
 * Messages handled before their outputs are flushed to Kafka and their offsets resolved: at most this many per
 * transaction. A fetch brings at most 1 MiB per partition (kafkajs' default), ≈390 input messages of the
 * national mix, so in a backlog a batch is one transaction instead of two of 200 (each transaction is about six
 * broker round trips): drains ×1.0–1.3 faster in turns (README, Performance, seventeenth round). A chunk's
 * records go to Kafka in as many produce requests as the broker's batch limit needs (produce-requests.ts).
 */
export const FLUSH_EVERY = 500;
/**
 * A chunk is also flushed once its first record waited this long, full or not (and always at the end of a
 * batch): in a large batch (a backlog) the first record's outputs need not wait for 499 others. Shorter
 * means more transactions (each about six broker round trips) for the same records: see README, Performance.
 */
export const FLUSH_LINGER_MS = 250;
/**
 * Records decoded and whose clients' states are read from Redis together, ahead of their processing (one round
 * trip for the window instead of one read per record). Smaller than a chunk: a window of 500 held ≈25 MB more
 * at peak for no gain in a drain.
 */
export const LOOKAHEAD = 200;
const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 10000;
/**
 * A record whose commit is held (CommitHeld: its client has outputs of another input partition not yet in Kafka)
 * is tried again after a wait that doubles from the first to the last, until that entry is acked. After
 * HOLD_YIELD_MS the batch ends there instead, its unprocessed records fetched again later: with one partition at
 * a time, the holder may be a record this consumer must process first (one whose transaction never committed,
 * after a crash or a failed transaction). A record held longer than holdGiveUpMs (two session timeouts and ten
 * seconds: time for a crashed holder's partition to be taken over and its record processed again) commits
 * without waiting: two records of several clients each (a tick, an upload) can hold each other, and progress
 * comes before the order of that one client's outputs (logged).
 */
const HOLD_FIRST_MS = 20;
const HOLD_LAST_MS = 500;
export const HOLD_YIELD_MS = 2000;
export const holdGiveUpMs = (cfg: Pick<Config, 'KAFKA_SESSION_TIMEOUT_MS'>): number =>
  2 * cfg.KAFKA_SESSION_TIMEOUT_MS + 10000;

export interface ConsumerLoopDeps {
  kafka: Kafka;
  /** Reads the group's committed offsets: an outbox entry below them was sent, only its ack was lost. */
  admin: Admin;
  cfg: Config;
  processor: Processor;
  sink: TransactionalSink;
  register: RegisterMaintenance & ProposalIndex & Pick<RegisterStore, 'ack'>;
  topics: TopicManager;
  metrics: Metrics;
  log: Logger;
  /** Rebuilds the register when Redis lost it (./recovery.ts); resolves once it is complete. */
  ensureRegister: () => Promise<void>;
}

/** What readiness needs to know about the consumer. */
export interface ConsumerFacts {
  /** Connected, and a broker answered within the allowed silence. */
  kafkaUp: boolean;
  /** The consumer has joined the group (with or without partitions: a spare replica is a member too). */
  inGroup: boolean;
  assigned: number;
  /** The partitions this instance owns, by topic. */
  assignment: Record<string, number[]>;
  /** Records are failing for a non-input reason (an outage). */
  degraded: boolean;
  /** The register is being rebuilt or recovered: nothing is processed meanwhile. */
  rebuilding: boolean;
}

/**
 * The consumer side of the shell: one consumer in the group at a time; per batch, each record goes
 * through the Processor (retried with backoff and heartbeats while it fails for a non-input reason),
 * and chunks go to the transactional sink. It replaces its consumer when the register must be rebuilt,
 * when a new gemeente's opdrachten topic appears, and when kafkajs gives a consumer up.
 */
export class ConsumerLoop {
  private consumer: Consumer | undefined;
  private subscribed = new Set<string>();
  private resubscribing = false;
  private stopping = false;
  private assigned = 0;
  private assignment: Record<string, number[]> = {};
  private inGroup = false;
  private consumerUp = false;
  /**
   * When the consumer last had an answer from a broker (any request: fetch, heartbeat, metadata). kafkajs
   * retries a lost broker silently for a long time before it reports a crash, so readiness looks at this.
   */
  private lastBrokerContact = 0;
  private degraded = false;
  private rebuilding = false;
  private recovering = false;
  /** The chain of consumer replacements (recovery, resubscribe): one at a time. */
  private consumerSwap: Promise<void> = Promise.resolve();
  /** While start() waits for the first group join. */
  private joinWaiter: { resolve: () => void; reject: (err: Error) => void } | undefined;
  /** Input partitions taken over (fenced, committed offset read) since the last assignment. */
  private takenOver = new Set<string>();
  /**
   * Raised when this process finds the register lost. A batch notes it when it begins and writes nothing to
   * the register once it changed: with several partitions in hand, kafkajs stops the consumer at one batch's
   * error without waiting for the others, which would go on committing clients into the wiped or rebuilt
   * register with versions of their own (their commits sent before the rise reach Redis before the wipe).
   */
  private generation = 0;
  /** Per input partition, the record whose commit is held, and since when (across its batches). */
  private held = new Map<string, { offset: string; since: number }>();

  private topicRefresh: NodeJS.Timeout | undefined;
  /** The record-age series of the two stages, looked up once (not a label lookup per record). */
  private readonly ageHandled;
  private readonly ageSent;

  constructor(private readonly d: ConsumerLoopDeps) {
    this.ageHandled = d.metrics.recordAge.labels({ stage: 'handled' });
    this.ageSent = d.metrics.recordAge.labels({ stage: 'sent' });
  }

  facts(): ConsumerFacts {
    return {
      kafkaUp: this.consumerUp && Date.now() - this.lastBrokerContact < this.brokerSilenceMs(),
      inGroup: this.inGroup,
      assigned: this.assigned,
      assignment: this.assignment,
      degraded: this.degraded,
      rebuilding: this.rebuilding || this.recovering,
    };
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /**
   * How long the consumer may go without an answer from a broker before the service reports Kafka as
   * down: an idle consumer still fetches every maxWaitTime (5 s) and heartbeats every heartbeatInterval.
   */
  private brokerSilenceMs(): number {
    return Math.max(10000, 3 * this.heartbeatIntervalMs());
  }

  private heartbeatIntervalMs(): number {
    return Math.max(1000, Math.floor(this.d.cfg.KAFKA_SESSION_TIMEOUT_MS / 10));
  }

  /** The register check of the start: rebuilt first when Redis lost it. */
  async checkRegister(): Promise<void> {
    if (await this.d.register.hasEpoch()) return;
    this.rebuilding = true;
    try {
      await this.d.ensureRegister();
    } finally {
      this.rebuilding = false;
    }
  }

  /** Runs a consumer and waits until it has joined the group; on failure no consumer is left behind. */
  async joinGroup(deadline: number): Promise<void> {
    const joined = new Promise<void>((resolve, reject) => (this.joinWaiter = { resolve, reject }));
    joined.catch(() => undefined);
    try {
      await this.runConsumer();
      await within(joined, deadline - Date.now(), 'joining the consumer group');
      // A gemeente's uploads or opdrachten topic made by someone else (samenloop import, topics create).
      this.topicRefresh ??= setInterval(() => this.scheduleResubscribe(), this.d.cfg.TOPIC_REFRESH_MS);
      this.topicRefresh.unref();
    } catch (err) {
      const failed = this.consumer;
      this.consumer = undefined;
      await failed?.disconnect().catch(() => undefined);
      throw err;
    } finally {
      this.joinWaiter = undefined;
    }
  }

  private async runConsumer(): Promise<void> {
    const { cfg, metrics, log } = this.d;
    const consumer = this.d.kafka.consumer({
      groupId: cfg.KAFKA_GROUP_ID,
      allowAutoTopicCreation: false,
      sessionTimeout: cfg.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatInterval: this.heartbeatIntervalMs(),
      // kafkajs restarts a crashed consumer by itself; one that was replaced (recovery, resubscribe) or
      // stopped must stay down, or it would go on as a second member of the group.
      retry: { restartOnFailure: async () => !this.stopping && this.consumer === consumer },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.consumerUp = true;
      this.takenOver.clear();
      this.inGroup = true;
      this.assignment = e.payload.memberAssignment;
      // a held record of a partition now another's is that one's to wait for
      for (const tp of this.held.keys()) {
        const topic = partitionOf(tp);
        if (!e.payload.memberAssignment[topic]?.includes(Number(tp.slice(topic.length + 1))))
          this.held.delete(tp);
      }
      this.assigned = Object.values(e.payload.memberAssignment).reduce((n, ps) => n + ps.length, 0);
      metrics.rebalances.inc();
      log.info({ assigned: e.payload.memberAssignment }, 'partitions assigned');
      // The producers of partitions that moved away are closed (one producer per partition owned).
      const owned = new Set(
        Object.entries(e.payload.memberAssignment).flatMap(([t, ps]) => ps.map((p) => `${t}/${p}`)),
      );
      void this.d.sink.release(owned).then((closed) => {
        if (closed > 0) log.info({ closed }, 'producers of revoked partitions closed');
      });
      this.joinWaiter?.resolve();
    });
    consumer.on(consumer.events.REQUEST, () => {
      this.lastBrokerContact = Date.now();
    });
    consumer.on(consumer.events.CRASH, (e) => {
      this.consumerUp = false;
      this.inGroup = false;
      const err = e.payload.error;
      const current = this.consumer === consumer && !this.stopping;
      if (e.payload.restart || !current) {
        // kafkajs restarts it by itself (or it was replaced on purpose): worth a warning, not a page.
        log.warn({ err, restart: e.payload.restart }, 'consumer crashed');
        return;
      }
      if (this.joinWaiter) {
        this.joinWaiter.reject(err);
        return;
      }
      const fatal = fatalCause(err);
      log.error(
        { err, ...(fatal ? { cause: scrubBsn(fatal) } : {}) },
        fatal ? 'consumer stopped: not retriable, needs a person' : 'consumer stopped: starting a new one',
      );
      if (!fatal) void this.replaceConsumer(async () => true, 'consumer restart');
    });
    consumer.on(consumer.events.DISCONNECT, () => {
      this.consumerUp = false;
      this.inGroup = false;
    });
    await consumer.connect();
    const topics = [
      ...inputTopics(cfg),
      ...(await this.d.topics.existingGemeenteInputTopics()),
      // the daily re-evaluation's ticks: who owns partition n re-evaluates slice n of the clients
      cfg.TOPIC_DAGELIJKS,
    ];
    await consumer.subscribe({ topics, fromBeginning: true });
    this.subscribed = new Set(topics);
    await consumer.run({
      partitionsConsumedConcurrently: cfg.KAFKA_PARTITIONS_CONCURRENTLY,
      eachBatchAutoResolve: false,
      autoCommit: false,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  private async eachBatch(p: EachBatchPayload): Promise<void> {
    const generation = this.generation;
    try {
      await this.processBatch(p, generation);
    } catch (err) {
      if (err instanceof RegisterLostError) {
        // at once, before the recovery wipes anything: no batch begun before this writes to the register again
        // (a batch of an earlier generation failing late does not count: its loss is being handled, or was)
        if (generation === this.generation) this.generation++;
        this.scheduleRecovery();
      }
      throw err;
    }
  }

  private async processBatch(p: EachBatchPayload, generation: number): Promise<void> {
    // the register this batch works on: its chunks are sent only while it is still the one (sink.ts)
    const epoch = await this.d.register.epoch();
    if (epoch === undefined) throw new RegisterLostError();
    const guard = () => {
      if (this.generation !== generation) throw new RegisterLostError();
    };
    const { batch } = p;
    const tp = `${batch.topic}/${batch.partition}`;
    let done = -1n;
    if (!this.takenOver.has(tp)) {
      done = await this.d.sink.takeOver(batch.topic, batch.partition, p);
      this.takenOver.add(tp);
    }
    try {
      let chunk: ChunkEntry[] = [];
      let chunkSince = 0;
      // the records of the next window, decoded and their clients read from Redis at once (pipeline/processor.ts)
      let window: InputRecord[] = [];
      let ahead: Lookahead | undefined;
      // After a rewind the next window waits for each commit: a client other instances keep changing gets
      // the in-place conflict retry, so the batch always gets on.
      let defer = true;
      const messages = batch.messages;
      // the index in `messages` of the next record to process (a rewind sets it back)
      let next = 0;
      // while the record at `next` is held (CommitHeld): since this batch began to wait, and how many waits
      let heldSince = 0;
      let holds = 0;
      // the offset of a record held too long: it commits without waiting (holdGiveUpMs)
      let unheld: string | undefined;
      /**
       * Waits for the window's commits sent ahead (Lookahead.deferCommits). When one lost its race or failed, its
       * record and those after it leave the chunk and are processed again from there, with a fresh look-ahead (the
       * records after it that committed are found applied then: replays, whose outputs come from the outbox):
       * `next` goes back to that record, and the answer is true. False when every commit won.
       */
      const rewound = async (): Promise<boolean> => {
        if (!ahead?.unsettled) return false;
        const lost = await ahead.settle();
        if (lost === undefined) return false;
        const at = chunk.findIndex((c) => positionKey(c.rec) === lost.position);
        // every record whose commit was sent since the last settle is in the chunk: flushes come after a settle
        if (at < 0) throw new Error('a commit sent ahead lost, and its record is not in the chunk');
        const offset = chunk[at]!.offset;
        chunk = chunk.slice(0, at);
        window = [];
        ahead = undefined;
        defer = false;
        const held = lost.error instanceof CommitHeld;
        this.d.metrics.rewinds.inc({ reason: held ? 'held' : lost.error ? 'error' : 'conflict' });
        if (lost.error && !held)
          this.d.log.warn({ err: lost.error, offset }, 'a commit sent ahead failed: processing again');
        next = messages.findIndex((m) => m.offset === offset);
        return true;
      };
      for (;;) {
        if (next >= messages.length || !p.isRunning() || p.isStale()) {
          // the end of the batch (or of the partition's ownership): the last commits must have won, or their
          // records are processed again (while the partition is still this consumer's)
          if ((await rewound()) && p.isRunning() && !p.isStale()) continue;
          break;
        }
        const m = messages[next]!;
        if (BigInt(m.offset) < done) {
          // committed by the previous owner after this consumer had fetched its position
          p.resolveOffset(m.offset);
          next++;
          continue;
        }
        if (window.length === 0) {
          if (await rewound()) continue;
          window = messages.slice(next, next + LOOKAHEAD).map((n) => inputRecordOf(batch, n));
          ahead = await this.d.processor.lookahead(window, defer);
          defer = true;
        }
        const rec = window.shift()!;
        // a command or a tick reads the register directly: what was sent ahead must have won first
        if (ahead?.decoded.get(positionKey(rec))?.kind !== 'facts' && (await rewound())) continue;
        let result: { handled: Handled; span: SpanContext };
        try {
          result = await this.handleWithRetry(rec, p, guard, ahead, m.offset === unheld ? 'unheld' : 'live');
        } catch (err) {
          if (err instanceof CommitHeld) {
            // what was sent ahead first (a commit of it that lost or was held goes back further)
            if (await rewound()) continue;
            // this partition's own outputs go to Kafka and are acked first: the holder may wait for them
            await this.flush(chunk, p, epoch);
            chunk = [];
            window = [];
            ahead = undefined;
            defer = false;
            if (holds === 0) heldSince = Date.now();
            const since = this.heldSince(tp, m.offset);
            const where = {
              topic: batch.topic,
              partition: batch.partition,
              offset: m.offset,
              heldBy: err.position,
            };
            if (Date.now() - since >= holdGiveUpMs(this.d.cfg)) {
              unheld = m.offset;
              this.d.log.warn(where, 'a record held too long commits without waiting for another partition');
              continue;
            }
            if (await this.waitForHolder(err, holds++, heldSince, p)) continue;
            // the batch ends here; the records from this one on are fetched again
            this.d.log.info(where, 'a record waits for another partition’s outputs: its batch ends there');
            break;
          }
          if (!(err instanceof CommitLost)) throw err;
          // the record's client has a commit sent ahead that lost: go on from that commit's record
          if (await rewound()) continue;
          throw new Error('a commit sent ahead lost, and the settle found none lost', { cause: err });
        }
        if (holds > 0 || unheld !== undefined) {
          holds = 0;
          unheld = undefined;
          this.held.delete(tp);
        }
        next++;
        const { handled, span } = result;
        const now = Date.now();
        // the producer's timestamp: any number (prom-client refuses only one that is not finite)
        const at = Number(m.timestamp);
        const timestamp = Number.isFinite(at) ? at : undefined;
        if (timestamp !== undefined) this.ageHandled.observe((now - timestamp) / 1000);
        if (chunk.length === 0) chunkSince = now;
        chunk.push({ offset: m.offset, handled, rec, span, timestamp });
        if (chunk.length >= FLUSH_EVERY || now - chunkSince >= FLUSH_LINGER_MS) {
          // only records whose commits won go to Kafka (a rewind takes the others out of the chunk first)
          await rewound();
          await this.flush(chunk, p, epoch);
          chunk = [];
        }
      }
      await this.flush(chunk, p, epoch);
    } catch (err) {
      // A failed transaction may still have committed (the broker went away during its EndTxn, and the
      // coordinator completed it on its return): the next batch takes the partition over again, as a new owner
      // would (a new producer, whose InitProducerId lets the coordinator finish that transaction, then the
      // committed offset), so records it committed are not sent a second time from their outbox.
      this.takenOver.delete(tp);
      throw err;
    }
    const lag = batch.offsetLag();
    this.d.metrics.lag.set({ topic: batch.topic, partition: String(batch.partition) }, Number(lag));
  }

  /**
   * One chunk to the sink, in a span linked to the spans of its records; then its records and what it sent are
   * counted (once sent: a record processed again after a rewind, or by the next owner after a failed
   * transaction, counts once).
   */
  private async flush(chunk: ChunkEntry[], p: EachBatchPayload, epoch: string): Promise<void> {
    if (chunk.length === 0) return this.d.sink.flush(chunk, p, epoch);
    const { metrics, cfg } = this.d;
    const spans = chunk.map((c) => c.span);
    const end = metrics.flushTime.startTimer();
    await inSendSpan(p.batch.topic, p.batch.partition, spans, () => this.d.sink.flush(chunk, p, epoch));
    end();
    const { topic } = p.batch;
    const now = Date.now();
    for (const { handled, timestamp } of chunk) {
      if (timestamp !== undefined) this.ageSent.observe((now - timestamp) / 1000);
      metrics.consumed.inc({ topic, outcome: handled.outcome });
      if (topic === cfg.TOPIC_DAGELIJKS) metrics.dailyClients.inc(handled.clients.length);
    }
    await observeSent(chunk, this.d.metrics, this.d.register, this.d.log);
  }

  /**
   * A record that fails for a reason that is not its content (Redis down, a timeout) is retried with
   * exponential backoff, heartbeating meanwhile, until it succeeds or the partition is taken away: never
   * skipped. Bad input never gets here: it is dead-lettered by the decode step.
   */
  private async handleWithRetry(
    rec: InputRecord,
    p: EachBatchPayload,
    guard: () => void,
    ahead?: Lookahead,
    mode: 'live' | 'unheld' = 'live',
  ): Promise<{ handled: Handled; span: SpanContext }> {
    const { metrics, log, processor } = this.d;
    for (let attempt = 0; ; attempt++) {
      const end = metrics.latency.startTimer();
      try {
        // a tick may re-evaluate many clients: heartbeat between them
        const { result: handled, span } = await inRecordSpan(rec, () =>
          processor.handle(rec, mode, () => p.heartbeat(), ahead, guard),
        );
        end();
        if (this.degraded) log.info('processing resumed');
        this.degraded = false;
        return { handled, span };
      } catch (err) {
        // the register was lost: the batch ends here (the recovery takes over), not in a retry; a commit sent
        // ahead lost, or one held, is the batch's to handle (processBatch)
        if (err instanceof RegisterLostError || err instanceof CommitLost || err instanceof CommitHeld)
          throw err;
        this.degraded = true;
        if (!p.isRunning() || p.isStale() || this.stopping) throw err;
        const wait = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(attempt, 16));
        const where = { topic: rec.topic, partition: rec.partition, offset: rec.offset };
        log.warn({ err, ...where, attempt, wait }, 'record failed for a non-input reason: retrying');
        const until = Date.now() + wait;
        while (Date.now() < until && p.isRunning() && !this.stopping) {
          await new Promise((r) => setTimeout(r, Math.min(1000, until - Date.now())));
          await p.heartbeat();
        }
      }
    }
  }

  /** When the record at `offset` of partition `tp` was first held (now, unless it was in an earlier batch). */
  private heldSince(tp: string, offset: string): number {
    const known = this.held.get(tp);
    if (known?.offset === offset) return known.since;
    const since = Date.now();
    this.held.set(tp, { offset, since });
    return since;
  }

  /**
   * A record's commit was held by an outbox entry of another input partition (CommitHeld). An entry below the
   * group's committed offset of its partition was sent, and only its ack was lost (a crash or a Redis error
   * right after the transaction): it is acked here (looked for at a batch's first wait), and the record goes on.
   * Otherwise waits, with heartbeats, for the holder's transaction (its chunk is flushed within FLUSH_LINGER_MS,
   * or at the end of its batch). True: process the record again; false: the record has waited HOLD_YIELD_MS, or
   * the partition is no longer this consumer's, and its batch ends.
   */
  private async waitForHolder(
    held: CommitHeld,
    holds: number,
    since: number,
    p: EachBatchPayload,
  ): Promise<boolean> {
    this.d.metrics.holds.inc();
    // once per batch that waits (every HOLD_YIELD_MS at most), not at every retry: one OffsetFetch of the group
    const tp = partitionOf(held.position);
    const committed =
      holds === 0
        ? (await committedOffsets(this.d.admin, this.d.cfg.KAFKA_GROUP_ID, [partitionOf(tp)])).get(tp)
        : undefined;
    if (committed !== undefined && BigInt(held.position.slice(tp.length + 1)) < committed) {
      await this.d.register.ack(held.clientId, [held.position]);
      this.d.log.info({ heldBy: held.position }, 'an outbox entry whose outputs were sent is acked');
      return true;
    }
    if (Date.now() - since >= HOLD_YIELD_MS) return false;
    await new Promise((r) => setTimeout(r, Math.min(HOLD_LAST_MS, HOLD_FIRST_MS * 2 ** Math.min(holds, 8))));
    await p.heartbeat();
    return p.isRunning() && !p.isStale() && !this.stopping;
  }

  /** Redis lost the register while running: stop consuming, rebuild, consume again. */
  private scheduleRecovery(): void {
    if (this.recovering || this.stopping) return;
    this.recovering = true;
    void this.replaceConsumer(async () => {
      while (!this.stopping) {
        try {
          await this.checkRegister();
          return true;
        } catch (err) {
          this.d.log.error({ err }, 'register rebuild failed: retrying');
          await new Promise((r) => setTimeout(r, 2000));
        }
      }
      return false;
    }, 'recovery').finally(() => (this.recovering = false));
  }

  /**
   * A new gemeente got its topics: listen on its opdrachten and uploads topics too (kafkajs subscribes
   * before run). Also every TOPIC_REFRESH_MS, for topics made outside the processor.
   */
  scheduleResubscribe(): void {
    if (this.resubscribing || this.stopping) return;
    this.resubscribing = true;
    void (async () => {
      try {
        const wanted = await this.d.topics.existingGemeenteInputTopics();
        if (wanted.every((t) => this.subscribed.has(t))) return;
        await this.replaceConsumer(async () => true, 'resubscribe');
      } catch (err) {
        this.d.log.error({ err }, 'resubscribe failed');
      } finally {
        this.resubscribing = false;
      }
    })();
  }

  /**
   * Stops the current consumer, runs `between` and starts a new one (unless `between` says no or the
   * service stops). Replacements run one after the other, so there is never more than one consumer.
   */
  private replaceConsumer(between: () => Promise<boolean>, what: string): Promise<void> {
    const { log } = this.d;
    const next = this.consumerSwap.then(async () => {
      try {
        if (this.stopping) return;
        const old = this.consumer;
        this.consumer = undefined;
        await old?.disconnect();
        if (!(await between())) return;
      } catch (err) {
        log.error({ err }, `${what} failed`);
      }
      // Without a consumer nothing is processed: keep trying until one runs (or the service stops).
      while (!this.stopping) {
        try {
          await this.runConsumer();
          return;
        } catch (err) {
          log.error({ err }, `${what}: the consumer did not start, retrying`);
          const failed = this.consumer;
          this.consumer = undefined;
          await failed?.disconnect().catch(() => undefined);
          await new Promise((r) => setTimeout(r, 2000));
        }
      }
    });
    this.consumerSwap = next;
    return next;
  }

  /** Graceful stop: the batch in hand is finished (and committed) before the consumer leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.topicRefresh);
    await this.consumerSwap;
    await this.consumer?.disconnect();
  }
}
