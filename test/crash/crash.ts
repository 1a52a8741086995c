/**
 * The crash test (`npm run test:crash`): several processor processes in one consumer group, input topics
 * with 6 partitions, tens of thousands of realistic XSD-valid messages from the seeded generator (with
 * duplicates and corrections), and a processor killed with SIGKILL every few seconds and restarted. Then:
 * the output topics (read with read_committed) hold exactly the notifications and beëindigingen of a
 * clean single-process run over the same input — none missing, none extra, no id twice — and the Redis
 * register equals the clean run's register.
 *
 * In the middle the day changes (the daily re-evaluation, issue 10.3): after phase CRASH_DAY_AFTER_PHASE every
 * processor is killed and started again with the processing day CRASH_DAY, and the ticks of that day go to the
 * daily topic; the rest of the input comes on the new day. The clean run does the same with
 * TestDriver.runDaily between the phases, so the re-evaluation's outputs must be there exactly once too.
 *
 * Env: CRASH_MESSAGES (50000), CRASH_KILLS (20), CRASH_INSTANCES (3), CRASH_PARTITIONS (6),
 * CRASH_KILL_INTERVAL_MS (8000), CRASH_SEED (20261123), CRASH_DAY (2027-01-04: many dates of the generated
 * input pass), CRASH_DAY_AFTER_PHASE (2). Exit code 0 only when every check holds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Partitioners, type Admin, type Kafka } from 'kafkajs';
import { gemeenteCode, generate, PHASES } from '../../bench/generator';
import type { Config } from '../../services/config';
import { TopicManager } from '../../services/kafka/topics';
import { gemeenteTopic } from '../../services/topics';
import { MemoryStore } from '../../services/register/memory-store';
import { registerCipher } from '../../services/register/keys';
import { RedisStore } from '../../services/register/redis-store';
import { TestDriver } from '../../services/pipeline/driver';
import { normalizeClient } from '../support/register-compare';
import { retrying } from '../../services/kafka/retriable';
import { tickRecord } from '../../services/pipeline/tick';
import { gemeenteCodes } from '../../bench/generator';
import { ensureTopics, fedTopics, topicOf } from '../support/topics';
import { collect, isolatedConfig, REGISTER_KEY_ENV, testKafka } from '../support/kafka';
import { Changelog } from '../../services/register/changelog';

const num = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const MESSAGES = num('CRASH_MESSAGES', 50000);
const KILLS = num('CRASH_KILLS', 20);
const INSTANCES = num('CRASH_INSTANCES', 3);
const PARTITIONS = num('CRASH_PARTITIONS', 6);
const KILL_INTERVAL = num('CRASH_KILL_INTERVAL_MS', 8000);
const SEED = num('CRASH_SEED', 20261123);
const NEW_DAY = process.env.CRASH_DAY ?? '2027-01-04';
const DAY_AFTER_PHASE = num('CRASH_DAY_AFTER_PHASE', 2);
const ROOT = path.resolve(__dirname, '../..');

const log = (msg: string) => console.log(`[crash ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Some gemeenten end toewijzingen at once, others only signal, the rest propose (the default).
const POLICIES = [0, 1, 2, 3, 4, 5]
  .map((i) => `${gemeenteCode(i)}=${i % 2 ? 'automatisch' : 'alleen-signaal'}`)
  .join(',');

class Fleet {
  readonly procs: Array<ChildProcess | undefined> = [];
  kills = 0;
  private readonly logDir: string;

  constructor(
    readonly env: NodeJS.ProcessEnv,
    run: string,
  ) {
    this.logDir = path.join(ROOT, '.run', 'crash', run);
    fs.mkdirSync(this.logDir, { recursive: true });
  }

  start(i: number): void {
    // never two processes in one slot (the killer and a day change may both restart it)
    const before = this.procs[i];
    if (before?.pid !== undefined && before.exitCode === null && before.signalCode === null)
      process.kill(before.pid, 'SIGKILL');
    const out = fs.openSync(path.join(this.logDir, `processor-${i}.log`), 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'services/cli/main.ts')], {
      cwd: ROOT,
      env: { ...this.env, KAFKA_CLIENT_ID: `crash-${i}` },
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    this.procs[i] = child;
  }

  /** `count`: a kill of the killer (the day change's restarts are not counted). */
  kill9(i: number, count = true): void {
    const p = this.procs[i];
    if (p?.pid !== undefined && p.exitCode === null) {
      process.kill(p.pid, 'SIGKILL');
      if (count) this.kills++;
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      this.procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (!p || p.exitCode !== null || p.signalCode !== null) return resolve();
            const t = setTimeout(() => p.kill('SIGKILL'), 20000);
            p.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            p.kill('SIGTERM');
          }),
      ),
    );
  }
}

