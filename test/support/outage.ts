/**
 * Helpers of the outage and Redis-loss tests: feeding generated input phase by phase, watching the consumer
 * group's committed offsets, the expected outcome of a clean run (the broker-less TestDriver over the same
 * input), reading every notification back (read_committed), comparing registers, and the HTTP endpoints.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import { gemeenteCodes, generate, type GeneratedMessage } from '../../bench/generator';
import type { Config } from '../../services/config';
import { SamenloopService } from '../../services/kafka/service';
import { inputRecordOf } from '../../services/kafka/headers';
import { committedOffsets } from '../../services/kafka/rebuild';
import { retrying } from '../../services/kafka/retriable';
import { fedTopics, topicOf } from './topics';
import { pseudonym } from '../../services/domain/pseudonym';
import { createLogger } from '../../services/log';
import { decode } from '../../services/pipeline/decode';
import { TestDriver } from '../../services/pipeline/driver';
import type { RegisterStore } from '../../services/register/store';
import { collect, isolatedConfig, sleep, waitFor, type Collected } from './kafka';
import { normalizeClient } from './register-compare';

export { committedOffsets };

/** A processor on isolated topics with the Kafka clients a test feeds and watches it with. */
export interface Running {
  cfg: Config;
  service: SamenloopService;
  kafka: Kafka;
  admin: Admin;
  producer: Producer;
  /** Disconnects the test's clients and stops the processor (errors ignored: the infra may be down). */
  stop(): Promise<void>;
}

/** Starts a processor with `env` on top of an isolated configuration, on `brokers` (default: the shared broker). */
export async function startService(env: Record<string, string>, brokers?: string[]): Promise<Running> {
  const cfg = isolatedConfig({
    // the generated gemeenten (phasesOf): their toewijzingen topics exist from the start
    GEMEENTEN: gemeenteCodes(OUTAGE_GEMEENTEN).join(','),
    ...env,
    ...(brokers ? { KAFKA_BROKERS: brokers.join(',') } : {}),
  }).cfg;
  const service = new SamenloopService(cfg, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
  await service.start();
  const kafka = kafkaFor(cfg.KAFKA_BROKERS);
  const admin = kafka.admin();
  await admin.connect();
  const producer = await connectedProducer(kafka);
  return {
    cfg,
    service,
    kafka,
    admin,
    producer,
    async stop() {
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      await service.stop().catch(() => undefined);
    },
  };
}

export function kafkaFor(brokers: string[], clientId = `test-${randomUUID().slice(0, 8)}`): Kafka {
  return new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING });
}

/** Generated input split by phase (see bench/generator.ts): phase i must be consumed before phase i+1 is sent. */
/** How many gemeenten the outage tests generate input for (phasesOf's `gemeenten`). */
export const OUTAGE_GEMEENTEN = 4;

export function phasesOf(opts: { seed: number; messages: number; gemeenten?: number }): GeneratedMessage[][] {
  const out: GeneratedMessage[][] = [];
  for (const m of generate(opts)) (out[m.phase] ??= []).push(m);
  return out.filter((p) => p.length > 0);
}

export async function connectedProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 10, maxRetryTime: 5000 },
  });
  await producer.connect();
  return producer;
}

/** Sends messages to their input topics, `slice` at a time, waiting `pauseMs` between slices. */
export async function send(
  producer: Producer,
  cfg: Config,
  messages: readonly GeneratedMessage[],
  opts: { slice?: number; pauseMs?: number; onSlice?: (sent: number) => void | Promise<void> } = {},
): Promise<void> {
  const slice = opts.slice ?? 500;
  for (let i = 0; i < messages.length; i += slice) {
    const part = messages.slice(i, i + slice);
    const byTopic = new Map<string, Array<{ key: string; value: string }>>();
    for (const m of part) {
      const t = topicOf(cfg, m.kind, m.value);
      const list = byTopic.get(t) ?? [];
      list.push({ key: m.key, value: m.value });
      byTopic.set(t, list);
    }
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })),
    });
    await opts.onSlice?.(i + part.length);
    if (opts.pauseMs && i + slice < messages.length) await sleep(opts.pauseMs);
  }
}

