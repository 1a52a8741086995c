// An experiment for issue 16's latency target, not part of `npm run bench`: a transactional passthrough fed at a
// steady rate over 3 topics of 6 partitions (the processor's input layout), produce → committed output read
// with read_committed, in two designs:
//   - `per-partition`: kafkajs (the project's, patched), one transactional producer per input partition and one
//     transaction per fetched batch of a partition, `--concurrently n` partitions at once (1: one after the other;
//     the processor's design, KAFKA_PARTITIONS_CONCURRENTLY: without KIP-447 a transactional.id per input
//     partition is what fences a previous owner);
//   - `kip447`: @confluentinc/kafka-javascript (librdkafka), one producer per process and one transaction per
//     round for every partition that brought records meanwhile (group commit); the offsets go with the
//     consumer's group metadata (KIP-447), so the broker fences a previous owner by its generation.
// The second client is not a dependency of the project (a native build): install it beside, e.g.
//   apt-get install -y libssl-dev libzstd-dev libcurl4-openssl-dev libsasl2-dev zlib1g-dev
//   mkdir -p /tmp/ckjs && cd /tmp/ckjs && npm init -y && CKJS_LINKING=dynamic npm install @confluentinc/kafka-javascript@1.10.1
// then, with infra up: npx tsx bench/kip447.ts [--mode per-partition|kip447|both] [--rate 1000] [--seconds 30]
//   [--concurrently 1 (per-partition: input partitions at once)]
//   [--client /tmp/ckjs/node_modules/@confluentinc/kafka-javascript]
// It prints one line per mode: p50/p95/p99/max of produce → committed output, transactions, records read.
import { createRequire } from 'node:module';
import { Kafka, logLevel, type EachBatchPayload, type Producer } from 'kafkajs';
import { producerKeepingCoordinators } from '../services/kafka/coordinators';
import { KAFKA_CLIENT_RETRY, retryingConcurrentTransactions } from '../services/kafka/retriable';
import { pct } from './stats';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? dflt) : dflt;
};
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const RATE = Number(opt('rate', '1000'));
const SECONDS = Number(opt('seconds', '30'));
const MODE = opt('mode', 'both');
const CONCURRENTLY = Number(opt('concurrently', '1'));
const CLIENT = opt('client', '/tmp/ckjs/node_modules/@confluentinc/kafka-javascript');
const TOPICS = 3;
const PARTITIONS = 6;
const VALUE = Buffer.alloc(1800, 'x'); // about a WMO301's size

// the client's retries as the processor's (a coordinator's "busy" retried after 20 ms, not 300)
const kafka = new Kafka({
  clientId: 'kip447-bench',
  brokers: BROKERS,
  logLevel: logLevel.NOTHING,
  retry: KAFKA_CLIENT_RETRY,
});

async function topicsFor(tag: string): Promise<{ inputs: string[]; out: string }> {
  const admin = kafka.admin();
  await admin.connect();
  const inputs = Array.from({ length: TOPICS }, (_, i) => `kip447.${tag}.in${i}`);
  const out = `kip447.${tag}.out`;
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      ...inputs.map((topic) => ({ topic, numPartitions: PARTITIONS })),
      { topic: out, numPartitions: PARTITIONS },
    ],
  });
  await admin.disconnect();
  return { inputs, out };
}

/** Feeds RATE msg/s for SECONDS, round robin over the input partitions; each value's header carries its send time. */
async function feed(inputs: string[]): Promise<number> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const total = RATE * SECONDS;
  const start = Date.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * RATE));
    const now = String(Date.now());
    const byTopic = new Map<
      string,
      { partition: number; key: string; value: Buffer; headers: { t0: string } }[]
    >();
    for (; sent < due; sent++) {
      const topic = inputs[sent % TOPICS]!;
      const list = byTopic.get(topic) ?? [];
      list.push({
        partition: Math.floor(sent / TOPICS) % PARTITIONS,
        key: String(sent),
        value: VALUE,
        headers: { t0: now },
      });
      byTopic.set(topic, list);
    }
    if (byTopic.size > 0)
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    await new Promise((r) => setTimeout(r, 5));
  }
  await producer.disconnect();
  return total;
}

/** Reads the output with read_committed and notes each record's age (now − its input's send time). */
async function reader(out: string, tag: string) {
  const consumer = kafka.consumer({
    groupId: `kip447.${tag}.reader`,
    maxWaitTimeInMs: 20,
    readUncommitted: false,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: out, fromBeginning: true });
  const ages: number[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  await consumer.run({
    eachMessage: async ({ message }) => {
      const key = String(message.key);
      if (seen.has(key)) duplicates++;
      seen.add(key);
      ages.push(Date.now() - Number(String(message.headers?.['t0'])));
    },
  });
  return { consumer, ages, seen, duplicates: () => duplicates };
}

interface Design {
  transactions: () => number;
  stop: () => Promise<void>;
}

async function perPartition(inputs: string[], out: string, tag: string): Promise<Design> {
  const group = `kip447.${tag}.proc`;
  const producers = new Map<string, Producer>();
  const producerFor = async (id: string): Promise<Producer> => {
    let p = producers.get(id);
    if (!p) {
      // as the processor's sink: coordinators kept, CONCURRENT_TRANSACTIONS on AddOffsetsToTxn retried after 20 ms
      p = producerKeepingCoordinators(kafka, {
        transactionalId: `${group}.${id}`,
        idempotent: true,
        maxInFlightRequests: 1,
      });
      await p.connect();
      producers.set(id, p);
    }
    return p;
  };
  let transactions = 0;
  const consumer = kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: inputs, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: CONCURRENTLY,
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat }: EachBatchPayload) => {
      const { topic, partition, messages } = batch;
      if (messages.length === 0) return;
      const last = messages[messages.length - 1]!.offset;
      const tx = await (await producerFor(`${topic}.${partition}`)).transaction();
      try {
        await tx.send({
          topic: out,
          acks: -1,
          messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
        });
        await retryingConcurrentTransactions(() =>
          tx.sendOffsets({
            consumerGroupId: group,
            topics: [{ topic, partitions: [{ partition, offset: String(BigInt(last) + 1n) }] }],
          }),
        );
        await tx.commit();
        transactions++;
      } catch (err) {
        await tx.abort().catch(() => undefined);
        throw err;
      }
      resolveOffset(last);
      await heartbeat();
    },
  });
  return {
    transactions: () => transactions,
    stop: async () => {
      await consumer.disconnect();
      for (const p of producers.values()) await p.disconnect();
    },
  };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the second client is loaded from beside the project, untyped here */
