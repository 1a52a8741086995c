import {
  Kafka,
  logLevel,
  Partitioners,
  type Consumer,
  type EachBatchPayload,
  type IHeaders,
  type Producer,
} from 'kafkajs';
import { policyFor, type Config } from '../config';
import type { Rendered } from '../messages/render';
import { scrubBsn, type Logger } from '../log';
import { processingMoment, today } from '../pipeline/clock';
import type { InputRecord } from '../pipeline/decode';
import { Processor, type Handled } from '../pipeline/processor';
import { startHttpServer, type Readiness } from '../http/server';
import { createMetrics, type Metrics } from '../metrics';
import { RedisStore } from '../register/redis-store';
import type { Server } from 'node:http';
import { inputRecordOf } from './headers';
import { committedOffsets, replayUntil } from './rebuild';
import { kafkaLogCreator } from './log';
import { backoffMs, fatalCause } from './retriable';
import { startStep, within, type StartClock } from './startup';
import { gemeenteTopic, gemeenteTopics, inputTopics } from '../topics';
import { TopicManager } from './topics';

/** Messages handled before their outputs are flushed to Kafka and their offsets resolved. */
const FLUSH_EVERY = 200;
const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 10000;

/**
 * The thin shell around the pure pipeline. Per chunk of one input partition:
 *   1. the Processor applies each record to the register (Redis: state + outbox, atomically);
 *   2. one Kafka transaction, by the producer owned by that input partition, carries the outputs, the
 *      dead letters and the consumer offset (sendOffsets), and commits;
 *   3. the outbox entries are acked.
 * A crash before 2 commits replays the records: the register recognises them and hands back their kept
 * outputs, which the next transaction sends. Readers with isolation read_committed (the kafkajs default)
 * see every output exactly once. The transactional.id is derived from the input topic-partition, so an
 * instance that takes a partition over fences the previous owner (no KIP-447 needed).
 */
export class SamenloopService {
  private readonly kafka: Kafka;
  private readonly store: RedisStore;
  private readonly producers = new Map<string, Promise<Producer>>();
  private consumer: Consumer | undefined;
  private readonly topics: TopicManager;
  private readonly admin;
  private readonly processor: Processor;
  private subscribed = new Set<string>();
  private resubscribing = false;
  private stopping = false;
  readonly metrics: Metrics = createMetrics();
  private http: Server | undefined;
  private assigned = 0;
  private consumerUp = false;
  /**
   * When the consumer last had an answer from a broker (any request: fetch, heartbeat, metadata). kafkajs
   * retries a lost broker silently for a long time before it reports a crash, so readiness looks at this.
   */
  private lastBrokerContact = 0;
  /** True while records fail for a non-input reason (an outage): the service is not ready. */
  private degraded = false;
  private rebuilding = false;
  private recovering = false;
  /** The chain of consumer replacements (recovery, resubscribe): one at a time. */
  private consumerSwap: Promise<void> = Promise.resolve();
  /** While start() waits for the first group join. */
  private joinWaiter: { resolve: () => void; reject: (err: Error) => void } | undefined;

  constructor(
    private readonly cfg: Config,
    private readonly log: Logger,
  ) {
    this.kafka = new Kafka({
      clientId: cfg.KAFKA_CLIENT_ID,
      brokers: cfg.KAFKA_BROKERS,
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(log),
    });
    this.admin = this.kafka.admin();
    this.topics = new TopicManager(this.admin, cfg);
    this.store = RedisStore.fromConfig(cfg);
    // ioredis reconnects by itself: a refused connection is a warning (once per message every 30 s; readiness
    // says redis:false meanwhile), what no reconnect can fix (credentials, ACL, certificate) is an error.
    const lastLogged = new Map<string, number>();
    this.store.redis.on('error', (err: Error) => {
      this.metrics.redisErrors.inc();
      const fatal = fatalCause(err);
      const message = scrubBsn(err.message);
      if (fatal !== undefined) return this.log.error({ err: message }, 'redis error: needs a person');
      if (Date.now() - (lastLogged.get(message) ?? 0) < 30000) return;
      lastLogged.set(message, Date.now());
      this.log.warn({ err: message }, 'redis error: reconnecting');
    });
    this.processor = new Processor(this.store, {
      topics: cfg,
      maxBytes: cfg.MAX_MESSAGE_BYTES,
      secret: cfg.SAMENLOOP_HMAC_SECRET,
      context: () => ({
        today: today(cfg.SAMENLOOP_TODAY),
        now: processingMoment(cfg.SAMENLOOP_TODAY),
        policy: policyFor(cfg),
        source: cfg.CLOUDEVENTS_SOURCE,
      }),
      onBlocked: (client, gemeente) =>
        this.log.error({ client, gemeente }, 'output for a gemeente that does not own the client: not sent'),
    });
  }

