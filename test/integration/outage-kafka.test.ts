import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Config } from '../../services/config';
import type { SamenloopService } from '../../services/kafka/service';
import { fedTopics } from '../support/topics';
import type { MemoryStore } from '../../services/register/memory-store';
import { registerCipher } from '../../services/register/keys';
import { RedisStore } from '../../services/register/redis-store';
import { startPrivateBroker, type BrokerHandle } from '../support/broker';
import { sleep, waitFor } from '../support/kafka';
import {
  cleanRun,
  committedOffsets,
  duplicates,
  endOffsets,
  expectedIdsByTopic,
  httpGet,
  idsByTopic,
  phasesOf,
  readOutputs,
  registerOf,
  send,
  startService,
  unappliedBelow,
  waitConsumed,
  OUTAGE_GEMEENTEN,
} from '../support/outage';

const DOWN_MS = 15000;

/**
 * The Kafka broker (a private one, on its own ports and data directory: never the shared broker the other
 * test files use) is killed with SIGKILL in the middle of a stream of input and started again 15 s later.
 * The processor reports not ready while it is gone, commits nothing past the work it applied, resumes when
 * the broker is back, and in the end every notification of a clean run is there exactly once.
 */
describe('Kafka broker killed (kill -9) and restarted mid-stream', () => {
  let broker: BrokerHandle | undefined;
  let cfg: Config;
  let service: SamenloopService | undefined;
  let kafka: Kafka;
  let admin: Admin | undefined;
  let producer: Producer | undefined;
  let stop: (() => Promise<void>) | undefined;
  let store: RedisStore | undefined;
  const phases = phasesOf({ seed: 502, messages: 1500, gemeenten: OUTAGE_GEMEENTEN });

  beforeAll(async () => {
    broker = await startPrivateBroker();
    ({ cfg, service, kafka, admin, producer, stop } = await startService(
      { KAFKA_SESSION_TIMEOUT_MS: '10000' },
      broker.brokers,
    ));
    store = new RedisStore(cfg.REDIS_URL, cfg.REDIS_PREFIX, {}, registerCipher(cfg));
  }, 360000);

  afterAll(async () => {
    await stop?.();
    await broker?.stop();
    await store?.wipe().catch(() => undefined);
    await store?.close();
  }, 300000);

  const ready = async () => (await httpGet(service!.httpPort!, '/readyz')).status;
  const consumed = async (topic: string) =>
    (await service!.metrics.consumed.get()).values
      .filter((v) => v.labels.topic === topic)
      .reduce((n, v) => n + v.value, 0);

  it('is not ready while the broker is gone, resumes after its restart, and loses and repeats nothing', async () => {
    const topics = fedTopics(cfg);
    await waitFor(async () => (await ready()) === 200, 30000, 200, '/readyz 200');
    await send(producer!, cfg, phases[0]!);
    await waitConsumed(admin!, cfg);

    // Phase 1 is sent in full; the broker is killed once the processor is part-way through it.
    await send(producer!, cfg, phases[1]!);
    await waitFor(
      async () => (await consumed(cfg.TOPIC_INDICATIEBESLUITEN)) >= 40,
      30000,
      20,
      'phase 1 under way',
    );
    const before = await committedOffsets(admin!, cfg.KAFKA_GROUP_ID, topics);
    const ends = await endOffsets(admin!, topics);
    await broker!.kill();
    const killedAt = Date.now();
    expect([...ends].some(([tp, end]) => (before.get(tp) ?? -1n) < end)).toBe(true);

    await waitFor(async () => (await ready()) === 503, DOWN_MS, 200, '/readyz 503 while the broker is down');
    let checks = 0;
    while (Date.now() < killedAt + DOWN_MS) {
      expect(await ready()).toBe(503);
      checks++;
      await sleep(1000);
    }
    expect(checks).toBeGreaterThanOrEqual(3);

    await broker!.restart();
    // Nothing was committed past the work the processor had applied: every record below the offsets the
    // group has committed (as the restarted broker has them) is in the register.
    const after = await committedOffsets(admin!, cfg.KAFKA_GROUP_ID, topics);
    expect(await unappliedBelow(kafka, cfg, store!, after)).toEqual([]);
    await waitConsumed(admin!, cfg, 180000, 'phase 1 consumed after the restart');
    await waitFor(async () => (await ready()) === 200, 60000, 200, '/readyz 200 after the restart');
    for (const phase of phases.slice(2)) {
      await send(producer!, cfg, phase);
      await waitConsumed(admin!, cfg, 60000);
    }

    const expected = await cleanRun(cfg, phases);
    expect(expected.count).toBeGreaterThan(100);
    const records = await readOutputs(kafka, admin!, cfg, expected.count, { timeoutMs: 120000 });
    expect(duplicates(records.map((r) => r.id))).toEqual([]);
    expect(idsByTopic(records)).toEqual(expectedIdsByTopic(expected));

    expect(await registerOf(store!)).toEqual(await registerOf(expected.driver.store as MemoryStore));
  }, 900000);
});
