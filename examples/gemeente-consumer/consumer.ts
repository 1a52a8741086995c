/**
 * A sample consumer for a gemeente: reads its notifications topic (`gemeente.<code>.samenloop`) with
 * isolation level read_committed and keeps its own view of the current samenloop signals, by folding the
 * events in order: `nl.samenloop.signaal` = upsert by subject, `nl.samenloop.vervallen` = delete by
 * subject, and a tombstone (a record with a null value, keyed by the subject: the processor writes one some
 * days after a retraction so that compaction removes the decision from the topic) = delete by key.
 * `nl.samenloop.opdracht.afgewezen` (a command of the gemeente that was refused) is reported, not folded. Both CloudEvents content modes are read (structured JSON, or binary with `ce_*` headers).
 *
 * It depends on kafkajs only, so a gemeente can copy it. Run it:
 *   KAFKA_BROKERS=127.0.0.1:9092 GEMEENTE=0363 npx tsx examples/gemeente-consumer/consumer.ts
 * It prints one JSON line per change of the view (and the view's size).
 *
 * The events of one subject share a Kafka key (the subject), so they are in one partition and in order. A
 * re-emission (at-least-once between the processor and Kafka is closed by transactions, but a reader
 * without read_committed, or a replay, can see one twice) has the same CloudEvent `id` and changes nothing.
 */
import { Kafka, logLevel, type Consumer, type IHeaders } from 'kafkajs';

export interface Notification {
  id: string;
  type: string;
  subject: string;
  time?: string;
  source?: string;
  data: unknown;
}

export type Change =
  | { kind: 'upsert'; subject: string; event: Notification }
  | { kind: 'delete'; subject: string; event: Notification }
  | { kind: 'tombstone'; subject: string }
  | { kind: 'refused'; event: Notification }
  | { kind: 'unchanged'; event: Notification };

/** The gemeente's view: the current signal per subject (a Wmo toewijzing or aanvraag of the gemeente). */
export class SignaalView {
  private readonly current = new Map<string, Notification>();

  /** Folds one event in; says what it changed. */
  apply(event: Notification): Change {
    const known = this.current.get(event.subject);
    if (known?.id === event.id) return { kind: 'unchanged', event };
    switch (event.type) {
      case 'nl.samenloop.signaal':
        this.current.set(event.subject, event);
        return { kind: 'upsert', subject: event.subject, event };
      case 'nl.samenloop.vervallen':
        this.current.delete(event.subject);
        return { kind: 'delete', subject: event.subject, event };
      case 'nl.samenloop.opdracht.afgewezen':
        return { kind: 'refused', event };
      default:
        return { kind: 'unchanged', event }; // a type of a later version: ignored, not fatal
    }
  }

  /** A tombstone of `subject`: whatever is left of it goes (normally its retraction already removed it). */
  tombstone(subject: string): Change {
    this.current.delete(subject);
    return { kind: 'tombstone', subject };
  }

  get(subject: string): Notification | undefined {
    return this.current.get(subject);
  }

  subjects(): string[] {
    return [...this.current.keys()].sort();
  }

  get size(): number {
    return this.current.size;
  }
}

const text = (v: IHeaders[string]): string | undefined => {
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined ? undefined : one.toString();
};

/** A record of the notifications topic as an event, in either content mode; undefined when it is none. */
export function notificationOf(value: Buffer | null, headers: IHeaders = {}): Notification | undefined {
  try {
    const body: unknown = value === null ? null : JSON.parse(value.toString('utf8'));
    if (text(headers.ce_specversion) !== undefined) {
      const [id, type, subject] = [text(headers.ce_id), text(headers.ce_type), text(headers.ce_subject)];
      if (!id || !type || !subject) return undefined;
      return { id, type, subject, time: text(headers.ce_time), source: text(headers.ce_source), data: body };
    }
    const e = body as Partial<Notification> | null;
    if (!e || typeof e.id !== 'string' || typeof e.type !== 'string' || typeof e.subject !== 'string')
      return undefined;
    return e as Notification;
  } catch {
    return undefined;
  }
}

export interface GemeenteConsumerOptions {
  brokers: string[];
  gemeente: string;
  /** Default `gemeente.` (the processor's TOPIC_GEMEENTE_PREFIX). */
  topicPrefix?: string;
  /** The gemeente's own consumer group (its ACLs allow groups with its prefix). */
  groupId?: string;
  onChange?: (change: Change, view: SignaalView) => void;
}

/** Starts reading; resolves once the consumer runs. `stop()` leaves the group. */
export async function startGemeenteConsumer(
  o: GemeenteConsumerOptions,
): Promise<{ view: SignaalView; consumer: Consumer; stop: () => Promise<void> }> {
  const kafka = new Kafka({
    clientId: `gemeente-${o.gemeente}`,
    brokers: o.brokers,
    logLevel: logLevel.WARN,
  });
  const consumer = kafka.consumer({
    groupId: o.groupId ?? `gemeente.${o.gemeente}.view`,
    readUncommitted: false, // read_committed: only what the processor committed in its transactions
  });
  const view = new SignaalView();
  await consumer.connect();
  await consumer.subscribe({
    topics: [`${o.topicPrefix ?? 'gemeente.'}${o.gemeente}.samenloop`],
    fromBeginning: true,
  });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.value === null) {
        if (message.key !== null) o.onChange?.(view.tombstone(message.key.toString('utf8')), view);
        return;
      }
      const event = notificationOf(message.value, message.headers);
      if (event === undefined) return;
      o.onChange?.(view.apply(event), view);
    },
  });
  return { view, consumer, stop: () => consumer.disconnect() };
}

if (require.main === module) {
  const gemeente = process.env.GEMEENTE ?? '';
  if (!/^\d{4}$/.test(gemeente)) {
    console.error('set GEMEENTE to a 4-digit gemeentecode');
    process.exit(2);
  }
  void startGemeenteConsumer({
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    gemeente,
    topicPrefix: process.env.TOPIC_GEMEENTE_PREFIX,
    onChange: (c, view) => {
      if (c.kind === 'unchanged') return;
      if (c.kind === 'tombstone') {
        console.log(JSON.stringify({ change: c.kind, subject: c.subject, signalen: view.size }));
        return;
      }
      const subject = 'subject' in c ? c.subject : c.event.subject;
      console.log(
        JSON.stringify({ change: c.kind, subject, type: c.event.type, id: c.event.id, signalen: view.size }),
      );
    },
  }).then(({ stop }) => {
    const end = () => void stop().then(() => process.exit(0));
    process.once('SIGTERM', end);
    process.once('SIGINT', end);
  });
}
