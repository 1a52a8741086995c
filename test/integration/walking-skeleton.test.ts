import { wmoTopic } from '../support/topics';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Partitioners } from 'kafkajs';
import { SamenloopService } from '../../services/kafka/service';
import { createLogger } from '../../services/log';
import { collect, isolatedConfig, sleep, testKafka, waitFor } from '../support/kafka';
import { ISTANDAARDEN } from '../support/xsd';

/**
 * The walking skeleton through the real stack: an IO31 and a WMO301 for the same client go in; exactly
 * one notification comes out on the owning gemeente's topic, with the client's BSN and the toewijzing.
 */
describe('walking skeleton on the real Kafka and Redis', () => {
  const { run, cfg } = isolatedConfig({ GEMEENTEN: '9999' });
  const service = new SamenloopService(cfg, createLogger('silent'));
  const kafka = testKafka();

  beforeAll(async () => {
    await service.start();
  });
  afterAll(async () => {
    await service.stop();
  });

  it('turns an IO31 and a WMO301 of one client into one notification for gemeente 9999', async () => {
    const io31 = fs.readFileSync(path.join(ISTANDAARDEN, 'iwlz/examples/io31-example.xml'));
    const wmo301 = fs.readFileSync(path.join(ISTANDAARDEN, 'iwmo/examples/wmo301-beeindiging-example.xml'));
    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    await producer.send({ topic: cfg.TOPIC_INDICATIEBESLUITEN, messages: [{ value: io31 }] });
    await producer.send({ topic: wmoTopic(cfg, '9999'), messages: [{ value: wmo301 }] });
    await producer.disconnect();

    const admin = kafka.admin();
    await admin.connect();
    await waitFor(
      async () => (await admin.listTopics()).includes(`${run}.gemeente.9999.samenloop`),
      30000,
      200,
      'the gemeente topic',
    );
    const topics = await admin.listTopics();
    await admin.disconnect();
    const { records, consumer } = await collect(
      kafka,
      topics.filter((t) => t.startsWith(`${run}.gemeente.`) && /\.(samenloop|beeindigingen)$/.test(t)),
    );
    await waitFor(() => records.length >= 1, 30000, 200, 'a notification');
    await sleep(2000); // nothing more may follow
    await consumer.disconnect();

    expect(records).toHaveLength(1);
    const [rec] = records;
    expect(rec!.topic).toBe(`${run}.gemeente.9999.samenloop`);
    const event = JSON.parse(rec!.value!.toString('utf8'));
    expect(event.specversion).toBe('1.0');
    expect(event.data.client.bsn).toBe('999990019');
    expect(event.data.wmo.toewijzingnummer).toBe('123456');
    expect(event.data.gemeente).toBe('9999');
    // the key never carries the BSN
    expect(rec!.key ?? '').not.toContain('999990019');
  });
});
