import type { Admin, EachBatchPayload, IHeaders, Kafka, Producer } from 'kafkajs';
import type { SpanContext } from '@opentelemetry/api';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { Rendered } from '../messages/render';
import type { Metrics } from '../metrics';
import type { InputRecord } from '../pipeline/decode';
import type { Handled } from '../pipeline/processor';
import { RegisterLostError, type RegisterMaintenance, type RegisterStore } from '../register/store';
import { Changelog, type ChangelogRecord } from '../register/changelog';
import type { StateCipher } from '../register/cipher';
import { gemeenteTopic, gemeenteTopics } from '../topics';
import { traceparentOf } from '../tracing';
import { deadLetterHeaders } from './headers';
import { producerKeepingCoordinators } from './coordinators';
import { countingKeyPartitioner } from './partitioner';
import { noteWritten, sendInRequests } from './produce-requests';
import { committedOffsets } from './rebuild';
import { backoffMs, fatalCause, isFenced, retryingConcurrentTransactions } from './retriable';
import { ensureWaiting, type TopicManager } from './topics';

/** One handled input record, waiting for its transaction. */
export interface ChunkEntry {
  offset: string;
  handled: Handled;
  rec: InputRecord;
  /** The record's span (services/tracing): its outputs carry it as their `traceparent`. */
  span?: SpanContext;
  /** The record's Kafka timestamp (ms): its age is measured from it (samenloop_record_age_seconds). */
  timestamp?: number;
}

const OUR_FAULT: ReadonlySet<string> = new Set(['PROCESSING_ERROR', 'OUTPUT_TOO_LARGE', 'OUTPUT_INVALID']);

type Message = { key: string | Buffer | null; value: string | Buffer | null; headers: IHeaders };

export interface SinkDeps {
  kafka: Kafka;
  admin: Admin;
  cfg: Config;
  register: RegisterStore & RegisterMaintenance;
  topics: TopicManager;
  metrics: Metrics;
  log: Logger;
  stopping: () => boolean;
  /** A gemeente got its topics: the consumer should listen on its opdrachten topic too. */
  onTopicsCreated: () => void;
  /** Seals the changelog's states (register/cipher.ts); plain text when not given. */
  cipher?: StateCipher | undefined;
}

/**
 * The transactional sink: per chunk of one input partition, one Kafka transaction by the producer owned
 * by that partition carries the outputs, the dead letters and the consumer offset (sendOffsets); then the
 * register's outbox entries are acked. The transactional.id is derived from the input topic-partition, so
 * an instance that takes a partition over fences the previous owner (no KIP-447 needed).
 */
export class TransactionalSink {
  private readonly producers = new Map<string, Promise<Producer>>();
  /** The input partitions owned since the last assignment (`topic/partition`); undefined before the first. */
  private owned: ReadonlySet<string> | undefined;
  private readonly changelog: Changelog;
  /**
   * Input partitions whose producer was fenced since the last assignment, and when. Another instance took
   * the partition over, so this one is about to learn of a rebalance: a new producer made meanwhile would
   * fence that owner in turn (two instances fencing each other's transactions over and over). No producer
   * is made for the partition until the next assignment, or until the group had time to tell (twice the
   * session timeout: then this instance is the owner after all, fenced by one that was not).
   */
  private readonly fenced = new Map<string, number>();
  /** The transactions of flushes under way (services/kafka/recovery.ts waits for them before a rebuild). */
  private readonly transactions = new Set<Promise<unknown>>();
  /**
   * Per changelog partition, where the last transaction of this process that wrote to it did (the first offset
   * of its last produce request there): past it, that transaction is decided.
   */
  private readonly changelogWritten = new Map<number, bigint>();
  /** Per topic, how many partitions the producers' partitioner last partitioned its records among. */
  private readonly partitionCounts = new Map<string, number>();

  constructor(private readonly d: SinkDeps) {
    this.changelog = new Changelog(d.register, d.cipher);
  }

