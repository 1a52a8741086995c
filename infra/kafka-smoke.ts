/**
 * Proves that kafkajs (pinned in package.json) works against the broker of infra/kafka/pom.xml:
 * admin createTopics/listTopics, an idempotent producer, a consumer group consume + commit, and a
 * transactional producer that commits (with sendOffsets for a consumer group) and aborts, read back with a
 * read-committed consumer. Run it after changing the Kafka version:
 *
 *   bash infra/up.sh && npx tsx infra/kafka-smoke.ts
 *
 * Creates topics named samenloop-smoke-<random>-* and deletes them at the end. Exits non-zero on any failure.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type EachMessagePayload } from 'kafkajs';
import { parseBrokers } from './wait-kafka';

const brokers = parseBrokers(process.env.KAFKA_BROKERS);
const kafka = new Kafka({ clientId: 'samenloop-smoke', brokers, logLevel: logLevel.WARN });
const run = randomBytes(4).toString('hex');
const input = `samenloop-smoke-${run}-in`;
const output = `samenloop-smoke-${run}-out`;
const group = `samenloop-smoke-${run}`;

let failures = 0;
async function step(name: string, fn: () => Promise<string | void>): Promise<void> {
  const t0 = Date.now();
  try {
    const detail = await fn();
    console.log(`ok   ${name} (${Date.now() - t0} ms)${detail ? `: ${detail}` : ''}`);
  } catch (err) {
    failures += 1;
    console.log(`FAIL ${name} (${Date.now() - t0} ms): ${err instanceof Error ? err.stack : String(err)}`);
  }
}

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** Consumes `topic` from the beginning with a fresh group until `count` messages arrived. */
async function readAll(topic: string, count: number, groupId: string): Promise<EachMessagePayload[]> {
  const consumer = kafka.consumer({ groupId, readUncommitted: false });
  const seen: EachMessagePayload[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${seen.length}/${count} from ${topic}`)), 30000);
      void consumer
        .run({
          eachMessage: async (payload) => {
            seen.push(payload);
            if (seen.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    // Give a wrongly visible aborted message the chance to show up as well.
    await new Promise((resolve) => setTimeout(resolve, 1500));
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

async function main(): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const cluster = await admin.describeCluster();
  console.log(`broker(s): ${cluster.brokers.map((b) => `${b.host}:${b.port}`).join(',')}, run ${run}`);

  await step('admin createTopics + listTopics', async () => {
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: input, numPartitions: 3, replicationFactor: 1 },
        { topic: output, numPartitions: 1, replicationFactor: 1 },
      ],
    });
    assert(created, 'createTopics returned false');
    const topics = await admin.listTopics();
    assert(topics.includes(input) && topics.includes(output), `topics missing: ${topics.join(',')}`);
  });

  await step('idempotent producer send (acks=all)', async () => {
    const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const res = await producer.send({
      topic: input,
      acks: -1,
      messages: Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    });
    await producer.disconnect();
    return res.map((r) => `p${r.partition}@${r.baseOffset}`).join(' ');
  });

  let consumed: EachMessagePayload[] = [];
  await step('consumer group consume + commitOffsets', async () => {
    const consumer = kafka.consumer({ groupId: group });
    await consumer.connect();
    await consumer.subscribe({ topic: input, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consumed ${consumed.length}/6`)), 30000);
      void consumer
        .run({
          autoCommit: false,
          eachMessage: async (payload) => {
            consumed.push(payload);
            await consumer.commitOffsets([
              {
                topic: payload.topic,
                partition: payload.partition,
                offset: (BigInt(payload.message.offset) + 1n).toString(),
              },
            ]);
            if (consumed.length >= 6) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    const offsets = await admin.fetchOffsets({ groupId: group, topics: [input] });
    const committed = offsets[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    assert(committed === 6, `committed offsets sum to ${committed}, expected 6`);
    return `${consumed.length} messages, committed offsets sum 6`;
  });
  consumed = consumed.slice(0, 6);

  const txGroup = `${group}-tx`;
  await step('transactional producer: send + sendOffsets + commit, then abort', async () => {
    const producer = kafka.producer({
      transactionalId: `samenloop-smoke-${run}`,
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const committedTx = await producer.transaction();
    await committedTx.send({ topic: output, messages: [{ key: 'a', value: 'committed-1' }] });
    await committedTx.send({ topic: output, messages: [{ key: 'b', value: 'committed-2' }] });
    await committedTx.sendOffsets({
      consumerGroupId: txGroup,
      topics: [{ topic: input, partitions: [0, 1, 2].map((partition) => ({ partition, offset: '1' })) }],
    });
    await committedTx.commit();

    const abortedTx = await producer.transaction();
    await abortedTx.send({ topic: output, messages: [{ key: 'c', value: 'aborted' }] });
    await abortedTx.abort();

    const third = await producer.transaction();
    await third.send({ topic: output, messages: [{ key: 'd', value: 'committed-3' }] });
    await third.commit();
    await producer.disconnect();

    const offsets = await admin.fetchOffsets({ groupId: txGroup, topics: [input] });
    const txOffsets = offsets[0]!.partitions.map((p) => p.offset);
    assert(
      txOffsets.length === 3 && txOffsets.every((o) => o === '1'),
      `sendOffsets: ${txOffsets.join(',')}`,
    );
    return `group ${txGroup} offsets ${txOffsets.join(',')}`;
  });

  await step('read_committed consumer sees committed, not aborted', async () => {
    const seen = await readAll(output, 3, `${group}-reader`);
    const values = seen.map((p) => p.message.value?.toString());
    assert(
      values.join(',') === 'committed-1,committed-2,committed-3',
      `read_committed values: ${values.join(',')}`,
    );
    return values.join(',');
  });

  await step('admin deleteTopics', async () => {
    await admin.deleteTopics({ topics: [input, output] });
  });
  await admin.disconnect();
}

main().then(
  () => {
    console.log(failures === 0 ? 'kafka smoke: all steps passed' : `kafka smoke: ${failures} step(s) failed`);
    process.exit(failures === 0 ? 0 : 1);
  },
  (err: unknown) => {
    console.error('kafka smoke: failed:', err);
    process.exit(1);
  },
);