  /** The HTTP port actually bound (HTTP_PORT=0 picks a free one). */
  get httpPort(): number | undefined {
    const a = this.http?.address();
    return a && typeof a === 'object' ? a.port : undefined;
  }

  /**
   * How long the consumer may go without an answer from a broker before the service reports Kafka as
   * down: an idle consumer still fetches every maxWaitTime (5 s) and heartbeats every heartbeatInterval.
   */
  private brokerSilenceMs(): number {
    return Math.max(10000, 3 * this.heartbeatIntervalMs());
  }

  private heartbeatIntervalMs(): number {
    return Math.max(1000, Math.floor(this.cfg.KAFKA_SESSION_TIMEOUT_MS / 10));
  }

  readiness(): Readiness {
    const checks = {
      kafka: this.consumerUp && Date.now() - this.lastBrokerContact < this.brokerSilenceMs(),
      redis: this.store.redis.status === 'ready',
      partitionsAssigned: this.assigned > 0,
      notDegraded: !this.degraded,
      registerComplete: !this.rebuilding && !this.recovering,
    };
    return { ready: Object.values(checks).every(Boolean), checks };
  }

  /**
   * Starts the service. Every step waits out what is retriable (a broker still starting, a topic without
   * a leader yet, a coordinator loading, Redis not answering) with backoff until START_TIMEOUT_MS, while
   * /readyz says not ready. A fatal answer (credentials, authorization, a configuration the cluster
   * refuses) or the timeout rejects with a StartError naming the step and the cause.
   */
  async start(): Promise<void> {
    this.http = await startHttpServer(this.cfg.HTTP_PORT, this.metrics.registry, () => this.readiness());
    const clock: StartClock = {
      deadline: Date.now() + this.cfg.START_TIMEOUT_MS,
      stopping: () => this.stopping,
      log: this.log,
    };
    await startStep('connect to Kafka', clock, () => this.admin.connect());
    await startStep('create the topics', clock, async () => {
      const created = await this.topics.ensureBase();
      if (created.length > 0) this.log.info({ created }, 'topics created');
    });
    await startStep('reach Redis', clock, () => this.store.redis.ping());
    await startStep('check the register', clock, () => this.ensureRegister());
    await startStep('join the consumer group', clock, () => this.joinGroup(clock.deadline));
    this.log.info(
      { brokers: this.cfg.KAFKA_BROKERS, group: this.cfg.KAFKA_GROUP_ID },
      'samenloop processor started',
    );
  }

