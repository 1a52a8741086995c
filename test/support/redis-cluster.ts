/**
 * A private Redis Cluster for integration tests: three masters (no replicas) of the local `redis-server`
 * on free ports, joined with `redis-cli --cluster create`. Kill it with kill(); any left running are
 * killed (and their directory removed) when the test process exits.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { freePort, redisAnswers, waitFor } from './infra';

const run = promisify(execFile);

export interface RedisClusterHandle {
  /** The masters, as `{ host, port }` (ioredis cluster startup nodes). */
  nodes: { host: string; port: number }[];
  /** The same as `host:port` (the REDIS_CLUSTER_NODES format). */
  hostPorts: string[];
  dir: string;
  /** SIGKILLs every node and removes the cluster's directory. */
  kill(): Promise<void>;
}

const running = new Set<{ children: ChildProcess[]; dir: string }>();
let exitHookInstalled = false;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** `n` distinct free ports on 127.0.0.1. */
async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/** Spawns one cluster-enabled redis-server; resolves once it answers PING. */
async function startNode(
  port: number,
  busPort: number,
  dir: string,
  timeoutMs: number,
): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push('--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, `nodes-${port}.conf`));
  // Explicit bus port: port + 10000 (the default) may be above 65535 for an ephemeral port.
  args.push('--cluster-port', String(busPort), '--cluster-node-timeout', '5000');
  args.push('--dir', dir, '--daemonize', 'no', '--loglevel', 'warning');
  const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (err) =>
      reject(new Error(`redis-server could not start (run infra/up.sh to install it): ${err.message}`)),
    ),
  );
  try {
    await Promise.race([
      spawnError,
      waitFor(
        async () => {
          if (child.exitCode !== null)
            throw new Error(`redis-server exited (${child.exitCode}): ${stderr.trim()}`);
          return redisAnswers(`redis://127.0.0.1:${port}`, 500);
        },
        timeoutMs,
        50,
        `cluster redis-server on port ${port}`,
      ),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return child;
}

/** cluster_state of the node at `port` ('ok' once it serves every slot). */
async function clusterState(port: number): Promise<string | undefined> {
  const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0 });
  r.on('error', () => undefined);
  try {
    await r.connect();
    const info = await r.cluster('INFO');
    return /cluster_state:(\w+)/.exec(info)?.[1];
  } finally {
    r.disconnect();
  }
}

/** Starts a 3-master Redis Cluster and resolves once every node reports cluster_state:ok. */
export async function startRedisCluster(masters = 3, timeoutMs = 30000): Promise<RedisClusterHandle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samenloop-redis-cluster-'));
  const entry = { children: [] as ChildProcess[], dir };
  running.add(entry);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const e of running) {
        e.children.forEach((c) => c.kill('SIGKILL'));
        fs.rmSync(e.dir, { recursive: true, force: true });
      }
    });
  }
  const kill = async (): Promise<void> => {
    for (const c of entry.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(entry.children.map(exited));
    fs.rmSync(dir, { recursive: true, force: true });
    running.delete(entry);
  };
  try {
    const all = await freePorts(2 * masters);
    const ports = all.slice(0, masters);
    const busPorts = all.slice(masters);
    for (let i = 0; i < masters; i++) {
      entry.children.push(await startNode(ports[i]!, busPorts[i]!, dir, timeoutMs));
    }
    const hostPorts = ports.map((p) => `127.0.0.1:${p}`);
    await run(
      'redis-cli',
      ['--cluster', 'create', ...hostPorts, '--cluster-replicas', '0', '--cluster-yes'],
      {
        timeout: timeoutMs,
      },
    );
    await waitFor(
      async () => (await Promise.all(ports.map(clusterState))).every((s) => s === 'ok'),
      timeoutMs,
      100,
      'cluster_state:ok on every node',
    );
    return { nodes: ports.map((port) => ({ host: '127.0.0.1', port })), hostPorts, dir, kill };
  } catch (err) {
    await kill();
    throw err;
  }
}
