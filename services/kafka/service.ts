import { logLevel, type Admin, type Kafka } from 'kafkajs';
import type { Server } from 'node:http';
import type { Config } from '../config';
import { startHttpServer, type Readiness } from '../http/server';
import { scrubBsn, type Logger } from '../log';
import { createMetrics, type Metrics } from '../metrics';
import { systemClock, type Clock } from '../pipeline/clock';
import { configuredContext, configuredOptions, Processor } from '../pipeline/processor';
import { RedisStore } from '../register/redis-store';
import type { Register } from '../register/store';
import { inputTopics } from '../topics';
import { createKafka } from './client';
import { ConsumerLoop } from './consumer-loop';
import { DailyTicker } from './daily';
import { kafkaLogCreator } from './log';
import { ensureRegister, prepareRegister, type RecoveryDeps } from './recovery';
import { assertReadsOnlyCommitted } from './read-committed';
import { fatalCause, KAFKA_CLIENT_RETRY } from './retriable';
import { TransactionalSink } from './sink';
import { startStep, type StartClock } from './startup';
import { TopicManager } from './topics';

/** What the service runs on; each can be given (a test's fake or a second client), else made from config. */
export interface ServicePorts {
  kafka?: Kafka;
  register?: Register;
  cipher?: RecoveryDeps['cipher']; // seals the changelog's states; default: the register's own cipher
  /** The processing day and moment (default: the system clock, or SAMENLOOP_TODAY); a test moves its own. */
  clock?: Clock;
}

/**
 * The composition root of the processor: wires the Kafka client, the register, the pure pipeline
 * (Processor), the transactional sink and the consumer loop from the configuration, and runs the start:
 * every step waits out what is retriable until START_TIMEOUT_MS while /readyz says not ready. Readers of
 * the outputs use isolation read_committed (the kafkajs default) and see every output exactly once.
 */
export class SamenloopService {
  readonly metrics: Metrics = createMetrics();
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly register: Register;
  private readonly topics: TopicManager;
  private readonly sink: TransactionalSink;
  private readonly loop: ConsumerLoop;
  private readonly daily: DailyTicker;
  private readonly processor: Processor;
  private http: Server | undefined;
  private readonly recovery: RecoveryDeps;

  constructor(
    private readonly cfg: Config,
    private readonly log: Logger,
    ports: ServicePorts = {},
  ) {
    this.kafka =
      ports.kafka ??
      createKafka(cfg, {
        clientId: cfg.KAFKA_CLIENT_ID,
        logLevel: logLevel.WARN,
        logCreator: kafkaLogCreator(log),
        retry: KAFKA_CLIENT_RETRY,
      });
    this.admin = this.kafka.admin();
    this.topics = new TopicManager(this.admin, cfg);
    this.register = ports.register ?? RedisStore.fromConfig(cfg);
    this.watchRegister();
    const clock = ports.clock ?? systemClock(cfg.SAMENLOOP_TODAY);
    this.daily = new DailyTicker({
      kafka: this.kafka,
      admin: this.admin,
      cfg,
      log,
      today: () => clock.today(),
    });
    this.metrics.proposals.source = () => this.register.openProposals();
    const settings = configuredContext(cfg);
    const processor = (this.processor = new Processor(this.register, {
      ...configuredOptions(cfg),
      context: () => ({ today: clock.today(), now: clock.now(), ...settings }),
      onBlocked: (client, gemeente) =>
        log.error({ client, gemeente }, 'output for a gemeente that does not own the client: not sent'),
    }));
    // The consumer loop holds the one stopping flag: stop() stops it first.
    const stopping = () => this.loop.isStopping;
    const cipher = ports.cipher ?? this.register.cipher;
    const common = { kafka: this.kafka, cfg, register: this.register, metrics: this.metrics, log, cipher };
    this.sink = new TransactionalSink({
      ...common,
      admin: this.admin,
      topics: this.topics,
      stopping,
      onTopicsCreated: () => this.loop.scheduleResubscribe(),
    });
    this.loop = new ConsumerLoop({
      ...common,
      processor,
      admin: this.admin,
      sink: this.sink,
      topics: this.topics,
      ensureRegister: () => ensureRegister(this.recovery),
    });
    this.recovery = {
      ...common,
      admin: this.admin,
      processor,
      owner: `${cfg.KAFKA_CLIENT_ID}-${process.pid}-${Date.now()}`,
      topics: async () => [...inputTopics(cfg), ...(await this.topics.existingGemeenteInputTopics())],
      stopping,
      transactionsEnded: () => this.sink.settled(),
    };
  }

