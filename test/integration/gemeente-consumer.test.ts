import { Partitioners } from 'kafkajs';
import {
  startGemeenteConsumer,
  type Change,
  type SignaalView,
} from '../../examples/gemeente-consumer/consumer';
import { SamenloopService } from '../../services/kafka/service';
import { createLogger } from '../../services/log';
import { gemeenteTopic, wmoTopic } from '../../services/topics';
import { buildIo31, buildNetwerkmodelEvent, buildWmo301, validBsn } from '../fixtures/builders';
import { isolatedConfig, testKafka, waitFor } from '../support/kafka';

/**
 * The sample consumer for gemeenten (examples/gemeente-consumer) on the real broker, behind the real
 * processor: it folds signaal and vervallen into the gemeente's view, reads only committed records (an
 * aborted transaction's signal never shows), and reads the binary content mode as well as the structured.
 */
describe.each(['structured', 'binary'])('the sample gemeente consumer (%s mode)', (mode) => {
  const { cfg } = isolatedConfig({ GEMEENTEN: '0363', CLOUDEVENTS_MODE: mode });
  const service = new SamenloopService(cfg, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
  const kafka = testKafka();
  const changes: Change[] = [];
  let stopConsumer: (() => Promise<void>) | undefined;
  let view: SignaalView;

  beforeAll(async () => {
    await service.start();
    const c = await startGemeenteConsumer({
      brokers: cfg.KAFKA_BROKERS,
      gemeente: '0363',
      topicPrefix: cfg.TOPIC_GEMEENTE_PREFIX,
      groupId: `${cfg.KAFKA_GROUP_ID}-gemeente-view`,
      onChange: (change) => changes.push(change),
    });
    view = c.view;
    stopConsumer = c.stop;
  }, 300000);
  afterAll(async () => {
    await stopConsumer?.();
    await service.stop();
  });

  it('folds signaal (upsert) and vervallen (delete), and never sees an aborted transaction', async () => {
    const gebleven = validBsn(6101);
    const vervalt = validBsn(6102);
    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const wmo = (bsn: string, nummer: number) =>
      buildWmo301({
        bsn,
        gemeente: '0363',
        toewijzingnummer: nummer,
        productcategorie: '02',
        productcode: '02A03',
        ingangsdatum: '2026-01-01',
        einddatum: null,
      });
    await producer.send({
      topic: wmoTopic(cfg, '0363'),
      messages: [{ value: wmo(gebleven, 61010) }, { value: wmo(vervalt, 61020) }],
    });
    const indicatie = {
      bsn: vervalt,
      besluitnummer: 300_006_102,
      ingangsdatum: '2026-11-01',
      wlzindicatieID: '1c2d3e4f-0000-4000-8000-000000006102',
    };
    await producer.send({
      topic: cfg.TOPIC_INDICATIEBESLUITEN,
      messages: [
        { value: buildIo31({ bsn: gebleven }) },
        {
          value: buildNetwerkmodelEvent({
            ...indicatie,
            id: '5f0e0000-0000-4000-8000-000000006102',
            timestamp: '2026-11-02T08:00:00Z',
          }),
          headers: { 'content-type': 'application/json' },
        },
      ],
    });
    await waitFor(() => view.size === 2, 90000, 200, 'two signals in the view');
    const subjects = view.subjects();
    expect(subjects).toEqual(['wmo-toewijzing/0363/61010', 'wmo-toewijzing/0363/61020']);
    expect(view.get('wmo-toewijzing/0363/61010')!.type).toBe('nl.samenloop.signaal');
    expect((view.get('wmo-toewijzing/0363/61010')!.data as { client: { bsn: string } }).client.bsn).toBe(
      gebleven,
    );

    // a transaction on the gemeente's topic that is aborted: a read_committed reader never sees it
    const tx = kafka.producer({
      transactionalId: `${cfg.KAFKA_GROUP_ID}-fake`,
      maxInFlightRequests: 1,
      idempotent: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await tx.connect();
    const t = await tx.transaction();
    await t.send({
      topic: gemeenteTopic(cfg, '0363', 'samenloop'),
      messages: [
        {
          // the key of the subject withdrawn below: same partition, before its vervallen
          key: 'wmo-toewijzing/0363/61020',
          value: JSON.stringify({
            specversion: '1.0',
            id: 'sl-fake',
            source: 'x',
            type: 'nl.samenloop.signaal',
            subject: 'wmo-toewijzing/0363/66666',
            data: {},
          }),
        },
      ],
    });
    await t.abort();
    await tx.disconnect();

    // the indicatie is withdrawn: its signal is vervallen, the other stays
    await producer.send({
      topic: cfg.TOPIC_INDICATIEBESLUITEN,
      messages: [
        {
          value: buildNetwerkmodelEvent({
            ...indicatie,
            eventType: 'VERWIJDERDE_INDICATIE',
            id: '5f0e0000-0000-4000-8000-000000006103',
            timestamp: '2026-11-05T08:00:00Z',
          }),
          headers: { 'content-type': 'application/json' },
        },
      ],
    });
    await producer.disconnect();
    await waitFor(() => changes.some((c) => c.kind === 'delete'), 90000, 200, 'the vervallen folded in');
    expect(view.subjects()).toEqual(['wmo-toewijzing/0363/61010']);
    expect(changes.map((c) => c.kind)).toEqual(['upsert', 'upsert', 'delete']);
    const events = changes.flatMap((c) => ('event' in c ? [c.event] : []));
    expect(events.some((e) => e.id === 'sl-fake')).toBe(false);
    if (mode === 'binary') expect(events[0]!.source).toBe('urn:samenloop:processor');
  }, 300000);
});