/** `topic/partition` → high watermark. */
export async function endOffsets(admin: Admin, topics: string[]) {
  const out = new Map<string, bigint>();
  for (const topic of topics) {
    for (const p of await retrying(() => admin.fetchTopicOffsets(topic)))
      out.set(`${topic}/${p.partition}`, BigInt(p.high));
  }
  return out;
}

/** True when the group has committed every input record sent so far. */
export async function allConsumed(admin: Admin, cfg: Config): Promise<boolean> {
  const topics = fedTopics(cfg);
  const [ends, committed] = await Promise.all([
    endOffsets(admin, topics),
    committedOffsets(admin, cfg.KAFKA_GROUP_ID, topics),
  ]);
  for (const [tp, end] of ends) {
    const c = committed.get(tp) ?? -1n;
    if (end > 0n && c < end) return false;
  }
  return true;
}

export async function waitConsumed(
  admin: Admin,
  cfg: Config,
  timeoutMs = 60000,
  what = 'all input consumed',
) {
  await waitFor(() => allConsumed(admin, cfg), timeoutMs, 250, what);
}

/** The output topics (notifications and beëindigingen) of this run that exist now. */
export async function outputTopics(admin: Admin, cfg: Config): Promise<string[]> {
  const prefix = cfg.TOPIC_GEMEENTE_PREFIX;
  return (await admin.listTopics())
    .filter((t) => t.startsWith(prefix) && (t.endsWith('.samenloop') || t.endsWith('.beeindigingen')))
    .sort();
}

/** Sum of the high watermarks of the output topics: grows with every record written (committed or not). */
export async function outputLogSize(admin: Admin, cfg: Config): Promise<bigint> {
  let n = 0n;
  for (const v of (await endOffsets(admin, await outputTopics(admin, cfg))).values()) n += v;
  return n;
}

/**
 * The invariant "no offset is committed past unapplied work": every input record below the given committed
 * offsets that carries facts must be in the register (its message id in the `applied` map of each of its
 * clients). Returns the positions of the records that are not (empty when the invariant holds).
 */
