import Redis from 'ioredis';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Config } from '../../services/config';
import type { SamenloopService } from '../../services/kafka/service';
import { fedTopics } from '../support/topics';
import type { MemoryStore } from '../../services/register/memory-store';
import { registerCipher } from '../../services/register/keys';
import { RedisStore } from '../../services/register/redis-store';
import { startRedisOnPort, type RedisHandle } from '../support/infra';
import { waitFor } from '../support/kafka';
import {
  cleanRun,
  committedOffsets,
  duplicates,
  expectedIdsByTopic,
  httpGet,
  idsByTopic,
  metricValue,
  phasesOf,
  readOutputs,
  registerOf,
  send,
  startService,
  waitConsumed,
  OUTAGE_GEMEENTEN,
} from '../support/outage';

/**
 * Redis loses everything (FLUSHALL) while the processor runs and input keeps coming; Redis itself stays up.
 * The processor notices the missing epoch marker, rebuilds the register from its compacted changelog (written in
 * the same transactions as the outputs and offsets, so it holds every committed change; nothing is sent again),
 * then carries on.
 * In the end the outputs are exactly those of a clean run — none sent twice — and the register equals the
 * clean run's. Redis is a private redis-server, so the FLUSHALL touches no other test.
 */
describe('Redis loses the register (FLUSHALL) mid-run', () => {
  let redis: RedisHandle | undefined;
  let cfg: Config;
  let service: SamenloopService | undefined;
  let kafka: Kafka;
  let admin: Admin | undefined;
  let producer: Producer | undefined;
  let stop: (() => Promise<void>) | undefined;
  const phases = phasesOf({ seed: 503, messages: 1500, gemeenten: OUTAGE_GEMEENTEN });

  beforeAll(async () => {
    redis = await startRedisOnPort();
    ({ cfg, service, kafka, admin, producer, stop } = await startService({ REDIS_URL: redis.url }));
  }, 300000);

  afterAll(async () => {
    await stop?.();
    await redis?.kill();
  }, 300000);

  it('rebuilds the register from its changelog, sends nothing twice and ends equal to a clean run', async () => {
    const metrics = async () => (await httpGet(service!.httpPort!, '/metrics')).body;
    await waitFor(
      async () => (await httpGet(service!.httpPort!, '/readyz')).status === 200,
      30000,
      200,
      'ready',
    );
    await send(producer!, cfg, phases[0]!);
    await waitConsumed(admin!, cfg);
    const committed = await committedOffsets(admin!, cfg.KAFKA_GROUP_ID, fedTopics(cfg));
    expect(committed.size).toBeGreaterThan(0);
    expect(metricValue(await metrics(), 'samenloop_register_rebuilds_total')).toBe(0);

    // Phase 1 goes in slices; everything is flushed while they are being processed.
    const flusher = new Redis(redis!.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    let flushed = false;
    try {
      await flusher.connect();
      await send(producer!, cfg, phases[1]!, {
        slice: 25,
        pauseMs: 100,
        onSlice: async (sent) => {
          if (!flushed && sent >= 100) {
            expect(await flusher.dbsize()).toBeGreaterThan(0);
            await flusher.flushall();
            flushed = true;
          }
        },
      });
    } finally {
      flusher.disconnect();
    }
    expect(flushed).toBe(true);

    await waitFor(
      async () => metricValue(await metrics(), 'samenloop_register_rebuilds_total') >= 1,
      60000,
      200,
      'a register rebuild',
    );
    await waitConsumed(admin!, cfg, 120000, 'phase 1 consumed after the rebuild');
    for (const phase of phases.slice(2)) {
      await send(producer!, cfg, phase);
      await waitConsumed(admin!, cfg);
    }
    await waitFor(
      async () => (await httpGet(service!.httpPort!, '/readyz')).status === 200,
      30000,
      200,
      'ready',
    );

    const expected = await cleanRun(cfg, phases);
    expect(expected.count).toBeGreaterThan(100);
    const records = await readOutputs(kafka, admin!, cfg, expected.count);
    expect(duplicates(records.map((r) => r.id))).toEqual([]);
    expect(idsByTopic(records)).toEqual(expectedIdsByTopic(expected));

    const store = new RedisStore(redis!.url, cfg.REDIS_PREFIX, {}, registerCipher(cfg));
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
