/**
 * Small helpers for the integration tests on the real Kafka and Redis (started by infra/up.sh, or already
 * there): where they are, unique names per test run, waiting for a condition, and a private redis-server
 * on another port for outage tests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { kafkaAnswers, parseBrokers } from '../../infra/wait-kafka';

export { kafkaAnswers };

/** Project root (this file is test/support/infra.ts). */
export const PROJECT_ROOT = path.resolve(__dirname, '../..');

/** Kafka bootstrap brokers from KAFKA_BROKERS (comma-separated), default 127.0.0.1:9092. */
export function kafkaBrokers(): string[] {
  return parseBrokers(process.env.KAFKA_BROKERS);
}

/** Redis URL from REDIS_URL, default redis://127.0.0.1:6379. */
export function redisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A short random id (8 hex chars, a letter first) for unique topic names, group ids and Redis key prefixes. */
export function uniqueRunId(): string {
  return `r${randomBytes(4).toString('hex').slice(1)}`;
}

/**
 * How much longer than their nominal deadline the tests wait for a condition: a busy 2-core machine (CI
 * with other work, `npm run test:loaded`) can be several times slower than a quiet one. A wait ends as
 * soon as its condition holds, so a generous deadline costs nothing when things work. TEST_WAIT_SCALE=1
 * gives the nominal deadlines.
 */
export const WAIT_SCALE = Math.max(1, Number(process.env.TEST_WAIT_SCALE ?? 3) || 3);

/**
 * Polls `fn` until it returns a truthy value (which is returned) or `timeoutMs` × WAIT_SCALE passes; a
 * throwing `fn` counts as not yet. On time-out it throws, with the last error if there was one.
 */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  timeoutMs = 10000,
  intervalMs = 100,
  what = 'condition',
): Promise<NonNullable<T>> {
  timeoutMs *= WAIT_SCALE;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`waitFor: ${what} not met within ${timeoutMs} ms${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** host/port of a redis:// URL. */
export function redisAddress(url = redisUrl()): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: u.port ? Number(u.port) : 6379 };
}

/** True when something speaking RESP answers a PING at `url` (an auth error counts as an answer). */
export function redisAnswers(url = redisUrl(), timeoutMs = 2000): Promise<boolean> {
  const { host, port } = redisAddress(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk) => done(/^[+-]/.test(chunk.toString('utf8'))));
  });
}

/** A free TCP port on 127.0.0.1 (free at the moment of asking). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface RedisHandle {
  port: number;
  url: string;
  pid: number;
  /** Graceful SIGTERM; resolves when the process has exited. */
  stop(): Promise<void>;
  /** Hard SIGKILL (a crash); resolves when the process has exited. */
  kill(): Promise<void>;
}

const privateRedis = new Set<ChildProcess>();
let exitHookInstalled = false;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Spawns a private, non-persistent redis-server on 127.0.0.1:`port` (a free port when omitted) and
 * resolves once it answers PING. The handle's stop()/kill() end it; any left running are killed when
 * the test process exits. Start it again on the same port to end an outage.
 */
export async function startRedisOnPort(port?: number, timeoutMs = 10000): Promise<RedisHandle> {
  const p = port ?? (await freePort());
  const url = `redis://127.0.0.1:${p}`;
  if (await redisAnswers(url, 500)) throw new Error(`startRedisOnPort: port ${p} already has a Redis`);
  const args = ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push('--dir', os.tmpdir(), '--daemonize', 'no', '--loglevel', 'warning');
  const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (err) =>
      reject(new Error(`redis-server could not start (run infra/up.sh to install it): ${err.message}`)),
    ),
  );
  privateRedis.add(child);
  child.once('exit', () => privateRedis.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => privateRedis.forEach((c) => c.kill('SIGKILL')));
  }
  try {
    await Promise.race([
      spawnError,
      waitFor(
        async () => {
          if (child.exitCode !== null)
            throw new Error(`redis-server exited (${child.exitCode}): ${stderr.trim()}`);
          return redisAnswers(url, 500);
        },
        timeoutMs,
        50,
        `redis-server on port ${p}`,
      ),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited(child);
  };
  return { port: p, url, pid: child.pid ?? -1, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}

/** Runs a bash script of infra/ (e.g. 'up.sh'), output shown; throws when it fails. */
export function runInfraScript(script: 'up.sh' | 'down.sh', env: NodeJS.ProcessEnv = process.env): void {
  const r = spawnSync('bash', [path.join(PROJECT_ROOT, 'infra', script)], { stdio: 'inherit', env });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`infra/${script} failed (exit ${r.status ?? r.signal})`);
}

/** True when an executable named `cmd` is on PATH. */
export function commandExists(cmd: string): boolean {
  return spawnSync('bash', ['-c', 'command -v -- "$1"', 'bash', cmd], { stdio: 'ignore' }).status === 0;
}

/** Whether jest's globalSetup started the infrastructure (so globalTeardown stops it): shared via globalThis. */
const shared = globalThis as typeof globalThis & { __samenloopInfraStartedByTests?: boolean };
export function setInfraStartedByTests(started: boolean): void {
  shared.__samenloopInfraStartedByTests = started;
}
export function infraStartedByTests(): boolean {
  return shared.__samenloopInfraStartedByTests === true;
}