export async function unappliedBelow(
  kafka: Kafka,
  cfg: Config,
  store: RegisterStore,
  committed: Map<string, bigint>,
  timeoutMs = 60000,
): Promise<string[]> {
  const targets = new Map([...committed].filter(([, o]) => o > 0n));
  if (targets.size === 0) return [];
  const topics = [...new Set([...targets.keys()].map((tp) => tp.slice(0, tp.lastIndexOf('/'))))];
  const remaining = new Set(targets.keys());
  const missing: string[] = [];
  const consumer = kafka.consumer({ groupId: `check-${randomUUID().slice(0, 8)}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const tp = `${batch.topic}/${batch.partition}`;
        const target = targets.get(tp);
        if (target === undefined) return;
        for (const m of batch.messages) {
          if (BigInt(m.offset) >= target) break;
          const rec = inputRecordOf(batch, m);
          const decoded = decode(rec, cfg, cfg.MAX_MESSAGE_BYTES);
          if (decoded.kind !== 'facts') continue;
          const { messageId, facts } = decoded.message;
          for (const bsn of new Set(facts.map((f) => f.client.bsn))) {
            const { state } = await store.load(pseudonym(cfg.SAMENLOOP_HMAC_SECRET, bsn));
            if (state?.applied[messageId] === undefined) missing.push(`${tp}/${m.offset}`);
          }
        }
        if (BigInt(batch.lastOffset()) + 1n >= target) remaining.delete(tp);
      },
    });
    await waitFor(() => remaining.size === 0, timeoutMs, 100, 'input read up to the committed offsets');
  } finally {
    await consumer.disconnect();
  }
  return missing;
}

export interface Expected {
  driver: TestDriver;
  /** CloudEvent ids / WMO301 identificaties of a clean run, per output topic. */
  ids: Map<string, string[]>;
  count: number;
}

/** A clean run of the same input through the broker-less TestDriver (same topics, same day, same policy). */
export async function cleanRun(cfg: Config, phases: readonly GeneratedMessage[][]): Promise<Expected> {
  const driver = new TestDriver({
    TOPIC_INDICATIEBESLUITEN: cfg.TOPIC_INDICATIEBESLUITEN,
    TOPIC_ZORGTOEWIJZINGEN: cfg.TOPIC_ZORGTOEWIJZINGEN,
    TOPIC_DLQ: cfg.TOPIC_DLQ,
    TOPIC_GEMEENTE_PREFIX: cfg.TOPIC_GEMEENTE_PREFIX,
    SAMENLOOP_TODAY: cfg.SAMENLOOP_TODAY ?? '2026-11-23',
    SAMENLOOP_HMAC_SECRET: cfg.SAMENLOOP_HMAC_SECRET,
    DEFAULT_POLICY: cfg.DEFAULT_POLICY,
  });
  for (const phase of phases)
    for (const m of phase) await driver.pipe(topicOf(cfg, m.kind, m.value), m.value);
  const ids = new Map<string, string[]>();
  for (const o of driver.outputs) ids.set(o.topic, [...(ids.get(o.topic) ?? []), o.id]);
  return { driver, ids, count: driver.outputs.length };
}

/**
 * Reads every committed record of the run's output topics (kafkajs consumers are read_committed) until at
 * least `expected` arrived and nothing more came for `quietMs`. Returns them with the id of each.
 */
export async function readOutputs(
  kafka: Kafka,
  admin: Admin,
  cfg: Config,
  expected: number,
  opts: { timeoutMs?: number; quietMs?: number } = {},
): Promise<Array<Collected & { id: string }>> {
  const topics = await outputTopics(admin, cfg);
  if (topics.length === 0) return [];
  const { records, consumer } = await collect(kafka, topics);
  try {
    await waitFor(
      () => records.length >= expected,
      opts.timeoutMs ?? 60000,
      200,
      `${expected} output records (have ${records.length})`,
    ).catch(() => undefined);
    let seen = -1;
    while (seen !== records.length) {
      seen = records.length;
      await sleep(opts.quietMs ?? 2500);
    }
  } finally {
    await consumer.disconnect();
  }
  return records.map((r) => ({ ...r, id: r.headers['samenloop-id'] ?? '' }));
}

/** ids that occur more than once. */
export function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup].sort();
}

/** Output ids per topic, sorted (for comparing a run with the clean run). */
export function idsByTopic(records: ReadonlyArray<{ topic: string; id: string }>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of records) (out[r.topic] ??= []).push(r.id);
  for (const k of Object.keys(out)) out[k]!.sort();
  return out;
}

export function expectedIdsByTopic(expected: Expected): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [t, ids] of expected.ids) out[t] = [...ids].sort();
  return out;
}

/** clientId → comparable state, for every client of a store that can list its clients. */
export async function registerOf(
  store: RegisterStore & { clientIds(): Promise<string[]> },
): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const id of await store.clientIds()) {
    const { state } = await store.load(id);
    if (state) out.set(id, normalizeClient(state));
  }
  return out;
}

/** GET on the service's HTTP port: status and body. */
export function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: timeout`)));
    req.on('error', reject);
  });
}

/** One sample of a Prometheus metric (summing all label sets when `labels` is omitted). */
export function metricValue(text: string, name: string, labels?: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    if (labels && !Object.entries(labels).every(([k, v]) => (m[2] ?? '').includes(`${k}="${v}"`))) continue;
    sum += Number(m[3]);
  }
  return sum;
}
