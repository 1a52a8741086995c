// First: the tracing SDK patches ioredis as it is loaded, so it must be set up before anything loads it.
import { startTracing } from '../tracing/setup';
import { ConfigError, loadConfig } from '../config';
import { limitHeapGrowth } from './heap';
import { boundedStop, EXIT_STOP_TIMEOUT, EXIT_STOPPED } from './stop';
import { SamenloopService } from '../kafka/service';
import { StartAborted, StartError } from '../kafka/startup';
import { createLogger, type Logger } from '../log';

/**
 * The processor's entry point: `npm start` (tsx) or `node dist/services/cli/main.js`.
 * Exit codes: 0 stopped on SIGTERM/SIGINT; 2 bad configuration (also: register keys that do not open the
 * register, found at start); 3 the start failed for a reason waiting
 * cannot fix (credentials, authorization, a configuration the cluster refuses) or did not complete within
 * START_TIMEOUT_MS; 4 a stop that did not finish within STOP_TIMEOUT_MS; 1 anything else (a bug).
 */
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
  limitHeapGrowth(cfg.HEAP_GROWING_PERCENT);
  const log = createLogger(cfg.LOG_LEVEL);
  routeProcessWarnings(log);
  const tracing = startTracing(cfg, log);
  let service: SamenloopService;
  try {
    service = new SamenloopService(cfg, log);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message); // the register keys (services/register/keys.ts): named, never shown
      process.exit(2);
    }
    throw err;
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, timeoutMs: cfg.STOP_TIMEOUT_MS }, 'stopping: finishing the batch in hand');
    const stopAll = async () => {
      await service.stop();
      await tracing.shutdown(); // the last spans go out before the process ends
    };
    boundedStop(stopAll, cfg.STOP_TIMEOUT_MS).then(
      (outcome) => {
        if (outcome === 'stopped') {
          log.info('stopped');
          process.exit(EXIT_STOPPED);
        }
        log.error(
          { timeoutMs: cfg.STOP_TIMEOUT_MS, exitCode: EXIT_STOP_TIMEOUT },
          'the stop did not finish within STOP_TIMEOUT_MS: exiting; what was not committed is processed again by the next owner',
        );
        process.exit(EXIT_STOP_TIMEOUT);
      },
      (err: unknown) => {
        log.error({ err }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  try {
    await service.start();
  } catch (err) {
    if (err instanceof StartAborted) return; // a signal came during the start: shutdown() exits
    const code = err instanceof ConfigError ? 2 : err instanceof StartError ? 3 : 1;
    log.fatal({ err, exitCode: code }, 'failed to start');
    await service.stop().catch(() => undefined);
    process.exit(code);
  }
}

/**
 * Node's process warnings (e.g. kafkajs' TimeoutNegativeWarning on Node 22+) as pino lines instead of
 * raw text on stderr: each kind once, at warn.
 */
function routeProcessWarnings(log: Logger): void {
  const seen = new Set<string>();
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    const key = `${w.name}:${(w as { code?: string }).code ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    log.warn({ warning: w.name, code: (w as { code?: string }).code }, w.message);
  });
}

void main();
