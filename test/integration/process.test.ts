import { fedTopics, wmoTopic } from '../support/topics';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Partitioners } from 'kafkajs';
import { startPrivateBroker, type BrokerHandle } from '../support/broker';
import { freePort, startRedisOnPort, type RedisHandle } from '../support/infra';
import { collect, testKafka, waitFor } from '../support/kafka';
import { committedOffsets, endOffsets, httpGet } from '../support/outage';
import { ISTANDAARDEN } from '../support/xsd';
import {
  entriesOf,
  exitOf,
  isReady,
  processEnv as isolatedProcessEnv,
  startProcessor,
} from '../support/processor-process';

/**
 * The processor as its users run it (`services/cli/main.ts` in a process of its own): it stops on SIGTERM
 * with exit code 0 after committing what it consumed, no log line carries a BSN in clear, a clean start
 * and stop logs nothing at error, it waits for a broker and a Redis that come up after it, a configuration
 * the cluster refuses stops it with exit code 3 and the cause, and a bad configuration stops it at once
 * with exit code 2 and the name of the variable.
 */
const BSN = '999990019';
const BAD_BSN = '123456789'; // fails the 11-proef

/** The processor of these tests: gemeente 9999's topics made at its start, everything logged. */
const processEnv = (extra: Record<string, string> = {}) =>
  isolatedProcessEnv({ GEMEENTEN: '9999', LOG_LEVEL: 'debug', ...extra });

describe('the processor process', () => {
  it('stops on SIGTERM with exit 0 after committing, and logs no BSN in clear', async () => {
    const { run, cfg, port, env } = await processEnv();
    const { child, output } = startProcessor(env);
    const exited = exitOf(child, 600000);
    const kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    try {
      await waitFor(() => isReady(port), 60000, 200, `/readyz 200 (output so far: ${output().slice(-2000)})`);
      const io31 = fs.readFileSync(path.join(ISTANDAARDEN, 'iwlz/examples/io31-example.xml'), 'utf8');
      const wmo301 = fs.readFileSync(
        path.join(ISTANDAARDEN, 'iwmo/examples/wmo301-beeindiging-example.xml'),
        'utf8',
      );
      expect(io31).toContain(BSN);
      const producer = kafka.producer({
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      await producer.send({ topic: cfg.TOPIC_INDICATIEBESLUITEN, messages: [{ value: io31 }] });
      await producer.send({
        topic: wmoTopic(cfg, '9999'),
        messages: [
          { value: wmo301 },
          // Dead-lettered: its reason names the bad BSN, which must not reach the log in clear.
          { value: wmo301.replaceAll(BSN, BAD_BSN) },
          // Dead-lettered: a BSN in the wrong element is quoted in the reason; it must be masked.
          { value: wmo301.replace('<iwmo:Datum>1938-04-02</iwmo:Datum>', `<iwmo:Datum>${BSN}</iwmo:Datum>`) },
          { value: `<?xml version="1.0"?><Bericht><Bsn>${BSN}</Bsn>` },
        ],
      });
      await producer.disconnect();

      const { records, consumer } = await collect(kafka, [cfg.TOPIC_DLQ]);
      await waitFor(() => records.length >= 3, 30000, 200, 'three dead letters');
      await consumer.disconnect();
      const topics = fedTopics({ ...cfg, GEMEENTEN: ['9999'] });
      await waitFor(
        async () => {
          const [ends, committed] = await Promise.all([
            endOffsets(admin, topics),
            committedOffsets(admin, cfg.KAFKA_GROUP_ID, topics),
          ]);
          return [...ends].every(([tp, end]) => end === 0n || committed.get(tp) === end);
        },
        30000,
        200,
        'every input committed',
      );
      expect((await admin.listTopics()).includes(`${run}.gemeente.9999.samenloop`)).toBe(true);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited.catch(() => undefined);
      await admin.disconnect();
    }

    const lines = output()
      .split('\n')
      .filter((l) => l.trim() !== '');
    // Every line is pino JSON, and the run is really logged: dead letters and per-record debug lines.
    const entries = lines.map((l) => JSON.parse(l) as { msg?: string });
    const messages = entries.map((e) => e.msg);
    expect(messages).toContain('input dead-lettered');
    expect(messages).toContain('record');
    expect(messages).toContain('stopping: finishing the batch in hand');
    expect(messages[messages.length - 1]).toBe('stopped');
    expect(lines.filter((l) => l.includes(BSN) || l.includes(BAD_BSN))).toEqual([]);
  }, 480000);

  it('logs nothing at error or fatal on a clean start and stop on fresh topics', async () => {
    const { port, env } = await processEnv();
    const { child, output } = startProcessor(env);
    const exited = exitOf(child, 600000);
    try {
      await waitFor(() => isReady(port), 60000, 200, `/readyz 200 (output so far: ${output().slice(-2000)})`);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited.catch(() => undefined);
    }
    const entries = entriesOf(output());
    expect(entries.map((e) => e.msg)).toContain('samenloop processor started');
    expect(entries.filter((e) => e.level >= 50)).toEqual([]);
  }, 300000);

  it('waits for a Redis and a broker that come up after it, not ready meanwhile, and logs no error', async () => {
    const kafkaPort = await freePort();
    const redisPort = await freePort();
    const { port, env } = await processEnv({
      KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    });
    const { child, output } = startProcessor(env);
    const exited = exitOf(child, 600000);
    let broker: BrokerHandle | undefined;
    let redis: RedisHandle | undefined;
    try {
      // Nothing answers yet: the process lives, is healthy, and says it is not ready.
      await waitFor(
        async () => (await httpGet(port, '/healthz').catch(() => ({ status: 0 }))).status === 200,
        60000,
        200,
        `/healthz 200 (output so far: ${output().slice(-2000)})`,
      );
      for (let i = 0; i < 3; i++) {
        expect((await httpGet(port, '/readyz')).status).toBe(503);
        await new Promise((r) => setTimeout(r, 1000));
      }
      redis = await startRedisOnPort(redisPort);
      broker = await startPrivateBroker({ port: kafkaPort });
      await waitFor(
        () => isReady(port),
        120000,
        250,
        `/readyz 200 (output so far: ${output().slice(-3000)})`,
      );
      expect(child.exitCode).toBeNull();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited.catch(() => undefined);
      await broker?.stop();
      await redis?.stop();
    }
    const entries = entriesOf(output());
    // What it waited out is there, as warnings: the refused connections to Redis and to the broker.
    expect(entries.filter((e) => e.level === 40).length).toBeGreaterThan(0);
    expect(entries.filter((e) => e.level >= 50)).toEqual([]);
  }, 600000);

  it('stops with exit 3 and the cause when the cluster refuses its configuration', async () => {
    // One broker cannot hold three replicas: INVALID_REPLICATION_FACTOR, which no retry can fix.
    const { env } = await processEnv({ TOPIC_REPLICATION_FACTOR: '3' });
    const { child, output } = startProcessor(env);
    expect(await exitOf(child, 300000)).toBe(3);
    const fatal = entriesOf(output()).filter((e) => e.level >= 60);
    expect(fatal).toHaveLength(1);
    expect(JSON.stringify(fatal[0])).toMatch(/create the topics: INVALID_REPLICATION_FACTOR/);
  }, 300000);

  it('refuses a bad configuration with exit 2 and the name of the variable', async () => {
    const { child, output } = startProcessor({ HTTP_PORT: 'eighty', LOG_LEVEL: 'silent' });
    expect(await exitOf(child, 60000)).toBe(2);
    expect(output()).toContain('HTTP_PORT');
  }, 300000);
});
