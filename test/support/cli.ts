import { PassThrough, Readable } from 'node:stream';
import { demoScenario } from '../../demo/scenario';
import { loadConfig, type Config } from '../../services/config';
import { SamenloopService } from '../../services/kafka/service';
import { createLogger } from '../../services/log';
import { runCli } from '../../services/cli/program';
import { kafkaBrokers, redisUrl, uniqueRunId } from './infra';
import { isolatedEnv, sendInOrder, testKafka } from './kafka';
import { topicOf } from './topics';

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

/**
 * A processor on an isolated run (cliEnv with `extra`), started before and stopped after the tests of the
 * describe block this is called in.
 */
export function runningService(extra: Record<string, string> = {}): {
  env: NodeJS.ProcessEnv;
  cfg: Config;
} {
  const { env } = cliEnv(extra);
  const cfg = loadConfig(env);
  // made in beforeAll, not here: a describe whose tests a `-t` filter skips runs neither hook, and a service made
  // anyway held its Redis connection open, so jest never exited
  let service: SamenloopService | undefined;
  beforeAll(async () => {
    service = new SamenloopService(cfg, createLogger('silent'));
    await service.start();
  });
  afterAll(async () => {
    await service?.stop();
  });
  return { env, cfg };
}

/**
 * Creates the topics of the demo's gemeenten (9999 and 9998) with `samenloop topics create`, as their owners
 * would before writing, then feeds the demo scenario (processing day 2026-11-23, as cliEnv pins) into the
 * input topics: a WMO301 into the toewijzingen topic of its gemeente.
 */
export async function feedDemo(env: NodeJS.ProcessEnv, cfg: Config): Promise<void> {
  const created = await samenloop(['topics', 'create', '--gemeente', '9999,9998'], env);
  if (created.code !== 0) throw new Error(`topics create failed: ${created.stderr}`);
  // one at a time, in the story's order (as the demo): the order of processing is the order of the story
  await sendInOrder(
    testKafka(),
    cfg.KAFKA_GROUP_ID,
    demoScenario('2026-11-23').map((step) => ({
      topic: topicOf(cfg, step.input, step.xml),
      value: step.xml,
    })),
  );
}
