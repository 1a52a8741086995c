import { randomUUID } from 'node:crypto';
import { Partitioners, type Admin, type Kafka, type Producer, type ProducerConfig } from 'kafkajs';
import { cachesCoordinators, producerKeepingCoordinators } from '../../services/kafka/coordinators';
import { retryingConcurrentTransactions } from '../../services/kafka/retriable';
import { collect, testKafka, waitFor } from '../support/kafka';
import { createTopicsAndWait } from '../support/topics';

/**
 * A transactional producer that keeps its coordinators (services/kafka/coordinators.ts), on the real broker:
 * kafkajs' own asks for the coordinator before each of a transaction's coordinator requests; this one once per
 * coordinator, and its transactions commit as before.
 */
describe('a producer that keeps its coordinators', () => {
  let kafka: Kafka;
  let admin: Admin;
  const run = randomUUID().slice(0, 8);
  const topic = `coordinators-${run}`;
  const group = `coordinators-${run}-group`;

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    await createTopicsAndWait(admin, [{ topic, numPartitions: 1 }]);
  }, 120000);

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  const config = (id: string): ProducerConfig => ({
    transactionalId: `${group}.${id}`,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });

  /** The requests a producer sends while it does `n` transactions as the sink's (records and offsets). */
  async function transactions(producer: Producer, n: number, from: number): Promise<string[]> {
    const requests: string[] = [];
    producer.on(producer.events.REQUEST, (e) => requests.push(e.payload.apiName));
    await producer.connect();
    for (let i = 0; i < n; i++) {
      const tx = await producer.transaction();
      await tx.send({ topic, acks: -1, messages: [{ key: 'k', value: `v${from + i}` }] });
      await tx.sendOffsets({
        consumerGroupId: group,
        topics: [{ topic, partitions: [{ partition: 0, offset: String(from + i + 1) }] }],
      });
      await tx.commit();
    }
    await producer.disconnect();
    return requests;
  }

  const lookups = (requests: string[]) => requests.filter((r) => r === 'GroupCoordinator').length;

  it('looks each coordinator up once, where kafkajs looks it up four times a transaction', async () => {
    expect(cachesCoordinators(kafka)).toBe(true);
    const stock = await transactions(kafka.producer(config('stock')), 5, 0);
    const kept = await transactions(producerKeepingCoordinators(kafka, config('kept')), 5, 5);

    // kafkajs: AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit (the group's) and EndTxn each after a lookup
    expect(lookups(stock)).toBeGreaterThanOrEqual(4 * 5);
    // kept: the transaction coordinator (InitProducerId) and the group's, once each
    expect(lookups(kept)).toBeLessThanOrEqual(2);
    // the same work otherwise: one Produce, TxnOffsetCommit and EndTxn a transaction
    const work = (r: string[]) =>
      ['Produce', 'TxnOffsetCommit', 'EndTxn'].map((api) => r.filter((x) => x === api).length);
    expect(work(stock)).toEqual([5, 5, 5]);
    expect(work(kept)).toEqual([5, 5, 5]);

    // and the transactions committed: the records, read committed, and the group's offset
    const { records, consumer } = await collect(kafka, [topic]);
    await waitFor(() => records.length >= 10, 60000);
    await consumer.disconnect();
    expect(records.map((m) => m.value?.toString()).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `v${i}`).sort(),
    );
    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    expect(offsets!.partitions[0]!.offset).toBe('10');
  }, 120000);

  it('asks again once a request to the kept coordinator failed', async () => {
    const producer = producerKeepingCoordinators(kafka, config('again'));
    const requests: string[] = [];
    producer.on(producer.events.REQUEST, (e) => requests.push(e.payload.apiName));
    await producer.connect();
    const tx = await producer.transaction();
    await tx.send({ topic, acks: -1, messages: [{ key: 'k', value: 'fenced' }] });
    // another producer with the same transactional id fences this one: the coordinator refuses its next request
    const next = kafka.producer(config('again'));
    await next.connect();
    await (await next.transaction()).abort();
    const before = lookups(requests);
    await expect(
      tx.sendOffsets({
        consumerGroupId: group,
        topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }],
      }),
    ).rejects.toThrow();
    await tx.abort().catch(() => undefined);
    // the refused AddOffsetsToTxn dropped the kept coordinator: the abort's EndTxn looked it up again
    expect(lookups(requests)).toBe(before + 1);
    await producer.disconnect();
    await next.disconnect();
  }, 120000);

  it('a transaction with offsets only, right after a commit, commits: its AddOffsetsToTxn is asked again while the coordinator is busy', async () => {
    // the sink's transaction for a chunk without records (duplicates, ticks that changed nothing)
    const producer = producerKeepingCoordinators(kafka, config('offsets-only'));
    const answers: string[] = [];
    producer.on(producer.events.REQUEST, (e) => answers.push(e.payload.apiName));
    await producer.connect();
    const rounds = 20;
    let offset = 100;
    for (let i = 0; i < rounds; i++) {
      const tx = await producer.transaction();
      await tx.send({ topic, acks: -1, messages: [{ key: 'k', value: `o${i}` }] });
      await tx.sendOffsets({
        consumerGroupId: group,
        topics: [{ topic, partitions: [{ partition: 0, offset: String(++offset) }] }],
      });
      await tx.commit();
      const only = await producer.transaction();
      const at = String(++offset);
      await retryingConcurrentTransactions(() =>
        only.sendOffsets({
          consumerGroupId: group,
          topics: [{ topic, partitions: [{ partition: 0, offset: at }] }],
        }),
      );
      await only.commit();
    }
    await producer.disconnect();
    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    expect(offsets!.partitions[0]!.offset).toBe(String(offset));
    // every offsets-only transaction got its offset in: one TxnOffsetCommit each, beside the others'
    expect(answers.filter((a) => a === 'TxnOffsetCommit').length).toBe(2 * rounds);
    expect(answers.filter((a) => a === 'EndTxn').length).toBe(2 * rounds);
  }, 120000);
});
