/**
 * Soak benchmark: one processor (services/cli/main.ts, as a child process) on isolated topics, fed
 * generator messages (bench/generator.ts) at a steady rate; every SOAK_SAMPLE_SECONDS it samples the
 * processor's RSS (/proc/<pid>/status VmRSS) and heap (its own /metrics), and the consumer lag. Prints a
 * table and a summary: RSS after warm-up, max, end, slope per minute, messages processed, outputs, lag.
 *
 *   npx tsx bench/soak.ts                      # 10 minutes at 200 messages/s
 *   SOAK_SECONDS=120 SOAK_RATE=400 npx tsx bench/soak.ts
 *
 * Env: SOAK_SECONDS (600), SOAK_RATE messages/s (200), SOAK_SAMPLE_SECONDS (10), SOAK_WARMUP_SECONDS (60),
 * SOAK_GEMEENTEN (10: their topics are created at start), SOAK_DRAIN_SECONDS (120: how long to wait for the
 * lag to reach 0 after feeding stops), SOAK_KEEP=1 keeps the topics and Redis keys afterwards;
 * KAFKA_BROKERS, REDIS_URL as for the processor (defaults: the local infra of `npm run infra:up`).
 */
import { retrying } from '../services/kafka/retriable';
import { afzenderOf } from '../test/support/topics';
import { REGISTER_KEY_ENV } from '../test/support/kafka';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import Redis from 'ioredis';
import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { gemeenteCode, generate, type GeneratedMessage } from './generator';

