/**
 * Which failures of Kafka and Redis are worth waiting out. A start-up step, an admin call right after a
 * topic was created, a group join while the coordinator loads: the broker answers with errors that pass
 * by themselves (no leader yet, coordinator loading, connection refused while it starts). Only a few
 * answers mean that waiting cannot help: bad credentials, a refused authorization, a certificate that is
 * not trusted, a configuration the cluster rejects. Those are `fatal`; everything else is retried.
 */

/** kafkajs protocol error types that no retry can fix. */
const FATAL_KAFKA_TYPES = new Set([
  'SASL_AUTHENTICATION_FAILED',
  'UNSUPPORTED_SASL_MECHANISM',
  'ILLEGAL_SASL_STATE',
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'DELEGATION_TOKEN_AUTHORIZATION_FAILED',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_REPLICA_ASSIGNMENT',
  'INVALID_PARTITIONS',
  'INVALID_CONFIG',
  'INVALID_TOPIC_EXCEPTION',
  'POLICY_VIOLATION',
  'UNSUPPORTED_VERSION',
]);

/** kafkajs error classes that no retry can fix. */
const FATAL_KAFKA_NAMES = new Set([
  'KafkaJSSASLAuthenticationError',
  'KafkaJSServerDoesNotSupportApiKey',
  'KafkaJSNotImplemented',
  // TOPIC_CREATE=false and a topic is missing (./topics.ts): its owners must make it
  'MissingTopicsError',
]);

/** Redis replies that no retry can fix (ACL user, password, permissions). */
const FATAL_REDIS = /^(WRONGPASS|NOAUTH|NOPERM)\b|invalid (username-)?password/i;

/** Node TLS error codes of a certificate that is not trusted or does not match. */
const FATAL_TLS = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
/**
 * The server refused our client certificate (mutual TLS): a TLS alert. Node names the code after OpenSSL's
 * reason text, which OpenSSL 3.2 changed from `sslv3 alert …` to `ssl/tls alert …` (Node 20 gives
 * ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN, Node 24 ERR_SSL_SSL/TLS_ALERT_CERTIFICATE_UNKNOWN).
 */
const FATAL_TLS_ALERT =
  /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13|SSL\/TLS)_ALERT_(?:CERTIFICATE_UNKNOWN|BAD_CERTIFICATE|CERTIFICATE_REQUIRED|UNKNOWN_CA)$/;
const isFatalTls = (code: string): boolean => FATAL_TLS.has(code) || FATAL_TLS_ALERT.test(code);

interface ErrorLike {
  name?: unknown;
  type?: unknown;
  code?: unknown;
  message?: unknown;
  originalError?: unknown;
  cause?: unknown;
  errors?: unknown;
  lastNodeError?: unknown;
}

/** The errors inside an error: kafkajs' originalError, `cause`, an aggregate's `errors`, ioredis' lastNodeError. */
function* causes(err: unknown, depth = 0): Generator<ErrorLike> {
  if (err === null || typeof err !== 'object' || depth > 8) return;
  const e = err as ErrorLike;
  yield e;
  yield* causes(e.originalError, depth + 1);
  yield* causes(e.cause, depth + 1);
  yield* causes(e.lastNodeError, depth + 1);
  if (Array.isArray(e.errors)) for (const x of e.errors) yield* causes(x, depth + 1);
}

/**
 * Why waiting cannot help, or undefined when the error may pass by itself (then retry it). Looks through
 * wrapped causes: kafkajs wraps the broker's answer in KafkaJSNumberOfRetriesExceeded or NonRetriableError.
 */
export function fatalCause(err: unknown): string | undefined {
  for (const e of causes(err)) {
    const message = typeof e.message === 'string' ? e.message : '';
    if (typeof e.type === 'string' && FATAL_KAFKA_TYPES.has(e.type)) return `${e.type}: ${message}`;
    if (typeof e.name === 'string' && FATAL_KAFKA_NAMES.has(e.name)) return `${e.name}: ${message}`;
    if (typeof e.code === 'string' && isFatalTls(e.code)) return `TLS ${e.code}: ${message}`;
    if (FATAL_REDIS.test(message)) return `Redis: ${message}`;
  }
  return undefined;
}

/**
 * The kafkajs client's own retries. A transaction's AddPartitionsToTxn / AddOffsetsToTxn right after the
 * previous commit is answered CONCURRENT_TRANSACTIONS while the coordinator still writes that commit's
 * markers (kafkajs retries it with the client's settings, not the producer's): the default first wait of
 * 300 ms held every back-to-back transaction of a partition that long. A first wait of 20 ms, doubling,
 * with 10 retries keeps about the default's patience (≈20 s) for everything else.
 */
export const KAFKA_CLIENT_RETRY = { initialRetryTime: 20, retries: 10 } as const;

/**
 * Runs a transaction's `sendOffsets` again while its AddOffsetsToTxn is answered CONCURRENT_TRANSACTIONS
 * (KAFKA_CLIENT_RETRY's waits: 20 ms, doubling, 10 times). kafkajs retries that answer for AddPartitionsToTxn,
 * with the client's retry, but not for AddOffsetsToTxn, which is a transaction's first request when it has no
 * records to send (a chunk of duplicates, or of ticks that changed nothing): right after the producer's previous
 * commit, while the coordinator still writes its markers, 45 of 50 such transactions failed on the local broker,
 * and each failure aborted the chunk and had its batch processed again. The failed call changed nothing in the
 * transaction (kafkajs notes the offsets as added only after the answer), so calling it again is safe.
 */
export function retryingConcurrentTransactions<T>(
  send: () => Promise<T>,
  retry: { initialRetryTime: number; retries: number } = KAFKA_CLIENT_RETRY,
): Promise<T> {
  return retryWhile(send, (err, attempt) =>
    attempt < retry.retries && isConcurrentTransactions(err)
      ? retry.initialRetryTime * 2 ** attempt
      : undefined,
  );
}

/** The coordinator is still completing the producer's previous transaction. */
export function isConcurrentTransactions(err: unknown): boolean {
  for (const e of causes(err)) if (e.type === 'CONCURRENT_TRANSACTIONS') return true;
  return false;
}

export const isRetriable = (err: unknown): boolean => fatalCause(err) === undefined;

/** The transaction failed because a newer producer with its transactional.id fenced this one. */
export function isFenced(err: unknown): boolean {
  for (const e of causes(err)) {
    if (e.type === 'INVALID_PRODUCER_EPOCH' || e.type === 'PRODUCER_FENCED') return true;
    if (typeof e.message === 'string' && /old epoch|has been fenced/i.test(e.message)) return true;
  }
  return false;
}

/** Exponential backoff: 250 ms, 500 ms, … up to 5 s. */
export const backoffMs = (attempt: number): number => Math.min(5000, 250 * 2 ** Math.min(attempt, 10));

/**
 * Runs `fn` until it succeeds, retrying retriable errors with backoff until `timeoutMs` has passed; a
 * fatal error or the deadline ends it with the last error. For admin calls right after topic creation.
 */
export function retrying<T>(fn: () => Promise<T>, timeoutMs = 60000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return retryWhile(fn, (err, attempt) => {
    const wait = backoffMs(attempt);
    return isRetriable(err) && Date.now() + wait <= deadline ? wait : undefined;
  });
}

/**
 * Runs `fn` until it succeeds; after a failure `again` says how long to wait before the next attempt (attempts
 * counted from 0), or undefined to end with that failure.
 */
async function retryWhile<T>(
  fn: () => Promise<T>,
  again: (err: unknown, attempt: number) => number | undefined,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const wait = again(err, attempt);
      if (wait === undefined) throw err;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
