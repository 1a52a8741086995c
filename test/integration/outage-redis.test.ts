import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Config } from '../../services/config';
import type { SamenloopService } from '../../services/kafka/service';
import { fedTopics, wmoTopic } from '../support/topics';
import { registerCipher } from '../../services/register/keys';
import { RedisStore } from '../../services/register/redis-store';
import type { MemoryStore } from '../../services/register/memory-store';
import { startRedisOnPort, type RedisHandle } from '../support/infra';
import { sleep, waitFor } from '../support/kafka';
import {
  cleanRun,
  committedOffsets,
  duplicates,
  endOffsets,
  expectedIdsByTopic,
  httpGet,
  idsByTopic,
  metricValue,
  outputLogSize,
  phasesOf,
  readOutputs,
  registerOf,
  send,
  startService,
  waitConsumed,
  OUTAGE_GEMEENTEN,
} from '../support/outage';

const OUTAGE_MS = 30000;

/**
 * Redis (a private redis-server on its own port) is stopped for 30 s in the middle of a stream of input.
 * Meanwhile the processor makes no progress, commits no offset and reports not ready; when Redis is back —
 * empty, as this Redis keeps nothing on disk — the processor rebuilds the register from the inputs and
 * carries on. In the end every notification of a clean run is there exactly once and the register equals
 * the clean run's. The health and metrics endpoints are checked on the way.
 */
