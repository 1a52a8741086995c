import type { Admin, Kafka, Producer } from 'kafkajs';
import { KeyPartitioner } from './partitioner';
import type { Config } from '../config';
import type { IsoDate } from '../domain/facts';
import type { Logger } from '../log';
import { tickRecord } from '../pipeline/tick';

/**
 * The clock of the daily re-evaluation (the punctuation of Kafka Streams, on wall-clock time): at the start,
 * and whenever the day in Europe/Amsterdam changes (looked at every DAGELIJKS_CHECK_MS), it sends one tick
 * `{"dag","slice"}` to each partition of TOPIC_DAGELIJKS. The processors consume that topic in their group
 * like an input: the owner of partition n re-evaluates the clients of slice n whose date has come, so with
 * several instances each client is re-evaluated once. Every instance ticks (at its start, and at midnight): a
 * tick for a day already done finds nobody due, so the extra ticks cost a Redis lookup each. Days missed
 * while no instance ran need no tick of their own: the tick of today takes every client whose date is on or
 * before today.
 */
export class DailyTicker {
  private producer: Producer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private last: IsoDate | undefined;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly d: {
      kafka: Kafka;
      admin: Admin;
      cfg: Config;
      log: Logger;
      /** The processing day (the service's clock). */
      today: () => IsoDate;
    },
  ) {}

  /** Checks the topic, sends today's ticks and starts looking at the clock. */
  async start(): Promise<void> {
    const { cfg, admin } = this.d;
    const meta = await admin.fetchTopicMetadata({ topics: [cfg.TOPIC_DAGELIJKS] });
    const partitions = meta.topics[0]?.partitions.length ?? 0;
    if (partitions !== cfg.DAGELIJKS_SLICES) {
      const err = new Error(
        `${cfg.TOPIC_DAGELIJKS} has ${partitions} partitions, DAGELIJKS_SLICES is ${cfg.DAGELIJKS_SLICES}: ` +
          'give the topic as many partitions as slices',
      );
      // no retry can fix this (startup.ts: a configuration the cluster refuses)
      Object.assign(err, { type: 'INVALID_PARTITIONS' });
      throw err;
    }
    this.producer ??= this.d.kafka.producer({
      idempotent: true,
      allowAutoTopicCreation: false,
      createPartitioner: KeyPartitioner,
    });
    await this.producer.connect();
    await this.tick(this.d.today());
    this.timer ??= setInterval(() => this.check(), cfg.DAGELIJKS_CHECK_MS);
    this.timer.unref();
  }

  /** Sends the ticks of `day` when the clock says a new day (one send at a time). */
  private check(): void {
    const day = this.d.today();
    if (day === this.last) return;
    this.last = day;
    this.sending = this.sending.then(() =>
      this.tick(day).catch((err: unknown) => {
        // the next look at the clock tries again
        this.last = undefined;
        this.d.log.error({ err, dag: day }, 'daily ticks not sent');
      }),
    );
  }

  /** One tick per slice, each to its own partition. */
  async tick(day: IsoDate): Promise<void> {
    const { cfg, log } = this.d;
    this.last = day;
    const messages = [];
    for (let slice = 0; slice < cfg.DAGELIJKS_SLICES; slice++)
      messages.push({ ...tickRecord({ dag: day, slice }), partition: slice });
    await this.producer!.send({ topic: cfg.TOPIC_DAGELIJKS, acks: -1, messages });
    log.info({ dag: day, slices: cfg.DAGELIJKS_SLICES }, 'daily re-evaluation ticks sent');
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sending;
    await this.producer?.disconnect().catch(() => undefined);
  }
}
