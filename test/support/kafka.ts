import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import { loadConfig, type Config } from '../../services/config';
import { kafkaBrokers, redisUrl, uniqueRunId, waitFor } from './infra';

export { waitFor } from './infra';

/**
 * The register's encryption at rest (REGISTER_KEYS, REGISTER_KEY_ID) as every run has it: one key made at
 * random for this process, so the processors a test, the demo or a benchmark starts and the stores it reads
 * their register with share it. Never a fixed key.
 */
export const REGISTER_KEY_ENV: Readonly<Record<string, string>> = {
  REGISTER_KEYS: `run:${randomBytes(32).toString('base64')}`,
  REGISTER_KEY_ID: 'run',
};

/**
 * Topic names, consumer group, client id and Redis prefix of their own for one run: runs never mix. With
 * the register keys of this process (REGISTER_KEY_ENV).
 */
export function isolatedEnv(run: string): Record<string, string> {
  return {
    ...REGISTER_KEY_ENV,
    TOPIC_INDICATIEBESLUITEN: `${run}.wlz.indicatiebesluiten`,
    TOPIC_ZORGTOEWIJZINGEN: `${run}.wlz.zorgtoewijzingen`,
    TOPIC_DLQ: `${run}.samenloop.dlq`,
    TOPIC_DAGELIJKS: `${run}.samenloop.dagelijks`,
    TOPIC_CHANGELOG: `${run}.samenloop.register.changelog`,
    TOPIC_GEMEENTE_PREFIX: `${run}.gemeente.`,
    KAFKA_GROUP_ID: `${run}-processor`,
    KAFKA_CLIENT_ID: `${run}`,
    REDIS_PREFIX: `${run}:`,
  };
}

/** A config whose topics, consumer group and Redis prefix are unique to this run: runs never mix. */
export function isolatedConfig(extra: Record<string, string> = {}): { run: string; cfg: Config } {
  const run = uniqueRunId();
  const cfg = loadConfig({
    KAFKA_BROKERS: kafkaBrokers().join(','),
    REDIS_URL: redisUrl(),
    ...isolatedEnv(run),
    TOPIC_PARTITIONS: '3',
    LOG_LEVEL: 'warn',
    SAMENLOOP_TODAY: '2026-11-23',
    HTTP_PORT: '0',
    // a whole suite can be run with other partitions at once (KAFKA_PARTITIONS_CONCURRENTLY=6 npm test)
    ...(process.env.KAFKA_PARTITIONS_CONCURRENTLY
      ? { KAFKA_PARTITIONS_CONCURRENTLY: process.env.KAFKA_PARTITIONS_CONCURRENTLY }
      : {}),
    ...extra,
  });
  return { run, cfg };
}

export function testKafka(clientId = `test-${randomUUID().slice(0, 8)}`): Kafka {
  return new Kafka({ clientId, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
}

/** A connected producer as a chain party's: no topic creation, Kafka's default partitioner. */
export async function connectedProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return producer;
}

export interface Collected {
  topic: string;
  partition: number;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  offset: string;
}

/** Reads every record of the matching topics (from the beginning) into `records` until stopped. */
export async function collect(
  kafka: Kafka,
  topics: RegExp | string[],
): Promise<{ records: Collected[]; consumer: Consumer }> {
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID().slice(0, 8)}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics: Array.isArray(topics) ? topics : [topics], fromBeginning: true });
  const records: Collected[] = [];
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      records.push({
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        value: message.value,
        headers: headers(message),
      });
    },
  });
  return { records, consumer };
}

function headers(m: KafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    const one = Array.isArray(v) ? v[0] : v;
    if (one !== undefined) out[k] = Buffer.isBuffer(one) ? one.toString('utf8') : String(one);
  }
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends records one at a time, each consumed by the processor's group (its offset committed) before the next:
 * the order given is the processing order, as in the demo. Records on different topics are otherwise
 * processed in whatever order the consumer fetches them (after a rebalance: topic by topic), and a story like
 * "Wmo toewijzing, then the indicatie, then the zorgtoewijzing" would tell the gemeente less.
 */
export async function sendInOrder(
  kafka: Kafka,
  groupId: string,
  records: ReadonlyArray<{ topic: string; value: string | Buffer; headers?: Record<string, string> }>,
): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  try {
    for (const [i, r] of records.entries()) {
      const [meta] = await producer.send({
        topic: r.topic,
        acks: -1,
        messages: [{ value: r.value, headers: r.headers }],
      });
      const offset = BigInt(meta!.baseOffset!);
      await waitFor(
        async () => {
          const [c] = await admin.fetchOffsets({ groupId, topics: [r.topic] });
          const p = c?.partitions.find((x) => x.partition === meta!.partition);
          return p !== undefined && BigInt(p.offset) > offset;
        },
        60000,
        100,
        `record ${i + 1} of ${records.length} processed`,
      );
    }
  } finally {
    await Promise.all([producer.disconnect(), admin.disconnect()]);
  }
}