  /**
   * Takes over one input partition before any of its records is processed: a new producer with the
   * partition's transactional.id (InitProducerId fences the previous owner and lets the coordinator
   * finish that owner's open transaction, committed or aborted), then the group's committed offset of
   * the partition as it stands after that. Records below it were done by the previous owner, whose
   * commit may have completed only now: the consumer had fetched its position before (kafkajs has no
   * KIP-447 `requireStable`), and processing them again would send their kept outputs a second time.
   */
  async takeOver(topic: string, partition: number, p: EachBatchPayload): Promise<bigint> {
    const id = `${topic}/${partition}`;
    const old = this.producers.get(id);
    this.producers.delete(id);
    await (await old?.catch(() => undefined))?.disconnect().catch(() => undefined);
    await this.producerWithRetry(topic, partition, p);
    const committed = await committedOffsets(this.d.admin, this.d.cfg.KAFKA_GROUP_ID, [topic]);
    return committed.get(id) ?? 0n;
  }

  /**
   * `epoch`: the register's epoch when the chunk's batch began (RegisterMaintenance.epoch). The transaction
   * commits only while it is still the register's: a register lost meanwhile sends nothing, and so does one
   * rebuilt meanwhile (with several partitions in hand, a batch may run on through another batch's recovery;
   * its records were computed from the register Redis lost, and its commits to it are gone).
   */
  async flush(chunk: readonly ChunkEntry[], p: EachBatchPayload, epoch: string): Promise<void> {
    if (chunk.length === 0) return;
    const { cfg, log, metrics } = this.d;
    const byTopic = new Map<string, Message[]>();
    const add = (topic: string, msg: Message) => {
      const list = byTopic.get(topic);
      if (list) list.push(msg);
      else byTopic.set(topic, [msg]);
    };
    const gemeenten = new Set<string>();
    for (const { handled, rec, span } of chunk) {
      if (handled.deadLetter) add(cfg.TOPIC_DLQ, this.deadLetter(rec, handled));
      for (const o of handled.outputs) {
        gemeenten.add(o.gemeente);
        metrics.produced.inc({ kind: o.channel });
        add(gemeenteTopic(cfg, o.gemeente, o.channel), toKafka(o, traceparentOf(span)));
      }
      if (handled.outcome !== 'dead-letter') {
        log.debug(
          { clients: handled.clients, outcome: handled.outcome, outputs: handled.outputs.length },
          'record',
        );
      }
    }
    const created = await ensureWaiting(
      this.d.topics,
      [...gemeenten].flatMap((g) => gemeenteTopics(cfg, g)),
      {
        stillOurs: () => p.isRunning() && !p.isStale() && !this.d.stopping(),
        heartbeat: () => p.heartbeat(),
        log,
      },
    );
    if (created.length > 0) {
      log.info({ created }, 'topics created');
      this.d.onTopicsCreated();
    }
    // The changelog: each changed client's state as Redis holds it now, after its commit (register/changelog.ts).
    const changed = chunk.flatMap(({ handled }) => handled.changed ?? []);
    const committed = chunk.flatMap(({ handled }) => handled.committed ?? []);
    const acks = chunk.flatMap(({ handled }) => handled.acks);
    const changes =
      changed.length > 0
        ? await this.changelog.records(changed, committed, acks)
        : { records: [], written: [] };
    for (const r of changes.records) add(cfg.TOPIC_CHANGELOG, { ...r, headers: {} });
    const { topic, partition } = p.batch;
    const producer = await this.producerWithRetry(topic, partition, p);
    await this.tracked(this.transact(chunk, p, epoch, byTopic, producer));
    // all at once: one round trip to Redis for the chunk
    await this.d.register.ackAll(acks);
    if (changes.written.length > 0) await this.settle(changes.written, producer, epoch);
    p.resolveOffset(chunk[chunk.length - 1]!.offset);
    await p.heartbeat();
  }

  /**
   * Resolves once the transactions under way when it was called have ended, committed or aborted, to where
   * this process's last transactions wrote in the changelog (partition → an offset of theirs). A rebuild waits
   * for them and then until the changelog's last stable offsets are past those (the coordinator writes the
   * commit markers after the commit returned) before it reads the changelog's ends: with several partitions in
   * hand, another partition's transaction may have passed its epoch check just before Redis lost the register
   * and commit just after; its changelog records (and its offsets) must be in what the rebuild reads.
   */
  async settled(): Promise<ReadonlyMap<number, bigint>> {
    await Promise.allSettled([...this.transactions]);
    return new Map(this.changelogWritten);
  }

