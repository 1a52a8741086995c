import { ConfigError } from '../config/errors';
import { scrubBsn, type Logger } from '../log';
import { settingHint } from './client';
import { backoffMs, fatalCause } from './retriable';

/**
 * A start that could not complete: a fatal answer (credentials, authorization, a configuration the
 * cluster refuses), or retriable errors that did not pass within START_TIMEOUT_MS. The entry point exits
 * with code 3 and this message, which names the step and the cause.
 */
export class StartError extends Error {
  constructor(
    readonly step: string,
    readonly reason: string,
    readonly timedOut: boolean,
  ) {
    super(
      timedOut
        ? `${step}: still failing when the start timeout (START_TIMEOUT_MS) ran out: ${reason}`
        : `${step}: ${reason}`,
    );
    this.name = 'StartError';
  }
}

export class StartAborted extends Error {
  constructor() {
    super('the start was aborted: the service is stopping');
    this.name = 'StartAborted';
  }
}

export interface StartClock {
  /** Epoch ms by which the whole start must be done. */
  deadline: number;
  stopping: () => boolean;
  log: Logger;
}

const messageOf = (err: unknown) => scrubBsn(err instanceof Error ? err.message : String(err));

/**
 * One start-up step (connect, create topics, reach Redis, check the register, join the group): retried
 * with backoff while its errors are retriable and the start deadline has not passed. Each retry is a
 * warn line, not an error: a broker that is still electing leaders is normal at start.
 */
export async function startStep<T>(step: string, clock: StartClock, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    if (clock.stopping()) throw new StartAborted();
    try {
      return await fn();
    } catch (err) {
      if (clock.stopping()) throw new StartAborted();
      if (err instanceof ConfigError) throw err; // no wait fixes a setting: the entry point exits 2
      const fatal = fatalCause(err);
      if (fatal !== undefined) {
        // the setting to look at: a wrong password, an untrusted certificate, a missing ACL
        const hint = settingHint(isKafkaError(err) ? 'Kafka' : 'Redis', fatal);
        throw new StartError(step, scrubBsn(fatal) + (hint === undefined ? '' : `; ${hint}`), false);
      }
      const wait = backoffMs(attempt);
      if (Date.now() + wait > clock.deadline) throw new StartError(step, messageOf(err), true);
      clock.log.warn({ step, attempt, wait, err }, 'start: retriable error, retrying');
      const until = Date.now() + wait;
      while (Date.now() < until && !clock.stopping()) {
        await new Promise((r) => setTimeout(r, Math.min(200, until - Date.now())));
      }
    }
  }
}

const isKafkaError = (err: unknown) => err instanceof Error && err.name.startsWith('KafkaJS');

/** Resolves with `p`, or rejects with a retriable timeout once `ms` passed. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), Math.max(0, ms));
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
