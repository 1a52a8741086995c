import { settingHint } from '../kafka/client';
import { fatalCause } from '../kafka/retriable';

/**
 * Exit codes of the `samenloop` command line, and the error that carries one. Every message says what to do
 * next; none ever contains a BSN.
 */
export const EXIT = {
  /** Done. */
  OK: 0,
  /** The command line itself is wrong (unknown command or option, a missing argument). */
  USAGE: 1,
  /** The input was rejected: a file, a value or the configuration. */
  REJECTED: 2,
  /** Kafka or Redis could not be reached (or refused us). */
  INFRA: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usage = (message: string): CliError => new CliError(EXIT.USAGE, message);
export const rejected = (message: string): CliError => new CliError(EXIT.REJECTED, message);

/**
 * A Kafka or Redis failure, as an exit-3 error that names where it looked and what to try: for a refusal
 * no retry can fix (a password, a certificate, an ACL) the setting to look at.
 */
export function unreachable(what: 'Kafka' | 'Redis', where: string, err: unknown): CliError {
  const fatal = fatalCause(err);
  const cause = (fatal ?? (err instanceof Error ? err.message : String(err))).slice(0, 200);
  const setting = fatal === undefined ? undefined : settingHint(what, fatal);
  if (setting !== undefined)
    return new CliError(EXIT.INFRA, `${what} at ${where} refused the connection (${cause}): ${setting}`);
  const hint =
    what === 'Kafka'
      ? 'check KAFKA_BROKERS and that the broker runs (npm run infra:up starts a local one)'
      : 'check REDIS_URL and that Redis runs (npm run infra:up starts a local one)';
  return new CliError(EXIT.INFRA, `${what} at ${where} could not be reached (${cause}): ${hint}`);
}
