import { ConfigResourceTypes } from 'kafkajs';
import { loadConfig } from '../../services/config';
import { SamenloopService } from '../../services/kafka/service';
import { MissingTopicsError, TopicManager } from '../../services/kafka/topics';
import { createLogger } from '../../services/log';
import { gemeenteTopic, gemeenteTopics, inputTopics, wmoTopic } from '../../services/topics';
import { kafkaBrokers, redisUrl, uniqueRunId } from '../support/infra';
import { isolatedEnv, testKafka, waitFor } from '../support/kafka';
import { connectedProducer, httpGet } from '../support/outage';

/**
 * Points 4 and 5 of issue 14 on the real broker and Redis: the topics the service creates (partitions,
 * min.insync.replicas), TOPIC_CREATE=false, readiness of instances that own no partition (more instances
 * than partitions), the assignment in /readyz's body, and the producers of partitions that moved away
 * being closed.
 */
function configOf(run: string, extra: Record<string, string> = {}) {
  return loadConfig({
    KAFKA_BROKERS: kafkaBrokers().join(','),
    REDIS_URL: redisUrl(),
    ...isolatedEnv(run),
    LOG_LEVEL: 'silent',
    SAMENLOOP_TODAY: '2026-11-23',
    HTTP_PORT: '0',
    ...extra,
  });
}

describe('the topics the service creates', () => {
  const kafka = testKafka();
  const admin = kafka.admin();
  beforeAll(() => admin.connect());
  afterAll(() => admin.disconnect());

  it('get min.insync.replicas and one partition for a gemeente opdrachten and uploads topic', async () => {
    const cfg = configOf(uniqueRunId(), { TOPIC_PARTITIONS: '4', GEMEENTEN: '0363' });
    const created = await new TopicManager(admin, cfg).ensureBase();
    const all = [
      ...inputTopics(cfg),
      cfg.TOPIC_DAGELIJKS,
      cfg.TOPIC_CHANGELOG,
      cfg.TOPIC_DLQ,
      ...gemeenteTopics(cfg, '0363'),
    ];
    expect(created.sort()).toEqual([...all].sort());
    const meta = await admin.fetchTopicMetadata({ topics: all });
    const partitions = Object.fromEntries(meta.topics.map((t) => [t.name, t.partitions.length]));
    expect(partitions[gemeenteTopic(cfg, '0363', 'opdrachten')]).toBe(1);
    expect(partitions[gemeenteTopic(cfg, '0363', 'uploads')]).toBe(1);
    expect(partitions[gemeenteTopic(cfg, '0363', 'samenloop')]).toBe(4);
    expect(partitions[wmoTopic(cfg, '0363')]).toBe(4);
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: all.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: ['min.insync.replicas'],
      })),
    });
    for (const r of configs.resources) {
      const entry = r.configEntries.find((e) => e.configName === 'min.insync.replicas');
      // replication factor 1 on the one test broker: RF − 1 would be 0, so at least 1, set on the topic
      expect({ topic: r.resourceName, value: entry?.configValue, isDefault: entry?.isDefault }).toEqual({
        topic: r.resourceName,
        value: '1',
        isDefault: false,
      });
    }
  });

  it('with TOPIC_CREATE=false: no topic is made, and the error names every missing one', async () => {
    const cfg = configOf(uniqueRunId(), { TOPIC_CREATE: 'false', GEMEENTEN: '0599' });
    const err = await new TopicManager(admin, cfg).ensureBase().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingTopicsError);
    const wanted = [
      ...inputTopics(cfg),
      cfg.TOPIC_DAGELIJKS,
      cfg.TOPIC_CHANGELOG,
      cfg.TOPIC_DLQ,
      ...gemeenteTopics(cfg, '0599'),
    ];
    expect((err as MissingTopicsError).topics.sort()).toEqual([...wanted].sort());
    for (const t of wanted) expect((err as Error).message).toContain(t);
    expect((err as Error).message).toMatch(/samenloop topics create/);
    const existing = new Set(await admin.listTopics());
    expect(wanted.filter((t) => existing.has(t))).toEqual([]);
    // once the owners made them (here: `samenloop topics create`'s TopicManager), the check passes
    await new TopicManager(admin, cfg, { create: true }).ensureBase();
    await expect(new TopicManager(admin, cfg).ensureBase()).resolves.toEqual([]);
  });
});

describe('more instances than partitions', () => {
  const run = uniqueRunId();
  // 2 input topics of 1 partition and the daily ticks in 1 slice, no gemeente yet: 3 partitions for 4
  // instances (each start sends a tick, so the ticks' partition gets its producer too)
  const cfg = configOf(run, {
    TOPIC_PARTITIONS: '1',
    DAGELIJKS_SLICES: '1',
    KAFKA_SESSION_TIMEOUT_MS: '10000',
  });
  const services: SamenloopService[] = [];
  const kafka = testKafka();

  afterAll(async () => {
    for (const s of services) await s.stop().catch(() => undefined);
  });

  const start = async () => {
    const s = new SamenloopService(cfg, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
    services.push(s);
    await s.start();
    return s;
  };
  const owned = (s: SamenloopService) =>
    Object.values(s.readiness().assignment ?? {}).reduce((n, ps) => n + ps.length, 0);

  it('every instance is ready, the ones without a partition too, and /readyz reports the assignment', async () => {
    const first = await start();
    // a record on every input partition: each gets its transactional producer (a dead letter is sent in one)
    const producer = await connectedProducer(kafka);
    await producer.send({ topic: cfg.TOPIC_INDICATIEBESLUITEN, messages: [{ value: 'geen xml' }] });
    await producer.send({ topic: cfg.TOPIC_ZORGTOEWIJZINGEN, messages: [{ value: 'geen xml' }] });
    await producer.disconnect();
    await waitFor(() => first.readiness().producers === 3, 60000, 200, 'a producer per input partition');
    expect(owned(first)).toBe(3);

    for (let i = 0; i < 3; i++) await start();
    await waitFor(
      () => services.every((s) => s.readiness().ready) && services.reduce((n, s) => n + owned(s), 0) === 3,
      90000,
      200,
      'all four ready, the 3 partitions spread over them',
    );
    const spare = services.filter((s) => owned(s) === 0);
    expect(spare.length).toBeGreaterThanOrEqual(1);
    for (const s of services) {
      const res = await httpGet(s.httpPort!, '/readyz');
      expect(res.status).toBe(200);
      const body = JSON.parse(res.body) as {
        status: string;
        checks: Record<string, boolean>;
        assignment: Record<string, number[]>;
        producers: number;
      };
      expect(body.status).toBe('ready');
      expect(body.checks.inGroup).toBe(true);
      expect(body.assignment).toEqual(s.readiness().assignment);
    }
    const spareBody = JSON.parse((await httpGet(spare[0]!.httpPort!, '/readyz')).body) as {
      assignment: Record<string, number[]>;
    };
    expect(Object.values(spareBody.assignment).flat()).toEqual([]);
    // the first instance gave partitions away: their producers are closed, it keeps at most one per partition owned
    await waitFor(
      () => first.readiness().producers! <= owned(first),
      60000,
      200,
      'producers of revoked partitions closed',
    );
    expect(owned(first)).toBeLessThan(3);
  }, 600000);
});
