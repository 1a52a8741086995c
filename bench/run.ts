/**
 * The benchmark of samenloop at national scale, side by side with what the stack itself can do, in one run
 * on the same input (`npm run bench`, `npm run bench -- --quick`):
 *
 *   1. generate realistic national input (bench/generator.ts, generateNational, `--scale`) and preload it
 *      into three input topics of 6 partitions;
 *   2. drain it with the processor (services/cli/main.ts as child processes): one process, then two in
 *      one group (each on a fresh group and register prefix, so each reads the same preloaded records);
 *   3. the same drain by kafkajs passthroughs: consume only, at-least-once (consume → produce, offsets
 *      committed by kafkajs), and transactional (per chunk of the processor's transaction size, one
 *      transaction with the outputs and sendOffsets, by the producer of the input partition, as the sink);
 *   4. Kafka's own Java consumer (kafka-tools ConsumerPerformance, fetched by infra/kafka-tools.sh);
 *   5. steady-state latency from produce to committed output (read_committed) at 1,000 msg/s and at 80 %
 *      of the measured one-process maximum, each output matched to its input by the client; the outputs of
 *      the 1,000 msg/s run are compared with a clean in-memory run over the same input (TestDriver);
 *
 * and prints a table (msg/s over the steady 10–90 % of the drain, CPU per message, ratios ours /
 * passthrough), writing bench/results/<timestamp>.json (machine, versions, parameters, figures).
 *
 * Flags: --quick (≈4,650 messages, < 2 minutes on a quiet machine), --scale <share of the national load> (default 0.065,
 * ≈100,000 messages), --seed <n>, --profile (the one-process drain and the latency runs' processors run under node
 * --cpu-prof; the top of each profile is printed and kept in bench/results/), --heap (the same processors under V8's
 * sampling heap profiler, bench/heap-sampler.mjs, keeping what the collections freed: the bytes allocated per
 * function and group, printed and kept beside), --only <list> (drain1,crypt,drain2,passthrough,java,latency;
 * crypt: drain1 again with the register in clear, REGISTER_ENCRYPTION=off, for the cost of encryption at rest;
 * all of them by default, all but crypt with --quick),
 * --tsx (the processors run from their TypeScript through tsx; by default each checkout is built with
 * `npm run build` and run as production runs it, `node dist/services/cli/main.js`),
 * --rates <list> (the latency runs' feed rates in msg/s; by default 1,000 and 80 % of the one-process drain),
 * --keep (keep topics and Redis keys), --baseline <dir> [--repeat n] (first the one-process drain by the
 * processor in another checkout, e.g. main, and by this one in turns, n times: the ratio of each pair). Env: KAFKA_BROKERS, REDIS_URL (the local infra by default).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import {
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type Producer,
} from 'kafkajs';
import { DEFAULT_HEAP_GROWING_PERCENT, DEFAULT_PARTITIONS_CONCURRENTLY } from '../services/config';
import { FLUSH_EVERY } from '../services/kafka/consumer-loop';
import { pct } from './stats';
import { KAFKA_CLIENT_RETRY, retrying } from '../services/kafka/retriable';
import { TestDriver } from '../services/pipeline/driver';
import { GEMEENTE_CHANNELS } from '../services/topics';
import { MemoryStore } from '../services/register/memory-store';
import {
  gemeenteCode,
  generateNational,
  NATIONAL_MESSAGES,
  PHASES,
  type GeneratedMessage,
} from './generator';
import { summarizeHeapProfile, type HeapSummary } from './heap-profile';
import { summarizeProfile, type ProfileSummary } from './profile';
import { REGISTER_KEY_ENV } from '../test/support/kafka';
import { httpGet, metricValue } from '../test/support/outage';

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const QUICK = flag('quick');
const SCALE = Number(option('scale') ?? (QUICK ? 0.003 : 0.065));
const SEED = Number(option('seed') ?? 16);
const PROFILE = flag('profile');
// --heap: the same processors under V8's sampling heap profiler (bench/heap-sampler.mjs): where the bytes are allocated
const HEAP = flag('heap');
const KEEP = flag('keep');
/** The processors run from their TypeScript through tsx instead of the build production runs. */
const FROM_SOURCE = flag('tsx');
// --quick leaves out the drain with the register in clear (crypt): on 4,650 messages its ratio is noise, and it
// keeps the quick run under two minutes; `--quick --only drain1,crypt` measures it
const ONLY = new Set(
  (
    option('only') ??
    (QUICK ? 'drain1,drain2,passthrough,java,latency' : 'drain1,crypt,drain2,passthrough,java,latency')
  ).split(','),
);
const PARTITIONS = 6;
const BASELINE = option('baseline') === undefined ? undefined : path.resolve(option('baseline')!);
const REPEAT = Number(option('repeat') ?? 1);
/** The latency runs' feed rates (msg/s); by default 1,000 and 80 % of the one-process drain. */
const RATES = option('rates')
  ?.split(',')
  .map(Number)
  .filter((r) => r > 0);
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TODAY = '2026-11-23';
if (!(SCALE > 0 && SCALE <= 1)) throw new Error(`--scale must be in (0, 1], got ${option('scale')}`);

