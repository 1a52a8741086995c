import * as kafkajs from 'kafkajs';
import { logLevel } from 'kafkajs';
import { errorCodes } from 'kafkajs/src/protocol/error';
import { pinoLevelOf } from '../../../services/kafka/log';
import {
  fatalCause,
  isConcurrentTransactions,
  isFenced,
  retrying,
  retryingConcurrentTransactions,
} from '../../../services/kafka/retriable';

/** kafkajs' error classes as its JavaScript constructs them (its typings declare fewer arguments). */
const K = kafkajs as unknown as Record<string, new (...args: unknown[]) => Error>;
/** As kafkajs' retrier wraps what it gives up on (src/retry/index.js). */
const exhausted = (e: Error) =>
  new K.KafkaJSNumberOfRetriesExceeded!(e, { retryCount: 5, retryTime: 1000, cause: e });
const bailed = (e: Error) => new K.KafkaJSNonRetriableError!(e, { cause: e });
const protocol = (type: string) => new K.KafkaJSProtocolError!(errorCodes.find((c) => c.type === type)!);

describe('which Kafka and Redis failures are waited out', () => {
  it.each([
    'UNKNOWN_TOPIC_OR_PARTITION',
    'LEADER_NOT_AVAILABLE',
    'NOT_LEADER_FOR_PARTITION',
    'GROUP_COORDINATOR_NOT_AVAILABLE',
    'GROUP_LOAD_IN_PROGRESS',
    'NOT_COORDINATOR_FOR_GROUP',
    'CONCURRENT_TRANSACTIONS',
    'TOPIC_ALREADY_EXISTS',
  ])('%s is retried, also when kafkajs wrapped it after its own retries', (type) => {
    expect(fatalCause(protocol(type))).toBeUndefined();
    expect(fatalCause(exhausted(protocol(type)))).toBeUndefined();
  });

  it('retries a refused connection, a time-out and a Redis that is loading', () => {
    expect(
      fatalCause(new K.KafkaJSConnectionError!('Connection error: connect ECONNREFUSED')),
    ).toBeUndefined();
    expect(
      fatalCause(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' })),
    ).toBeUndefined();
    expect(fatalCause(new Error('LOADING Redis is loading the dataset in memory'))).toBeUndefined();
  });

  it.each([
    'TOPIC_AUTHORIZATION_FAILED',
    'GROUP_AUTHORIZATION_FAILED',
    'CLUSTER_AUTHORIZATION_FAILED',
    'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
    'SASL_AUTHENTICATION_FAILED',
    'INVALID_REPLICATION_FACTOR',
  ])('%s is fatal, also inside a wrapper or an aggregate', (type) => {
    expect(fatalCause(protocol(type))).toMatch(type);
    expect(fatalCause(bailed(protocol(type)))).toMatch(type);
    expect(
      fatalCause(
        Object.assign(new Error('aggregate'), { errors: [protocol('LEADER_NOT_AVAILABLE'), protocol(type)] }),
      ),
    ).toMatch(type);
  });

  it('is fatal on bad credentials and untrusted certificates', () => {
    expect(
      fatalCause(new K.KafkaJSSASLAuthenticationError!('SASL SCRAM SHA512 authentication failed')),
    ).toMatch('SASL');
    expect(fatalCause(new Error('WRONGPASS invalid username-password pair or user is disabled.'))).toMatch(
      'Redis',
    );
    expect(fatalCause(new Error('NOAUTH Authentication required.'))).toMatch('Redis');
    expect(
      fatalCause(
        Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
      ),
    ).toMatch('TLS');
  });

  it.each([
    'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN', // Node 20 (OpenSSL 3.0)
    'ERR_SSL_SSL/TLS_ALERT_CERTIFICATE_UNKNOWN', // Node 24 (OpenSSL 3.5 renamed the reason)
    'ERR_SSL_SSL/TLS_ALERT_BAD_CERTIFICATE',
    'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
    'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  ])('a refused client certificate (%s) is fatal, inside a kafkajs connection error too', (code) => {
    const tls = Object.assign(new Error('ssl/tls alert certificate unknown'), { code });
    expect(fatalCause(tls)).toMatch(`TLS ${code}`);
    const wrapped = new K.KafkaJSConnectionError!('Connection error: ssl/tls alert', { code });
    expect(fatalCause(wrapped)).toMatch('TLS');
  });

  it('retrying() repeats until success, and gives up at once on a fatal error', async () => {
    let n = 0;
    await expect(
      retrying(async () => {
        if (++n < 3) throw protocol('UNKNOWN_TOPIC_OR_PARTITION');
        return n;
      }),
    ).resolves.toBe(3);
    let m = 0;
    await expect(
      retrying(async () => {
        m++;
        throw protocol('TOPIC_AUTHORIZATION_FAILED');
      }),
    ).rejects.toThrow('Not authorized');
    expect(m).toBe(1);
  });
});

describe('a fenced transactional producer', () => {
  it('is recognised as kafkajs gives it: the broker error, and wrapped after kafkajs gave up', () => {
    const fenced = protocol('INVALID_PRODUCER_EPOCH');
    expect(isFenced(fenced)).toBe(true);
    expect(isFenced(bailed(fenced))).toBe(true);
    expect(isFenced(exhausted(fenced))).toBe(true);
  });

  it('is not any other failure of a transaction', () => {
    for (const type of ['CONCURRENT_TRANSACTIONS', 'NOT_COORDINATOR_FOR_GROUP', 'REQUEST_TIMED_OUT'])
      expect(isFenced(exhausted(protocol(type)))).toBe(false);
    expect(isFenced(new Error('connect ECONNREFUSED 127.0.0.1:9092'))).toBe(false);
  });
});

describe("kafkajs' log levels in pino", () => {
  const msg = (type: string) => errorCodes.find((c) => c.type === type)!.message;
  it.each([
    ['Response Metadata(key: 3, version: 6)', msg('UNKNOWN_TOPIC_OR_PARTITION')],
    ['Response FindCoordinator(key: 10, version: 2)', msg('GROUP_COORDINATOR_NOT_AVAILABLE')],
    ['Response JoinGroup(key: 11, version: 5)', msg('GROUP_LOAD_IN_PROGRESS')],
    ['Response Produce(key: 0, version: 7)', msg('NOT_LEADER_FOR_PARTITION')],
    ['The group is rebalancing, re-joining', msg('REBALANCE_IN_PROGRESS')],
  ])('an answer kafkajs retries is debug: %s (%s)', (message, error) => {
    expect(pinoLevelOf(logLevel.ERROR, message, error)).toBe('debug');
  });

  it.each([
    ['Connection error: connect ECONNREFUSED 127.0.0.1:9092', undefined],
    ['Crash: KafkaJSNumberOfRetriesExceeded: Connection error', undefined],
    ['Restarting the consumer in 300ms', undefined],
    ['Failed to connect to broker, reconnecting', undefined],
    // a retried CreateTopics answered TOPIC_ALREADY_EXISTS, which kafkajs' createTopics takes as success
    ['Response CreateTopics(key: 19, version: 3)', 'Topic creation errors'],
  ])('a transient problem is warn: %s', (message, error) => {
    expect(pinoLevelOf(logLevel.ERROR, message, error)).toBe('warn');
  });

  it("kafkajs' notice on the idempotent producer's retries is debug (the sink aborts a failed transaction)", () => {
    const notice = 'Limiting retries for the idempotent producer may invalidate EoS guarantees';
    expect(pinoLevelOf(logLevel.WARN, notice, undefined)).toBe('debug');
    expect(pinoLevelOf(logLevel.WARN, 'Some other warning', undefined)).toBe('warn');
  });

  it('what needs a person stays error, and warn stays warn', () => {
    expect(
      pinoLevelOf(
        logLevel.ERROR,
        'Response SaslAuthenticate(key: 36, version: 1)',
        msg('SASL_AUTHENTICATION_FAILED'),
      ),
    ).toBe('error');
    expect(
      pinoLevelOf(
        logLevel.ERROR,
        'Response CreateTopics(key: 19, version: 3)',
        msg('TOPIC_AUTHORIZATION_FAILED'),
      ),
    ).toBe('error');
    expect(pinoLevelOf(logLevel.WARN, 'anything', undefined)).toBe('warn');
  });
});

describe('retryingConcurrentTransactions (a transaction whose first request is AddOffsetsToTxn)', () => {
  const retry = { initialRetryTime: 1, retries: 4 };

  it('asks again while the coordinator answers CONCURRENT_TRANSACTIONS, as kafkajs gives it', async () => {
    let calls = 0;
    const send = () =>
      ++calls <= 3 ? Promise.reject(protocol('CONCURRENT_TRANSACTIONS')) : Promise.resolve('sent');
    await expect(retryingConcurrentTransactions(send, retry)).resolves.toBe('sent');
    expect(calls).toBe(4);
  });

  it('gives the answer up after its retries, and any other failure at once', async () => {
    let calls = 0;
    const busy = () => {
      calls++;
      return Promise.reject(bailed(protocol('CONCURRENT_TRANSACTIONS')));
    };
    await expect(retryingConcurrentTransactions(busy, retry)).rejects.toThrow();
    expect(calls).toBe(5);
    calls = 0;
    const fenced = () => {
      calls++;
      return Promise.reject(protocol('INVALID_PRODUCER_EPOCH'));
    };
    await expect(retryingConcurrentTransactions(fenced, retry)).rejects.toThrow();
    expect(calls).toBe(1);
  });

  it('recognises the answer wrapped or not, and nothing else', () => {
    expect(isConcurrentTransactions(protocol('CONCURRENT_TRANSACTIONS'))).toBe(true);
    expect(isConcurrentTransactions(exhausted(protocol('CONCURRENT_TRANSACTIONS')))).toBe(true);
    expect(isConcurrentTransactions(protocol('NOT_COORDINATOR_FOR_GROUP'))).toBe(false);
    expect(isConcurrentTransactions(new Error('CONCURRENT_TRANSACTIONS'))).toBe(false);
  });
});
