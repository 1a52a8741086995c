/**
 * The cost of encryption at rest (issue 15, point 3), without Kafka or Redis: `npx tsx bench/crypt.ts`.
 *
 * 1. Realistic client states (a seeded generated population, processed by the TestDriver): per state, what a
 *    commit and a load do to it — JSON only (stringify + parse) against sealed (stringify + seal, open +
 *    parse; AES-256-GCM, services/register/keys.ts) — per second, and the sizes.
 * 2. The processor's pipeline (the same Processor as production, in-memory register) on the same input,
 *    with a plain and a sealing register: messages per second and the ratio. This is the upper bound of
 *    the drain's slowdown: a real drain also waits for Kafka and Redis, which encryption does not touch.
 *
 * Prints the figures and writes bench/results/<timestamp>-crypt.json. `--messages n` (default 5000). Figures on a
 * loaded machine are noisy: the two sides run in turns and the fastest round of each counts.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestDriver } from '../services/pipeline/driver';
import type { StateCipher } from '../services/register/cipher';
import { KeyringCipher, parseRegisterKeys } from '../services/register/keys';
import { MemoryStore } from '../services/register/memory-store';
import type { ClientState } from '../services/register/state';
import { generate, type GeneratedMessage } from './generator';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const MESSAGES = arg('messages', 5000);
const ROOT = path.resolve(__dirname, '..');
const ENV = { SAMENLOOP_TODAY: '2026-11-23' };

function keyring(): KeyringCipher {
  const { keys } = parseRegisterKeys(`bench:${randomBytes(32).toString('base64')}`);
  return new KeyringCipher(keys!, 'bench');
}

async function drive(messages: readonly GeneratedMessage[], cipher?: StateCipher) {
  const store = new MemoryStore(cipher);
  const driver = new TestDriver(ENV, store);
  const t0 = process.hrtime.bigint();
  for (const m of messages) await driver.pipe(driver.cfg[topicSetting(m.kind)] as string, m.value);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { store, driver, ms, rate: Math.round(messages.length / (ms / 1000)) };
}

function topicSetting(kind: GeneratedMessage['kind']) {
  return kind === 'indicatiebesluiten'
    ? 'TOPIC_INDICATIEBESLUITEN'
    : kind === 'zorgtoewijzingen'
      ? 'TOPIC_ZORGTOEWIJZINGEN'
      : 'TOPIC_WMO_TRUSTED_BRIDGE';
}

/**
 * `a` and `b` (each a round over every state) in turns until `minMs` passed, so a change of the machine's
 * load hits both alike; states per second of the fastest round of each (the least disturbed).
 */
function perSecond(a: () => void, b: () => void, states: number, minMs = 4000): [number, number] {
  a(); // warm-up
  b();
  const time = (round: () => void) => {
    const t0 = process.hrtime.bigint();
    round();
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  let bestA = Infinity;
  let bestB = Infinity;
  for (const start = Date.now(); Date.now() - start < minMs;) {
    bestA = Math.min(bestA, time(a));
    bestB = Math.min(bestB, time(b));
  }
  return [Math.round(states / (bestA / 1000)), Math.round(states / (bestB / 1000))];
}

async function main(): Promise<void> {
  const messages = generate({ seed: 15, messages: MESSAGES });
  // the WMO301s through the trusted bridge topic, as the national benchmark feeds them
  Object.assign(ENV, { TOPIC_WMO_TRUSTED_BRIDGE: 'bench.wmo.toewijzingen' });
  console.log(`crypt bench: ${messages.length} generated messages (seed 15), node ${process.version}`);

  // 1. per state
  const { store } = await drive(messages);
  const ids = await store.clientIds();
  const states: [string, ClientState][] = [];
  for (const id of ids) states.push([id, (await store.load(id)).state!]);
  const cipher = keyring();
  const json = states.map(([, s]) => JSON.stringify(s));
  const sealed = states.map(([id, s]) => cipher.seal(id, JSON.stringify(s)));
  const mean = (xs: string[]) => Math.round(xs.reduce((a, x) => a + Buffer.byteLength(x), 0) / xs.length);
  const [plainRate, sealedRate] = perSecond(
    () => {
      for (const [, s] of states) JSON.parse(JSON.stringify(s));
    },
    () => {
      for (const [id, s] of states) JSON.parse(cipher.open(id, cipher.seal(id, JSON.stringify(s))));
    },
    states.length,
  );
  const perState = {
    states: states.length,
    meanJsonBytes: mean(json),
    meanSealedBytes: mean(sealed),
    jsonOnlyPerSecond: plainRate,
    sealedPerSecond: sealedRate,
    ratio: Number((plainRate / sealedRate).toFixed(2)),
    extraMicrosecondsPerState: Number((1e6 / sealedRate - 1e6 / plainRate).toFixed(1)),
  };
  console.log(
    `per state (${perState.states} states, JSON ${perState.meanJsonBytes} B, sealed ${perState.meanSealedBytes} B): ` +
      `JSON only ${plainRate}/s, sealed ${sealedRate}/s (×${perState.ratio}, +${perState.extraMicrosecondsPerState} µs per commit+load)`,
  );

  // 2. the pipeline, plain and sealed, alternated (the machine's load changes): best of 3 each
  const plain: number[] = [];
  const crypt: number[] = [];
  for (let i = 0; i < 3; i++) {
    plain.push((await drive(messages)).rate);
    crypt.push((await drive(messages, keyring())).rate);
  }
  const pipeline = {
    messages: messages.length,
    plainPerSecond: Math.max(...plain),
    sealedPerSecond: Math.max(...crypt),
    runs: { plain, sealed: crypt },
    ratio: Number((Math.max(...plain) / Math.max(...crypt)).toFixed(3)),
  };
  console.log(
    `pipeline (TestDriver, in-memory register): plain ${pipeline.plainPerSecond} msg/s, sealed ` +
      `${pipeline.sealedPerSecond} msg/s (plain/sealed ${pipeline.ratio}); runs plain ${plain.join(', ')}, sealed ${crypt.join(', ')}`,
  );

  const file = path.join(
    ROOT,
    'bench/results',
    `${new Date().toISOString().replace(/[:.]/g, '-')}-crypt.json`,
  );
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadavg: os.loadavg() };
  fs.writeFileSync(
    file,
    `${JSON.stringify({ node: process.version, machine, perState, pipeline }, null, 2)}\n`,
  );
  console.log(`written ${path.relative(ROOT, file)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