async function kip447(inputs: string[], out: string, tag: string): Promise<Design> {
  // a package directory outside the project: loaded as CommonJS from its path
  const { Kafka: CKafka } = (createRequire(__filename)(CLIENT) as { KafkaJS: unknown }).KafkaJS as {
    Kafka: new (c: unknown) => any;
  };
  const ck = new CKafka({ kafkaJS: { brokers: BROKERS, logLevel: 0 } });
  const group = `kip447.${tag}.proc`;
  const producer = ck.producer({
    kafkaJS: { transactionalId: `${group}.process-1`, idempotent: true, maxInFlightRequests: 1 },
    'linger.ms': 0,
  });
  await producer.connect();
  const consumer = ck.consumer({
    kafkaJS: { groupId: group, fromBeginning: true, autoCommit: false },
    'fetch.wait.max.ms': 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: inputs });
  // group commit: every batch handed in while a transaction runs goes into the next one
  interface Round {
    topic: string;
    partition: number;
    next: string;
    messages: unknown[];
    resolve: () => void;
    reject: (err: unknown) => void;
  }
  let pending: Round[] = [];
  let running: Promise<void> | undefined;
  let transactions = 0;
  const commitRound = async () => {
    while (pending.length > 0) {
      const round = pending;
      pending = [];
      try {
        const tx = await producer.transaction();
        try {
          await tx.send({ topic: out, messages: round.flatMap((r) => r.messages) });
          const offsets = new Map<string, Round>();
          for (const r of round) offsets.set(`${r.topic}\u0000${r.partition}`, r);
          const byTopic = new Map<string, { partition: number; offset: string }[]>();
          for (const r of offsets.values()) {
            const list = byTopic.get(r.topic) ?? [];
            list.push({ partition: r.partition, offset: r.next });
            byTopic.set(r.topic, list);
          }
          await tx.sendOffsets({
            consumer,
            topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
          });
          await tx.commit();
          transactions++;
        } catch (err) {
          await tx.abort().catch(() => undefined);
          throw err;
        }
        for (const r of round) r.resolve();
      } catch (err) {
        for (const r of round) r.reject(err);
      }
    }
    running = undefined;
  };
  await consumer.run({
    partitionsConsumedConcurrently: TOPICS * PARTITIONS,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset }: EachBatchPayload) => {
      const { topic, partition, messages } = batch;
      if (messages.length === 0) return;
      const last = messages[messages.length - 1]!.offset;
      await new Promise<void>((resolve, reject) => {
        pending.push({
          topic,
          partition,
          next: String(BigInt(last) + 1n),
          messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
          resolve,
          reject,
        });
        running ??= commitRound();
      });
      resolveOffset(last);
    },
  });
  return {
    transactions: () => transactions,
    stop: async () => {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}

/* eslint-enable @typescript-eslint/no-explicit-any */

async function runMode(mode: string): Promise<void> {
  const tag = `${mode}-${Date.now()}`;
  const { inputs, out } = await topicsFor(tag);
  const read = await reader(out, tag);
  const proc = mode === 'kip447' ? await kip447(inputs, out, tag) : await perPartition(inputs, out, tag);
  await new Promise((r) => setTimeout(r, 5000)); // joins
  const total = await feed(inputs);
  const deadline = Date.now() + 60000;
  while (read.seen.size < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await proc.stop();
  await read.consumer.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [...inputs, out] });
  await admin.disconnect();
  // the first and last 10 % of the records read left out (the start and the end of the feed)
  const steady = read.ages
    .slice(Math.floor(0.1 * read.ages.length), Math.floor(0.9 * read.ages.length))
    .sort((a, b) => a - b);
  console.log(
    `${mode}${mode === 'per-partition' ? ` (${CONCURRENTLY} at once)` : ''}: ${RATE} msg/s for ${SECONDS} s over ${TOPICS}×${PARTITIONS} partitions: p50 ${pct(steady, 0.5)} ms, p95 ${pct(steady, 0.95)} ms, p99 ${pct(steady, 0.99)} ms, max ${steady[steady.length - 1]} ms; ${proc.transactions()} transactions; ${read.seen.size} of ${total} read, ${read.duplicates()} twice`,
  );
}

void (async () => {
  for (const mode of MODE === 'both' ? ['per-partition', 'kip447'] : [MODE]) await runMode(mode);
})().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
