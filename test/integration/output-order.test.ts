import type { Kafka } from 'kafkajs';
import { pseudonym } from '../../services/domain/pseudonym';
import type { Config } from '../../services/config';
import { holdGiveUpMs } from '../../services/kafka/consumer-loop';
import { SamenloopService } from '../../services/kafka/service';
import { createLogger } from '../../services/log';
import { RedisStore } from '../../services/register/redis-store';
import { E2E_CLIENTS, E2E_POLICIES, e2eScenario } from '../e2e/scenario';
import { collect, connectedProducer, isolatedConfig, sleep, testKafka, waitFor } from '../support/kafka';
import { output } from '../support/samples';
import { topicOf } from '../support/topics';

const TODAY = '2026-11-23';
const jansen = E2E_CLIENTS.jansen;

/** Jansen's three inputs of the e2e scenario: his WMO301, then his IO31 and his AW33 (two other topics). */
function jansenInputs(cfg: Config): Array<{ topic: string; value: string }> {
  const steps = e2eScenario(TODAY).filter((s) => s.xml.includes(`>${jansen.bsn}<`));
  expect(steps.map((s) => s.input)).toEqual(['wmo-toewijzingen', 'indicatiebesluiten', 'zorgtoewijzingen']);
  return steps.map((s) => ({ topic: topicOf(cfg, s.input, s.xml), value: s.xml }));
}

/** Reads gemeente 9999's signals as they come: [beoordeling, zorgtoewijzing's ingangsdatum or null]. */
async function signalsOf9999(kafka: Kafka, cfg: Config) {
  const { records, consumer } = await collect(kafka, [`${cfg.TOPIC_GEMEENTE_PREFIX}9999.samenloop`]);
  const signals = () =>
    records.map((r) => {
      const s = JSON.parse(r.value!.toString('utf8')) as {
        data: { beoordeling: string; wlz: { zorgtoewijzingIngangsdatum?: string | null } };
      };
      return [s.data.beoordeling, s.data.wlz.zorgtoewijzingIngangsdatum ?? null];
    });
  return { signals, consumer };
}

async function send(kafka: Kafka, ...inputs: Array<{ topic: string; value: string }>): Promise<void> {
  const producer = await connectedProducer(kafka);
  // all in one request: one fetch, handled at once
  await producer.sendBatch({
    topicMessages: inputs.map((m) => ({ topic: m.topic, messages: [{ value: m.value }] })),
  });
  await producer.disconnect();
}

async function holdsOf(service: SamenloopService): Promise<number> {
  const holds = await service.metrics.registry.getSingleMetric('samenloop_commit_holds_total')!.get();
  return holds.values[0]?.value ?? 0;
}

/** A logger at info whose lines the test reads (pino JSON). */
function capturedLogger() {
  const lines: Array<{ msg: string; level: number }> = [];
  const log = createLogger('info', 'samenloop', {
    write: (s: string) => void lines.push(JSON.parse(s) as { msg: string; level: number }),
  });
  return { log, said: (msg: string) => lines.filter((l) => l.msg === msg).length };
}

/** A service for gemeente 9999 with the e2e policies, logging at info to the test, on a session timeout of its own. */
function heldService(sessionTimeoutMs: number) {
  const { cfg } = isolatedConfig({
    GEMEENTEN: '9999',
    GEMEENTE_POLICIES: E2E_POLICIES,
    SAMENLOOP_TODAY: TODAY,
    KAFKA_SESSION_TIMEOUT_MS: String(sessionTimeoutMs),
  });
  const register = RedisStore.fromConfig(cfg);
  const { log, said } = capturedLogger();
  const service = new SamenloopService(cfg, log, { register });
  const id = pseudonym(cfg.SAMENLOOP_HMAC_SECRET, jansen.bsn);
  return { cfg, register, service, said, id, kafka: testKafka() };
}

