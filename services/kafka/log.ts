import { logLevel, type logCreator } from 'kafkajs';
import { errorCodes } from 'kafkajs/src/protocol/error';
import { scrubBsn, type Logger } from '../log';

/**
 * kafkajs' own log lines, into pino at a level that means what it says. kafkajs logs at `error` many
 * things it then retries by itself: a metadata answer while a new topic has no leader yet, a coordinator
 * that is loading, a leader that moved, a rebalance, a broker connection that is refused while it starts.
 * An operator who alerts on error lines must not be paged for a healthy start, so:
 *  - a broker answer that kafkajs or the service retries (a retriable protocol error, a rebalance, an
 *    unknown member that rejoins) is `debug`;
 *  - a connection or time-out problem, a consumer crash that kafkajs restarts, a failed batch that is
 *    retried: `warn` (the service's own readiness and error lines say when it lasts);
 *  - the rest stays `error`.
 * One warning is `debug`: kafkajs' "Limiting retries for the idempotent producer may invalidate EoS
 * guarantees", logged by every transactional producer made (one per input partition and takeover: hundreds in a
 * crash test). It does not apply here: the sink never relies on a producer's own retries for exactly-once; a
 * send that fails aborts its transaction, whose records a read_committed reader never sees, and the chunk goes
 * again in a new one (kafka/sink.ts).
 */
const EOS_RETRY_NOTICE = /^Limiting retries for the idempotent producer/;
const RETRIED_ANSWERS = new Set([
  ...errorCodes.filter((c) => c.retriable).map((c) => c.message),
  ...errorCodes
    .filter((c) => ['REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'MEMBER_ID_REQUIRED'].includes(c.type))
    .map((c) => c.message),
]);

const TRANSIENT =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|socket hang up|Connection (error|timeout)|Closed connection|timed out|Request .* timeout|re-?joining|rebalanc|Restarting the consumer|^Crash: |Error when calling eachBatch|Failed to connect to broker|Failed to send messages|KafkaJSNumberOfRetriesExceeded/i;

/**
 * kafkajs logs a CreateTopics answer with any per-topic error at `error` ("Topic creation errors"), also when every
 * one is TOPIC_ALREADY_EXISTS, which its createTopics then takes as success: the answer to a retry after a
 * creation that timed out waiting for its leaders (TopicManager.ensure). A creation that really failed is thrown
 * to the service, which says so itself (a start stops with exit 3 naming the cause): this line is `warn`.
 */
const TOPIC_CREATION_ERRORS = /^Topic creation errors$/;

export type PinoLevel = 'error' | 'warn' | 'info' | 'debug';

export function pinoLevelOf(level: logLevel, message: string, error: unknown): PinoLevel {
  if (level === logLevel.WARN) return EOS_RETRY_NOTICE.test(message) ? 'debug' : 'warn';
  if (level === logLevel.INFO) return 'info';
  if (level > logLevel.INFO) return 'debug';
  const err = typeof error === 'string' ? error : '';
  if (RETRIED_ANSWERS.has(err) || RETRIED_ANSWERS.has(message)) return 'debug';
  if (TRANSIENT.test(err) || TRANSIENT.test(message) || TOPIC_CREATION_ERRORS.test(err)) return 'warn';
  return 'error';
}

/** A kafkajs logCreator writing into `log` (the BSN scrubbed from free text, as everywhere). */
export function kafkaLogCreator(log: Logger): logCreator {
  return () =>
    ({ level, log: entry }) => {
      const { message, timestamp: _t, logger: _l, ...extra } = entry;
      const text = scrubBsn(String(message));
      if (typeof extra.error === 'string') extra.error = scrubBsn(extra.error);
      log[pinoLevelOf(level, text, extra.error)]({ kafkajs: extra }, text);
    };
}
