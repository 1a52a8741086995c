import type { Admin, Kafka } from 'kafkajs';
import type { Config } from '../../services/config';
import type { Processor } from '../../services/pipeline/processor';
import { committedOffsets, stablePast } from '../../services/kafka/rebuild';
import type { ChunkEntry, TransactionalSink } from '../../services/kafka/sink';
import { RedisStore } from '../../services/register/redis-store';
import { RegisterLostError } from '../../services/register/store';
import { buildIo31, validBsn } from '../fixtures/builders';
import { collect, isolatedConfig, sleep, testKafka, waitFor } from '../support/kafka';
import { batchPayload, processorOn, sinkOn } from '../support/sink';
import { createTopicsAndWait } from '../support/topics';

/**
 * With several input partitions in hand, one partition's batch may run on while another's notices that Redis
 * lost the register, and the recovery rebuilds it. The batch's records were computed from the register that was
 * lost (its commits went to it, or to the half-empty one before the rebuild), so its chunk may not be sent even
 * though the register has an epoch again: the sink compares the epoch the batch began under with the register's.
 * Real Kafka (the transaction, the group's offsets, a read_committed reader) and real Redis.
 */
describe('the transactional sink and the register epoch', () => {
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
    await createTopicsAndWait(admin, [
      { topic: input(), numPartitions: 1 },
      { topic: cfg.TOPIC_DLQ, numPartitions: 1 },
      { topic: cfg.TOPIC_CHANGELOG, numPartitions: 1 },
    ]);
    store = RedisStore.fromConfig(cfg);
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

  /** One malformed record through the real processor: a chunk whose transaction carries a dead letter. */
  const chunkOf = async (offset: string): Promise<ChunkEntry[]> => {
    const rec = {
      topic: input(),
      partition: 0,
      offset,
      key: null,
      value: Buffer.from(`<not-xml ${offset}`),
      headers: {},
    };
    const handled = await processor.handle(rec, 'live');
    expect(handled.outcome).toBe('dead-letter');
    return [{ offset, handled, rec }];
  };

  it('sends nothing of a batch begun before the register was lost and rebuilt, and sends it under the new epoch', async () => {
    await store.setEpoch();
    const before = await store.epoch();
    expect(before).toBeDefined();
    const chunk = await chunkOf('0');

    // meanwhile Redis lost the register and another batch's recovery rebuilt it: an epoch again, another one
    await store.wipe();
    await store.setEpoch();
    const after = await store.epoch();
    expect(after).toBeDefined();
    expect(after).not.toBe(before);

    const resolved: string[] = [];
    await expect(sink.flush(chunk, payload(resolved), before!)).rejects.toBeInstanceOf(RegisterLostError);
    expect(resolved).toEqual([]);

    // the same chunk under the register's epoch (the batch coming again after the rebuild) is sent, once
    await sink.flush(await chunkOf('0'), payload(resolved), after!);
    expect(resolved).toEqual(['0']);

    const reader = await collect(kafka, [cfg.TOPIC_DLQ]);
    try {
      await waitFor(async () => reader.records.length >= 1, 30000, 200, 'the dead letter');
      await sleep(1000); // an aborted transaction's record would be skipped by read_committed, never late
      expect(reader.records.map((r) => r.value?.toString())).toEqual(['<not-xml 0']);
    } finally {
      await reader.consumer.disconnect();
    }
    const committed = await committedOffsets(admin, cfg.KAFKA_GROUP_ID, [input()]);
    expect(committed.get(`${input()}/0`)).toBe(1n);
  }, 120000);

  it('lets a rebuild wait for a transaction that passed its epoch check until its changelog records are below the ends', async () => {
    // the sink of this test sees the register through a view whose epoch read signals, then answers late
    let reached: () => void = () => undefined;
    const atCheck = new Promise<void>((r) => (reached = r));
    const slow = Object.create(store) as RedisStore;
    slow.epoch = async () => {
      const value = await store.epoch();
      reached();
      await sleep(500); // the check passed; the commit comes after this
      return value;
    };
    const late = sinkOn(kafka, admin, cfg, slow);
    try {
      const epoch = (await store.epoch())!;
      const before = await stableEnd(cfg.TOPIC_CHANGELOG);
      // an indicatie of a new client: the chunk's transaction carries the client's changelog record
      const rec = {
        topic: input(),
        partition: 0,
        offset: '1',
        key: null,
        value: Buffer.from(buildIo31({ bsn: validBsn(7) })),
        headers: {},
      };
      const handled = await processor.handle(rec, 'live');
      expect(handled.outcome).toBe('applied');
      expect(handled.changed).toHaveLength(1);
      const flushing = late.flush([{ offset: '1', handled, rec }], payload([]), epoch);
      await atCheck;
      // what recovery.ts does before it reads the changelog's ends
      const written = await late.settled();
      expect([...written.keys()]).toEqual([0]);
      await stablePast(admin, cfg.TOPIC_CHANGELOG, written, () => undefined);
      // the record and its commit marker are below the last stable offset a rebuild reads up to
      expect(await stableEnd(cfg.TOPIC_CHANGELOG)).toBeGreaterThanOrEqual(before + 2n);
      await flushing;
    } finally {
      await late.close();
    }
  }, 120000);

  /** A topic's last stable offset of partition 0 (read_committed: an open transaction's records are not below it). */
  const stableEnd = async (topic: string): Promise<bigint> => {
    const [p] = await admin.fetchTopicOffsets(topic);
    return BigInt(p!.offset);
  };
});