  /** Notes where a transaction's records landed in the changelog (per partition, the first offset of a produce request; the latest one kept). */
  private noteWritten(sent: ReadonlyArray<{ topicName: string; partition: number; baseOffset?: string }>) {
    noteWritten(this.changelogWritten, this.d.cfg.TOPIC_CHANGELOG, sent);
  }

  /** A transaction, known to `settled` while it is under way. */
  private async tracked(transaction: Promise<void>): Promise<void> {
    this.transactions.add(transaction);
    try {
      await transaction;
    } finally {
      this.transactions.delete(transaction);
    }
  }

  /** One chunk's transaction: its outputs, dead letters and changelog records, and its input offset. */
  private async transact(
    chunk: readonly ChunkEntry[],
    p: EachBatchPayload,
    epoch: string,
    byTopic: ReadonlyMap<string, Message[]>,
    producer: Producer,
  ): Promise<void> {
    const { cfg } = this.d;
    const { topic, partition } = p.batch;
    const tx = await producer.transaction();
    try {
      // in requests whose batches the broker takes (a topic's max.message.bytes), one after the other; the
      // changelog's keyed states bounded per partition, where the producers' partitioner put them last
      const partitions = (t: string) => this.partitionCounts.get(t);
      this.noteWritten(await sendInRequests(tx, byTopic, cfg.MAX_OUTPUT_BYTES, partitions));
      const next = (BigInt(chunk[chunk.length - 1]!.offset) + 1n).toString();
      // Redis may have lost the register while this chunk was processed, or lost and rebuilt it: then nothing
      // may be sent.
      if ((await this.d.register.epoch()) !== epoch) throw new RegisterLostError();
      await retryingConcurrentTransactions(() =>
        tx.sendOffsets({
          consumerGroupId: cfg.KAFKA_GROUP_ID,
          topics: [{ topic, partitions: [{ partition, offset: next }] }],
        }),
      );
      await tx.commit();
    } catch (err) {
      await tx.abort().catch(() => undefined);
      // A broken producer is replaced on the next attempt; a fenced one only after the rebalance.
      if (isFenced(err)) this.fenced.set(`${topic}/${partition}`, Date.now());
      this.producers.delete(`${topic}/${partition}`);
      await producer.disconnect().catch(() => undefined);
      throw err;
    }
  }

  /**
   * After the transaction: a client another instance changed meanwhile is written to the changelog again, as
   * it is now, so its last record is its latest state whatever order the transactions committed in
   * (register/changelog.ts). The offsets are committed already: a failure here is logged, not retried (the
   * client's next change writes it again; a rebuild never takes an older version over a newer one).
   */
  private async settle(
    written: Parameters<Changelog['settle']>[0],
    producer: Producer,
    epoch: string,
  ): Promise<void> {
    const topic = this.d.cfg.TOPIC_CHANGELOG;
    try {
      // a transaction of its own, which a rebuild waits for like the chunks' (settled)
      const again = await this.changelog.settle(
        written,
        (records: ChangelogRecord[]) =>
          this.tracked(
            (async () => {
              const tx = await producer.transaction();
              try {
                this.noteWritten(await tx.send({ topic, acks: -1, messages: records }));
                await tx.commit();
              } catch (err) {
                await tx.abort().catch(() => undefined);
                throw err;
              }
            })(),
          ),
        epoch,
      );
      if (again > 0)
        this.d.log.debug({ records: again }, 'changelog: written again after a concurrent change');
    } catch (err) {
      // Redis lost the register after the transaction: the rebuild reads the changelog as it is (expected then)
      if (err instanceof RegisterLostError)
        this.d.log.warn('changelog: the register was lost before a concurrent change could be written again');
      else this.d.log.error({ err }, 'changelog: a concurrent change could not be written again');
    }
  }

