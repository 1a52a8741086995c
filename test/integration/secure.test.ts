import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { Partitioners } from 'kafkajs';
import { loadConfig } from '../../services/config';
import { createKafka } from '../../services/kafka/client';
import { RedisStore } from '../../services/register/redis-store';
import { buildIo31, buildWmo301, validBsn } from '../fixtures/builders';
import { samenloop } from '../support/cli';
import { PROJECT_ROOT, freePort, uniqueRunId } from '../support/infra';
import { collect, isolatedEnv, testKafka, waitFor } from '../support/kafka';
import { httpGet } from '../support/outage';
import { mtlsEnv, redisTlsEnv, saslEnv, secureStack, type SecureStack } from '../support/secure';
import { wmoTopic } from '../support/topics';

/**
 * The processor on the secured local stack (infra/secure.sh): Kafka over SASL_SSL (SCRAM-SHA-512) and over
 * mutual TLS, each as User:processor with exactly the ACLs `samenloop acls --processor` gives it (the
 * broker allows nothing else), and Redis over TLS with a client certificate and an ACL user. A wrong
 * password, an untrusted certificate or a refused client certificate stops it with exit 3 and a message
 * that names the setting, and never shows the secret.
 */
const GEMEENTE = '9999';

function startProcessor(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/cli/main.ts'], {
    cwd: PROJECT_ROOT,
    // nothing of the test's own connection settings leaks in: only what is given here
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  return { child, output: () => out };
}

function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | string> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the processor did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(t);
      resolve(code ?? String(signal));
    });
  });
}

/** Isolated topics, group and Redis prefix, the processing day pinned, a free HTTP port. */
async function runEnv(): Promise<{ run: string; port: number; env: Record<string, string> }> {
  const run = uniqueRunId();
  const port = await freePort();
  return {
    run,
    port,
    env: {
      ...isolatedEnv(run),
      GEMEENTEN: GEMEENTE,
      TOPIC_PARTITIONS: '2',
      SAMENLOOP_TODAY: '2026-11-23',
      HTTP_PORT: String(port),
      LOG_LEVEL: 'info',
      START_TIMEOUT_MS: '120000',
    },
  };
}

/** The processor's ACLs, created by `samenloop acls --processor --apply` as the admin over SASL_SSL. */
async function applyProcessorAcls(s: SecureStack, env: Record<string, string>): Promise<string> {
  const r = await samenloop(['acls', '--processor', '--apply'], { ...env, ...saslEnv(s, 'admin') });
  expect(r).toMatchObject({ code: 0, stderr: '' });
  return r.stdout;
}

/** Feeds an IO31 and the gemeente's WMO301 of one client (as the super user) and waits for its signal. */
async function oneSignal(run: string, env: Record<string, string>): Promise<void> {
  const cfg = loadConfig(env);
  const kafka = testKafka();
  const bsn = validBsn(7301);
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  await producer.send({ topic: cfg.TOPIC_INDICATIEBESLUITEN, messages: [{ value: buildIo31({ bsn }) }] });
  await producer.send({
    topic: wmoTopic(cfg, GEMEENTE),
    messages: [
      { value: buildWmo301({ bsn, gemeente: GEMEENTE, ingangsdatum: '2026-01-01', einddatum: null }) },
    ],
  });
  await producer.disconnect();
  const { records, consumer } = await collect(kafka, [`${run}.gemeente.${GEMEENTE}.samenloop`]);
  try {
    await waitFor(() => records.length >= 1, 60000, 200, 'the signal');
  } finally {
    await consumer.disconnect();
  }
  const event = JSON.parse(records[0]!.value!.toString('utf8')) as { data: { client: { bsn: string } } };
  expect(event.data.client.bsn).toBe(bsn);
}

/** Runs a processor with `env` until it has signalled one client, then stops it; exit 0, no error line. */
async function processesEndToEnd(run: string, port: number, env: Record<string, string>): Promise<void> {
  const { child, output } = startProcessor(env);
  const exited = exitOf(child, 600000);
  try {
    await waitFor(
      async () => (await httpGet(port, '/readyz').catch(() => ({ status: 0 }))).status === 200,
      60000,
      250,
      `/readyz 200 (output so far: ${output().slice(-3000)})`,
    );
    await oneSignal(run, env);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited.catch(() => undefined);
  }
  const levels = output()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { level: number; msg: string });
  expect(levels.filter((e) => e.level >= 50)).toEqual([]);
  expect(levels.map((e) => e.msg)).toContain('samenloop processor started');
}