describe('Redis outage mid-stream', () => {
  let redis: RedisHandle | undefined;
  let cfg: Config;
  let service: SamenloopService | undefined;
  let kafka: Kafka;
  let admin: Admin | undefined;
  let producer: Producer | undefined;
  let stop: (() => Promise<void>) | undefined;
  const phases = phasesOf({ seed: 501, messages: 1500, gemeenten: OUTAGE_GEMEENTEN });

  beforeAll(async () => {
    redis = await startRedisOnPort();
    ({ cfg, service, kafka, admin, producer, stop } = await startService({ REDIS_URL: redis.url }));
  }, 300000);

  afterAll(async () => {
    await stop?.();
    await redis?.kill();
  }, 300000);

  const port = () => service!.httpPort!;
  const ready = async () => (await httpGet(port(), '/readyz')).status;

  it('serves /healthz, /readyz and /metrics while running', async () => {
    expect((await httpGet(port(), '/healthz')).status).toBe(200);
    await waitFor(async () => (await ready()) === 200, 30000, 200, '/readyz 200');

    await send(producer!, cfg, phases[0]!);
    await producer!.send({ topic: wmoTopic(cfg, cfg.GEMEENTEN[0]!), messages: [{ value: 'not a WMO301' }] });
    await waitConsumed(admin!, cfg);

    const metrics = await httpGet(port(), '/metrics');
    expect(metrics.status).toBe(200);
    const samples = (name: string) => new RegExp(`^${name}(\\{[^}]*\\})? `, 'm').test(metrics.body);
    for (const name of [
      'samenloop_messages_consumed_total',
      'samenloop_messages_produced_total',
      'samenloop_messages_dead_lettered_total',
      'samenloop_consumer_lag',
      'samenloop_processing_seconds_bucket',
      'samenloop_processing_seconds_count',
      'samenloop_redis_errors_total',
      'samenloop_rebalances_total',
    ]) {
      expect({ name, sampled: samples(name) }).toEqual({ name, sampled: true });
    }
    // and the start's daily ticks, one per slice
    expect(metricValue(metrics.body, 'samenloop_messages_consumed_total')).toBe(
      phases[0]!.length + 1 + cfg.DAGELIJKS_SLICES,
    );
    expect(
      metricValue(metrics.body, 'samenloop_messages_dead_lettered_total', {
        topic: wmoTopic(cfg, cfg.GEMEENTEN[0]!),
      }),
    ).toBe(1);
    expect(metricValue(metrics.body, 'samenloop_messages_produced_total', { kind: 'dlq' })).toBe(1);
    expect(metricValue(metrics.body, 'samenloop_rebalances_total')).toBeGreaterThanOrEqual(1);
    expect(metricValue(metrics.body, 'samenloop_redis_errors_total')).toBe(0);
    expect(metricValue(metrics.body, 'samenloop_processing_seconds_count')).toBe(
      phases[0]!.length + 1 + cfg.DAGELIJKS_SLICES,
    );
    expect(await ready()).toBe(200);
  }, 300000);

  it('stops during a 30 s outage (not ready, nothing committed), resumes after it, and loses nothing', async () => {
    const topics = fedTopics(cfg);
    // Phase 1 goes in slices; Redis is killed while they are being processed, the rest is sent meanwhile.
    let killedAt = 0;
    await send(producer!, cfg, phases[1]!, {
      slice: 20,
      pauseMs: 250,
      onSlice: async (sent) => {
        if (killedAt === 0 && sent >= 100) {
          await redis!.kill();
          killedAt = Date.now();
        }
      },
    });
    expect(killedAt).toBeGreaterThan(0);

    await waitFor(async () => (await ready()) === 503, 15000, 200, '/readyz 503 during the outage');
    const readyz = JSON.parse((await httpGet(port(), '/readyz')).body) as { checks: Record<string, boolean> };
    expect(readyz.checks.redis).toBe(false);
    await sleep(Math.max(0, killedAt + 3000 - Date.now()));
    const committedBefore = await committedOffsets(admin!, cfg.KAFKA_GROUP_ID, topics);
    const outputsBefore = await outputLogSize(admin!, cfg);
    const consumedBefore = metricValue(
      (await httpGet(port(), '/metrics')).body,
      'samenloop_messages_consumed_total',
    );
    // Unapplied work is waiting: the phase was sent in full, it was not all committed.
    const ends = await endOffsets(admin!, topics);
    expect([...ends].some(([tp, end]) => (committedBefore.get(tp) ?? -1n) < end)).toBe(true);
    let checks = 0;
    while (Date.now() < killedAt + OUTAGE_MS) {
      expect(await ready()).toBe(503);
      expect(await committedOffsets(admin!, cfg.KAFKA_GROUP_ID, topics)).toEqual(committedBefore);
      expect(await outputLogSize(admin!, cfg)).toBe(outputsBefore);
      const m = (await httpGet(port(), '/metrics')).body;
      expect(metricValue(m, 'samenloop_messages_consumed_total')).toBe(consumedBefore);
      checks++;
      await sleep(2000);
    }
    expect(checks).toBeGreaterThanOrEqual(5);
    expect(
      metricValue((await httpGet(port(), '/metrics')).body, 'samenloop_redis_errors_total'),
    ).toBeGreaterThan(0);

    // Redis is back (empty): the register is rebuilt, processing resumes.
    redis = await startRedisOnPort(redis!.port);
    await waitConsumed(admin!, cfg, 120000, 'phase 1 consumed after the outage');
    await waitFor(async () => (await ready()) === 200, 30000, 200, '/readyz 200 after the outage');
    for (const phase of phases.slice(2)) {
      await send(producer!, cfg, phase);
      await waitConsumed(admin!, cfg);
    }

    const expected = await cleanRun(cfg, phases);
    expect(expected.count).toBeGreaterThan(100);
    const records = await readOutputs(kafka, admin!, cfg, expected.count);
    expect(duplicates(records.map((r) => r.id))).toEqual([]);
    expect(idsByTopic(records)).toEqual(expectedIdsByTopic(expected));

    const store = new RedisStore(redis.url, cfg.REDIS_PREFIX, {}, registerCipher(cfg));
    try {
      const actual = await registerOf(store);
      const clean = await registerOf(expected.driver.store as MemoryStore);
      expect(actual.size).toBe(clean.size);
      expect(actual).toEqual(clean);
    } finally {
      await store.close();
    }
  }, 600000);
});
