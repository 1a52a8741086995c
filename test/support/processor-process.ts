import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT, freePort } from './infra';
import { isolatedConfig, REGISTER_KEY_ENV } from './kafka';
import { httpGet } from './outage';

/** The processor as its users run it (`services/cli/main.ts`, a process of its own), and what it logged. */
export function startProcessor(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/cli/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  return { child, output: () => out };
}

/** The exit code (or signal) of the process; it is killed when it has not exited within `timeoutMs`. */
export function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | string> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve(child.exitCode ?? String(child.signalCode));
      return;
    }
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the processor did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(t);
      resolve(code ?? String(signal));
    });
  });
}

/** The environment of a processor on fresh topics, with the processing day pinned like every test's. */
export async function processEnv(extra: Record<string, string> = {}) {
  const { run, cfg } = isolatedConfig(extra);
  const port = await freePort();
  const env: Record<string, string> = {
    KAFKA_BROKERS: cfg.KAFKA_BROKERS.join(','),
    REDIS_URL: cfg.REDIS_URL,
    REDIS_PREFIX: cfg.REDIS_PREFIX,
    KAFKA_GROUP_ID: cfg.KAFKA_GROUP_ID,
    KAFKA_CLIENT_ID: cfg.KAFKA_CLIENT_ID,
    TOPIC_INDICATIEBESLUITEN: cfg.TOPIC_INDICATIEBESLUITEN,
    TOPIC_ZORGTOEWIJZINGEN: cfg.TOPIC_ZORGTOEWIJZINGEN,
    TOPIC_DLQ: cfg.TOPIC_DLQ,
    TOPIC_DAGELIJKS: cfg.TOPIC_DAGELIJKS,
    TOPIC_CHANGELOG: cfg.TOPIC_CHANGELOG,
    TOPIC_GEMEENTE_PREFIX: cfg.TOPIC_GEMEENTE_PREFIX,
    TOPIC_PARTITIONS: String(cfg.TOPIC_PARTITIONS),
    TOPIC_REPLICATION_FACTOR: String(cfg.TOPIC_REPLICATION_FACTOR),
    SAMENLOOP_TODAY: cfg.SAMENLOOP_TODAY!,
    HTTP_PORT: String(port),
    LOG_LEVEL: 'info',
    ...REGISTER_KEY_ENV,
    ...extra,
  };
  return { run, cfg, port, env };
}

export const isReady = async (port: number) =>
  (await httpGet(port, '/readyz').catch(() => ({ status: 0 }))).status === 200;

export interface LogEntry {
  level: number;
  msg?: string;
  [field: string]: unknown;
}

/** The log as pino entries; fails on any line that is not pino JSON. */
export function entriesOf(output: string): LogEntry[] {
  return output
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as LogEntry;
      } catch {
        throw new Error(`a log line that is not pino JSON: ${l}`);
      }
    });
}