describe('the processor on the secured stack', () => {
  let s: SecureStack;
  beforeAll(() => {
    s = secureStack();
  });

  it('runs over SASL_SSL as User:processor with exactly its ACLs, and on Redis over TLS with an ACL user', async () => {
    const { run, port, env } = await runEnv();
    const printed = await applyProcessorAcls(s, env);
    expect(printed).toContain(`User:processor  ALLOW  WRITE   TRANSACTIONAL_ID  PREFIXED  ${run}-processor.`);
    await processesEndToEnd(run, port, { ...env, ...saslEnv(s, 'processor'), ...redisTlsEnv(s) });
  }, 600000);

  it('runs over mutual TLS as User:processor (its certificate) with exactly its ACLs', async () => {
    const { run, port, env } = await runEnv();
    await applyProcessorAcls(s, env);
    await processesEndToEnd(run, port, { ...env, ...mtlsEnv(s, 'processor'), ...redisTlsEnv(s) });
  }, 600000);

  it('without its ACLs it is refused: exit 3, naming what to look at', async () => {
    const { env } = await runEnv();
    const { child, output } = startProcessor({ ...env, ...saslEnv(s, 'processor'), ...redisTlsEnv(s) });
    expect(await exitOf(child, 300000)).toBe(3);
    expect(output()).toMatch(/AUTHORIZATION_FAILED.*samenloop acls --processor/);
  }, 300000);

  it('stops with exit 3 and the name of the setting on a wrong password or an untrusted certificate', async () => {
    const { env } = await runEnv();
    const kafkaPassword = fs.readFileSync(s.file('processor.password'), 'utf8');
    const redisPassword = fs.readFileSync(s.file('redis.password'), 'utf8');
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      [
        'a wrong Kafka password',
        { ...saslEnv(s, 'processor'), KAFKA_SASL_PASSWORD_FILE: '', KAFKA_SASL_PASSWORD: 'not-the-password' },
        /connect to Kafka: .*SASL.*check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/,
      ],
      [
        "a CA that did not sign the broker's certificate",
        { ...saslEnv(s, 'processor'), KAFKA_SSL_CA_FILE: s.file('other-ca.crt') },
        /connect to Kafka: TLS UNABLE_TO_VERIFY_LEAF_SIGNATURE.*check KAFKA_SSL_CA/,
      ],
      [
        'a broker name its certificate does not carry',
        { ...saslEnv(s, 'processor'), KAFKA_SSL_SERVERNAME: 'kafka.example.org' },
        /connect to Kafka: TLS ERR_TLS_CERT_ALTNAME_INVALID.*KAFKA_SSL_SERVERNAME/,
      ],
      [
        'a client certificate of an untrusted CA (mutual TLS)',
        {
          ...mtlsEnv(s, 'processor'),
          KAFKA_SSL_CERT_FILE: s.file('stranger.crt'),
          KAFKA_SSL_KEY_FILE: s.file('stranger.key'),
        },
        /connect to Kafka: TLS .*check KAFKA_SSL_CERT and KAFKA_SSL_KEY/,
      ],
      [
        'a wrong Redis password',
        { ...redisTlsEnv(s), REDIS_PASSWORD_FILE: '', REDIS_PASSWORD: 'not-the-password' },
        /reach Redis: .*WRONGPASS.*check REDIS_USERNAME and REDIS_PASSWORD/,
      ],
      [
        "a CA that did not sign Redis' certificate",
        { ...redisTlsEnv(s), REDIS_TLS_CA_FILE: s.file('other-ca.crt') },
        /reach Redis: .*TLS [A-Z_]+: .*check REDIS_TLS_CA/,
      ],
    ];
    // Kafka over plaintext where only Redis is wrong, Redis over TLS where only Kafka is wrong.
    const results = await Promise.all(
      cases.map(async ([what, extra, expected]) => {
        const base = {
          ...env,
          KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
          ...redisTlsEnv(s),
        };
        const { child, output } = startProcessor({ ...base, ...extra, HTTP_PORT: '0' });
        const code = await exitOf(child, 300000);
        const fatal = output()
          .split('\n')
          .filter((l) => l.includes('"level":60'))
          .join('\n');
        return {
          what,
          code,
          matches: expected.test(fatal),
          fatal: expected.test(fatal) ? '' : output().slice(-1500),
          leaks: [kafkaPassword, redisPassword].some((p) => output().includes(p)),
        };
      }),
    );
    expect(results).toEqual(
      cases.map(([what]) => ({ what, code: 3, matches: true, fatal: '', leaks: false })),
    );
  }, 600000);

  it('gives the register over TLS to the command line too (inspect reads Redis as the ACL user)', async () => {
    const { env } = await runEnv();
    const cfg = loadConfig({ ...env, ...redisTlsEnv(s) });
    const store = RedisStore.fromConfig(cfg);
    try {
      await store.ping();
    } finally {
      await store.close();
    }
    const kafka = createKafka(loadConfig({ ...env, ...mtlsEnv(s, 'admin') }));
    const admin = kafka.admin();
    await admin.connect();
    expect(Array.isArray(await admin.listTopics())).toBe(true);
    await admin.disconnect();
  }, 120000);
});