const ROOT = path.resolve(__dirname, '..');
const num = (name: string, def: number): number => {
  const v = process.env[name];
  const n = v === undefined || v === '' ? def : Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${v}`);
  return n;
};
const SECONDS = num('SOAK_SECONDS', 600);
const RATE = num('SOAK_RATE', 200);
const SAMPLE_S = num('SOAK_SAMPLE_SECONDS', 10);
const WARMUP_S = num('SOAK_WARMUP_SECONDS', 60);
const GEMEENTEN = Math.floor(num('SOAK_GEMEENTEN', 10));
const DRAIN_S = num('SOAK_DRAIN_SECONDS', 120);
const KEEP = process.env.SOAK_KEEP === '1';
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const run = `soak${randomBytes(3).toString('hex')}`;
const topics = {
  indicatiebesluiten: `${run}.wlz.indicatiebesluiten`,
  zorgtoewijzingen: `${run}.wlz.zorgtoewijzingen`,
} as const;
const gemeenten = Array.from({ length: GEMEENTEN }, (_, i) => gemeenteCode(i));
/** Each gemeente writes its WMO301s to its own toewijzingen topic (made at start: GEMEENTEN). */
const wmoTopicOf = (gemeente: string) => `${run}.gemeente.${gemeente}.toewijzingen`;
const inputs = [...Object.values(topics), ...gemeenten.map(wmoTopicOf)];

interface Sample {
  t: number;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  sent: number;
  consumed: number;
  produced: number;
  lag: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

function get(port: number, p: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Sum of a Prometheus metric over its label sets. */
function metric(text: string, name: string, labelFilter?: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && m[1] === name && (!labelFilter || (m[2] ?? '').includes(labelFilter))) sum += Number(m[3]);
  }
  return sum;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

async function inputLag(admin: Admin, group: string): Promise<number> {
  let lag = 0n;
  const committed = new Map<string, bigint>();
  // topics just made at the processor's start may still be electing leaders: retried (retrying)
  for (const t of await retrying(() => admin.fetchOffsets({ groupId: group, topics: inputs }))) {
    for (const p of t.partitions) committed.set(`${t.topic}/${p.partition}`, BigInt(p.offset));
  }
  for (const topic of inputs) {
    for (const p of await retrying(() => admin.fetchTopicOffsets(topic))) {
      const c = committed.get(`${topic}/${p.partition}`) ?? -1n;
      const high = BigInt(p.high);
      lag += c < 0n ? high : high - c;
    }
  }
  return Number(lag);
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** An endless stream of generator messages: disjoint client populations, one seeded chunk after another. */
function* messages(): Generator<GeneratedMessage> {
  for (let chunk = 0; ; chunk++) {
    yield* generate({ seed: 1000 + chunk, messages: 2000, gemeenten: GEMEENTEN, firstClient: chunk * 2000 });
  }
}

async function main(): Promise<void> {
  const httpPort = await freePort();
  const group = `${run}-processor`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_BROKERS: BROKERS.join(','),
    REDIS_URL,
    KAFKA_GROUP_ID: group,
    KAFKA_CLIENT_ID: run,
    REDIS_PREFIX: `${run}:`,
    TOPIC_INDICATIEBESLUITEN: topics.indicatiebesluiten,
    TOPIC_ZORGTOEWIJZINGEN: topics.zorgtoewijzingen,
    TOPIC_DLQ: `${run}.samenloop.dlq`,
    TOPIC_DAGELIJKS: `${run}.samenloop.dagelijks`,
    TOPIC_GEMEENTE_PREFIX: `${run}.gemeente.`,
    TOPIC_PARTITIONS: '3',
    GEMEENTEN: gemeenten.join(','),
    SAMENLOOP_TODAY: '2026-11-23',
    HTTP_PORT: String(httpPort),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    NODE_ENV: 'development',
    ...REGISTER_KEY_ENV, // encryption at rest, as in production (a key made for this run)
  };
  console.log(
    `soak ${run}: ${SECONDS} s at ${RATE} msg/s, sample every ${SAMPLE_S} s, warm-up ${WARMUP_S} s, ` +
      `${GEMEENTEN} gemeenten, Kafka ${BROKERS.join(',')}, Redis ${REDIS_URL}`,
  );

  const logFile = path.join(ROOT, '.run', `${run}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'a');
  // node --import tsx (not the tsx CLI, which would put a second process in between): pid is the processor.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'services/cli/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const pid = child.pid!;
  let childExit: string | undefined;
  child.once('exit', (code, signal) => (childExit = `exit ${code ?? signal}`));
  const killChild = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killChild);
  console.log(`processor pid ${pid}, HTTP ${httpPort}, log ${path.relative(ROOT, logFile)}`);

  const kafka = new Kafka({ clientId: `${run}-feeder`, brokers: BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const samples: Sample[] = [];
  let drained: number | undefined;
  let lagAtStop: number;
  try {
    await admin.connect();
    await producer.connect();
    const started = Date.now();
    for (;;) {
      if (childExit) throw new Error(`the processor stopped during start-up (${childExit}), see ${logFile}`);
      if ((await get(httpPort, '/readyz').catch(() => ({ status: 0 }))).status === 200) break;
      if (Date.now() - started > 120000)
        throw new Error(`the processor was not ready within 120 s, see ${logFile}`);
      await sleep(250);
    }
    console.log(`processor ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const sample = async (t: number, sent: number): Promise<Sample> => {
      const m = (await get(httpPort, '/metrics')).body;
      const s: Sample = {
        t,
        rssMb: rssMb(pid),
        heapUsedMb: metric(m, 'nodejs_heap_size_used_bytes') / 2 ** 20,
        heapTotalMb: metric(m, 'nodejs_heap_size_total_bytes') / 2 ** 20,
        sent,
        consumed: metric(m, 'samenloop_messages_consumed_total'),
        produced: metric(m, 'samenloop_messages_produced_total'),
        lag: await inputLag(admin, group),
      };
      samples.push(s);
      console.log(
        [
          String(Math.round(s.t)).padStart(6),
          s.rssMb.toFixed(1).padStart(8),
          s.heapUsedMb.toFixed(1).padStart(9),
          s.heapTotalMb.toFixed(1).padStart(10),
          String(s.sent).padStart(8),
          String(s.consumed).padStart(9),
          String(s.produced).padStart(9),
          String(s.lag).padStart(7),
        ].join(' '),
      );
      return s;
    };
    console.log('   t/s   rss/MB heapUse/MB heapTot/MB     sent  consumed  produced     lag');

    const source = messages();
    const t0 = Date.now();
    let sent = 0;
    let nextSample = 0;
    const tick = 100;
    while (Date.now() - t0 < SECONDS * 1000) {
      if (childExit) throw new Error(`the processor stopped (${childExit}), see ${logFile}`);
      const elapsed = (Date.now() - t0) / 1000;
      if (elapsed >= nextSample) {
        await sample(elapsed, sent);
        nextSample += SAMPLE_S;
      }
      const due = Math.min(Math.floor(elapsed * RATE), Math.ceil(SECONDS * RATE)) - sent;
      if (due > 0) {
        const byTopic = new Map<string, Array<{ key: string; value: string }>>();
        for (let i = 0; i < due; i++) {
          const m = source.next().value as GeneratedMessage;
          const t = m.kind === 'wmo-toewijzingen' ? wmoTopicOf(afzenderOf(m.value)) : topics[m.kind];
          const list = byTopic.get(t) ?? [];
          list.push({ key: m.key, value: m.value });
          byTopic.set(t, list);
        }
        // a toewijzingen topic made at the processor's start may still move its leader: wait that out (a
        // record sent twice is recognised by its identity and changes nothing)
        await retrying(() =>
          producer.sendBatch({
            acks: -1,
            topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })),
          }),
        );
        sent += due;
      }
      await sleep(Math.max(0, tick - ((Date.now() - t0) % tick)));
    }
    const fedFor = (Date.now() - t0) / 1000;
    const last = await sample(fedFor, sent);
    lagAtStop = last.lag;
    const drainStart = Date.now();
    while (Date.now() - drainStart < DRAIN_S * 1000) {
      if ((await inputLag(admin, group)) === 0) {
        drained = (Date.now() - drainStart) / 1000;
        break;
      }
      await sleep(500);
    }
    const final = await sample((Date.now() - t0) / 1000, sent);

    // The high watermarks of the gemeente topics: records plus one transaction marker per partition per commit.
    const outTopics = (await admin.listTopics()).filter(
      (t) => t.startsWith(`${run}.gemeente.`) && !t.endsWith('.opdrachten'),
    );
    let outputs = 0;
    for (const t of outTopics) for (const p of await admin.fetchTopicOffsets(t)) outputs += Number(p.high);

    const warm = samples.filter((s) => s.t >= WARMUP_S && s.t <= fedFor + 0.5);
    const base = warm[0] ?? samples[0]!;
    const rssSlope = slope(
      warm.map((s) => s.t / 60),
      warm.map((s) => s.rssMb),
    );
    const heapSlope = slope(
      warm.map((s) => s.t / 60),
      warm.map((s) => s.heapUsedMb),
    );
    const f = (x: number) => x.toFixed(1);
    console.log('\nsummary');
    console.log(`  fed                 ${sent} messages in ${f(fedFor)} s (${f(sent / fedFor)} msg/s)`);
    console.log(`  processed           ${final.consumed} records (consumed metric)`);
    console.log(
      `  outputs             ${final.produced} produced (metric), ${outputs} offsets used in the output topics (incl. transaction markers)`,
    );
    console.log(`  RSS after warm-up   ${f(base.rssMb)} MB (t=${Math.round(base.t)} s)`);
    console.log(`  RSS max             ${f(Math.max(...samples.map((s) => s.rssMb)))} MB`);
    console.log(`  RSS end             ${f(last.rssMb)} MB (after drain ${f(final.rssMb)} MB)`);
    console.log(
      `  RSS slope           ${rssSlope >= 0 ? '+' : ''}${rssSlope.toFixed(2)} MB/min (after warm-up)`,
    );
    console.log(
      `  heap used           ${f(base.heapUsedMb)} MB after warm-up, max ${f(Math.max(...samples.map((s) => s.heapUsedMb)))} MB, ` +
        `end ${f(last.heapUsedMb)} MB, slope ${heapSlope >= 0 ? '+' : ''}${heapSlope.toFixed(2)} MB/min`,
    );
    console.log(`  lag max             ${Math.max(...samples.map((s) => s.lag))} records`);
    console.log(`  lag when feeding stopped ${lagAtStop} records`);
    console.log(
      `  lag at the end      ${final.lag} records` +
        (drained === undefined
          ? ` (not drained within ${DRAIN_S} s)`
          : ` (drained ${f(drained)} s after feeding stopped)`),
    );
  } finally {
    await producer.disconnect().catch(() => undefined);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([new Promise((r) => child.once('exit', r)), sleep(30000)]);
      killChild();
    }
    if (!KEEP) {
      const mine = (await admin.listTopics().catch(() => [] as string[])).filter((t) =>
        t.startsWith(`${run}.`),
      );
      if (mine.length > 0) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
      const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
      try {
        await redis.connect();
        const stream = redis.scanStream({ match: `${run}:*`, count: 1000 });
        for await (const keys of stream as AsyncIterable<string[]>)
          if (keys.length > 0) await redis.unlink(...keys);
      } catch {
        // best effort
      } finally {
        redis.disconnect();
      }
    }
    await admin.disconnect().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('soak failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
