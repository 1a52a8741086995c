/**
 * `samenloop console` (and `npm run console`): the gemeente's web console. Starts the read model (Projector),
 * the Kafka producer for audit records and commands, and the HTTP server; stops them on SIGINT/SIGTERM.
 */
import { Redis } from 'ioredis';
import { redisConnectionOptions } from '../config/redis-connection';
import type { Logger } from 'pino';
import { createLogger } from '../log';
import { buildApp } from './app';
import { Auth } from './auth';
import { loadConsoleConfig, type ConsoleConfig } from './config';
import { ConsoleKafka } from './kafka';
import { Projector } from './projector';
import { ConsoleStore } from './store';

export interface RunningConsole {
  url: string;
  port: number;
  store: ConsoleStore;
  projector: Projector;
  stop(): Promise<void>;
}

export async function startConsole(
  cfg: ConsoleConfig,
  log: Logger,
  opts: { herbouw?: boolean; now?: () => Date } = {},
): Promise<RunningConsole> {
  const redis = new Redis(cfg.base.REDIS_URL, {
    ...redisConnectionOptions(cfg.base),
    lazyConnect: true,
    maxRetriesPerRequest: 3,
  });
  await redis.connect();
  const store = new ConsoleStore(redis, cfg.console.CONSOLE_REDIS_PREFIX);
  if (opts.herbouw) {
    const gen = await store.herbouw(cfg.console.CONSOLE_GEMEENTEN);
    log.info({ generatie: gen }, 'console read model: deleted, rebuilding from the topics');
  }
  const kafka = new ConsoleKafka(cfg);
  await kafka.start();
  const projector = new Projector(cfg, store, log);
  await projector.start();
  const auth = new Auth(cfg, store);
  const app = await buildApp({ cfg, store, auth, kafka, log, ...(opts.now ? { now: opts.now } : {}) });
  await app.listen({ port: cfg.console.CONSOLE_PORT, host: cfg.console.CONSOLE_HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : cfg.console.CONSOLE_PORT;
  log.info({ url: cfg.console.CONSOLE_BASE_URL, port }, 'console: listening');
  return {
    url: cfg.console.CONSOLE_BASE_URL,
    port,
    store,
    projector,
    stop: async () => {
      await app.close();
      await projector.stop();
      await kafka.stop();
      redis.disconnect();
    },
  };
}

/** Runs the console until SIGINT or SIGTERM. */
export async function runConsole(env: NodeJS.ProcessEnv, opts: { herbouw?: boolean } = {}): Promise<void> {
  const cfg = loadConsoleConfig(env);
  const log = createLogger(cfg.base.LOG_LEVEL);
  const running = await startConsole(cfg, log, opts);
  process.stdout.write(
    `samenloop console: ${running.url} (gemeenten ${cfg.console.CONSOLE_GEMEENTEN.join(', ')}); ` +
      `log in at ${running.url}/inloggen\n`,
  );
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await running.stop();
}

if (require.main === module) {
  runConsole(process.env, { herbouw: process.argv.includes('--herbouw') }).catch((err: unknown) => {
    process.stderr.write(`samenloop console: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