/** Jansen's WMO301 and then his IO31 handled (version 2) and its signal read; resolves to his AW33. */
async function untilIo31(
  { cfg, register, kafka, id }: ReturnType<typeof heldService>,
  signals: () => unknown[],
): Promise<{ topic: string; value: string }> {
  const [wmo, io31, aw33] = jansenInputs(cfg);
  await send(kafka, wmo!);
  await waitFor(
    async () => (await register.load(id)).version === 1,
    60000,
    200,
    'the WMO301 in the register',
  );
  await send(kafka, io31!);
  await waitFor(() => signals().length >= 1, 60000, 200, 'the IO31 signal');
  await waitFor(async () => (await register.load(id)).version === 2, 60000, 200, 'the IO31 in the register');
  return aw33!;
}

/**
 * One client's IO31 and AW33 come on two topics, so two input partitions, each with its own transactional
 * producer: handled at once (two partitions at once here; two instances alike), their outputs reach the
 * gemeente's compacted topic in the order their transactions send them, not the order of their commits to the
 * register. Here the IO31's partition commits first and then is slow to send (its commit's answer comes 3 s late,
 * so its chunk waits), while the AW33 is processed on top of the IO31 at once. The AW33's commit must wait for
 * the IO31's outputs (CommitHeld): the gemeente's topic ends on the proposal with the zorgtoewijzing, never on
 * the IO31's `beoordelen` (which the console and every consumer of the compacted topic would take as current).
 */
describe('the outputs of one client changed from two partitions at once', () => {
  const { cfg } = isolatedConfig({
    GEMEENTEN: '9999',
    GEMEENTE_POLICIES: E2E_POLICIES,
    SAMENLOOP_TODAY: TODAY,
    KAFKA_PARTITIONS_CONCURRENTLY: '2',
  });
  const register = RedisStore.fromConfig(cfg);
  const service = new SamenloopService(cfg, createLogger('silent'), { register });
  const kafka = testKafka();
  const id = pseudonym(cfg.SAMENLOOP_HMAC_SECRET, jansen.bsn);
  let io31Committed: () => void = () => undefined;
  const io31Done = new Promise<void>((r) => (io31Committed = r));
  let slowed = 0;

  beforeAll(async () => {
    const commit = register.commit.bind(register);
    register.commit = async (clientId, expected, state, position, outputs, effects, hold) => {
      if (clientId === id && position.startsWith(`${cfg.TOPIC_ZORGTOEWIJZINGEN}/`)) await io31Done;
      const won = await commit(clientId, expected, state, position, outputs, effects, hold);
      if (
        clientId === id &&
        position.startsWith(`${cfg.TOPIC_INDICATIEBESLUITEN}/`) &&
        won &&
        slowed++ === 0
      ) {
        io31Committed();
        await sleep(3000);
      }
      return won;
    };
    await service.start();
  }, 300000);
  afterAll(async () => {
    await service.stop();
  });

  it('reach the gemeente in the order of the changes: the last signal is the proposal', async () => {
    const [wmo, io31, aw33] = jansenInputs(cfg);
    await send(kafka, wmo!);
    await waitFor(
      async () => (await register.load(id)).version === 1,
      60000,
      200,
      'the WMO301 in the register',
    );
    await send(kafka, io31!, aw33!);

    const { signals, consumer } = await signalsOf9999(kafka, cfg);
    await waitFor(() => signals().length >= 2, 120000, 200, 'two signals');
    await sleep(3000); // a later signal would come within this
    await consumer.disconnect();
    expect(signals()).toEqual([
      ['beoordelen', null],
      ['wlz-voorliggend', expect.any(String)],
    ]);
    expect(slowed).toBe(1);
    // the AW33 really came while the IO31's outputs were on their way, and waited for them
    expect(await holdsOf(service)).toBeGreaterThan(0);
    expect((await register.load(id)).version).toBe(3);
  });
});

/**
 * The holder's outputs reached Kafka, but its ack never reached Redis (a crash or a Redis error right after the
 * transaction): the entry stays in the outbox though the group's committed offset is past it. The held record
 * finds that out at its first wait and acks the entry itself, instead of waiting for a holder that will never
 * come (or until it gives up: two session timeouts and ten seconds, here 130 s).
 */
