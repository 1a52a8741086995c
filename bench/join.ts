/**
 * What one consumer join costs with many subscribed topics, kafkajs as installed (patched: the join's maps
 * built once, infra/patches/kafkajs/many-topics.json) against kafkajs 2.2.4's own files (the edits undone
 * in a copy), in one run and on the same topics. JOIN_TOPICS (1,024) topics of one partition are created;
 * a consumer of each kafkajs subscribes to all of them in a group of its own, JOIN_ROUNDS (3) times in turns.
 * Prints per join: wall time from run() to the first fetch (join, sync and the offsets of every assigned
 * partition) and the CPU time of this process meanwhile.
 *
 *   npm run bench:join
 *   JOIN_TOPICS=2048 npm run bench:join
 */
import { randomBytes } from 'node:crypto';
import type { Kafka as KafkaClass, Consumer } from 'kafkajs';
import { Kafka, logLevel } from 'kafkajs';
import { ownKafka } from '../test/support/kafkajs-own';

const TOPICS = Number(process.env.JOIN_TOPICS ?? 1024);
const ROUNDS = Number(process.env.JOIN_ROUNDS ?? 3);
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

async function joinOnce(
  K: typeof KafkaClass,
  prefix: string,
): Promise<{ wallMs: number; cpuMs: number; topics: number }> {
  const kafka = new K({ clientId: 'bench-join', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const consumer: Consumer = kafka.consumer({ groupId: `${prefix}-g${randomBytes(3).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [new RegExp(`^${prefix}\\.`)], fromBeginning: true });
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let topics = 0;
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    topics = Object.keys(e.payload.memberAssignment).length;
  });
  // the first fetch: after the join, the sync and the offsets of every assigned partition
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.FETCH, () => resolve()));
  await consumer.run({ eachBatch: async () => {} });
  await joined;
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  await consumer.disconnect();
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, topics };
}

async function main(): Promise<void> {
  const prefix = `bj${randomBytes(3).toString('hex')}`;
  const admin = new Kafka({ clientId: 'bench-join', brokers: BROKERS, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const names = Array.from({ length: TOPICS }, (_, i) => `${prefix}.t${i}`);
  for (let i = 0; i < names.length; i += 256) {
    await admin.createTopics({
      topics: names.slice(i, i + 256).map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })),
      waitForLeaders: false,
    });
  }
  while ((await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`)).length < TOPICS) {
    await new Promise((r) => setTimeout(r, 200));
  }
  await admin.fetchTopicMetadata({ topics: names });
  console.log(`${TOPICS} topics created (${prefix}.*)`);
  const own = ownKafka();
  const rows: { what: string; wallMs: number; cpuMs: number }[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      for (const [what, K] of [
        ['kafkajs 2.2.4 own join', own.Kafka],
        ['patched join (linear)', Kafka],
      ] as const) {
        const m = await joinOnce(K, prefix);
        rows.push({ what, ...m });
        console.log(
          `${what}: ${m.topics} topics assigned, join ${m.wallMs.toFixed(0)} ms, CPU ${m.cpuMs.toFixed(0)} ms`,
        );
      }
    }
  } finally {
    own.remove();
    await admin.deleteTopics({ topics: names }).catch(() => undefined);
    await admin.disconnect();
  }
  const median = (what: string, key: 'wallMs' | 'cpuMs') => {
    const v = rows
      .filter((r) => r.what === what)
      .map((r) => r[key])
      .sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)] ?? NaN;
  };
  console.log(`\n${TOPICS} topics, median of ${ROUNDS} joins each`);
  console.log('| join | wall ms | CPU ms |\n|---|---:|---:|');
  for (const what of ['kafkajs 2.2.4 own join', 'patched join (linear)']) {
    console.log(`| ${what} | ${median(what, 'wallMs').toFixed(0)} | ${median(what, 'cpuMs').toFixed(0)} |`);
  }
  console.log(
    `own / patched: wall ${(median('kafkajs 2.2.4 own join', 'wallMs') / median('patched join (linear)', 'wallMs')).toFixed(1)}×, ` +
      `CPU ${(median('kafkajs 2.2.4 own join', 'cpuMs') / median('patched join (linear)', 'cpuMs')).toFixed(1)}×`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
