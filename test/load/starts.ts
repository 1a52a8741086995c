import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { freePort, kafkaBrokers, redisUrl, uniqueRunId } from '../support/infra';
import { isolatedEnv } from '../support/kafka';
import { arg, startBusyLoops } from './busy';

/**
 * `npm run test:starts [-- --starts 30 --busy 2]`: starts the processor (services/cli/main.ts, a process
 * of its own each time) again and again on a fresh set of topics, while busy loops keep the cores
 * loaded: each start creates its topics and joins its group while the new partitions may have no leader
 * yet and the coordinator may still be loading. Every start must become ready (GET /readyz 200) and stop
 * with exit 0 on SIGTERM. Prints the time to ready per start and exits non-zero unless all did.
 */
const ROOT = path.resolve(__dirname, '../..');
const READY_TIMEOUT_MS = 300000;

function readyz(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/readyz', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

async function startOnce(
  n: number,
): Promise<{ ok: boolean; readyMs: number; exit: number | null; why: string }> {
  const run = uniqueRunId();
  const port = await freePort();
  const env = {
    ...process.env,
    KAFKA_BROKERS: kafkaBrokers().join(','),
    REDIS_URL: redisUrl(),
    ...isolatedEnv(run),
    GEMEENTEN: '0363',
    SAMENLOOP_TODAY: '2026-11-23',
    HTTP_PORT: String(port),
    LOG_LEVEL: 'warn',
  };
  const t0 = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/cli/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let readyMs = -1;
  while (Date.now() - t0 < READY_TIMEOUT_MS && child.exitCode === null) {
    if ((await readyz(port)) === 200) {
      readyMs = Date.now() - t0;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const t1 = Date.now();
  if (child.exitCode === null) child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 60000);
  const exit = await exited;
  clearTimeout(killer);
  const stopMs = Date.now() - t1;
  const errors = out.split('\n').filter((l) => /"level":(50|60)/.test(l));
  const ok = readyMs >= 0 && exit === 0 && errors.length === 0;
  const why = ok
    ? ''
    : readyMs < 0
      ? `not ready (exit ${exit}): ${out.slice(-1500)}`
      : exit !== 0
        ? `exit ${exit} after SIGTERM`
        : `logged at error: ${errors.join('\n').slice(0, 1500)}`;
  console.log(
    `[test:starts] start ${String(n).padStart(2)}: ${ok ? 'ready' : 'FAILED'} ${readyMs >= 0 ? `after ${(readyMs / 1000).toFixed(1)} s, stopped in ${(stopMs / 1000).toFixed(1)} s` : ''}${why ? `: ${why}` : ''}`,
  );
  return { ok, readyMs, exit, why };
}

async function main(): Promise<void> {
  const starts = arg('starts', 30);
  const busy = arg('busy', 2);
  const loops = startBusyLoops(busy);
  console.log(`[test:starts] ${starts} starts on fresh topics beside ${busy} busy loop(s)`);
  const results = [];
  for (let i = 1; i <= starts; i++) results.push(await startOnce(i));
  loops.stop();
  const ready = results.filter((r) => r.ok);
  const times = ready.map((r) => r.readyMs).sort((a, b) => a - b);
  const q = (p: number) =>
    ((times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0) / 1000).toFixed(1);
  console.log(
    `[test:starts] ${ready.length} of ${starts} became ready and stopped cleanly; time to ready p50 ${q(0.5)} s, max ${q(1)} s`,
  );
  console.log(`${ready.length} passed, ${starts - ready.length} failed`);
  process.exit(ready.length === starts ? 0 : 1);
}

void main();
