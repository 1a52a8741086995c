/**
 * What a steady feed costs a consumer that subscribes to many idle topics besides its busy ones (the processor
 * subscribes to every gemeente's input topics), kafkajs as installed (patched, infra/patches/kafkajs/
 * many-topics.json) against kafkajs 2.2.4's own files (the edits undone in a copy), in turns, on the same
 * topics. FETCH_TOPICS (1,020: 340 gemeenten × 3 input topics) idle topics of one partition and one busy topic
 * of 6 partitions; FETCH_RATE (1,000) msg/s are produced to the busy one for FETCH_SECONDS (20), and the consumer
 * spends FETCH_WORK_MS (0.3) of CPU on each message, a stand-in for the processor's work. FETCH_ROUNDS (3). The consumer commits
 * no offsets (as the processor, whose offsets go with its transactions).
 * Prints per run: fetches, CPU of this process per message and per fetch (all but the work, the producer's
 * included), and the time from a message's produce to its handling (p50, p99); then the medians.
 *
 *   npm run bench:fetch
 *   FETCH_TOPICS=0 npm run bench:fetch     # the same feed with no idle topics
 */
import { randomBytes } from 'node:crypto';
import type { Kafka as KafkaClass } from 'kafkajs';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { ownKafka } from '../test/support/kafkajs-own';

const TOPICS = Number(process.env.FETCH_TOPICS ?? 1020);
const RATE = Number(process.env.FETCH_RATE ?? 1000);
const SECONDS = Number(process.env.FETCH_SECONDS ?? 20);
const WORK_MS = Number(process.env.FETCH_WORK_MS ?? 0.3);
const ROUNDS = Number(process.env.FETCH_ROUNDS ?? 3);
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run {
  fetches: number;
  messages: number;
  cpuMsPerMessage: number;
  cpuMsPerFetch: number;
  p50: number;
  p99: number;
}

async function feedOnce(K: typeof KafkaClass, busy: string, idle: string[]): Promise<Run> {
  const kafka = new K({ clientId: 'bench-fetch', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-fetch-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  // a busy topic of its own, read from its beginning: nothing produced can be missed by a late offset lookup
  await consumer.subscribe({ topics: [busy, ...idle], fromBeginning: true });
  let fetches = 0;
  let handled = 0;
  const latencies: number[] = [];
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  consumer.on(consumer.events.FETCH, () => fetches++);
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const m of batch.messages) {
        latencies.push(now - Number(m.timestamp));
        const until = performance.now() + WORK_MS;
        while (performance.now() < until);
        handled++;
      }
    },
  });
  await joined;
  await sleep(3000); // past the first fetches
  const producer = new Kafka({
    clientId: 'bench-fetch',
    brokers: BROKERS,
    logLevel: logLevel.NOTHING,
  }).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  fetches = 0;
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  let sent = 0;
  while (Date.now() - t0 < SECONDS * 1000) {
    const due = Math.floor(((Date.now() - t0) / 1000) * RATE) - sent;
    if (due > 0) {
      await producer.send({
        topic: busy,
        messages: Array.from({ length: due }, (_, i) => ({ key: String(sent + i), value: 'x'.repeat(600) })),
      });
      sent += due;
    }
    await sleep(20);
  }
  while (handled < sent) await sleep(20);
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  await producer.disconnect();
  await consumer.disconnect();
  latencies.sort((a, b) => a - b);
  const pct = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    fetches,
    messages: sent,
    cpuMsPerMessage: cpuMs / sent,
    cpuMsPerFetch: (cpuMs - sent * WORK_MS) / fetches,
    p50: pct(0.5),
    p99: pct(0.99),
  };
}

async function main(): Promise<void> {
  const prefix = `bf${randomBytes(3).toString('hex')}`;
  const admin = new Kafka({ clientId: 'bench-fetch', brokers: BROKERS, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const runs = 2 * ROUNDS;
  // one busy topic per run, all made beforehand (a topic made during a run would change the metadata)
  const busy = Array.from({ length: runs }, (_, i) => `${prefix}.busy${i}`);
  const idle = Array.from({ length: TOPICS }, (_, i) => `${prefix}.idle${i}`);
  await admin.createTopics({
    topics: busy.map((topic) => ({ topic, numPartitions: 6, replicationFactor: 1 })),
    waitForLeaders: true,
  });
  for (let i = 0; i < idle.length; i += 256) {
    await admin.createTopics({
      topics: idle.slice(i, i + 256).map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })),
      waitForLeaders: false,
    });
  }
  while ((await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`)).length < TOPICS + runs)
    await sleep(200);
  await admin.fetchTopicMetadata({ topics: [...busy, ...idle] });
  console.log(
    `${TOPICS} idle topics and a busy one of 6 partitions per run (${prefix}.*); ${RATE} msg/s for ${SECONDS} s, ${WORK_MS} ms of work per message`,
  );
  const own = ownKafka();
  const rows: Array<{ what: string } & Run> = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      for (const [what, K] of [
        ['kafkajs 2.2.4 own fetch', own.Kafka],
        ['patched fetch', Kafka],
      ] as const) {
        const m = await feedOnce(K, busy[rows.length]!, idle);
        rows.push({ what, ...m });
        console.log(
          `${what}: ${m.fetches} fetches, CPU ${m.cpuMsPerMessage.toFixed(3)} ms/msg, ${m.cpuMsPerFetch.toFixed(1)} ms per fetch beyond the work, produce → handled p50 ${m.p50} ms, p99 ${m.p99} ms`,
        );
      }
    }
  } finally {
    own.remove();
    await admin.deleteTopics({ topics: [...busy, ...idle] }).catch(() => undefined);
    await admin.disconnect();
  }
  const median = (what: string, key: keyof Run) => {
    const v = rows
      .filter((r) => r.what === what)
      .map((r) => r[key])
      .sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)] ?? NaN;
  };
  console.log(
    `\n| kafkajs (median of ${ROUNDS}) | fetches | CPU ms/msg | CPU ms per fetch | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|`,
  );
  for (const what of ['kafkajs 2.2.4 own fetch', 'patched fetch']) {
    console.log(
      `| ${what} | ${median(what, 'fetches')} | ${median(what, 'cpuMsPerMessage').toFixed(3)} | ${median(what, 'cpuMsPerFetch').toFixed(1)} | ${median(what, 'p50')} | ${median(what, 'p99')} |`,
    );
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
