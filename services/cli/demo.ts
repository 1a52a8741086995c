import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { loadConfig } from '../config';

/**
 * `npm run demo`: the main job end to end on the local stack. Starts the processor as its own process,
 * feeds the example messages from ../shared/istandaarden into the input topics, and prints what the
 * gemeenten receive. Each run uses its own topics, consumer group and Redis prefix, so runs never mix.
 */
const ROOT = path.resolve(__dirname, '../..');
const SHARED = process.env.SAMENLOOP_SHARED_DIR ?? path.resolve(ROOT, '../shared');
const run = `demo-${Date.now().toString(36)}`;

const env: NodeJS.ProcessEnv = {
  ...process.env,
  TOPIC_INDICATIEBESLUITEN: `${run}.wlz.indicatiebesluiten`,
  TOPIC_ZORGTOEWIJZINGEN: `${run}.wlz.zorgtoewijzingen`,
  TOPIC_WMO_TOEWIJZINGEN: `${run}.wmo.toewijzingen`,
  TOPIC_DLQ: `${run}.samenloop.dlq`,
  TOPIC_GEMEENTE_PREFIX: `${run}.gemeente.`,
  KAFKA_GROUP_ID: `${run}-processor`,
  REDIS_PREFIX: `${run}:`,
  TOPIC_PARTITIONS: process.env.TOPIC_PARTITIONS ?? '3',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
};
const cfg = loadConfig(env);

function examples(family: 'iwlz' | 'iwmo', pattern: RegExp): Array<{ file: string; xml: Buffer }> {
  const dir = path.join(SHARED, 'istandaarden', family, 'examples');
  return fs
    .readdirSync(dir)
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => ({ file: `${family}/examples/${f}`, xml: fs.readFileSync(path.join(dir, f)) }));
}

async function main(): Promise<void> {
  if (!fs.existsSync(SHARED))
    throw new Error(`reference material not found at ${SHARED} (set SAMENLOOP_SHARED_DIR)`);
  console.log(`demo run ${run}: topics ${run}.*, Redis prefix ${run}:`);
  const processor = spawn(
    process.execPath,
    [require.resolve('tsx/cli'), path.join(ROOT, 'services/cli/main.ts')],
    {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const exited = new Promise<number | null>((resolve) => processor.on('exit', resolve));

  const kafka = new Kafka({
    clientId: `${run}-demo`,
    brokers: cfg.KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const deadline = Date.now() + 60000;
  while (!(await admin.listTopics()).includes(cfg.TOPIC_WMO_TOEWIJZINGEN)) {
    if (Date.now() > deadline) throw new Error('the processor did not create its topics within 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  await admin.disconnect();

  const inputs = [
    ...examples('iwlz', /^io31.*\.xml$/).map((e) => ({ ...e, topic: cfg.TOPIC_INDICATIEBESLUITEN })),
    ...examples('iwlz', /^aw33.*\.xml$/).map((e) => ({ ...e, topic: cfg.TOPIC_ZORGTOEWIJZINGEN })),
    ...examples('iwmo', /wmo301.*\.xml$/i).map((e) => ({ ...e, topic: cfg.TOPIC_WMO_TOEWIJZINGEN })),
  ];
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  for (const i of inputs) {
    await producer.send({
      topic: i.topic,
      messages: [{ value: i.xml, headers: { 'content-type': 'application/xml' } }],
    });
    console.log(`fed ${i.file} -> ${i.topic}`);
  }
  await producer.disconnect();

  // The gemeente topics exist once the processor emits to them: wait for them, then read them.
  const outputTopic = new RegExp(
    `^${run.replace(/[.-]/g, '\\$&')}\\.gemeente\\.\\d{4}\\.(samenloop|beeindigingen)$`,
  );
  await admin.connect();
  const waitUntil = Date.now() + 60000;
  while (!(await admin.listTopics()).some((t) => outputTopic.test(t)) && Date.now() < waitUntil) {
    await new Promise((r) => setTimeout(r, 500));
  }
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `${run}-reader` });
  await consumer.connect();
  await consumer.subscribe({ topics: [outputTopic], fromBeginning: true });
  let received = 0;
  let last = Date.now();
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      received++;
      last = Date.now();
      console.log(`\n=== ${topic} (key ${message.key?.toString() ?? '-'})`);
      const text = message.value?.toString('utf8') ?? '';
      try {
        console.log(JSON.stringify(JSON.parse(text), null, 2));
      } catch {
        console.log(text);
      }
    },
  });
  while (Date.now() < waitUntil && (received === 0 || Date.now() - last < 3000)) {
    await new Promise((r) => setTimeout(r, 250));
  }
  await consumer.disconnect();
  processor.kill('SIGTERM');
  const code = await exited;
  console.log(`\n${received} message(s) received by gemeenten; processor stopped (exit ${code}).`);
  if (received === 0) process.exitCode = 1;
}

main().catch((err: Error) => {
  console.error(`demo failed: ${err.message}`);
  process.exit(1);
});
