import { pseudonym } from '../../services/domain/pseudonym';
import { SamenloopService } from '../../services/kafka/service';
import { createLogger } from '../../services/log';
import { RedisStore } from '../../services/register/redis-store';
import { E2E_CLIENTS, E2E_POLICIES, e2eScenario } from '../e2e/scenario';
import { collect, connectedProducer, isolatedConfig, sleep, testKafka, waitFor } from '../support/kafka';
import { topicOf } from '../support/topics';

const TODAY = '2026-11-23';

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
  const jansen = E2E_CLIENTS.jansen;
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
    const steps = e2eScenario(TODAY).filter((s) => s.xml.includes(`>${jansen.bsn}<`));
    const [wmo, io31, aw33] = steps.map((s) => ({ topic: topicOf(cfg, s.input, s.xml), value: s.xml }));
    expect(steps.map((s) => s.input)).toEqual(['wmo-toewijzingen', 'indicatiebesluiten', 'zorgtoewijzingen']);
    const producer = await connectedProducer(kafka);
    await producer.send({ topic: wmo!.topic, messages: [{ value: wmo!.value }] });
    await waitFor(
      async () => (await register.load(id)).version === 1,
      60000,
      200,
      'the WMO301 in the register',
    );
    // both in one request: one fetch, handled at once
    await producer.sendBatch({
      topicMessages: [io31!, aw33!].map((m) => ({ topic: m.topic, messages: [{ value: m.value }] })),
    });
    await producer.disconnect();

    const { records, consumer } = await collect(kafka, [`${cfg.TOPIC_GEMEENTE_PREFIX}9999.samenloop`]);
    const signals = () =>
      records.map(
        (r) =>
          JSON.parse(r.value!.toString('utf8')) as {
            data: { beoordeling: string; wlz: { zorgtoewijzingIngangsdatum?: string | null } };
          },
      );
    await waitFor(() => signals().length >= 2, 120000, 200, 'two signals');
    await sleep(3000); // a later signal would come within this
    await consumer.disconnect();
    const got = signals().map((s) => [s.data.beoordeling, s.data.wlz.zorgtoewijzingIngangsdatum ?? null]);
    expect(got).toEqual([
      ['beoordelen', null],
      ['wlz-voorliggend', expect.any(String)],
    ]);
    expect(slowed).toBe(1);
    // the AW33 really came while the IO31's outputs were on their way, and waited for them
    const holds = await service.metrics.registry.getSingleMetric('samenloop_commit_holds_total')!.get();
    expect(holds.values[0]?.value).toBeGreaterThan(0);
    expect((await register.load(id)).version).toBe(3);
  });
});
