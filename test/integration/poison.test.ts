import { wmoTopic } from '../support/topics';
import { Partitioners } from 'kafkajs';
import { pseudonym } from '../../services/domain/pseudonym';
import { SamenloopService } from '../../services/kafka/service';
import { createLogger } from '../../services/log';
import { registerCipher } from '../../services/register/keys';
import { RedisStore } from '../../services/register/redis-store';
import { applyFacts, emptyState } from '../../services/register/state';
import { buildWmo301, validBsn } from '../fixtures/builders';
import { indicatie } from '../unit/engine/factories';
import { collect, isolatedConfig, testKafka, waitFor } from '../support/kafka';

/**
 * On the real stack: a record the pure core throws on (here: a register entry it cannot read) goes to
 * the dead-letter topic with PROCESSING_ERROR after a bounded number of attempts, with no BSN in its
 * headers, and the partition goes on with the next record. Before, the shell retried it forever.
 */
describe('a poison record on the real Kafka and Redis', () => {
  const { run, cfg } = isolatedConfig({ TOPIC_PARTITIONS: '1', GEMEENTEN: '0363' });
  const service = new SamenloopService(cfg, createLogger('silent'));
  const kafka = testKafka();
  const store = new RedisStore(cfg.REDIS_URL, cfg.REDIS_PREFIX, {}, registerCipher(cfg));
  const POISONED = validBsn(8101);
  const HEALTHY = validBsn(8102);

  beforeAll(async () => {
    await service.start();
    const fact = {
      ...indicatie({ status: 'vervallen', vervaldatum: '0001-01-01' }),
      client: { bsn: POISONED },
    };
    const state = applyFacts(emptyState(POISONED), 'old-version', 'old/0/0', [fact]).state;
    expect(await store.commit(pseudonym(cfg.SAMENLOOP_HMAC_SECRET, POISONED), 0, state, 'old/0/0', [])).toBe(
      true,
    );
  }, 300000);
  afterAll(async () => {
    await store.close();
    await service.stop();
  });

  it('is dead-lettered with PROCESSING_ERROR and the partition goes on', async () => {
    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const wmo = (bsn: string, n: number) =>
      buildWmo301({ bsn, gemeente: '0363', identificatie: `Q${n}`, toewijzingnummer: n, einddatum: null });
    await producer.send({
      topic: wmoTopic(cfg, '0363'),
      messages: [{ value: wmo(POISONED, 1) }, { value: wmo(HEALTHY, 2) }],
    });
    await producer.disconnect();

    const { records, consumer } = await collect(kafka, [cfg.TOPIC_DLQ]);
    await waitFor(() => records.length >= 1, 60000, 200, 'the dead letter');
    await waitFor(
      async () =>
        ((await store.load(pseudonym(cfg.SAMENLOOP_HMAC_SECRET, HEALTHY))).state?.facts ?? null) !== null,
      60000,
      200,
      'the next record applied',
    );
    await consumer.disconnect();
    expect(records).toHaveLength(1);
    const h = records[0]!.headers;
    expect(h['samenloop-error-code']).toBe('PROCESSING_ERROR');
    expect(h['samenloop-error-reason']).toMatch(/^processing failed in reduce and decide \(RangeError\)/);
    expect(JSON.stringify(h)).not.toMatch(/\d{8}/);
    expect(run).toBeTruthy();
  });
});
