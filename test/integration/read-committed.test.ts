import type { Admin, Kafka, Producer } from 'kafkajs';
import { collect, isolatedConfig, testKafka, waitFor } from '../support/kafka';
import { createTopicsAndWait } from '../support/topics';

/**
 * A read_committed kafkajs consumer on a partition where aborted transactions overlap (real Kafka): the broker
 * lists them in the order they ended, and kafkajs 2.2.4's own filter handed out the first records of the one
 * that began first and ended last as committed. With the patched filter (infra/patches/kafkajs) only the
 * committed transaction's records are read. This is the read a register rebuild makes of its changelog, where
 * the chunks of several input partitions abort together when Redis loses the register.
 */
describe('read_committed with overlapping aborted transactions', () => {
  let kafka: Kafka;
  let admin: Admin;
  const producers: Producer[] = [];
  const { run } = isolatedConfig();
  const topic = `${run}.overlap`;

  const transactional = async (name: string) => {
    const p = kafka.producer({ transactionalId: `${run}.${name}`, idempotent: true, maxInFlightRequests: 1 });
    await p.connect();
    producers.push(p);
    return p;
  };

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    await createTopicsAndWait(admin, [{ topic, numPartitions: 1 }]);
  }, 120000);

  afterAll(async () => {
    for (const p of producers) await p.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }, 120000);

  it('reads only the committed records, whatever order the aborted transactions ended in', async () => {
    const [a, b, c] = [await transactional('a'), await transactional('b'), await transactional('c')];
    const ta = await a.transaction();
    const tb = await b.transaction();
    await ta.send({ topic, acks: -1, messages: [{ key: 'x', value: 'a1 (aborted)' }] });
    await tb.send({ topic, acks: -1, messages: [{ key: 'y', value: 'b1 (aborted)' }] });
    await ta.send({ topic, acks: -1, messages: [{ key: 'x', value: null }] });
    // b began after a and ends first: the broker lists b's transaction before a's
    await tb.abort();
    await ta.abort();
    const tc = await c.transaction();
    await tc.send({ topic, acks: -1, messages: [{ key: 'x', value: 'c1 (committed)' }] });
    await tc.commit();

    const { records, consumer } = await collect(kafka, [topic]);
    try {
      await waitFor(() => records.some((r) => r.value?.toString() === 'c1 (committed)'), 60000, 100, 'c1');
      // whatever came before c1 came from an aborted transaction
      expect(records.map((r) => r.value?.toString() ?? null)).toEqual(['c1 (committed)']);
    } finally {
      await consumer.disconnect();
    }
  }, 180000);
});
