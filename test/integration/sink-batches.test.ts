import type { Admin, Kafka } from 'kafkajs';
import type { Config } from '../../services/config';
import { createLogger } from '../../services/log';
import type { Processor } from '../../services/pipeline/processor';
import { committedOffsets } from '../../services/kafka/rebuild';
import { ensureChangelog } from '../../services/kafka/recovery';
import type { ChunkEntry, TransactionalSink } from '../../services/kafka/sink';
import { topicSpec } from '../../services/kafka/topics';
import { RedisStore } from '../../services/register/redis-store';
import { buildIo31, validBsn } from '../fixtures/builders';
import { collect, isolatedConfig, sleep, testKafka, waitFor } from '../support/kafka';
import { batchPayload, processorOn, sinkOn } from '../support/sink';
import { createTopicsAndWait } from '../support/topics';

/**
 * A chunk's transaction may carry more bytes for one partition than the broker takes in one record batch (a
 * topic's max.message.bytes: Kafka refuses a larger batch, it does not split it, and neither does kafkajs):
 * dead letters of large inputs, or the changelog records of many clients. Refused, the chunk would be processed
 * again and refused again for ever, and its partition would stand still. The sink sends such a transaction's
 * records in several produce requests, in order. Real Kafka and real Redis.
 */
describe('the transactional sink and the broker’s batch limit', () => {
  let cfg: Config;
  let kafka: Kafka;
  let admin: Admin;
  let store: RedisStore;
  let sink: TransactionalSink;
  let processor: Processor;
  const input = () => cfg.TOPIC_INDICATIEBESLUITEN;

  beforeAll(async () => {
    ({ cfg } = isolatedConfig());
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    // as the service makes them (the DLQ takes a dead letter of any accepted size: MAX_MESSAGE_BYTES + 64 KB),
    // with one partition each, so every record of a chunk lands in the same batch
    await createTopicsAndWait(admin, [
      { topic: input(), numPartitions: 1 },
      { ...topicSpec(cfg, cfg.TOPIC_DLQ), numPartitions: 1 },
      { ...topicSpec(cfg, cfg.TOPIC_CHANGELOG), numPartitions: 1 },
    ]);
    store = RedisStore.fromConfig(cfg);
    await store.setEpoch();
    processor = processorOn(store, cfg);
    sink = sinkOn(kafka, admin, cfg, store);
  }, 120000);

  afterAll(async () => {
    await sink?.close();
    await store?.wipe().catch(() => undefined);
    await store?.close();
    await admin?.disconnect();
  }, 60000);

  const payload = (resolved: string[]) => batchPayload(input(), resolved);

  const entry = async (offset: number, value: Buffer): Promise<ChunkEntry> => {
    const rec = { topic: input(), partition: 0, offset: String(offset), key: null, value, headers: {} };
    return { offset: rec.offset, handled: await processor.handle(rec, 'live'), rec };
  };

  it('sends dead letters that together exceed the DLQ’s batch limit, all of them and in order', async () => {
    // three malformed inputs of 700 KB each: each fits the DLQ, together (2.1 MB) they do not fit one batch
    const size = 700 * 1024;
    const chunk: ChunkEntry[] = [];
    for (let i = 0; i < 3; i++) {
      const value = Buffer.alloc(size, 'x');
      value.write(`<not-xml ${i} `);
      const e = await entry(i, value);
      expect(e.handled.outcome).toBe('dead-letter');
      chunk.push(e);
    }
    const resolved: string[] = [];
    await sink.flush(chunk, payload(resolved), (await store.epoch())!);
    expect(resolved).toEqual(['2']);

    const dead = await readAll(cfg.TOPIC_DLQ, 3);
    expect(dead.map((r) => r.value?.subarray(0, 12).toString())).toEqual([
      '<not-xml 0 x',
      '<not-xml 1 x',
      '<not-xml 2 x',
    ]);
    expect(dead.every((r) => r.value?.length === size)).toBe(true);
    expect((await committedOffsets(admin, cfg.KAFKA_GROUP_ID, [input()])).get(`${input()}/0`)).toBe(3n);
  }, 180000);

  it('sends the changelog records of a chunk whose clients’ states together exceed the batch limit', async () => {
    // new clients, one indicatie each: every record changes a client, whose state goes to the changelog
    const chunk: ChunkEntry[] = [];
    for (let i = 0; i < 800; i++) {
      const e = await entry(10 + i, Buffer.from(buildIo31({ bsn: validBsn(1000 + i) })));
      expect(e.handled.outcome).toBe('applied');
      chunk.push(e);
    }
    const resolved: string[] = [];
    await sink.flush(chunk, payload(resolved), (await store.epoch())!);
    expect(resolved).toEqual(['809']);

    const written = await readAll(cfg.TOPIC_CHANGELOG, 800);
    // more than one batch can hold (the broker's default max.message.bytes, 1,048,588), in the order sent
    const bytes = written.reduce((n, r) => n + (r.value?.length ?? 0) + (r.key?.length ?? 0), 0);
    expect(bytes).toBeGreaterThan(1048588);
    expect(written.map((r) => r.key)).toEqual(chunk.flatMap((e) => e.handled.changed ?? []));
    expect((await committedOffsets(admin, cfg.KAFKA_GROUP_ID, [input()])).get(`${input()}/0`)).toBe(810n);
  }, 180000);

  it('fills the changelog of a register from before it, in pages larger than one batch', async () => {
    // the 800 clients above, as a register that has no changelog yet, written 500 to a transaction, to a
    // changelog whose batches may hold 300,000 bytes (MAX_OUTPUT_BYTES as the topic's max.message.bytes)
    const small = { ...cfg, TOPIC_CHANGELOG: `${cfg.TOPIC_CHANGELOG}.klein`, MAX_OUTPUT_BYTES: 300_000 };
    await createTopicsAndWait(admin, [
      {
        topic: small.TOPIC_CHANGELOG,
        numPartitions: 1,
        configEntries: [{ name: 'max.message.bytes', value: String(small.MAX_OUTPUT_BYTES) }],
      },
    ]);
    expect(await store.hasChangelog()).toBe(false);
    await ensureChangelog({ kafka, register: store, cfg: small, log: createLogger('silent') });
    expect(await store.hasChangelog()).toBe(true);
    const filled = await readAll(small.TOPIC_CHANGELOG, 800);
    expect(new Set(filled.map((r) => r.key)).size).toBe(800);
    expect(filled.slice(0, 500).reduce((n, r) => n + (r.value?.length ?? 0), 0)).toBeGreaterThan(300_000);
  }, 180000);

  /** Every record of the topic, once at least `count` are there. */
  const readAll = async (topic: string, count: number) => {
    const reader = await collect(kafka, [topic]);
    try {
      await waitFor(async () => reader.records.length >= count, 60000, 200, `${count} records of ${topic}`);
      await sleep(500);
      return reader.records;
    } finally {
      await reader.consumer.disconnect();
    }
  };
});
