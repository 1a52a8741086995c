/**
 * A private KRaft Kafka cluster of one broker and one controller, each its own JVM, for the outage tests: its own
 * ports and its own data directories, started from the same jars (.cache/kafka/libs, fetched by infra/up.sh) and
 * with the same settings as the shared broker of infra/up.sh — so a test can kill -9 the broker and restart it
 * without touching the shared broker on 9092 that other test files use at the same time.
 *
 * The broker and the controller are separate processes, as in a production cluster, where a broker's crash leaves
 * the controller quorum running. A combined broker+controller killed and restarted at once comes back while its
 * own controller still holds the dead incarnation's session: the restarted broker loads its transaction
 * coordinator on stale leadership, the controller then fences the old session (every partition without a leader
 * for a moment), and the coordinator, finishing a transaction that was committing when the process died, skips
 * the markers of partitions whose leader it cannot find ("likely deleted already and hence can be skipped").
 * Those partitions keep an open transaction for good: a read_committed reader never gets past it. That is a
 * defect of the single-process restart (Kafka's), not of a broker crash in a cluster, and it made the Kafka-outage
 * test lose outputs at random; with the controller alive the broker is fenced while it is down and loads its
 * coordinator only once it leads again.
 *
 * The JVMs carry `-Dsamenloop.kafka.private=<project root>` (infra/down.sh stops strays of this checkout) and are
 * SIGKILLed when the test process exits; stop() removes the data directory.
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
  /** kill -9 of the broker (a crash; the controller stays up); resolves when its JVM has exited. */
  kill(): Promise<void>;
  /** Starts the broker again on the same ports and data (after kill); resolves once it lists topics. */
  restart(): Promise<void>;
  /** SIGTERM to the broker, then the controller (SIGKILL after 20 s), then removes the data directory. Idempotent. */
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

/** The settings both nodes share (those of infra/up.sh's broker). */
const COMMON = [
  'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
  'controller.listener.names=CONTROLLER',
];

/** The controller's properties: node 2, the quorum's only voter. */
function controllerProperties(dir: string, controllerPort: number): string {
  return [
    '# Written by test/support/broker.ts: the controller of a private KRaft cluster for an outage test.',
    'process.roles=controller',
    'node.id=2',
    `controller.quorum.voters=2@127.0.0.1:${controllerPort}`,
    `listeners=CONTROLLER://127.0.0.1:${controllerPort}`,
    ...COMMON,
    `log.dirs=${path.join(dir, 'controller-data')}`,
    '',
  ].join('\n');
}

/** The broker's properties: node 1, with the controller above. */
function brokerProperties(dir: string, port: number, controllerPort: number): string {
  return [
    '# Written by test/support/broker.ts: the broker of a private KRaft cluster for an outage test.',
    'process.roles=broker',
    'node.id=1',
    `controller.quorum.voters=2@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    ...COMMON,
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
  const controllerProps = path.join(dir, 'controller.properties');
  const logFile = path.join(dir, 'kafka.log');
  const controllerLog = path.join(dir, 'controller.log');
  fs.writeFileSync(props, brokerProperties(dir, port, controllerPort));
  fs.writeFileSync(controllerProps, controllerProperties(dir, controllerPort));
  const cluster = clusterId();
  for (const config of [controllerProps, props]) {
    const format = spawnSync(
      'java',
      [...javaBase(dir), '-Xmx256m', 'kafka.tools.StorageTool', 'format', '-t', cluster, '-c', config],
      { encoding: 'utf8' },
    );
    if (format.error || format.status !== 0) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(
        `formatting the private cluster's storage failed: ${format.error?.message ?? format.stderr}`,
      );
    }
  }

  /** A JVM of the cluster, its output appended to `log`. */
  const spawnNode = (config: string, log: string, nodeHeap: string[]): ChildProcess => {
    const out = fs.openSync(log, 'a');
    const c = spawn(
      'java',
      [
        ...javaBase(dir),
        ...nodeHeap,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-XX:+ExplicitGCInvokesConcurrent',
        'kafka.Kafka',
        config,
      ],
      { stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    running.add(c);
    c.once('exit', () => running.delete(c));
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', () => running.forEach((r) => r.kill('SIGKILL')));
    }
    return c;
  };
  // the controller runs from start to stop; the broker answers only once it has registered with it
  const controller = spawnNode(controllerProps, controllerLog, ['-Xmx256m', '-Xms128m']);

  let child: ChildProcess | undefined;
  let removed = false;
  const brokers = [`127.0.0.1:${port}`];
  const tailOf =
    (file: string) =>
    (lines = 40): string => {
      try {
        return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    };
  const logTail = tailOf(logFile);
  const controllerTail = tailOf(controllerLog);

  const launch = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null)
      throw new Error('broker already running');
    const c = spawnNode(props, logFile, heap);
    child = c;
    const spawnError = new Promise<never>((_, reject) =>
      c.once('error', (err) => reject(new Error(`java could not start: ${err.message}`))),
    );
    const deadline = Date.now() + startTimeoutMs;
    const ready = (async () => {
      for (;;) {
        if (c.exitCode !== null || c.signalCode !== null)
          throw new Error(`the private broker exited during start-up:\n${logTail()}`);
        if (controller.exitCode !== null || controller.signalCode !== null)
          throw new Error(`the private controller exited:\n${controllerTail()}`);
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

  const end = async (signal: NodeJS.Signals, graceMs: number, c = child): Promise<void> => {
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
      // the broker first: its controlled shutdown needs the controller
      await end('SIGTERM', 20000);
      await end('SIGTERM', 20000, controller);
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
