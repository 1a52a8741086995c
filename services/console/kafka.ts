/**
 * What the console writes to Kafka: audit records (before any client data is shown) and the gemeente's
 * commands with their audit record in one transaction, through one transactional producer whose
 * transactions run one at a time.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Message, type Producer } from 'kafkajs';
import { createKafka } from '../kafka/client';
import { auditMessages, auditRecords, auditTopic, newTraceId, type AuditActivity } from '../cli/audit';
import { TopicManager } from '../kafka/topics';
import { gemeenteTopic, gemeenteTopics } from '../topics';
import type { ConsoleConfig } from './config';

export class ConsoleKafka {
  readonly kafka: Kafka;
  private producer: Producer | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly cfg: ConsoleConfig) {
    this.kafka = createKafka(cfg.base, {
      clientId: `${cfg.base.KAFKA_CLIENT_ID}-console`,
      logLevel: logLevel.NOTHING,
    });
  }

  /** Creates the gemeenten's topics and the audit topic where they are missing, and connects the producer. */
  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await new TopicManager(admin, this.cfg.base).ensure([
        ...this.cfg.console.CONSOLE_GEMEENTEN.flatMap((g) => gemeenteTopics(this.cfg.base, g)),
        auditTopic(this.cfg.base),
      ]);
    } finally {
      await admin.disconnect();
    }
    this.producer = this.kafka.producer({
      transactionalId: `${this.cfg.base.KAFKA_CLIENT_ID}-console-${randomUUID()}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await this.producer.connect();
  }

  private transaction(sends: Array<{ topic: string; messages: Message[] }>): Promise<void> {
    const run = async () => {
      const producer = this.producer;
      if (!producer) throw new Error('console Kafka producer not started');
      const tx = await producer.transaction();
      try {
        for (const s of sends) await tx.send(s);
        await tx.commit();
      } catch (err) {
        await tx.abort().catch(() => undefined);
        throw err;
      }
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** One audit record per data subject (pseudonyms), before the page shows them. */
  async audit(
    activiteit: AuditActivity,
    actor: string,
    gemeente: string,
    betrokkenen: ReadonlyArray<string | null>,
    object: string | null,
  ): Promise<void> {
    if (betrokkenen.length === 0) return;
    const records = auditRecords(newTraceId(), activiteit, actor, gemeente, betrokkenen, object);
    await this.transaction([{ topic: auditTopic(this.cfg.base), messages: auditMessages(records) }]);
  }

  /** The gemeente's command (bevestigen or afwijzen) and its audit record, all or nothing. */
  async besluit(
    gemeente: string,
    command: { type: string; beeindigingId: string; door: string; toelichting?: string },
    betrokkene: string | null,
  ): Promise<void> {
    const activiteit = command.type === 'beeindiging.bevestigen' ? 'bevestigen' : 'afwijzen';
    await this.transaction([
      {
        topic: gemeenteTopic(this.cfg.base, gemeente, 'opdrachten'),
        messages: [
          {
            key: command.beeindigingId,
            value: JSON.stringify(command),
            headers: { 'content-type': 'application/json' },
          },
        ],
      },
      {
        topic: auditTopic(this.cfg.base),
        messages: auditMessages(
          auditRecords(newTraceId(), activiteit, command.door, gemeente, [betrokkene], command.beeindigingId),
        ),
      },
    ]);
  }

  async stop(): Promise<void> {
    await this.queue;
    await this.producer?.disconnect().catch(() => undefined);
  }
}