const run = `bench${randomBytes(3).toString('hex')}`;
const INPUT = {
  indicatiebesluiten: `${run}.wlz.indicatiebesluiten`,
  zorgtoewijzingen: `${run}.wlz.zorgtoewijzingen`,
  'wmo-toewijzingen': `${run}.wmo.toewijzingen`,
} as const;
const GEMEENTE_PREFIX = `${run}.gemeente.`;
const DLQ = `${run}.samenloop.dlq`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const say = (s: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${s}`);

// --- the machine: processes, CPU, RSS ----------------------------------------------------------------
const CLK_TCK = 100;
/** Partitions handled at once by the processor (its setting, inherited from this env) and the passthroughs. */
const PARTITIONS_CONCURRENTLY = Number(
  process.env.KAFKA_PARTITIONS_CONCURRENTLY ?? DEFAULT_PARTITIONS_CONCURRENTLY,
);
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}
function peakRssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}
/** The pid of the process listening on 127.0.0.1:<port> (the broker, Redis), when it is visible. */
function pidListeningOn(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[3] === '0A' && parseInt(f[1]!.split(':')[1]!, 16) === port) inodes.add(f[9]!);
    }
  }
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        const link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        const m = /^socket:\[(\d+)\]$/.exec(link);
        if (m && inodes.has(m[1]!)) return Number(pid);
      }
    } catch {
      // gone, or not ours to read
    }
  }
  return undefined;
}
const portOf = (hostPort: string) => Number(hostPort.slice(hostPort.lastIndexOf(':') + 1));
const BROKER_PID = pidListeningOn(portOf(BROKERS[0]!));
const REDIS_PID = pidListeningOn(Number(new URL(REDIS_URL).port || 6379));

interface Usage {
  broker: number;
  redis: number;
  bench: number;
  wall: number;
}
function usage(): Usage {
  const u = process.cpuUsage();
  return {
    broker: cpuSeconds(BROKER_PID),
    redis: cpuSeconds(REDIS_PID),
    bench: (u.user + u.system) / 1e6,
    wall: Date.now() / 1000,
  };
}
function usageSince(a: Usage): Usage {
  const b = usage();
  return {
    broker: b.broker - a.broker,
    redis: b.redis - a.redis,
    bench: b.bench - a.bench,
    wall: b.wall - a.wall,
  };
}

// --- Kafka helpers -------------------------------------------------------------------------------------
const kafka = new Kafka({ clientId: `${run}-bench`, brokers: BROKERS, logLevel: logLevel.NOTHING });
/** The passthroughs get the processor's transport settings: its client retries, its partitions at once. */
const passthroughKafka = new Kafka({
  clientId: `${run}-passthrough`,
  brokers: BROKERS,
  logLevel: logLevel.NOTHING,
  retry: KAFKA_CLIENT_RETRY,
});
const admin: Admin = kafka.admin();
const inputTopics = Object.values(INPUT);

/** Creates the topics that do not exist yet, waiting out a metadata answer that is not ready. */
async function createTopics(topics: Array<{ topic: string; numPartitions: number }>): Promise<void> {
  for (let i = 0; i < topics.length; i += 250) {
    const part = topics.slice(i, i + 250);
    await retrying(async () => {
      const existing = new Set(await admin.listTopics());
      const missing = part.filter((t) => !existing.has(t.topic));
      if (missing.length > 0) await admin.createTopics({ waitForLeaders: true, topics: missing });
    }, 120000);
  }
}

async function committed(group: string, topics: string[]): Promise<number> {
  let n = 0;
  for (const t of await admin.fetchOffsets({ groupId: group, topics })) {
    for (const p of t.partitions) if (Number(p.offset) > 0) n += Number(p.offset);
  }
  return n;
}
async function highs(topics: string[]): Promise<number> {
  let n = 0;
  for (const t of topics) for (const p of await admin.fetchTopicOffsets(t)) n += Number(p.high);
  return n;
}

interface Progress {
  /** Seconds from the start to the moment a share of the records was done. */
  at10?: number;
  at90?: number;
  end?: number;
}
/** msg/s over the steady middle of a drain: 80 % of the records between the 10 % and the 90 % marks. */
const steadyRate = (total: number, p: Progress) =>
  p.at10 !== undefined && p.at90 !== undefined && p.at90 > p.at10 ? (0.8 * total) / (p.at90 - p.at10) : NaN;

/** Polls `done()` until it reaches `total`, noting when 10 % and 90 % were passed. */
async function track(
  total: number,
  done: () => Promise<number>,
  limitS: number,
  what: string,
): Promise<Progress> {
  const start = Date.now();
  const p: Progress = {};
  for (;;) {
    const n = await done().catch(() => 0);
    const s = (Date.now() - start) / 1000;
    if (p.at10 === undefined && n >= 0.1 * total) p.at10 = s;
    if (p.at90 === undefined && n >= 0.9 * total) p.at90 = s;
    if (n >= total) {
      p.end = s;
      return p;
    }
    if (s > limitS) throw new Error(`${what}: ${n} of ${total} done after ${limitS} s`);
    await sleep(100);
  }
}

// --- the processor as a child process --------------------------------------------------------------------
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
function get(port: number, p: string): Promise<number> {
  return httpGet(port, p).then(
    (r) => r.status,
    () => 0,
  );
}
/** The processor's histograms from its /metrics: count and sum of a series, by name and labels (none yet: 0). */
type Histograms = (name: string, labels?: Record<string, string>) => { count: number; sum: number };
async function histograms(port: number): Promise<Histograms> {
  const { body } = await httpGet(port, '/metrics');
  return (name, labels) => ({
    count: metricValue(body, `${name}_count`, labels),
    sum: metricValue(body, `${name}_sum`, labels),
  });
}

interface Proc {
  child: ChildProcess;
  pid: number;
  log: string;
  http: number;
  exit?: string;
}
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

const built = new Set<string>();

/**
 * How a checkout's processor is started: as production runs it (the Dockerfile's `node dist/services/cli/main.js`,
 * built once per checkout and run), or from its TypeScript through tsx with --tsx (≈3 % more CPU in a drain for
 * the loader, and its thread's memory in the RSS).
 */
function processorEntry(code: string): string[] {
  if (FROM_SOURCE) return ['--import', 'tsx', 'services/cli/main.ts'];
  if (!built.has(code)) {
    say(`building the processor of ${path.relative(ROOT, code) || 'this checkout'} (npm run build)`);
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: code, stdio: ['ignore', 'ignore', 'inherit'] });
    built.add(code);
  }
  return ['dist/services/cli/main.js'];
}

async function startProcessor(
  name: string,
  group: string,
  topics: Record<keyof typeof INPUT, string>,
  profileDir?: string,
  code: string = ROOT,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Proc> {
  const httpPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_BROKERS: BROKERS.join(','),
    REDIS_URL,
    KAFKA_GROUP_ID: group,
    KAFKA_CLIENT_ID: `${run}-${name}`,
    REDIS_PREFIX: `${group}:`,
    TOPIC_INDICATIEBESLUITEN: topics.indicatiebesluiten,
    TOPIC_ZORGTOEWIJZINGEN: topics.zorgtoewijzingen,
    // the WMO301s of all 340 gemeenten come in on one topic: a trusted chain bridge (GGk), as a national
    // load would; a checkout from before the per-gemeente topics (--baseline) reads its shared topic
    ...(knowsTrustedBridge(code)
      ? {
          TOPIC_WMO_TRUSTED_BRIDGE: topics['wmo-toewijzingen'],
          TOPIC_DAGELIJKS: `${group}.dagelijks`,
          // each drain's register has a changelog of its own: a new register prefix with another drain's
          // changelog would be rebuilt from it (and under another key it cannot be opened)
          TOPIC_CHANGELOG: `${group}.changelog`,
        }
      : { TOPIC_WMO_TOEWIJZINGEN: topics['wmo-toewijzingen'] }),
    TOPIC_DLQ: DLQ,
    TOPIC_GEMEENTE_PREFIX: GEMEENTE_PREFIX,
    TOPIC_PARTITIONS: String(PARTITIONS),
    GEMEENTEN: '',
    SAMENLOOP_TODAY: TODAY,
    HTTP_PORT: String(httpPort),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    ...REGISTER_KEY_ENV, // encryption at rest, as in production (a key made for this run)
    ...extraEnv,
  };
  const log = path.join(ROOT, '.run', `${run}-${name}.log`);
  fs.mkdirSync(path.dirname(log), { recursive: true });
  const out = fs.openSync(log, 'a');
  const node = [
    ...(PROFILE && profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ...(HEAP && profileDir ? ['--import', path.join(ROOT, 'bench/heap-sampler.mjs')] : []),
  ];
  if (HEAP && profileDir) env.HEAP_PROFILE_DIR = profileDir;
  // node itself (not the tsx CLI): the pid is the processor's own.
  const child = spawn(process.execPath, [...node, ...processorEntry(code)], {
    cwd: code,
    env,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  children.add(child);
  const proc: Proc = { child, pid: child.pid!, log: path.relative(ROOT, log), http: httpPort };
  child.once('exit', (code, signal) => (proc.exit = `exit ${code ?? signal}`));
  return proc;
}
/** Whether a checkout reads the WMO301s of many gemeenten from a trusted bridge topic (after the per-gemeente topics). */
function knowsTrustedBridge(code: string): boolean {
  try {
    return fs
      .readFileSync(path.join(code, 'services/config/index.ts'), 'utf8')
      .includes('TOPIC_WMO_TRUSTED_BRIDGE');
  } catch {
    return false;
  }
}
async function waitReady(p: Proc): Promise<void> {
  const until = Date.now() + 120000;
  while ((await get(p.http, '/readyz')) !== 200) {
    if (p.exit) throw new Error(`processor stopped (${p.exit}), see ${p.log}`);
    if (Date.now() > until) throw new Error(`processor not ready within 120 s, see ${p.log}`);
    await sleep(100);
  }
}
async function stopProcessor(p: Proc): Promise<{ cpu: number; rssMb: number }> {
  const cpu = cpuSeconds(p.pid);
  const rssMb = peakRssMb(p.pid);
  if (p.child.exitCode === null && p.child.signalCode === null) {
    p.child.kill('SIGTERM');
    await Promise.race([new Promise((r) => p.child.once('exit', r)), sleep(30000)]);
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  }
  children.delete(p.child);
  return { cpu, rssMb };
}

// --- reading the outputs ------------------------------------------------------------------------------
interface OutputRecord {
  id: string;
  bsn: string | undefined;
  at: number;
}
/** The client of an output: data.client.bsn of a CloudEvent, <Bsn> of a WMO301. */
function bsnOf(value: Buffer | null): string | undefined {
  if (!value) return undefined;
  const s = value.toString('utf8');
  if (s.startsWith('{')) {
    const m = /"bsn":"(\d{9})"/.exec(s);
    return m?.[1];
  }
  return /<(?:\w+:)?Bsn>(\d{9})</.exec(s)?.[1];
}

/**
 * A read_committed reader of the output topics of this run (each gemeente's samenloop and beeindigingen topic,
 * named one by one: kafkajs resolves a pattern once, against the metadata it has when it subscribes, and a
 * topic that metadata lacked would be left out), from the end offsets when it joined. Each
 * record is kept with the moment it was read (for the latency), its id and its client.
 */
class OutputReader {
  readonly records: OutputRecord[] = [];
  private consumer: Consumer | undefined;
  onRecord: ((r: OutputRecord) => void) | undefined;

  constructor(private readonly topics: string[]) {}

  async start(): Promise<void> {
    const consumer = kafka.consumer({
      groupId: `${run}-reader-${randomBytes(3).toString('hex')}`,
      maxWaitTimeInMs: 20,
    });
    this.consumer = consumer;
    const joined = new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => r()));
    await consumer.connect();
    // a topic made moments ago may not be in every broker's metadata yet: retried until it is
    await retrying(() => consumer.subscribe({ topics: this.topics, fromBeginning: false }), 120000);
    await consumer.run({
      partitionsConsumedConcurrently: 4,
      eachBatch: async ({ batch }: EachBatchPayload) => {
        const at = Date.now();
        for (const m of batch.messages) {
          const id = m.headers?.['samenloop-id'];
          const r = { id: Buffer.isBuffer(id) ? id.toString('utf8') : String(id), bsn: bsnOf(m.value), at };
          this.records.push(r);
          this.onRecord?.(r);
        }
      },
    });
    await joined;
    // the first fetch of each partition resolves "latest"; give it a moment before anything is sent
    await sleep(3000);
  }

  /** Waits until no record arrived for `quietMs`. */
  async settle(quietMs: number): Promise<void> {
    let n = -1;
    let since = Date.now();
    while (Date.now() - since < quietMs) {
      if (this.records.length !== n) {
        n = this.records.length;
        since = Date.now();
      }
      await sleep(200);
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

// --- the passthroughs ---------------------------------------------------------------------------------
async function passthrough(
  mode: 'consume' | 'at-least-once' | 'transactional',
  total: number,
): Promise<{ progress: Progress; usage: Usage }> {
  const group = `${run}-pt-${mode}`;
  const out = `${run}.passthrough.${mode}`;
  if (mode !== 'consume') await createTopics([{ topic: out, numPartitions: PARTITIONS }]);
  const consumer = passthroughKafka.consumer({ groupId: group });
  const producer: Producer | undefined =
    mode === 'at-least-once'
      ? passthroughKafka.producer({
          allowAutoTopicCreation: false,
          createPartitioner: Partitioners.DefaultPartitioner,
        })
      : undefined;
  const txProducers = new Map<string, Producer>();
  const txProducer = async (tp: string) => {
    let p = txProducers.get(tp);
    if (!p) {
      p = passthroughKafka.producer({
        transactionalId: `${group}.${tp}`,
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await p.connect();
      txProducers.set(tp, p);
    }
    return p;
  };
  await producer?.connect();
  let done = 0;
  const started = Date.now();
  const progress: Progress = {};
  // noted in the handler itself: a consume-only drain of a few thousand records is over in a blink
  const note = () => {
    const s = (Date.now() - started) / 1000;
    if (progress.at10 === undefined && done >= 0.1 * total) progress.at10 = s;
    if (progress.at90 === undefined && done >= 0.9 * total) progress.at90 = s;
    if (progress.end === undefined && done >= total) progress.end = s;
  };
  const before = usage();
  await consumer.connect();
  await consumer.subscribe({ topics: inputTopics, fromBeginning: true });
  await consumer.run({
    // as many partitions at once as the processor's drain (its KAFKA_PARTITIONS_CONCURRENTLY comes from this env)
    partitionsConsumedConcurrently: PARTITIONS_CONCURRENTLY,
    autoCommit: mode !== 'transactional',
    eachBatchAutoResolve: mode !== 'transactional',
    eachBatch: async (p: EachBatchPayload) => {
      const { topic, partition, messages } = p.batch;
      if (mode === 'consume') {
        done += messages.length;
        note();
        return;
      }
      if (mode === 'at-least-once') {
        await producer!.send({
          topic: out,
          acks: -1,
          messages: messages.map((m) => ({ key: m.key, value: m.value })),
        });
        done += messages.length;
        note();
        return;
      }
      for (let i = 0; i < messages.length; i += FLUSH_EVERY) {
        const chunk = messages.slice(i, i + FLUSH_EVERY);
        const t = await (await txProducer(`${topic}.${partition}`)).transaction();
        try {
          await t.send({
            topic: out,
            acks: -1,
            messages: chunk.map((m) => ({ key: m.key, value: m.value })),
          });
          const next = (BigInt(chunk[chunk.length - 1]!.offset) + 1n).toString();
          await t.sendOffsets({
            consumerGroupId: group,
            topics: [{ topic, partitions: [{ partition, offset: next }] }],
          });
          await t.commit();
        } catch (err) {
          await t.abort().catch(() => undefined);
          throw err;
        }
        p.resolveOffset(chunk[chunk.length - 1]!.offset);
        done += chunk.length;
        note();
        await p.heartbeat();
      }
    },
  });
  await track(total, async () => done, 600, `passthrough ${mode}`);
  const used = usageSince(before);
  await consumer.disconnect();
  await producer?.disconnect();
  for (const p of txProducers.values()) await p.disconnect().catch(() => undefined);
  return { progress, usage: used };
}

/** Kafka's ConsumerPerformance over the same three topics. */
async function javaConsumer(
  total: number,
): Promise<{ rate: number; seconds: number; cpu: number; raw: string }> {
  const dir = execFileSync('bash', [path.join(ROOT, 'infra/kafka-tools.sh')], { encoding: 'utf8' }).trim();
  const escaped = `${run}\\.(wlz|wmo)\\..*`;
  const before = usage();
  const child = spawn(
    'java',
    [
      '-Xmx512m',
      `-Dlog4j2.configurationFile=${path.join(ROOT, 'infra/kafka/log4j2.xml')}`,
      '-cp',
      `${dir}/*`,
      'org.apache.kafka.tools.ConsumerPerformance',
      '--bootstrap-server',
      BROKERS.join(','),
      '--include',
      escaped,
      '--num-records',
      String(total),
      '--group',
      `${run}-java`,
      '--timeout',
      '60000',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  let raw = '';
  child.stdout!.on('data', (d: Buffer) => (raw += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (raw += d.toString()));
  let cpu = NaN;
  const poll = setInterval(() => {
    const c = cpuSeconds(child.pid);
    if (Number.isFinite(c)) cpu = c;
  }, 100);
  await new Promise((r) => child.once('exit', r));
  clearInterval(poll);
  children.delete(child);
  usageSince(before);
  // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,
  // fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const line = raw.split('\n').find((l) => /^\d{4}-\d\d-\d\d .*,\s*\d+,/.test(l));
  if (!line) return { rate: NaN, seconds: NaN, cpu, raw: raw.slice(-2000) };
  const f = line.split(',').map((x) => x.trim());
  // fetch.nMsg.sec: messages per second of fetching, without the group join
  return { rate: Number(f[9]), seconds: Number(f[7]) / 1000, cpu, raw: line };
}

// --- the scenarios ------------------------------------------------------------------------------------
interface DrainResult {
  processes: number;
  rate: number;
  seconds: number;
  cpuSeconds: number;
  cpuMsPerMessage: number;
  peakRssMb: number;
  broker: number;
  redis: number;
  outputs?: number;
  duplicates?: number;
  /** Waits of records whose client had another partition's outputs on their way (samenloop_commit_holds_total). */
  holds?: number;
  profile?: ProfileSummary | undefined;
  /** With --heap: where the processor allocated its bytes over the run. */
  heap?: HeapSummary | undefined;
}

