/**
 * A private, single-node KRaft Kafka broker for the outage tests: its own ports and its own data directory,
 * started from the same jars (.cache/kafka/libs, fetched by infra/up.sh) and with the same settings as the
 * shared broker of infra/up.sh — so a test can kill -9 it and restart it without touching the shared broker
 * on 9092 that other test files use at the same time.
 *
 * The JVM carries `-Dsamenloop.kafka.private=<project root>` (infra/down.sh stops strays of this checkout)
 * and is SIGKILLed when the test process exits; stop() removes the data directory.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { probeKafka } from '../../infra/wait-kafka';
import { freePort, PROJECT_ROOT } from './infra';

const LIBS = path.join(PROJECT_ROOT, '.cache', 'kafka', 'libs');
const LOG4J = path.join(PROJECT_ROOT, 'infra', 'kafka', 'log4j2.xml');

export interface BrokerHandle {
  /** `127.0.0.1:<port>`, for KAFKA_BROKERS. */
  readonly brokers: string[];
  readonly port: number;
  readonly controllerPort: number;
  readonly dir: string;
  /** The pid of the running JVM, undefined while it is down. */
  pid(): number | undefined;
  /** kill -9 (a crash); resolves when the JVM has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same ports and data (after kill or stop); resolves once it lists topics. */
  restart(): Promise<void>;
  /** SIGTERM (SIGKILL after 20 s), then removes the data directory. Idempotent. */
  stop(): Promise<void>;
  /** The last lines of the broker log (for failure messages). */
  logTail(lines?: number): string;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** A random Kafka cluster id: 16 random bytes, url-safe base64 without padding (as Uuid.randomUuid()). */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function properties(dir: string, port: number, controllerPort: number): string {
  return [
    '# Written by test/support/broker.ts: a private single-node KRaft broker+controller for an outage test.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${path.join(dir, 'data')}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'auto.create.topics.enable=false',
    'delete.topic.enable=true',
    'group.initial.rebalance.delay.ms=0',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'num.network.threads=2',
    'num.io.threads=2',
    'log.retention.hours=24',
    '',
  ].join('\n');
}

function javaBase(dir: string): string[] {
  return [
    '-server',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${LOG4J}`,
    `-Dsamenloop.kafka.private=${PROJECT_ROOT}`,
    `-Dsamenloop.kafka.dir=${dir}`,
    '-cp',
    `${LIBS}/*`,
  ];
}

/**
 * Formats a fresh data directory and starts a private broker on free ports; resolves once it lists topics.
 * Needs java and the jars of .cache/kafka/libs (`npm run infra:up` fetches them).
 */
export async function startPrivateBroker(
  opts: { heap?: string; startTimeoutMs?: number; port?: number } = {},
): Promise<BrokerHandle> {
  if (!fs.existsSync(LIBS) || !fs.readdirSync(LIBS).some((f) => /^kafka_2\.13-.*\.jar$/.test(f))) {
    throw new Error(`no Kafka jars in ${LIBS}: run \`npm run infra:up\` once (it fetches them)`);
  }
  const heap = (opts.heap ?? '-Xmx512m -Xms256m').split(' ');
  const startTimeoutMs = opts.startTimeoutMs ?? 90000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samenloop-broker-'));
  const port = opts.port ?? (await freePort());
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  const props = path.join(dir, 'server.properties');
  const logFile = path.join(dir, 'kafka.log');
  fs.writeFileSync(props, properties(dir, port, controllerPort));
  const format = spawnSync(
    'java',
    [...javaBase(dir), '-Xmx256m', 'kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', props],
    { encoding: 'utf8' },
  );
  if (format.error || format.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `formatting the private broker's storage failed: ${format.error?.message ?? format.stderr}`,
    );
  }

  let child: ChildProcess | undefined;
  let removed = false;
  const brokers = [`127.0.0.1:${port}`];
  const logTail = (lines = 40): string => {
    try {
      return fs.readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };

  const launch = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null)
      throw new Error('broker already running');
    const out = fs.openSync(logFile, 'a');
    const c = spawn(
      'java',
      [
        ...javaBase(dir),
        ...heap,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-XX:+ExplicitGCInvokesConcurrent',
        'kafka.Kafka',
        props,
      ],
      { stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    child = c;
    running.add(c);
    c.once('exit', () => running.delete(c));
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', () => running.forEach((r) => r.kill('SIGKILL')));
    }
    const spawnError = new Promise<never>((_, reject) =>
      c.once('error', (err) => reject(new Error(`java could not start: ${err.message}`))),
    );
    const deadline = Date.now() + startTimeoutMs;
    const ready = (async () => {
      for (;;) {
        if (c.exitCode !== null || c.signalCode !== null)
          throw new Error(`the private broker exited during start-up:\n${logTail()}`);
        if ((await probeKafka(brokers, 2000)) === undefined) return;
        if (Date.now() > deadline)
          throw new Error(`the private broker did not answer within ${startTimeoutMs} ms:\n${logTail()}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    try {
      await Promise.race([ready, spawnError]);
    } catch (err) {
      c.kill('SIGKILL');
      await exited(c);
      throw err;
    }
  };

  const end = async (signal: NodeJS.Signals, graceMs: number): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.kill(signal);
    const timer = setTimeout(() => c.kill('SIGKILL'), graceMs);
    await exited(c);
    clearTimeout(timer);
  };

  const handle: BrokerHandle = {
    brokers,
    port,
    controllerPort,
    dir,
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    kill: () => end('SIGKILL', 0),
    restart: () => {
      if (removed) return Promise.reject(new Error('the private broker was stopped and removed'));
      return launch();
    },
    stop: async () => {
      await end('SIGTERM', 20000);
      if (!removed) {
        removed = true;
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    logTail,
  };
  try {
    await launch();
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return handle;
}
