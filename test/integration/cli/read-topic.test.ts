/**
 * readTopic (the CLI's read of a topic to its end) on the real Kafka: it sees every committed record and
 * ends as soon as each partition was read to its end, also when a partition's tail is only a transaction
 * marker or aborted records (kafkajs hands those to no eachBatch), and not by a fixed idle time.
 */
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { readTopic } from '../../../services/cli/read-topic';
import { testKafka } from '../../support/kafka';
import { createTopicsAndWait } from '../../support/topics';

/** A new topic of its own, with this many partitions, on the test broker. */
async function freshTopic(numPartitions: number): Promise<{ kafka: Kafka; topic: string }> {
  const kafka = testKafka();
  const topic = `test-read-topic-${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsAndWait(admin, [{ topic, numPartitions }]);
  await admin.disconnect();
  return { kafka, topic };
}

describe('readTopic', () => {
  it('reads the committed records and ends at a tail of markers and aborted records', async () => {
    const { kafka, topic } = await freshTopic(2);

    const producer = kafka.producer({
      transactionalId: `test-read-topic-${randomUUID()}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const committed = await producer.transaction();
    await committed.send({
      topic,
      messages: [
        { partition: 0, value: 'a' },
        { partition: 0, value: 'b' },
        { partition: 1, value: 'c' },
      ],
    });
    await committed.commit();
    // The tail of partition 1: an aborted record and its marker; partition 0 ends on a commit marker.
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ partition: 1, value: 'aborted' }] });
    await aborted.abort();
    await producer.disconnect();

    const seen: string[] = [];
    const started = Date.now();
    await readTopic(kafka, topic, (partition, m) => seen.push(`${partition}:${m.value!.toString()}`));
    const took = Date.now() - started;

    expect(seen.sort()).toEqual(['0:a', '0:b', '1:c']);
    // Well before the 30-s safety net: the end was seen, not waited for.
    expect(took).toBeLessThan(20000);
  });

  it('an empty topic is read at once', async () => {
    const { kafka, topic } = await freshTopic(1);
    const seen: string[] = [];
    await readTopic(kafka, topic, (_p, m) => seen.push(m.value!.toString()));
    expect(seen).toEqual([]);
  });
});