  /**
   * The register reconnects by itself: a refused connection is a warning (once per message every 30 s;
   * readiness says redis:false meanwhile), what no reconnect can fix (credentials, ACL, certificate) is
   * an error.
   */
  private watchRegister(): void {
    const lastLogged = new Map<string, number>();
    this.register.onError((err) => {
      this.metrics.redisErrors.inc();
      const message = scrubBsn(err.message);
      if (fatalCause(err) !== undefined) return this.log.error({ err }, 'redis error: needs a person');
      if (Date.now() - (lastLogged.get(message) ?? 0) < 30000) return;
      lastLogged.set(message, Date.now());
      this.log.warn({ err }, 'redis error: reconnecting');
    });
  }

  /** The HTTP port actually bound (HTTP_PORT=0 picks a free one). */
  get httpPort(): number | undefined {
    const a = this.http?.address();
    return a && typeof a === 'object' ? a.port : undefined;
  }

  readiness(): Readiness {
    const c = this.loop.facts();
    const checks = {
      kafka: c.kafkaUp,
      redis: this.register.isReady(),
      inGroup: c.inGroup,
      notDegraded: !c.degraded,
      registerComplete: !c.rebuilding,
    };
    const { assignment } = c;
    return {
      ready: Object.values(checks).every(Boolean),
      checks,
      assignment,
      producers: this.sink.openProducers,
    };
  }

  /**
   * Starts the service. Every step waits out what is retriable (a broker starting, a topic without a leader,
   * a coordinator loading, Redis not answering) with backoff until START_TIMEOUT_MS, /readyz not ready. A fatal
   * answer or the timeout rejects with a StartError naming the step; keys that do not open Redis, ConfigError.
   */
  async start(): Promise<void> {
    // a kafkajs whose read_committed filter is not the patched one would rebuild a register wrongly
    assertReadsOnlyCommitted();
    this.http = await startHttpServer(this.cfg.HTTP_PORT, this.metrics.registry, () => this.readiness());
    const clock: StartClock = {
      deadline: Date.now() + this.cfg.START_TIMEOUT_MS,
      stopping: () => this.loop.isStopping,
      log: this.log,
    };
    await startStep('connect to Kafka', clock, () => this.admin.connect());
    await startStep('create the topics', clock, async () => {
      const created = await this.topics.ensureBase();
      if (created.length > 0) this.log.info({ created }, 'topics created');
    });
    await startStep('reach Redis', clock, () => this.register.ping());
    await startStep('open the register with its keys', clock, () => this.register.checkKeys());
    await startStep('check the register', clock, () => this.loop.checkRegister());
    await startStep('index the register and fill its changelog', clock, () => prepareRegister(this.recovery));
    // today's ticks wait in their topic until the consumer has its partitions
    await startStep('start the daily re-evaluation', clock, () => this.daily.start());
    await startStep('join the consumer group', clock, () => this.loop.joinGroup(clock.deadline));
    this.log.info(
      { brokers: this.cfg.KAFKA_BROKERS, group: this.cfg.KAFKA_GROUP_ID },
      'samenloop processor started',
    );
  }

  /** Graceful stop: finish the batch in hand, commit, disconnect. */
  async stop(): Promise<void> {
    await this.daily.stop();
    await this.loop.stop();
    await this.sink.close();
    await this.admin.disconnect();
    await this.register.close();
    await new Promise<void>((resolve) => (this.http ? this.http.close(() => resolve()) : resolve()));
  }
}