  /** The rejected record as it came, with the reason (never a BSN) in `samenloop-*` headers. */
  private deadLetter(rec: InputRecord, handled: Handled): Message {
    const dl = handled.deadLetter!;
    const headers = deadLetterHeaders(rec, dl);
    const where = { topic: rec.topic, partition: rec.partition, offset: rec.offset };
    // A record the core could not process, or whose output could not be sent, is ours to look at; any
    // other rejection is the sender's.
    const level = OUR_FAULT.has(dl.code) ? 'error' : 'warn';
    const reason = headers['samenloop-error-reason'];
    this.d.log[level]({ ...where, code: dl.code, reason }, 'input dead-lettered');
    this.d.metrics.deadLettered.inc({ topic: rec.topic, code: dl.code });
    this.d.metrics.produced.inc({ kind: 'dlq' });
    // An input over MAX_MESSAGE_BYTES (TOO_LARGE) may be larger than the dead-letter topic takes: its bytes
    // are left out (the header says how many), so the dead letter itself can never be refused by the broker.
    const size = rec.value?.length ?? 0;
    if (size <= this.d.cfg.MAX_MESSAGE_BYTES) return { key: rec.key, value: rec.value, headers };
    return {
      key: rec.key,
      value: null,
      headers: { ...headers, 'samenloop-value-omitted-bytes': String(size) },
    };
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
        if (fatalCause(err) !== undefined || !p.isRunning() || p.isStale() || this.d.stopping()) throw err;
        const wait = backoffMs(attempt);
        this.d.log.warn(
          { topic, partition, attempt, wait, err },
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
    if (!p && this.owned !== undefined && !this.owned.has(id))
      return Promise.reject(new Error(`input partition ${id} was revoked: no producer for it`));
    const fencedAt = this.fenced.get(id);
    if (!p && fencedAt !== undefined && Date.now() - fencedAt < 2 * this.d.cfg.KAFKA_SESSION_TIMEOUT_MS)
      return Promise.reject(new Error(`input partition ${id} was taken over: waiting for the rebalance`));
    if (!p) {
      // the coordinators kept, not looked up before each request (./coordinators.ts)
      const producer = producerKeepingCoordinators(this.d.kafka, {
        transactionalId: `${this.d.cfg.KAFKA_GROUP_ID}.${topic}.${partition}`,
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: countingKeyPartitioner(this.partitionCounts),
      });
      // InitProducerId at once (kafkajs would do it at the first transaction): it fences the previous
      // owner of the partition and lets the coordinator finish that owner's open transaction.
      p = producer
        .connect()
        .then(async () => (await producer.transaction()).abort())
        .then(() => producer);
      p.catch(() => {
        this.producers.delete(id);
        void producer.disconnect().catch(() => undefined);
      });
      this.producers.set(id, p);
    }
    return p;
  }

  /**
   * After a rebalance: the producers of input partitions this instance no longer owns are closed (each
   * transactional producer holds a connection and a transactional id at the coordinator). The partition's
   * next owner fences it anyway; closing it keeps the
   * number of producers at the number of partitions owned. A flush still running on a revoked partition
   * fails; its records wait in the outbox and the new owner hands their outputs out once. No producer is
   * made again for a partition not owned: its InitProducerId would fence the new owner's.
   */
  async release(owned: ReadonlySet<string>): Promise<number> {
    this.owned = owned;
    this.fenced.clear();
    const revoked = [...this.producers].filter(([id]) => !owned.has(id));
    for (const [id] of revoked) this.producers.delete(id);
    await Promise.all(
      revoked.map(async ([, p]) => (await p.catch(() => undefined))?.disconnect().catch(() => undefined)),
    );
    return revoked.length;
  }

  /** How many transactional producers are open (one per input partition owned). */
  get openProducers(): number {
    return this.producers.size;
  }

  async close(): Promise<void> {
    for (const p of this.producers.values()) await (await p.catch(() => undefined))?.disconnect();
    this.producers.clear();
  }
}

function toKafka(o: Rendered, traceparent: string | undefined): Message {
  return {
    key: o.key,
    value: o.value,
    headers: {
      ...(o.contentType === null ? {} : { 'content-type': o.contentType }),
      'samenloop-id': o.id,
      ...o.headers,
      ...(traceparent ? { traceparent } : {}),
    },
  };
}