async function drain(
  processes: number,
  total: number,
  code = ROOT,
  name = `drain${processes}`,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<DrainResult> {
  const group = `${run}-${name}`;
  const profileDir =
    (PROFILE || HEAP) && processes === 1
      ? path.join(ROOT, 'bench/results', `${run}-${name}-prof`)
      : undefined;
  const before = usage();
  const procs: Proc[] = [];
  for (let i = 0; i < processes; i++)
    procs.push(await startProcessor(`${name}-${i}`, group, INPUT, profileDir, code, extraEnv));
  const progress = await track(
    total,
    async () => {
      for (const p of procs) if (p.exit) throw new Error(`processor stopped (${p.exit}), see ${p.log}`);
      return committed(group, inputTopics);
    },
    3600,
    `drain with ${processes}`,
  );
  const used = usageSince(before);
  let holds = 0;
  for (const p of procs)
    holds += metricValue((await httpGet(p.http, '/metrics')).body, 'samenloop_commit_holds_total');
  let cpu = 0;
  let rss = 0;
  for (const p of procs) {
    const s = await stopProcessor(p);
    cpu += s.cpu;
    rss = Math.max(rss, s.rssMb);
  }
  const rate = steadyRate(total, progress);
  const result: DrainResult = {
    processes,
    rate,
    seconds: progress.end!,
    cpuSeconds: cpu,
    cpuMsPerMessage: (cpu * 1000) / total,
    peakRssMb: rss,
    broker: used.broker,
    redis: used.redis,
    holds,
  };
  if (profileDir) {
    result.profile = mainProfile(profileDir);
    result.heap = mainHeap(profileDir);
  }
  return result;
}

/** The processor's profile in a --cpu-prof directory, summarised. */
function mainProfile(profileDir: string): ProfileSummary | undefined {
  // node --import tsx runs a loader thread that writes a small profile of its own: the largest is the main one
  const [file] = fs
    .readdirSync(profileDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(profileDir, f))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
  return file ? summarizeProfile(file) : undefined;
}
/** The processor's sampling heap profile in that directory (--heap), summarised. */
function mainHeap(profileDir: string): HeapSummary | undefined {
  const file = fs.readdirSync(profileDir).find((f) => f.endsWith('.heapprofile'));
  return file ? summarizeHeapProfile(path.join(profileDir, file)) : undefined;
}

interface LatencyResult {
  rate: number;
  sent: number;
  matched: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  peakRssMb: number;
  cpuSeconds: number;
  /** The mean of the latencies above. */
  mean: number;
  /**
   * The processor's own view (samenloop_record_age_seconds), mean ms from a record's timestamp to its handling
   * and to its chunk's commit: the rest of the latency is the commit markers and the reader.
   */
  ageHandledMs: number;
  ageSentMs: number;
  /** The chunks sent to Kafka meanwhile (samenloop_flush_seconds): how many, their mean time, and their time per second fed. */
  flushes: number;
  flushMeanMs: number;
  flushBusy: number;
  outputs: number;
  expected: number;
  missing: number;
  /** Up to 40 of the clean run's outputs not read: id, channel, gemeente, key, type and status. */
  missingSample: string[];
  unexpected: number;
  duplicates: number;
  /** Waits of records whose client had another partition's outputs on their way (samenloop_commit_holds_total). */
  holds: number;
  /** With --profile: the processor's CPU profile over the run (started before the feed, stopped after). */
  profile?: ProfileSummary | undefined;
  /** With --heap: where the processor allocated its bytes over the run. */
  heap?: HeapSummary | undefined;
}

/**
 * Feeds the input at `rate` msg/s, phase by phase (waiting for each phase to be consumed, so every client's
 * records arrive in the order of a clean run), into fresh input topics; every output read (read_committed)
 * is matched to the last input of its client and gives one latency: produce → committed output.
 */
async function latency(
  rate: number,
  messages: GeneratedMessage[],
  expected: Map<string, string>,
  outputTopics: string[],
): Promise<LatencyResult> {
  const tag = `lat${Math.round(rate)}`;
  const topics = {
    indicatiebesluiten: `${run}.${tag}.wlz.indicatiebesluiten`,
    zorgtoewijzingen: `${run}.${tag}.wlz.zorgtoewijzingen`,
    'wmo-toewijzingen': `${run}.${tag}.wmo.toewijzingen`,
  };
  await createTopics(Object.values(topics).map((topic) => ({ topic, numPartitions: PARTITIONS })));
  const group = `${run}-${tag}`;
  const reader = new OutputReader(outputTopics);
  await reader.start();
  const profileDir = PROFILE || HEAP ? path.join(ROOT, 'bench/results', `${run}-${tag}-prof`) : undefined;
  const proc = await startProcessor(tag, group, topics, profileDir);
  await waitReady(proc);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const matchedInputs = new Set<string>();
  reader.onRecord = (r) => {
    if (!r.bsn) return;
    const t = sentAt.get(r.bsn);
    if (t === undefined) return;
    const input = `${r.bsn}@${t}`;
    if (matchedInputs.has(input)) return; // the first output of an input counts
    matchedInputs.add(input);
    latencies.push(r.at - t);
  };
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const cpuBefore = cpuSeconds(proc.pid);
  const before = await histograms(proc.http);
  const fed = Date.now();
  const tick = 20;
  for (let phase = 0; phase < PHASES.length; phase++) {
    const batch = messages.filter((m) => m.phase === phase);
    const topic = topics[PHASES[phase]!];
    const start = Date.now();
    let sent = 0;
    while (sent < batch.length) {
      const due = Math.min(batch.length, Math.floor(((Date.now() - start) / 1000) * rate)) - sent;
      if (due > 0) {
        const slice = batch.slice(sent, sent + due);
        const now = Date.now();
        const p = producer.send({
          topic,
          acks: -1,
          messages: slice.map((m) => ({ key: m.key, value: m.value })),
        });
        for (const m of slice) if (m.bsn) sentAt.set(m.bsn, now);
        await p;
        sent += due;
      }
      await sleep(tick);
    }
    await track(
      await highs(Object.values(topics)),
      () => committed(group, Object.values(topics)),
      600,
      `latency ${tag} phase ${phase}`,
    );
  }
  // the time fed, until every input's offset was committed (the chunks' transactions are measured over it)
  const wall = (Date.now() - fed) / 1000;
  // every input's offset is committed already (track above): the reader only has to fetch what is there
  await reader.settle(QUICK ? 1500 : 3000);
  const cpu = cpuSeconds(proc.pid) - cpuBefore;
  const after = await histograms(proc.http);
  const delta = (name: string, labels?: Record<string, string>) => ({
    count: after(name, labels).count - before(name, labels).count,
    sum: after(name, labels).sum - before(name, labels).sum,
  });
  const { count: flushes, sum: flushSeconds } = delta('samenloop_flush_seconds');
  const meanMs = ({ count, sum }: { count: number; sum: number }) => (sum * 1000) / count;
  const ageHandledMs = meanMs(delta('samenloop_record_age_seconds', { stage: 'handled' }));
  const ageSentMs = meanMs(delta('samenloop_record_age_seconds', { stage: 'sent' }));
  const holds = metricValue((await httpGet(proc.http, '/metrics')).body, 'samenloop_commit_holds_total');
  const stopped = await stopProcessor(proc);
  await reader.stop();
  await producer.disconnect();
  const ids = reader.records.map((r) => r.id);
  const found = new Set(ids);
  latencies.sort((a, b) => a - b);
  return {
    rate,
    sent: messages.length,
    matched: latencies.length,
    p50: pct(latencies, 0.5),
    p95: pct(latencies, 0.95),
    p99: pct(latencies, 0.99),
    max: latencies[latencies.length - 1] ?? NaN,
    peakRssMb: stopped.rssMb,
    cpuSeconds: cpu,
    mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    ageHandledMs,
    ageSentMs,
    flushes,
    flushMeanMs: (flushSeconds * 1000) / flushes,
    flushBusy: flushSeconds / wall,
    outputs: ids.length,
    expected: expected.size,
    missing: [...expected.keys()].filter((id) => !found.has(id)).length,
    unexpected: [...found].filter((id) => !expected.has(id)).length,
    missingSample: [...expected]
      .filter(([id]) => !found.has(id))
      .slice(0, 40)
      .map(([id, what]) => `${id} ${what}`),
    duplicates: ids.length - found.size,
    holds,
    ...(profileDir ? { profile: mainProfile(profileDir), heap: mainHeap(profileDir) } : {}),
  };
}

// --- main ---------------------------------------------------------------------------------------------
function versions(): Record<string, string> {
  const pkg = (name: string) => {
    try {
      return (
        JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
    } catch {
      return '?';
    }
  };
  const pom = fs.readFileSync(path.join(ROOT, 'infra/kafka/pom.xml'), 'utf8');
  let redis = '?';
  try {
    redis = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // not installed here
  }
  let commit = '?';
  try {
    commit = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // no git
  }
  return {
    node: process.version,
    kafka: /<kafka\.version>(.*)<\/kafka\.version>/.exec(pom)?.[1] ?? '?',
    kafkajs: pkg('kafkajs'),
    ioredis: pkg('ioredis'),
    redis,
    commit,
  };
}

async function cleanup(redis: Redis): Promise<void> {
  const mine = (await admin.listTopics().catch(() => [] as string[])).filter((t) => t.startsWith(run)); // its inputs, and each drain's daily ticks and changelog
  for (let i = 0; i < mine.length; i += 200)
    await admin.deleteTopics({ topics: mine.slice(i, i + 200) }).catch(() => undefined);
  const stream = redis.scanStream({ match: `${run}-*`, count: 1000 });
  for await (const keys of stream as AsyncIterable<string[]>)
    if (keys.length > 0) await redis.unlink(...keys);
}

async function main(): Promise<void> {
  say(
    `run ${run}: scale ${SCALE} (${Math.round(NATIONAL_MESSAGES * SCALE)} of ${NATIONAL_MESSAGES} messages), seed ${SEED}, Kafka ${BROKERS.join(',')} (pid ${BROKER_PID ?? '?'}), Redis ${REDIS_URL} (pid ${REDIS_PID ?? '?'})`,
  );
  const messages = generateNational({ seed: SEED, scale: SCALE });
  const total = messages.length;
  const gemeenten = [...new Set(Array.from({ length: 340 }, (_, i) => gemeenteCode(i)))];
  say(`${total} messages generated (${messages.filter((m) => m.invalid).length} invalid)`);

  // the clean run: the same messages in the same order through the TestDriver (in-memory register)
  const driver = new TestDriver(
    {
      SAMENLOOP_TODAY: TODAY,
      TOPIC_INDICATIEBESLUITEN: INPUT.indicatiebesluiten,
      TOPIC_ZORGTOEWIJZINGEN: INPUT.zorgtoewijzingen,
      TOPIC_WMO_TRUSTED_BRIDGE: INPUT['wmo-toewijzingen'],
      TOPIC_DLQ: DLQ,
      TOPIC_GEMEENTE_PREFIX: GEMEENTE_PREFIX,
    },
    new MemoryStore(),
  );
  for (const m of messages) await driver.pipe(INPUT[m.kind], m.value, { key: m.key });
  const expected = new Map(
    driver.outputs.map((o) => [
      o.id,
      `${o.channel} ${o.gemeente} ${o.key} ${/"type":"([^"]+)"/.exec(o.value ?? '')?.[1] ?? ''} ${/"status":"([^"]+)"/.exec(o.value ?? '')?.[1] ?? ''}`,
    ]),
  );
  say(`clean run: ${driver.outputs.length} outputs, ${driver.deadLetters.length} dead letters`);

  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  await admin.connect();
  const results: Record<string, unknown> = {};
  try {
    // topics: the inputs (6 partitions), the dead letters, and every gemeente's five topics (1 partition:
    // 340 gemeenten × 5 topics × 6 partitions would be 10,200 partitions on the shared broker). All of them
    // beforehand, as in production: a topic the processor has to make during the drain (say a gemeente's
    // toewijzingen) makes it subscribe again, a rebalance and a takeover of every partition in the middle.
    const tc = Date.now();
    await createTopics([
      ...inputTopics.map((topic) => ({ topic, numPartitions: PARTITIONS })),
      { topic: DLQ, numPartitions: 1 },
    ]);
    const gemeenteTopics = gemeenten.flatMap((g) =>
      GEMEENTE_CHANNELS.map((c) => `${GEMEENTE_PREFIX}${g}.${c}`),
    );
    await createTopics(gemeenteTopics.map((topic) => ({ topic, numPartitions: 1 })));
    say(
      `${inputTopics.length + 1 + gemeenteTopics.length} topics created in ${((Date.now() - tc) / 1000).toFixed(1)} s`,
    );

    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const tp = Date.now();
    for (let i = 0; i < messages.length; i += 1000) {
      const byTopic = new Map<string, Array<{ key: string; value: string }>>();
      for (const m of messages.slice(i, i + 1000)) {
        const list = byTopic.get(INPUT[m.kind]) ?? [];
        list.push({ key: m.key, value: m.value });
        byTopic.set(INPUT[m.kind], list);
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })),
      });
    }
    await producer.disconnect();
    const bytes = messages.reduce((n, m) => n + Buffer.byteLength(m.value), 0);
    say(
      `preloaded ${total} messages (${(bytes / 2 ** 20).toFixed(1)} MB) in ${((Date.now() - tp) / 1000).toFixed(1)} s`,
    );

    if (BASELINE) {
      // the same drain by another checkout of the processor (say main), in turns with this one, so both
      // see the same load on a shared machine: the ratio of each pair is what counts
      const pairs: Array<{ baseline: DrainResult; ours: DrainResult; ratio: number }> = [];
      for (let i = 0; i < REPEAT; i++) {
        const baseline = await drain(1, total, BASELINE, `base${i}`);
        const ours = await drain(1, total, ROOT, `ours${i}`);
        pairs.push({ baseline, ours, ratio: ours.rate / baseline.rate });
        say(
          `baseline ${baseline.rate.toFixed(0)} msg/s (${baseline.cpuMsPerMessage.toFixed(2)} ms CPU/msg), this checkout ${ours.rate.toFixed(0)} msg/s (${ours.cpuMsPerMessage.toFixed(2)} ms CPU/msg): ×${(ours.rate / baseline.rate).toFixed(2)}`,
        );
        for (const [w, r] of [
          ['baseline', baseline],
          ['this checkout', ours],
        ] as const)
          if (r.profile || r.heap) {
            console.log(`  ${w}:`);
            if (r.profile) printProfile(r.profile);
            if (r.heap) printHeap(r.heap, total);
          }
      }
      results.baseline = { dir: BASELINE, pairs };
    }
    if (ONLY.has('drain1')) {
      const r = await drain(1, total);
      results.drain1 = r;
      say(
        `drain, 1 process: ${r.rate.toFixed(0)} msg/s steady, ${r.seconds.toFixed(1)} s, ${r.cpuMsPerMessage.toFixed(2)} ms CPU/msg, peak RSS ${r.peakRssMb.toFixed(0)} MB`,
      );
      if (r.profile) printProfile(r.profile);
      if (r.heap) printHeap(r.heap, total);
    }
    if (ONLY.has('crypt')) {
      // the same drain with the register in clear (REGISTER_ENCRYPTION=off): the cost of encryption at rest
      const sealed = results.drain1 as DrainResult | undefined;
      const plain = await drain(1, total, ROOT, 'drain1-plain', {
        REGISTER_ENCRYPTION: 'off',
        REGISTER_KEYS: '',
        REGISTER_KEY_ID: '',
      });
      results['drain1-plain'] = plain;
      if (sealed) {
        results.encryption = {
          sealedRate: sealed.rate,
          plainRate: plain.rate,
          plainOverSealed: plain.rate / sealed.rate,
          cpuMsPerMessageSealed: sealed.cpuMsPerMessage,
          cpuMsPerMessagePlain: plain.cpuMsPerMessage,
        };
      }
      say(
        `drain, 1 process, register in clear: ${plain.rate.toFixed(0)} msg/s steady, ${plain.cpuMsPerMessage.toFixed(2)} ms CPU/msg` +
          (sealed
            ? `; encrypted: ${sealed.rate.toFixed(0)} msg/s, ${sealed.cpuMsPerMessage.toFixed(2)} ms CPU/msg (clear / encrypted ${(plain.rate / sealed.rate).toFixed(2)})`
            : ''),
      );
    }
    if (ONLY.has('drain2')) {
      const r = await drain(2, total);
      results.drain2 = r;
      say(
        `drain, 2 processes: ${r.rate.toFixed(0)} msg/s steady, ${r.seconds.toFixed(1)} s, ${r.cpuMsPerMessage.toFixed(2)} ms CPU/msg, ${r.holds} waits for another partition's outputs`,
      );
    }
    if (ONLY.has('passthrough')) {
      for (const mode of ['consume', 'at-least-once', 'transactional'] as const) {
        const r = await passthrough(mode, total);
        const rate = steadyRate(total, r.progress);
        results[`passthrough-${mode}`] = {
          rate,
          seconds: r.progress.end,
          cpuMsPerMessage: (r.usage.bench * 1000) / total,
          broker: r.usage.broker,
          redis: r.usage.redis,
        };
        say(
          `kafkajs ${mode}: ${rate.toFixed(0)} msg/s steady, ${((r.usage.bench * 1000) / total).toFixed(3)} ms CPU/msg`,
        );
      }
    }
    if (ONLY.has('java')) {
      const r = await javaConsumer(total);
      results['consumer-performance'] = r;
      say(`ConsumerPerformance: ${r.rate.toFixed(0)} msg/s (fetch), ${r.seconds.toFixed(1)} s`);
    }
    if (ONLY.has('latency')) {
      const max = (results.drain1 as DrainResult | undefined)?.rate;
      const rates = RATES ?? [1000, ...(max && Number.isFinite(max) ? [Math.round(0.8 * max)] : [])];
      for (const rate of rates) {
        const r = await latency(
          rate,
          messages,
          expected,
          gemeenteTopics.filter((t) => /\.(samenloop|beeindigingen)$/.test(t)),
        );
        results[`latency-${rate}`] = r;
        say(
          `latency at ${rate} msg/s: p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms (${r.matched} matched), outputs ${r.outputs}: ${r.missing} missing, ${r.unexpected} unexpected, ${r.duplicates} duplicates; ${r.flushes} chunks sent, ${r.flushMeanMs.toFixed(0)} ms each, ${(100 * r.flushBusy).toFixed(0)} % of the time; mean ${r.mean.toFixed(0)} ms, of which a record's age at its handling ${r.ageHandledMs.toFixed(0)} ms and at its chunk's commit ${r.ageSentMs.toFixed(0)} ms; ${r.holds} waits for another partition's outputs`,
        );
        if (r.profile) printProfile(r.profile);
        if (r.heap) printHeap(r.heap, r.sent);
      }
    }
  } finally {
    if (!KEEP) await cleanup(redis).catch(() => undefined);
    redis.disconnect();
    await admin.disconnect().catch(() => undefined);
  }

  const report = {
    run,
    at: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      memGb: Math.round(os.totalmem() / 2 ** 30),
      load: os.loadavg(),
    },
    versions: versions(),
    parameters: {
      quick: QUICK,
      scale: SCALE,
      seed: SEED,
      messages: total,
      partitions: PARTITIONS,
      gemeenten: gemeenten.length,
      transactionSize: FLUSH_EVERY,
      partitionsConcurrently: PARTITIONS_CONCURRENTLY,
      heapGrowingPercent: Number(process.env.HEAP_GROWING_PERCENT ?? DEFAULT_HEAP_GROWING_PERCENT),
      processor: FROM_SOURCE ? 'tsx services/cli/main.ts' : 'node dist/services/cli/main.js (npm run build)',
      cleanRunOutputs: expected.size,
    },
    results,
  };
  printTable(report.parameters.messages, results);
  const dir = path.join(ROOT, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  say(`written ${path.relative(ROOT, file)} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

function printHeap(h: HeapSummary, messages: number): void {
  console.log(
    `  heap: ${h.file}, ${h.allocatedMb.toFixed(0)} MB allocated, ${((h.allocatedMb * 1000) / messages).toFixed(0)} KB per message`,
  );
  for (const g of h.groups.slice(0, 12)) console.log(`    ${g.share.toFixed(1).padStart(5)} %  ${g.name}`);
  console.log('  top functions (bytes allocated):');
  for (const f of h.functions.slice(0, 20)) console.log(`    ${f.share.toFixed(1).padStart(5)} %  ${f.name}`);
}

function printProfile(p: ProfileSummary): void {
  console.log(`  profile: ${p.file}, busy ${(p.busyMs / 1000).toFixed(1)} s`);
  for (const g of p.groups.slice(0, 12)) console.log(`    ${g.share.toFixed(1).padStart(5)} %  ${g.name}`);
  console.log('  top functions (self time):');
  for (const f of p.functions.slice(0, 20)) console.log(`    ${f.share.toFixed(1).padStart(5)} %  ${f.name}`);
}

function printTable(total: number, r: Record<string, unknown>): void {
  const rate = (k: string) => (r[k] as { rate?: number } | undefined)?.rate ?? NaN;
  const cpu = (k: string) => (r[k] as { cpuMsPerMessage?: number } | undefined)?.cpuMsPerMessage ?? NaN;
  const ours = rate('drain1');
  const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '–');
  const ratio = (x: number) =>
    Number.isFinite(x) && Number.isFinite(ours) && x > 0 ? `${(ours / x).toFixed(2)}` : '–';
  const rows: Array<[string, number, number]> = [
    ['kafkajs consume only', rate('passthrough-consume'), cpu('passthrough-consume')],
    [
      'kafkajs at-least-once passthrough',
      rate('passthrough-at-least-once'),
      cpu('passthrough-at-least-once'),
    ],
    [
      `kafkajs transactional passthrough (${FLUSH_EVERY}/tx)`,
      rate('passthrough-transactional'),
      cpu('passthrough-transactional'),
    ],
    ["Kafka's ConsumerPerformance (Java)", rate('consumer-performance'), NaN],
    ['samenloop, one process', ours, cpu('drain1')],
    ['samenloop, two processes', rate('drain2'), cpu('drain2')],
  ];
  console.log(`\n${total} messages, drained (msg/s over the steady 10–90 %)`);
  console.log(`| what | msg/s | CPU ms/msg | samenloop 1 process / this |`);
  console.log(`|---|---:|---:|---:|`);
  for (const [name, x, c] of rows) {
    const two = name.startsWith('samenloop, two');
    console.log(`| ${name} | ${f(x)} | ${f(c, 3)} | ${two ? `(two / one: ${f(x / ours, 2)})` : ratio(x)} |`);
  }
  const d1 = r.drain1 as DrainResult | undefined;
  const d2 = r.drain2 as DrainResult | undefined;
  if (d1 && d2) console.log(`\ntwo processes / one: ${(d2.rate / d1.rate).toFixed(2)}`);
  if (d1) {
    console.log(
      `one-process drain: peak RSS ${f(d1.peakRssMb)} MB; CPU s: processor ${f(d1.cpuSeconds, 1)}, broker ${f(d1.broker, 1)}, Redis ${f(d1.redis, 1)} (broker and Redis are shared: other load counts too)`,
    );
  }
  if (d2)
    console.log(
      `two-process drain: peak RSS ${f(d2.peakRssMb)} MB; CPU s: processors ${f(d2.cpuSeconds, 1)}, broker ${f(d2.broker, 1)}, Redis ${f(d2.redis, 1)}`,
    );
  const lat = Object.keys(r).filter((k) => k.startsWith('latency-'));
  if (lat.length > 0) {
    console.log(
      `\n| produce → committed output | p50 ms | p95 ms | p99 ms | max ms | mean ms: age handled, age sent | matched | chunks sent: ms each, share of the time | RSS MB | outputs = clean run |`,
    );
    console.log(`|---|---:|---:|---:|---:|---:|---:|---:|---:|---|`);
    for (const k of lat) {
      const l = r[k] as LatencyResult;
      const equal = l.missing === 0 && l.unexpected === 0 && l.duplicates === 0;
      console.log(
        `| ${l.rate} msg/s | ${f(l.p50)} | ${f(l.p95)} | ${f(l.p99)} | ${f(l.max)} | ${f(l.mean)}: ${f(l.ageHandledMs)}, ${f(l.ageSentMs)} | ${l.matched} | ${l.flushes}: ${f(l.flushMeanMs)} ms, ${f(100 * l.flushBusy)} % | ${f(l.peakRssMb)} | ${equal ? 'yes' : 'NO'} (${l.outputs}/${l.expected}, ${l.missing} missing, ${l.unexpected} unexpected, ${l.duplicates} dup) |`,
      );
    }
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('bench failed:', err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
