import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { logLevel, Partitioners } from 'kafkajs';
import { loadConfig } from '../services/config';
import { createKafka } from '../services/kafka/client';
import { isolatedEnv } from '../test/support/kafka';
import { today as processingDay } from '../services/pipeline/clock';
import { topicOf } from '../test/support/topics';
import { demoOffline } from './offline';
import { DEMO_GEMEENTEN, DEMO_POLICIES, demoScenario } from './scenario';
import { describe, summaryLines, type ReceivedOutput } from './summary';

/**
 * `npm run demo`: the main job end to end on the local stack. Starts the processor as its own process,
 * feeds the demo's story (demo/scenario.ts, dated relative to the processing day) into the input topics
 * one message at a time, reads what the gemeenten receive, and ends with a short summary. The same story
 * is first run without a broker (demo/offline.ts); the demo exits 0 only when the real run matches it.
 *
 * The processing day is SAMENLOOP_TODAY when set (e.g. SAMENLOOP_TODAY=2031-03-14 npm run demo), else
 * today in Europe/Amsterdam; the processor gets the same day pinned. `npm run demo -- --raw` also prints
 * every message in full. Each run has its own topics, consumer group and Redis prefix, so runs never mix.
 */
const ROOT = path.resolve(__dirname, '..');
const RAW = process.argv.includes('--raw');
const READY_TIMEOUT_MS = Number(process.env.DEMO_TIMEOUT_MS ?? 180000);
const run = `demo-${Date.now().toString(36)}`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function status(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

async function until(what: string, deadline: number, fn: () => Promise<boolean>): Promise<void> {
  for (;;) {
    if (await fn().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not happen in time`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main(): Promise<void> {
  const day = loadConfig().SAMENLOOP_TODAY ?? processingDay();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...isolatedEnv(run),
    TOPIC_PARTITIONS: process.env.TOPIC_PARTITIONS ?? '3',
    GEMEENTE_POLICIES: DEMO_POLICIES,
    // their topics, the toewijzingen topics they write their WMO301s to among them, exist from the start
    GEMEENTEN: DEMO_GEMEENTEN,
    SAMENLOOP_TODAY: day,
    HTTP_PORT: String(port),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  const cfg = loadConfig(env);
  const expected = await demoOffline(day);
  const steps = demoScenario(day);

  console.log(`demo run ${run}: processing day ${day}; topics ${run}.*, Redis prefix ${run}:`);
  const processor = spawn(
    process.execPath,
    [require.resolve('tsx/cli'), path.join(ROOT, 'services/cli/main.ts')],
    {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    processor.on('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  // the same connection settings as the processor (KAFKA_SECURITY_PROTOCOL, KAFKA_SSL_*, KAFKA_SASL_*)
  const kafka = createKafka(cfg, { clientId: `${run}-demo`, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const consumer = kafka.consumer({ groupId: `${run}-reader`, maxWaitTimeInMs: 200 });
  const received: ReceivedOutput[] = [];
  try {
    const t0 = Date.now();
    await until('the processor becoming ready (GET /readyz 200)', t0 + READY_TIMEOUT_MS, async () => {
      if (exitCode !== undefined) throw new Error(`the processor exited with code ${exitCode}`);
      return (await status(port, '/readyz')) === 200;
    }).catch((err: Error) => {
      if (exitCode !== undefined)
        throw new Error(`the processor exited with code ${exitCode} before it was ready`);
      throw err;
    });
    console.log(`processor ready after ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

    await admin.connect();
    await producer.connect();
    for (const [i, step] of steps.entries()) {
      const topic = topicOf(cfg, step.input, step.xml);
      const [meta] = await producer.send({
        topic,
        acks: -1,
        messages: [{ value: step.xml, headers: { 'content-type': 'application/xml' } }],
      });
      const offset = BigInt(meta!.baseOffset!);
      // One message at a time, each processed before the next: the story's order is the processing order.
      await until(`processing of step ${i + 1}`, Date.now() + 60000, async () => {
        const [c] = await admin.fetchOffsets({ groupId: cfg.KAFKA_GROUP_ID, topics: [topic] });
        const p = c?.partitions.find((x) => x.partition === meta!.partition);
        return p !== undefined && BigInt(p.offset) > offset;
      });
      console.log(`${i + 1}. ${step.what}`);
    }

    const prefix = `${run}.gemeente.`;
    const outputTopic = new RegExp(
      `^${prefix.replace(/[.-]/g, '\\$&')}(\\d{4})\\.(samenloop|beeindigingen)$`,
    );
    await consumer.connect();
    await consumer.subscribe({ topics: [outputTopic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const m = outputTopic.exec(topic)!;
        const out: ReceivedOutput = {
          gemeente: m[1]!,
          channel: m[2] as ReceivedOutput['channel'],
          value: message.value?.toString('utf8') ?? '',
        };
        received.push(out);
        if (RAW) {
          console.log(`\n=== ${topic} (key ${message.key?.toString() ?? '-'})`);
          console.log(
            out.channel === 'samenloop' ? JSON.stringify(JSON.parse(out.value), null, 2) : out.value,
          );
        }
      },
    });
    await until(
      `receiving the ${expected.length} expected messages`,
      Date.now() + 60000,
      async () => received.length >= expected.length,
    );
    // Anything more would be a duplicate: give it a moment to show up.
    await new Promise((r) => setTimeout(r, 1500));
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    if (exitCode === undefined) processor.kill('SIGTERM');
  }
  const code = await exited;

  const want = expected.map(describe);
  const order = (o: ReceivedOutput) => {
    const i = want.indexOf(describe(o));
    return i < 0 ? want.length : i;
  };
  const got = [...received].sort((a, b) => order(a) - order(b));
  console.log(`\nWhat the gemeenten received (processing day ${day}):`);
  for (const line of summaryLines(got)) console.log(line);
  const missing = want.filter((w) => !got.some((g) => describe(g) === w));
  const unexpected = got.map(describe).filter((g) => !want.includes(g));
  const same = missing.length === 0 && unexpected.length === 0 && got.length === want.length;
  console.log(
    `\n${received.length} message(s) received by gemeenten, ${expected.length} expected; processor stopped (exit ${code}).`,
  );
  if (!same) {
    for (const m of missing) console.log(`  missing: ${m}`);
    for (const u of unexpected) console.log(`  unexpected: ${u}`);
    if (missing.length === 0 && unexpected.length === 0) console.log('  some message arrived more than once');
    process.exitCode = 1;
  } else if (code !== 0) {
    process.exitCode = 1;
  }
}

main().catch((err: Error) => {
  console.error(`demo failed: ${err.message}`);
  process.exit(1);
});