describe('a held record whose holder was sent but never acked', () => {
  const held = heldService(60000);
  const { cfg, register, service, said, id, kafka } = held;
  const io31Entry = (e: { clientId: string; position: string }) =>
    e.clientId === id && e.position.startsWith(`${cfg.TOPIC_INDICATIEBESLUITEN}/`);
  let dropped = 0;

  beforeAll(async () => {
    const ackAll = register.ackAll.bind(register);
    // the IO31's ack is lost
    register.ackAll = async (entries) => {
      dropped += entries.filter(io31Entry).length;
      await ackAll(entries.filter((e) => !io31Entry(e)));
    };
    await service.start();
  }, 300000);
  afterAll(async () => {
    await service.stop();
  });

  it('acks the entry and goes on at once', async () => {
    expect(holdGiveUpMs(cfg)).toBe(130000);
    const { signals, consumer } = await signalsOf9999(kafka, cfg);
    const aw33 = await untilIo31(held, signals);
    await waitFor(() => dropped === 1, 60000, 200, 'the IO31 sent, its ack lost');
    const outbox = async () =>
      Object.keys((await register.heads([{ clientId: id, except: [], withState: false }]))[0]!.outbox);
    expect(await outbox()).toEqual([expect.stringMatching(new RegExp(`^${cfg.TOPIC_INDICATIEBESLUITEN}/`))]);

    const sent = Date.now();
    await send(kafka, aw33);
    await waitFor(() => signals().length >= 2, 60000, 200, 'the proposal, well before the hold gives up');
    const waited = Date.now() - sent;
    await sleep(2000); // a later signal would come within this
    await consumer.disconnect();
    expect(signals()).toEqual([
      ['beoordelen', null],
      ['wlz-voorliggend', expect.any(String)],
    ]);
    expect(waited).toBeLessThan(holdGiveUpMs(cfg));
    // once, unless the coordinator had not written the IO31's offsets yet at that first look (the next batch
    // looks again, two seconds on)
    expect(await holdsOf(service)).toBeGreaterThanOrEqual(1);
    expect(said('an outbox entry whose outputs were sent is acked')).toBe(1);
    expect(said('a record held too long commits without waiting for another partition')).toBe(0);
    expect(await outbox()).toEqual([]);
    expect((await register.load(id)).version).toBe(3);
  });
});

/**
 * A holder that never comes: an entry of another partition far past its group's committed offset (in
 * production: two records of several clients each, a tick and an upload, holding each other). The held record
 * ends its batch every two seconds and is fetched again, and after two session timeouts and ten seconds (here
 * 22 s) commits without waiting, with a warning: progress comes before the order of one client's outputs.
 */
describe('a held record whose holder never comes', () => {
  const held = heldService(6000);
  const { cfg, register, service, said, id, kafka } = held;

  beforeAll(async () => {
    await service.start();
  }, 300000);
  afterAll(async () => {
    await service.stop();
  });

  it('commits without waiting once two session timeouts and ten seconds have passed, and says so', async () => {
    expect(holdGiveUpMs(cfg)).toBe(22000);
    const { signals, consumer } = await signalsOf9999(kafka, cfg);
    const aw33 = await untilIo31(held, signals);
    // an entry of the IO31's topic that no transaction will send
    const { state } = await register.load(id);
    const never = `${cfg.TOPIC_INDICATIEBESLUITEN}/0/999999`;
    expect(await register.commit(id, 2, state!, never, [output('never-sent')])).toBe(true);

    const sent = Date.now();
    await send(kafka, aw33);
    await waitFor(() => signals().length >= 2, 120000, 200, 'the proposal, once the hold gave up');
    const waited = Date.now() - sent;
    await consumer.disconnect();
    expect(signals()).toEqual([
      ['beoordelen', null],
      ['wlz-voorliggend', expect.any(String)],
    ]);
    expect(waited).toBeGreaterThanOrEqual(holdGiveUpMs(cfg));
    expect(said('a record held too long commits without waiting for another partition')).toBe(1);
    expect(said('an outbox entry whose outputs were sent is acked')).toBe(0);
    // one wait after another, each batch ending after two seconds
    expect(await holdsOf(service)).toBeGreaterThan(5);
    expect((await register.load(id)).version).toBe(4);
  });
});
