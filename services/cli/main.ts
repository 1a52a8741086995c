import { ConfigError, loadConfig } from '../config';
import { SamenloopService } from '../kafka/service';
import { createLogger } from '../log';

/** The processor's entry point: `npm start` (tsx) or `node dist/services/cli/main.js`. */
async function main(): Promise<void> {
  let cfg;
  try {
    cfg = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(cfg.LOG_LEVEL);
  const service = new SamenloopService(cfg, log);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing the batch in hand');
    service
      .stop()
      .then(() => {
        log.info('stopped');
        process.exit(0);
      })
      .catch((err: Error) => {
        log.error({ err: err.message }, 'unclean stop');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  try {
    await service.start();
  } catch (err) {
    log.fatal({ err: (err as Error).message }, 'failed to start');
    await service.stop().catch(() => undefined);
    process.exit(1);
  }
}

void main();
