import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../services/cli/program';
import { kafkaBrokers, redisUrl, uniqueRunId } from './infra';
import { isolatedEnv } from './kafka';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the `samenloop` program in-process with its own streams; stdin is `input` (not a TTY). */
export async function samenloop(
  argv: string[],
  env: NodeJS.ProcessEnv,
  input = '',
  opts: { stdoutTTY?: boolean } = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  Object.assign(stdout, { isTTY: opts.stdoutTTY ?? false });
  const stdin = Readable.from([Buffer.from(input)]);
  const code = await runCli(argv, { stdout, stderr, stdin, env });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** The environment of one isolated run (own topics, group, Redis prefix) on the test broker and Redis. */
export function cliEnv(extra: Record<string, string> = {}): { run: string; env: NodeJS.ProcessEnv } {
  const run = uniqueRunId();
  return {
    run,
    env: {
      KAFKA_BROKERS: kafkaBrokers().join(','),
      REDIS_URL: redisUrl(),
      ...isolatedEnv(run),
      TOPIC_VERWERKINGEN: `${run}.samenloop.verwerkingen`,
      TOPIC_PARTITIONS: '3',
      LOG_LEVEL: 'warn',
      SAMENLOOP_TODAY: '2026-11-23',
      TOPIC_REFRESH_MS: '2000',
      HTTP_PORT: '0',
      ...extra,
    },
  };
}
