/**
 * Builds the read model from the gemeenten's notification topics (read_committed) into Redis. The consumer
 * group is CONSOLE_GROUP_ID-<generation>: a rebuild (ConsoleStore.herbouw) deletes the model and starts a
 * new generation, which reads every topic from the beginning. At-least-once: a redelivered notification is
 * recognised by its id and changes nothing (model.ts, project).
 */
import { logLevel, type Consumer } from 'kafkajs';
import { createKafka } from '../kafka/client';
import { readCloudEvent } from '../messages/cloudevents';
import type { Logger } from 'pino';
import { gemeenteTopic, parseGemeenteTopic } from '../topics';
import type { ConsoleConfig } from './config';
import { parseMelding, project, signaalId, weigeringVan } from './model';
import type { ConsoleStore } from './store';

export class Projector {
  private consumer: Consumer | undefined;
  /** Notifications applied since the start (for the health line and the tests). */
  applied = 0;
  skipped = 0;

  constructor(
    private readonly cfg: ConsoleConfig,
    private readonly store: ConsoleStore,
    private readonly log: Logger,
  ) {}

  topics(): string[] {
    return this.cfg.console.CONSOLE_GEMEENTEN.map((g) => gemeenteTopic(this.cfg.base, g, 'samenloop'));
  }

  async start(): Promise<void> {
    const { base, console: c } = this.cfg;
    const kafka = createKafka(base, {
      clientId: `${base.KAFKA_CLIENT_ID}-console`,
      logLevel: logLevel.NOTHING,
    });
    const generatie = await this.store.generatie();
    const consumer = kafka.consumer({
      groupId: `${c.CONSOLE_GROUP_ID}-${generatie}`,
      readUncommitted: false,
      maxWaitTimeInMs: 250,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics(), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const t = parseGemeenteTopic(base, topic);
        if (!t || t.channel !== 'samenloop') return;
        // a tombstone (README "Retention"): the decision's signal leaves the model
        if (message.value === null) return this.tombstone(t.gemeente, message.key?.toString('utf8') ?? '');
        // binary content mode (CLOUDEVENTS_MODE=binary): the attributes are ce_* headers, folded back
        const headers = message.headers as Record<string, Buffer | undefined>;
        const raw =
          headers.ce_specversion === undefined
            ? (message.value?.toString('utf8') ?? '')
            : JSON.stringify(readCloudEvent(message.value, headers) ?? null);
        await this.apply(t.gemeente, raw);
      },
    });
    this.log.info({ topics: this.topics(), generatie }, 'console read model: reading');
  }

  /** Folds one notification of a gemeente's topic into the model; hostile input is passed over. */
  async apply(gemeente: string, raw: string): Promise<void> {
    const p = parseMelding(raw, gemeente);
    if (!p.ok) {
      this.skipped++;
      this.log.warn({ gemeente, reason: p.reason }, 'console read model: notification passed over');
      return;
    }
    const m = p.melding;
    const w = weigeringVan(m);
    if (w) {
      await this.store.weigering(gemeente, w.beeindigingId, w.weigering);
    } else if (m.type !== 'nl.samenloop.opdracht.afgewezen') {
      const doc = await this.store.signaal(gemeente, signaalId(gemeente, m.subject));
      const next = project(doc, m, this.cfg.base.SAMENLOOP_HMAC_SECRET);
      if (next !== doc) await this.store.bewaar(next);
    }
    this.applied++;
  }

  /** A tombstone on a gemeente's topic: the signal of decision `subject` is removed (once there, or never). */
  async tombstone(gemeente: string, subject: string): Promise<void> {
    if (subject === '') {
      this.skipped++;
      this.log.warn({ gemeente }, 'console read model: a null value without a key passed over');
      return;
    }
    await this.store.verwijder(gemeente, signaalId(gemeente, subject));
    this.applied++;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
  }
}