async function lag(admin: Admin, cfg: Config, topics: string[]): Promise<bigint> {
  let total = 0n;
  const committed = await admin.fetchOffsets({ groupId: cfg.KAFKA_GROUP_ID, topics });
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const c = committed.find((t) => t.topic === topic);
    for (const e of ends) {
      const done = BigInt(c?.partitions.find((p) => p.partition === e.partition)?.offset ?? '-1');
      const high = BigInt(e.high);
      total += high - (done < 0n ? 0n : done);
    }
  }
  return total;
}

async function waitForLag0(admin: Admin, cfg: Config, topics: string[], what: string): Promise<void> {
  const until = Date.now() + 15 * 60 * 1000;
  for (;;) {
    // A retriable answer (coordinator moving or loading on a busy broker) is a "not yet".
    const l = await retrying(() => lag(admin, cfg, topics)).catch(() => -1n);
    if (l === 0n) return;
    if (Date.now() > until) throw new Error(`${what}: consumer lag still ${l} after 15 minutes`);
    await sleep(1000);
  }
}

async function readAll(kafka: Kafka, admin: Admin, prefix: string) {
  const topics = (await admin.listTopics()).filter(
    (t) => t.startsWith(prefix) && (t.endsWith('.samenloop') || t.endsWith('.beeindigingen')),
  );
  const consumer = kafka.consumer({ groupId: `crash-reader-${Date.now()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  const ids: string[] = [];
  // per notification topic and key (a decision), the id of its last record: what the compacted topic keeps
  const lastOfKey = new Map<string, string>();
  let last = Date.now();
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
    last = Date.now();
  });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const header = message.headers?.['samenloop-id'];
      const id = Buffer.isBuffer(header) ? header.toString('utf8') : String(header);
      ids.push(id);
      if (topic.endsWith('.samenloop')) lastOfKey.set(`${topic}|${message.key?.toString('utf8')}`, id);
      last = Date.now();
    },
  });
  // read_committed stops at the last stable offset; wait until nothing new arrives for a while.
  const start = Date.now();
  while (!joined || Date.now() - last < 5000 || Date.now() - start < 8000) {
    if (Date.now() - start > 15 * 60 * 1000) throw new Error('the reader never joined its group');
    await sleep(500);
  }
  await consumer.disconnect();
  return { ids, lastOfKey };
}

async function main(): Promise<number> {
  const { run, cfg } = isolatedConfig({
    TOPIC_PARTITIONS: String(PARTITIONS),
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    GEMEENTE_POLICIES: POLICIES,
    LOG_LEVEL: 'warn',
  });
  // the register keys as they are (cfg holds them parsed), and every other setting of the run
  const env: NodeJS.ProcessEnv = { ...process.env, ...REGISTER_KEY_ENV };
  for (const [k, v] of Object.entries(cfg)) {
    if (typeof v === 'string' || typeof v === 'number') env[k] = String(v);
  }
  env.KAFKA_BROKERS = cfg.KAFKA_BROKERS.join(',');
  env.GEMEENTE_POLICIES = POLICIES;
  env.GEMEENTEN = '';
  env.HTTP_PORT = '0';

  const t0 = Date.now();
  const messages = generate({ seed: SEED, messages: MESSAGES });
  log(`run ${run}: ${messages.length} messages generated (seed ${SEED}) in ${Date.now() - t0} ms`);

  const kafka = testKafka(`${run}-harness`);
  const admin = kafka.admin();
  await admin.connect();
  await new TopicManager(admin, cfg).ensureBase();
  // the gemeenten's own toewijzingen topics, made by their owners before they write (as in a chain)
  await ensureTopics(
    admin,
    gemeenteCodes().map((g) => topicOf(cfg, 'wmo-toewijzingen', `<Afzender>${g}</Afzender>`)),
    PARTITIONS,
  );

  const fleet = new Fleet(env, run);
  current = fleet;
  for (let i = 0; i < INSTANCES; i++) fleet.start(i);
  let killing = true;
  const killer = (async () => {
    let n = 0;
    while (killing && n < KILLS) {
      await sleep(KILL_INTERVAL * (0.5 + Math.random()));
      if (!killing) break;
      const i = Math.floor(Math.random() * INSTANCES);
      fleet.kill9(i);
      n++;
      log(`kill -9 processor ${i} (${n}/${KILLS}); restarting it`);
      await sleep(200);
      fleet.start(i);
    }
  })();

  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const inputTopics = [...fedTopics({ ...cfg, GEMEENTEN: gemeenteCodes() }), cfg.TOPIC_DAGELIJKS];
  const firstDay = env.SAMENLOOP_TODAY!;
  let dayKills = 0;
  for (let phase = 0; phase < PHASES.length; phase++) {
    const batch = messages.filter((m) => m.phase === phase);
    for (let i = 0; i < batch.length; i += 500) {
      // a WMO301 goes to the toewijzingen topic of its gemeente
      const byTopic = new Map<string, Array<{ key: string; value: string }>>();
      for (const m of batch.slice(i, i + 500)) {
        const t = topicOf(cfg, m.kind, m.value);
        byTopic.set(t, [...(byTopic.get(t) ?? []), { key: m.key, value: m.value }]);
      }
      // a topic just made may not have its metadata everywhere yet: retriable
      await retrying(() =>
        producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })),
        }),
      );
    }
    log(`phase ${phase}: ${batch.length} ${PHASES[phase]} messages; waiting until consumed`);
    await waitForLag0(admin, cfg, inputTopics, `phase ${phase}`);
    if (phase === DAY_AFTER_PHASE) {
      // The day changes: every processor dies and starts again on the new day (their tickers then send its
      // ticks); the harness sends them too, so that they are surely consumed before the next phase.
      fleet.env.SAMENLOOP_TODAY = NEW_DAY;
      for (let i = 0; i < INSTANCES; i++) {
        fleet.kill9(i, false);
        fleet.start(i);
      }
      await retrying(() =>
        producer.send({
          topic: cfg.TOPIC_DAGELIJKS,
          acks: -1,
          messages: [...Array(cfg.DAGELIJKS_SLICES).keys()].map((slice) => ({
            ...tickRecord({ dag: NEW_DAY, slice }),
            partition: slice,
          })),
        }),
      );
      log(`the day changes from ${firstDay} to ${NEW_DAY}: all processors restarted; waiting for the ticks`);
      // and one more kill -9 while the ticks are being handled: as soon as the first of them is done
      const ticks = [cfg.TOPIC_DAGELIJKS];
      const pending = await retrying(() => lag(admin, cfg, ticks));
      const until = Date.now() + 5 * 60 * 1000;
      while (
        Date.now() < until &&
        (await retrying(() => lag(admin, cfg, ticks)).catch(() => pending)) >= pending
      )
        await sleep(50);
      const victim = Math.floor(Math.random() * INSTANCES);
      fleet.kill9(victim, false);
      fleet.start(victim);
      dayKills++;
      log(`kill -9 processor ${victim} while the day's ticks are handled; restarting it`);
      await waitForLag0(admin, cfg, inputTopics, `the day change`);
    }
  }
  await producer.disconnect();
  // Let the killer finish its rounds, then make sure everything is consumed after the last restart.
  while (fleet.kills < KILLS) await sleep(500);
  killing = false;
  await killer;
  await waitForLag0(admin, cfg, inputTopics, 'the end');
  await fleet.stopAll();
  log(
    `all input consumed with ${fleet.kills} kills, ${((Date.now() - t0) / 1000).toFixed(0)} s after the start`,
  );

  const { ids: found, lastOfKey } = await readAll(kafka, admin, cfg.TOPIC_GEMEENTE_PREFIX);
  const dlq = (await admin.fetchTopicOffsets(cfg.TOPIC_DLQ)).reduce((n, p) => n + Number(p.high), 0);

  // The clean single-process run over the same input, in the same order per client, the day changing alike.
  const driver = new TestDriver({ ...env, SAMENLOOP_TODAY: firstDay }, new MemoryStore());
  let daily = 0;
  for (let phase = 0; phase < PHASES.length; phase++) {
    for (const m of messages.filter((x) => x.phase === phase))
      await driver.pipe(topicOf(cfg, m.kind, m.value), m.value, { key: m.key });
    if (phase === DAY_AFTER_PHASE) {
      const before = driver.outputs.length;
      await driver.runDaily(NEW_DAY);
      daily = driver.outputs.length - before;
    }
  }
  const expected = driver.outputs.map((o) => o.id);

  const foundSet = new Set(found);
  const expectedSet = new Set(expected);
  const missing = [...expectedSet].filter((id) => !foundSet.has(id));
  const extra = [...foundSet].filter((id) => !expectedSet.has(id));
  const duplicates = found.length - foundSet.size;
  // Each decision's last record, the one its compacted topic keeps and every consumer takes as current, is the
  // clean run's last: the outputs of one client changed from several partitions (processes) came in the order
  // of its changes (kafka/consumer-loop.ts, CommitHeld).
  const expectedLast = new Map<string, string>();
  for (const o of driver.outputs)
    if (o.channel === 'samenloop')
      expectedLast.set(`${gemeenteTopic(cfg, o.gemeente, 'samenloop')}|${o.key}`, o.id);
  let outOfOrder = 0;
  for (const [key, id] of expectedLast) {
    if (lastOfKey.get(key) === id) continue;
    if (outOfOrder < 3)
      log(`decision ${key.split('|')[1]}: last record ${lastOfKey.get(key)}, clean run ${id}`);
    outOfOrder++;
  }

  // The register: the same clients, the same facts and decisions.
  const redis = new RedisStore(cfg.REDIS_URL, cfg.REDIS_PREFIX, {}, registerCipher(cfg));
  const memory = driver.store as MemoryStore;
  const ids = await memory.clientIds();
  const redisIds = await redis.clientIds();
  let differing = 0;
  for (const id of ids) {
    const a = normalizeClient((await memory.load(id)).state);
    const b = normalizeClient((await redis.load(id)).state);
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      if (differing < 3)
        log(`register differs for client ${id}:\n  clean ${JSON.stringify(a)}\n  crash ${JSON.stringify(b)}`);
      differing++;
    }
  }
  // The changelog: each client's last record carries the version Redis has (a tombstone for one gone), whatever
  // order the killed instances' transactions committed in (register/changelog.ts).
  const changelog = new Changelog(redis);
  const clog = await collect(kafka, [cfg.TOPIC_CHANGELOG]);
  // read until nothing new came for 5 s (and something came: the reader may take a while to join its group)
  const reading = Date.now();
  let [n, quietSince] = [-1, Date.now()];
  while (Date.now() - quietSince < 5000 || (n === 0 && Date.now() - reading < 120000)) {
    if (clog.records.length !== n) [n, quietSince] = [clog.records.length, Date.now()];
    await sleep(500);
  }
  await clog.consumer.disconnect();
  const last = new Map<string, Buffer | null>();
  for (const r of clog.records) last.set(r.key!, r.value);
  let staleLog = 0;
  for (const id of new Set([...redisIds, ...last.keys()])) {
    const { state, version } = await redis.load(id);
    const logged = last.has(id) ? changelog.decode(id, last.get(id)!) : null;
    if ((logged?.version ?? 0) !== (state ? version : 0)) {
      if (staleLog < 3) log(`changelog behind for client ${id}: ${logged?.version ?? 'none'} vs ${version}`);
      staleLog++;
    }
  }
  const keys = await redis.redis.keys(`${cfg.REDIS_PREFIX}*`);
  if (keys.length > 0) {
    for (let i = 0; i < keys.length; i += 1000) await redis.redis.unlink(...keys.slice(i, i + 1000));
  }
  await redis.close();
  await admin
    .deleteTopics({ topics: (await admin.listTopics()).filter((t) => t.startsWith(`${run}.`)) })
    .catch(() => {});
  await admin.disconnect();

  const notifications = driver.outputs.filter((o) => o.channel === 'samenloop').length;
  const beeindigingen = driver.outputs.length - notifications;
  const checks: Array<[string, boolean]> = [
    [`no missing output (${missing.length} missing)`, missing.length === 0],
    [`no unexpected output (${extra.length} unexpected)`, extra.length === 0],
    [`no duplicate id (${duplicates} duplicates)`, duplicates === 0],
    [
      `each decision's last record = the clean run's (${outOfOrder} of ${expectedLast.size} differ)`,
      outOfOrder === 0 && expectedLast.size === lastOfKey.size,
    ],
    [`nothing dead-lettered (${dlq})`, dlq === 0],
    [`same clients in the register (${redisIds.length} vs ${ids.length})`, redisIds.length === ids.length],
    [`register equal to the clean run (${differing} clients differ)`, differing === 0],
    [`changelog's last record per client = Redis (${staleLog} differ)`, staleLog === 0 && last.size > 0],
    [`${KILLS} kills done (${fleet.kills})`, fleet.kills >= KILLS],
    [`the day change re-evaluated clients (${daily} outputs)`, daily > 0],
    [`a kill -9 while the day's ticks were handled (${dayKills})`, dayKills === 1],
  ];
  console.log('');
  console.log(`messages in:               ${messages.length}`);
  console.log(`processes / partitions:    ${INSTANCES} / ${PARTITIONS}`);
  console.log(`kill -9:                   ${fleet.kills}`);
  console.log(`day change:                ${firstDay} -> ${NEW_DAY} after phase ${DAY_AFTER_PHASE}`);
  console.log(`outputs of the day change: ${daily} (in the clean run)`);
  console.log(
    `outputs expected:          ${expected.length} (${notifications} notifications, ${beeindigingen} WMO301 beëindigingen)`,
  );
  console.log(`outputs found:             ${found.length}`);
  console.log(`duplicates:                ${duplicates}`);
  console.log(`missing:                   ${missing.length}`);
  console.log(`unexpected:                ${extra.length}`);
  console.log(
    `register clients:          ${redisIds.length} (clean run: ${ids.length}), differing: ${differing}`,
  );
  console.log(`wall time:                 ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  for (const [name, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'} ${name}`);
  const failed = checks.filter(([, ok]) => !ok).length;
  console.log(`crash: ${checks.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

let current: Fleet | undefined;

main().then(
  (code) => process.exit(code),
  async (err: Error) => {
    console.error(`crash test aborted: ${err.stack ?? err.message}`);
    await current?.stopAll();
    process.exit(1);
  },
);
