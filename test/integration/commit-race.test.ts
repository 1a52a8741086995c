import { pseudonym } from '../../services/domain/pseudonym';
import { SamenloopService } from '../../services/kafka/service';
import { createLogger } from '../../services/log';
import { RedisStore } from '../../services/register/redis-store';
import { buildIo31, buildWmo301, validBsn } from '../fixtures/builders';
import { collect, connectedProducer, isolatedConfig, sleep, testKafka, waitFor } from '../support/kafka';
import { wmoTopic } from '../support/topics';

/**
 * The consumer loop sends a record's commit to Redis without waiting for it and goes on with the next record
 * (Lookahead.deferCommits); before anything of those records goes to Kafka it waits for the commits. Here a
 * commit really loses its race, in the real Redis: right before the service's commit of an IO31, another instance
 * (a second register client on the same Redis) changes that client. The record and the ones after it are
 * processed again; every signal comes exactly once and the register holds the change.
 */
describe('a commit sent ahead that loses its race', () => {
  const { run, cfg } = isolatedConfig({ GEMEENTEN: '0363' });
  const register = RedisStore.fromConfig(cfg);
  const other = RedisStore.fromConfig(cfg);
  const service = new SamenloopService(cfg, createLogger('silent'), { register });
  const kafka = testKafka();
  const bsns = [validBsn(5101), validBsn(5102), validBsn(5103)];
  let raced = 0;

  beforeAll(async () => {
    // Another instance commits the first client right before this service's commit of its IO31 (once).
    const commit = register.commit.bind(register);
    register.commit = async (clientId, expected, state, position, outputs, effects) => {
      if (raced === 0 && state.bsn === bsns[0] && position.startsWith(`${cfg.TOPIC_INDICATIEBESLUITEN}/`)) {
        raced++;
        const current = await other.load(clientId);
        expect(await other.commit(clientId, current.version, current.state!, 'other/0/0', [])).toBe(true);
      }
      return commit(clientId, expected, state, position, outputs, effects);
    };
    await service.start();
  }, 300000);
  afterAll(async () => {
    await service.stop();
    await other.close();
  });

  it('is processed again from that record: each signal once, the register complete', async () => {
    const producer = await connectedProducer(kafka);
    await producer.send({
      topic: wmoTopic(cfg, '0363'),
      messages: bsns.map((bsn, i) => ({
        value: buildWmo301({
          bsn,
          gemeente: '0363',
          identificatie: `RACE${i}`,
          ingangsdatum: '2026-01-01',
          einddatum: null,
        }),
      })),
    });
    const topic = `${run}.gemeente.0363.samenloop`;
    const admin = kafka.admin();
    await admin.connect();
    await waitFor(async () => (await admin.listTopics()).includes(topic), 60000, 200, 'the gemeente topic');
    await admin.disconnect();
    const clients = bsns.map((bsn) => pseudonym(cfg.SAMENLOOP_HMAC_SECRET, bsn));
    await waitFor(
      async () => (await Promise.all(clients.map((c) => register.load(c)))).every((r) => r.version === 1),
      60000,
      200,
      'the three WMO301s in the register',
    );

    // the three IO31s in one partition, in one send: one batch, the first one's commit loses
    await producer.send({
      topic: cfg.TOPIC_INDICATIEBESLUITEN,
      messages: bsns.map((bsn) => ({ partition: 0, value: buildIo31({ bsn }) })),
    });
    await producer.disconnect();

    const { records, consumer } = await collect(kafka, [topic]);
    await waitFor(() => records.length >= 3, 60000, 200, 'three signals');
    await sleep(3000); // a second signal of any of them would come within this
    await consumer.disconnect();
    const signalled = records.map((r) => JSON.parse(r.value!.toString('utf8')).data.client.bsn as string);
    expect(signalled.sort()).toEqual([...bsns].sort());

    expect(raced).toBe(1);
    const rewinds = await service.metrics.registry.getSingleMetric('samenloop_commit_rewinds_total')!.get();
    expect(rewinds.values.find((v) => v.labels.reason === 'conflict')?.value).toBe(1);
    // each IO31 counted once, although it was processed again
    const consumed = await service.metrics.registry
      .getSingleMetric('samenloop_messages_consumed_total')!
      .get();
    const io31s = consumed.values.filter((v) => v.labels.topic === cfg.TOPIC_INDICATIEBESLUITEN);
    expect(io31s.reduce((n, v) => n + v.value, 0)).toBe(3);
    // the first client: the WMO301 (1), the other instance's change (2), the IO31 applied on top of it (3)
    const first = await register.load(clients[0]!);
    expect(first.version).toBe(3);
    expect(Object.keys(first.state!.facts).some((k) => k.startsWith('indicatie:'))).toBe(true);
  });
});