  /** Runs a consumer and waits until it has joined the group; on failure no consumer is left behind. */
  private async joinGroup(deadline: number): Promise<void> {
    const joined = new Promise<void>((resolve, reject) => (this.joinWaiter = { resolve, reject }));
    joined.catch(() => undefined);
    try {
      await this.runConsumer();
      await within(joined, deadline - Date.now(), 'joining the consumer group');
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
    const consumer = this.kafka.consumer({
      groupId: this.cfg.KAFKA_GROUP_ID,
      allowAutoTopicCreation: false,
      sessionTimeout: this.cfg.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatInterval: this.heartbeatIntervalMs(),
      // kafkajs restarts a crashed consumer by itself; one that was replaced (recovery, resubscribe) or
      // stopped must stay down, or it would go on as a second member of the group.
      retry: { restartOnFailure: async () => !this.stopping && this.consumer === consumer },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.consumerUp = true;
      this.assigned = Object.values(e.payload.memberAssignment).reduce((n, ps) => n + ps.length, 0);
      this.metrics.rebalances.inc();
      this.log.info({ assigned: e.payload.memberAssignment }, 'partitions assigned');
      this.joinWaiter?.resolve();
    });
    consumer.on(consumer.events.REQUEST, () => {
      this.lastBrokerContact = Date.now();
    });
    consumer.on(consumer.events.CRASH, (e) => {
      this.consumerUp = false;
      const err = e.payload.error;
      const current = this.consumer === consumer && !this.stopping;
      if (e.payload.restart || !current) {
        // kafkajs restarts it by itself (or it was replaced on purpose): worth a warning, not a page.
        this.log.warn({ err: scrubBsn(err.message), restart: e.payload.restart }, 'consumer crashed');
        return;
      }
      if (this.joinWaiter) {
        this.joinWaiter.reject(err);
        return;
      }
      const fatal = fatalCause(err);
      this.log.error(
        { err: scrubBsn(fatal ?? err.message) },
        fatal ? 'consumer stopped: not retriable, needs a person' : 'consumer stopped: starting a new one',
      );
      if (!fatal) void this.replaceConsumer(async () => true, 'consumer restart');
    });
    consumer.on(consumer.events.DISCONNECT, () => {
      this.consumerUp = false;
    });
    await consumer.connect();
    const topics = [...inputTopics(this.cfg), ...(await this.topics.existingOpdrachtTopics())];
    await consumer.subscribe({ topics, fromBeginning: true });
    this.subscribed = new Set(topics);
    await consumer.run({
      eachBatchAutoResolve: false,
      autoCommit: false,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  private async eachBatch(p: EachBatchPayload): Promise<void> {
    try {
      await this.processBatch(p);
    } catch (err) {
      if (err instanceof RegisterLostError) this.scheduleRecovery();
      throw err;
    }
  }

  private async processBatch(p: EachBatchPayload): Promise<void> {
    if (!(await this.store.hasEpoch())) throw new RegisterLostError();
    const { batch } = p;
    let chunk: Array<{ offset: string; handled: Handled; rec: InputRecord }> = [];
    for (const m of batch.messages) {
      if (!p.isRunning() || p.isStale()) break;
      const rec = inputRecordOf(batch, m);
      const handled = await this.handleWithRetry(rec, p);
      this.metrics.consumed.inc({ topic: batch.topic, outcome: handled.outcome });
      chunk.push({ offset: m.offset, handled, rec });
      if (chunk.length >= FLUSH_EVERY) {
        await this.flush(chunk, p);
        chunk = [];
      }
    }
    await this.flush(chunk, p);
    const lag = batch.offsetLag();
    this.metrics.lag.set({ topic: batch.topic, partition: String(batch.partition) }, Number(lag));
  }

  /**
   * A record that fails for a reason that is not its content (Redis down, a timeout) is retried with
   * exponential backoff, heartbeating meanwhile, until it succeeds or the partition is taken away: never
   * skipped. Bad input never gets here: it is dead-lettered by the decode step.
   */
  private async handleWithRetry(rec: InputRecord, p: EachBatchPayload): Promise<Handled> {
    for (let attempt = 0; ; attempt++) {
      const end = this.metrics.latency.startTimer();
      try {
        const handled = await this.processor.handle(rec);
        end();
        if (this.degraded) this.log.info('processing resumed');
        this.degraded = false;
        return handled;
      } catch (err) {
        this.degraded = true;
        if (!p.isRunning() || p.isStale() || this.stopping) throw err;
        const wait = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(attempt, 16));
        this.log.warn(
          {
            err: (err as Error).message,
            topic: rec.topic,
            partition: rec.partition,
            offset: rec.offset,
            attempt,
            wait,
          },
          'record failed for a non-input reason: retrying',
        );
        const until = Date.now() + wait;
        while (Date.now() < until && p.isRunning() && !this.stopping) {
          await new Promise((r) => setTimeout(r, Math.min(1000, until - Date.now())));
          await p.heartbeat();
        }
      }
    }
  }

  private async flush(
    chunk: Array<{ offset: string; handled: Handled; rec: InputRecord }>,
    p: EachBatchPayload,
  ): Promise<void> {
    if (chunk.length === 0) return;
    const byTopic = new Map<
      string,
      Array<{ key: string | Buffer | null; value: string | Buffer | null; headers: IHeaders }>
    >();
    const add = (
      topic: string,
      msg: { key: string | Buffer | null; value: string | Buffer | null; headers: IHeaders },
    ) => {
      const list = byTopic.get(topic);
      if (list) list.push(msg);
      else byTopic.set(topic, [msg]);
    };
    const gemeenten = new Set<string>();
    for (const { handled, rec } of chunk) {
      if (handled.deadLetter) {
        const reason = scrubBsn(handled.deadLetter.reason);
        this.log.warn(
          {
            topic: rec.topic,
            partition: rec.partition,
            offset: rec.offset,
            code: handled.deadLetter.code,
            reason,
          },
          'input dead-lettered',
        );
        this.metrics.deadLettered.inc({ topic: rec.topic, code: handled.deadLetter.code });
        this.metrics.produced.inc({ kind: 'dlq' });
        add(this.cfg.TOPIC_DLQ, {
          key: rec.key,
          value: rec.value,
          headers: {
            ...rec.headers,
            'samenloop-source-topic': rec.topic,
            'samenloop-source-partition': String(rec.partition),
            'samenloop-source-offset': rec.offset,
            'samenloop-error-code': handled.deadLetter.code,
            'samenloop-error-reason': reason,
          },
        });
      }
      for (const o of handled.outputs) {
        gemeenten.add(o.gemeente);
        this.metrics.produced.inc({ kind: o.channel });
        add(gemeenteTopic(this.cfg, o.gemeente, o.channel), toKafka(o));
      }
      if (handled.outcome !== 'dead-letter') {
        this.log.debug(
          { clients: handled.clients, outcome: handled.outcome, outputs: handled.outputs.length },
          'record',
        );
      }
    }
    const created = await this.topics.ensure([...gemeenten].flatMap((g) => gemeenteTopics(this.cfg, g)));
    if (created.length > 0) {
      this.log.info({ created }, 'topics created');
      this.scheduleResubscribe();
    }
    const { topic, partition } = p.batch;
    const producer = await this.producerWithRetry(topic, partition, p);
    const tx = await producer.transaction();
    try {
      if (byTopic.size > 0) {
        await tx.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([t, messages]) => ({ topic: t, messages })),
        });
      }
      const next = (BigInt(chunk[chunk.length - 1]!.offset) + 1n).toString();
      // Redis may have lost the register while this chunk was processed: then nothing may be sent.
      if (!(await this.store.hasEpoch())) throw new RegisterLostError();
      await tx.sendOffsets({
        consumerGroupId: this.cfg.KAFKA_GROUP_ID,
        topics: [{ topic, partitions: [{ partition, offset: next }] }],
      });
      await tx.commit();
    } catch (err) {
      await tx.abort().catch(() => undefined);
      // A fenced or broken producer is replaced on the next attempt.
      this.producers.delete(`${topic}/${partition}`);
      await producer.disconnect().catch(() => undefined);
      throw err;
    }
    for (const { handled } of chunk) {
      for (const a of handled.acks) await this.store.ack(a.clientId, [a.position]);
    }
    p.resolveOffset(chunk[chunk.length - 1]!.offset);
    await p.heartbeat();
  }

