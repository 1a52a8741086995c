/**
 * The register's changelog and its bewaartermijn on the real Kafka and Redis (issue 15):
 *
 * - The inputs' retention removed every record the register was built from (admin.deleteRecords up to the
 *   end of each input partition), then Redis loses everything (FLUSHALL). The processor rebuilds the register
 *   from its compacted changelog — states, gemeente sets, beëindiging lookups and the daily index equal to
 *   those before — and processing goes on: in the end the outputs are exactly those of a clean run (none sent
 *   twice) and the register equals the clean run's.
 * - A client whose relations ended longer than REGISTER_BEWAARTERMIJN_DAGEN ago is deleted by the daily
 *   re-evaluation: nothing of it is left under the register's prefix in Redis but the pseudonym in the tick's
 *   own record of the clients it took (which expires), its last changelog record is a tombstone which the
 *   broker's compaction then removes, nothing went to the gemeente, and the same message about the BSN later
 *   starts a fresh register.
 */
import Redis from 'ioredis';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Config } from '../../services/config';
import { addDays } from '../../services/domain/dates';
import { pseudonym } from '../../services/domain/pseudonym';
import { SamenloopService } from '../../services/kafka/service';
import { createLogger } from '../../services/log';
import type { Clock } from '../../services/pipeline/clock';
import { sliceOf } from '../../services/pipeline/tick';
import type { MemoryStore } from '../../services/register/memory-store';
import { RedisStore } from '../../services/register/redis-store';
import { registerCipher } from '../../services/register/keys';
import { gemeenteTopic, wmoTopic } from '../../services/topics';
import { buildIo31, buildWmo301, validBsn } from '../fixtures/builders';
import { startRedisOnPort, type RedisHandle } from '../support/infra';
import { collect, isolatedConfig, sleep, testKafka, waitFor, type Collected } from '../support/kafka';
import {
  cleanRun,
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
import { createTopicsAndWait, fedTopics } from '../support/topics';
import { gemeenteCodes } from '../../bench/generator';

/** What the indexes of a register hold: gemeente → clients, beëindiging → client, slice → due days. */
async function indexesOf(store: RedisStore, cfg: Config, clients: string[]) {
  const gemeenten: Record<string, string[]> = {};
  for (const g of gemeenteCodes(OUTAGE_GEMEENTEN)) gemeenten[g] = await store.clientsOf(g);
  const beeindigingen: Record<string, string | undefined> = {};
  for (const id of clients) {
    const { state } = await store.load(id);
    for (const b of Object.keys(state?.engine?.beeindigingen ?? {}))
      beeindigingen[b] = await store.clientOfBeeindiging(b);
  }
  const due: Record<number, string[]> = {};
  for (let s = 0; s < cfg.DAGELIJKS_SLICES; s++)
    due[s] = await store.redis.zrange(store.dueKey(s), 0, -1, 'WITHSCORES');
  return { gemeenten, beeindigingen, due };
}

describe('the register rebuilt from its changelog after the inputs` retention removed them', () => {
  let redis: RedisHandle | undefined;
  let cfg: Config;
  let service: SamenloopService | undefined;
  let kafka: Kafka;
  let admin: Admin | undefined;
  let producer: Producer | undefined;
  let stop: (() => Promise<void>) | undefined;
  const phases = phasesOf({ seed: 1511, messages: 900, gemeenten: OUTAGE_GEMEENTEN });

  beforeAll(async () => {
    redis = await startRedisOnPort();
    ({ cfg, service, kafka, admin, producer, stop } = await startService({ REDIS_URL: redis.url }));
  }, 300000);

  afterAll(async () => {
    await stop?.();
    await redis?.kill();
  }, 300000);

  it('rebuilds states and indexes equal to those before, and carries on with no output twice', async () => {
    const metrics = async () => (await httpGet(service!.httpPort!, '/metrics')).body;
    const store = new RedisStore(redis!.url, cfg.REDIS_PREFIX, {}, registerCipher(cfg));
    try {
      for (const phase of phases.slice(0, -1)) {
        await send(producer!, cfg, phase);
        await waitConsumed(admin!, cfg);
      }
      const clients = await store.clientIds();
      expect(clients.length).toBeGreaterThan(50);
      const before = await registerOf(store);
      const indexes = await indexesOf(store, cfg, clients);
      expect(Object.keys(indexes.beeindigingen).length).toBeGreaterThan(0);

      // the inputs' retention: every record up to the end of each input partition is gone
      const topics = [...fedTopics(cfg), cfg.TOPIC_DAGELIJKS];
      for (const topic of topics) {
        const partitions = (await admin!.fetchTopicOffsets(topic)).map((p) => ({
          partition: p.partition,
          offset: '-1',
        }));
        await admin!.deleteTopicRecords({ topic, partitions });
      }
      for (const topic of topics)
        for (const p of await admin!.fetchTopicOffsets(topic)) expect(p.low).toBe(p.high);

      // Redis loses everything; a record the processor dead-letters (it changes no client) makes it notice
      const flusher = new Redis(redis!.url, { maxRetriesPerRequest: 1 });
      try {
        await flusher.flushall();
      } finally {
        flusher.disconnect();
      }
      await producer!.send({ topic: cfg.TOPIC_INDICATIEBESLUITEN, messages: [{ value: 'not a message' }] });
      await waitFor(
        async () => metricValue(await metrics(), 'samenloop_register_rebuilds_total') >= 1,
        120000,
        200,
        'a register rebuild',
      );
      await waitConsumed(admin!, cfg, 120000, 'the dead letter consumed after the rebuild');

      expect(await store.clientIds()).toEqual(clients);
      expect(await registerOf(store)).toEqual(before);
      expect(await indexesOf(store, cfg, clients)).toEqual(indexes);

      // processing goes on from the rebuilt register: exactly the outputs of a clean run, none twice
      await send(producer!, cfg, phases.at(-1)!);
      await waitConsumed(admin!, cfg);
      const expected = await cleanRun(cfg, phases);
      expect(expected.count).toBeGreaterThan(50);
      const records = await readOutputs(kafka, admin!, cfg, expected.count);
      expect(duplicates(records.map((r) => r.id))).toEqual([]);
      expect(idsByTopic(records)).toEqual(expectedIdsByTopic(expected));
      const clean = await registerOf(expected.driver.store as MemoryStore);
      expect(await registerOf(store)).toEqual(clean);
    } finally {
      await store.close();
    }
  }, 600000);
});

const DAY0 = '2026-11-23';
let day = DAY0;
const clock: Clock = { today: () => day, now: () => `${day}T10:00:00+01:00` };

describe('deletion at the end of the bewaartermijn, on the real stack', () => {
  const TERMIJN = 7;
  const { cfg } = isolatedConfig({
    DAGELIJKS_CHECK_MS: '200',
    GEMEENTEN: '0384',
    REGISTER_BEWAARTERMIJN_DAGEN: String(TERMIJN),
    // the retracted signal's tombstone (engine/opruimen.ts) comes before the bewaartermijn ends: a client is
    // deleted only once its tombstones were sent
    SIGNAAL_BEWAAR_DAGEN: '3',
  });
  const kafka = testKafka();
  let service: SamenloopService | undefined;
  let store: RedisStore | undefined;
  let notifications: Collected[] = [];
  let stopReading: () => Promise<void> = async () => {};
  const bsn = validBsn(1515);
  const other = validBsn(1516);
  const id = pseudonym(cfg.SAMENLOOP_HMAC_SECRET, bsn);
  const wmo = (b: string, nummer: number, einddatum: string | null) =>
    buildWmo301({
      bsn: b,
      identificatie: `W${b}`.slice(0, 12),
      dagtekening: '2026-11-02',
      toewijzingnummer: nummer,
      toewijzingsdatum: '2026-11-02',
      ingangsdatum: '2026-01-01',
      einddatum,
      ...(einddatum ? { omvang: { volume: 3, eenheid: '04', frequentie: '2' } } : {}),
    });
  const message = wmo(bsn, 9101, addDays(DAY0, 2));

  async function sendTo(topic: string, values: Array<{ key?: string; value: string | null }>) {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: values });
    await producer.disconnect();
  }

  /** Every record of the changelog, read until nothing more comes. */
  async function changelog(): Promise<Collected[]> {
    const c = await collect(kafka, [cfg.TOPIC_CHANGELOG]);
    let n = -1;
    try {
      await waitFor(
        async () => {
          const quiet = c.records.length === n;
          n = c.records.length;
          await sleep(1500);
          return quiet && n === c.records.length;
        },
        60000,
        0,
        'the changelog read',
      );
    } finally {
      await c.consumer.disconnect();
    }
    return c.records;
  }

  beforeAll(async () => {
    // the changelog made by the test, as compacted as a test can wait for: a segment per 100 ms, cleaned at
    // once, tombstones kept 100 ms (the service made it with cleanup.policy=compact alone)
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsAndWait(admin, [
      {
        topic: cfg.TOPIC_CHANGELOG,
        numPartitions: 1,
        configEntries: [
          { name: 'cleanup.policy', value: 'compact' },
          { name: 'segment.ms', value: '100' },
          { name: 'min.cleanable.dirty.ratio', value: '0.01' },
          { name: 'delete.retention.ms', value: '100' },
          { name: 'min.compaction.lag.ms', value: '0' },
        ],
      },
    ]);
    await admin.disconnect();
    service = new SamenloopService(cfg, createLogger('silent'), { clock });
    await service.start();
    store = new RedisStore(cfg.REDIS_URL, cfg.REDIS_PREFIX, {}, registerCipher(cfg));
    const c = await collect(kafka, [
      gemeenteTopic(cfg, '0384', 'samenloop'),
      gemeenteTopic(cfg, '0384', 'beeindigingen'),
    ]);
    notifications = c.records;
    stopReading = () => c.consumer.disconnect();
  }, 120000);

  afterAll(async () => {
    await stopReading();
    await service?.stop();
    await store?.close();
  });

  it('leaves nothing of the client in Redis nor, after compaction, in the changelog; a later message starts afresh', async () => {
    const indicatie = buildIo31({
      bsn,
      identificatie: `I${bsn}`.slice(0, 12),
      dagtekening: '2026-11-01',
      besluitnummer: 9100,
      afgiftedatum: '2026-11-01',
      ingangsdatum: '2026-11-01',
      einddatum: addDays(DAY0, 1),
      zzps: ['755'],
    });
    await sendTo(cfg.TOPIC_INDICATIEBESLUITEN, [{ value: indicatie }]);
    await sendTo(wmoTopic(cfg, '0384'), [{ value: message }, { value: wmo(other, 9102, null) }]);
    await waitFor(async () => (await store!.load(id)).version >= 2, 60000, 200, 'the client registered');
    await waitFor(async () => (await store!.clientIds()).length === 2, 60000, 200, 'both clients registered');
    const slice = sliceOf(id, cfg.DAGELIJKS_SLICES);

    // the day after the last Einddatum: the signal is withdrawn, its tombstone due 3 days later
    day = addDays(DAY0, 3);
    await waitFor(async () => (await store!.load(id)).state?.dag === day, 60000, 200, 'the withdrawal');
    // the day after the last Einddatum and the period: the daily re-evaluation deletes the client
    day = addDays(DAY0, 2 + TERMIJN); // still within the period: the client stays (its tombstone went out)
    await waitFor(
      async () => (await store!.load(id)).state?.dag === day,
      60000,
      200,
      'the day before the deletion evaluated',
    );
    await waitFor(
      async () => notifications.some((n) => n.value === null),
      60000,
      200,
      'the tombstone of the withdrawn signal',
    );
    await sleep(3000);
    const sent = notifications.length;
    expect(sent).toBeGreaterThan(0);
    day = addDays(DAY0, 2 + TERMIJN + 1);
    await waitFor(async () => (await store!.load(id)).state === undefined, 60000, 200, 'the client deleted');

    // nothing of the client under the register's prefix, but the tick's record of whom it took (it expires)
    const r = store!.redis as Redis;
    const keys = await r.keys(`${cfg.REDIS_PREFIX}*`);
    expect(keys.filter((k) => k.includes(id))).toEqual([]);
    for (const k of keys) {
      const type = await r.type(k);
      const contents =
        type === 'string'
          ? [await r.get(k)]
          : type === 'set'
            ? await r.smembers(k)
            : type === 'zset'
              ? await r.zrange(k, 0, -1)
              : type === 'hash'
                ? Object.entries(await r.hgetall(k)).flat()
                : [];
      if (!contents.some((v) => v?.includes(id))) continue;
      expect(k.startsWith(`${cfg.REDIS_PREFIX}{dagelijks:${slice}}:tick:`)).toBe(true);
      expect(await r.ttl(k)).toBeGreaterThan(0);
    }
    expect(await store!.clientIds()).toEqual([pseudonym(cfg.SAMENLOOP_HMAC_SECRET, other)]);
    // nothing went to the gemeente for it
    await sleep(3000);
    expect(notifications.slice(sent)).toEqual([]);

    // the changelog: its last record is a tombstone, which compaction removes (a record after it rolls the segment)
    const log = await changelog();
    expect(log.filter((x) => x.key === id).at(-1)?.value).toBeNull();
    await waitFor(
      async () => {
        await sendTo(cfg.TOPIC_CHANGELOG, [{ key: 'segment-roll', value: null }]);
        return !(await changelog()).some((x) => x.key === id);
      },
      180000,
      1000,
      'the tombstone compacted away',
    );

    // the same message about the BSN again: a fresh register (the old message ids are gone)
    await sendTo(wmoTopic(cfg, '0384'), [{ value: message }]);
    await waitFor(async () => (await store!.load(id)).version === 1, 60000, 200, 'a fresh register');
    expect(Object.keys((await store!.load(id)).state!.applied)).toHaveLength(1);
  }, 600000);
});
