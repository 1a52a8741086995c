import { wmoTopic } from '../support/topics';
import { SamenloopService } from '../../services/kafka/service';
import { createLogger } from '../../services/log';
import { MemoryStore } from '../../services/register/memory-store';
import { buildIo31, buildWmo301, validBsn } from '../fixtures/builders';
import { collect, connectedProducer, isolatedConfig, testKafka, waitFor } from '../support/kafka';

/**
 * The composition root takes its ports from outside when given: here the register is the in-memory
 * store (no Redis at all), and the service still runs end to end on the real broker, the same way.
 */
describe('the service wired with a register port of its own', () => {
  const { run, cfg } = isolatedConfig({ REDIS_URL: 'redis://127.0.0.1:1', GEMEENTEN: '0363' });
  const register = new MemoryStore();
  const service = new SamenloopService(cfg, createLogger('silent'), { register });
  const kafka = testKafka();

  beforeAll(async () => {
    await service.start();
  }, 300000);
  afterAll(async () => {
    await service.stop();
  });

  it('is ready without Redis, and a WMO301 plus an IO31 give one signal, kept in that register', async () => {
    expect(service.readiness().checks.redis).toBe(true);
    const bsn = validBsn(4242);
    const producer = await connectedProducer(kafka);
    await producer.send({
      topic: wmoTopic(cfg, '0363'),
      messages: [
        { value: buildWmo301({ bsn, gemeente: '0363', ingangsdatum: '2026-01-01', einddatum: null }) },
      ],
    });
    await producer.send({ topic: cfg.TOPIC_INDICATIEBESLUITEN, messages: [{ value: buildIo31({ bsn }) }] });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await waitFor(
      async () => (await admin.listTopics()).includes(`${run}.gemeente.0363.samenloop`),
      60000,
      200,
      'the gemeente topic',
    );
    await admin.disconnect();
    const { records, consumer } = await collect(kafka, [`${run}.gemeente.0363.samenloop`]);
    await waitFor(() => records.length >= 1, 60000, 200, 'a notification');
    await consumer.disconnect();
    expect(JSON.parse(records[0]!.value!.toString('utf8')).data.client.bsn).toBe(bsn);
    expect((await register.clientIds()).length).toBe(1);
  });
});