  /**
   * Makes sure the register is complete before records are processed: when Redis lost it (no epoch
   * marker, but the group has committed offsets), one instance wipes what is left and rebuilds it by
   * replaying the inputs up to the committed offsets without sending anything; the others wait.
   */
  private async ensureRegister(): Promise<void> {
    if (await this.store.hasEpoch()) return;
    this.rebuilding = true;
    const owner = `${this.cfg.KAFKA_CLIENT_ID}-${process.pid}-${Date.now()}`;
    try {
      while (!(await this.store.hasEpoch())) {
        if (await this.store.acquireRebuildLock(owner, 15 * 60 * 1000)) {
          try {
            const opdrachten = await this.topics.existingOpdrachtTopics();
            const targets = await committedOffsets(this.admin, this.cfg.KAFKA_GROUP_ID, [
              ...inputTopics(this.cfg),
              ...opdrachten,
            ]);
            if (targets.size > 0) {
              this.log.warn(
                { partitions: targets.size },
                'register lost: rebuilding it from the input topics',
              );
              const removed = await this.store.wipe();
              const started = Date.now();
              const records = await replayUntil(this.kafka, targets, this.processor, this.log);
              this.metrics.registerRebuilds.inc();
              this.log.info({ records, removed, ms: Date.now() - started }, 'register rebuilt');
            }
            await this.store.setEpoch();
          } finally {
            await this.store.releaseRebuildLock(owner);
          }
        } else if (this.stopping) {
          return;
        } else {
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    } finally {
      this.rebuilding = false;
    }
  }

  /** Redis lost the register while running: stop consuming, rebuild, consume again. */
  private scheduleRecovery(): void {
    if (this.recovering || this.stopping) return;
    this.recovering = true;
    void this.replaceConsumer(async () => {
      while (!this.stopping) {
        try {
          await this.ensureRegister();
          return true;
        } catch (err) {
          this.log.error({ err: (err as Error).message }, 'register rebuild failed: retrying');
          await new Promise((r) => setTimeout(r, 2000));
        }
      }
      return false;
    }, 'recovery').finally(() => (this.recovering = false));
  }

  /**
   * Stops the current consumer, runs `between` and starts a new one (unless `between` says no or the
   * service stops). Replacements run one after the other, so there is never more than one consumer.
   */
  private replaceConsumer(between: () => Promise<boolean>, what: string): Promise<void> {
    const next = this.consumerSwap.then(async () => {
      try {
        if (this.stopping) return;
        const old = this.consumer;
        this.consumer = undefined;
        await old?.disconnect();
        if (!(await between())) return;
      } catch (err) {
        this.log.error({ err: (err as Error).message }, `${what} failed`);
      }
      // Without a consumer nothing is processed: keep trying until one runs (or the service stops).
      while (!this.stopping) {
        try {
          await this.runConsumer();
          return;
        } catch (err) {
          this.log.error({ err: (err as Error).message }, `${what}: the consumer did not start, retrying`);
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

  /**
   * The partition's producer, waiting out retriable errors of InitProducerId (a transaction coordinator
   * that is loading or moving) with backoff and heartbeats while the partition is still ours.
   */
  private async producerWithRetry(topic: string, partition: number, p: EachBatchPayload): Promise<Producer> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.producerFor(topic, partition);
      } catch (err) {
        if (fatalCause(err) !== undefined || !p.isRunning() || p.isStale() || this.stopping) throw err;
        const wait = backoffMs(attempt);
        this.log.warn(
          { topic, partition, attempt, wait, err: scrubBsn((err as Error).message) },
          'transactional producer not ready: retrying',
        );
        await new Promise((r) => setTimeout(r, wait));
        await p.heartbeat();
      }
    }
  }

  /** The transactional producer owned by one input partition (transactional.id from topic-partition). */
  private producerFor(topic: string, partition: number): Promise<Producer> {
    const id = `${topic}/${partition}`;
    let p = this.producers.get(id);
    if (!p) {
      const producer = this.kafka.producer({
        transactionalId: `${this.cfg.KAFKA_GROUP_ID}.${topic}.${partition}`,
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      p = producer.connect().then(() => producer);
      p.catch(() => this.producers.delete(id));
      this.producers.set(id, p);
    }
    return p;
  }

  /** A new gemeente got its topics: listen on its opdrachten topic too (kafkajs subscribes before run). */
  private scheduleResubscribe(): void {
    if (this.resubscribing || this.stopping) return;
    this.resubscribing = true;
    void (async () => {
      try {
        const wanted = await this.topics.existingOpdrachtTopics();
        if (wanted.every((t) => this.subscribed.has(t))) return;
        await this.replaceConsumer(async () => true, 'resubscribe');
      } catch (err) {
        this.log.error({ err: (err as Error).message }, 'resubscribe failed');
      } finally {
        this.resubscribing = false;
      }
    })();
  }

  /** Graceful stop: finish the batch in hand, commit, disconnect. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumerSwap;
    await this.consumer?.disconnect();
    for (const p of this.producers.values()) await (await p.catch(() => undefined))?.disconnect();
    this.producers.clear();
    await this.admin.disconnect();
    await this.store.close();
    await new Promise<void>((resolve) => (this.http ? this.http.close(() => resolve()) : resolve()));
  }
}

class RegisterLostError extends Error {
  constructor() {
    super('the register epoch marker is gone: Redis lost the register');
    this.name = 'RegisterLostError';
  }
}

function toKafka(o: Rendered) {
  return {
    key: o.key,
    value: o.value,
    headers: { 'content-type': o.contentType, 'samenloop-id': o.id },
  };
}
