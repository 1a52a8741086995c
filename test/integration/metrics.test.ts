import { SamenloopService } from '../../services/kafka/service';
import { createLogger } from '../../services/log';
import { gemeenteTopic, wmoTopic } from '../../services/topics';
import { buildAw33, buildIo31, buildWmo301, validBsn } from '../fixtures/builders';
import { collect, connectedProducer, isolatedConfig, testKafka, waitFor } from '../support/kafka';
import { httpGet } from '../support/outage';

/**
 * The metrics operators alert on, on the real broker and Redis: open proposals per gemeente and the age of
 * the oldest (cluster-wide, from the register), notifications per gemeente and type, dead letters per code.
 */
describe('operator metrics', () => {
  const { cfg } = isolatedConfig({ GEMEENTEN: '0363' });
  const service = new SamenloopService(cfg, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
  const kafka = testKafka();

  beforeAll(() => service.start(), 300000);
  afterAll(() => service.stop());

  const metric = async (line: RegExp): Promise<number | undefined> => {
    const text = (await httpGet(service.httpPort!, '/metrics')).body;
    const m = text.split('\n').find((l) => line.test(l));
    return m === undefined ? undefined : Number(m.split(' ').pop());
  };

  it('count a proposal open until the gemeente confirms it, the signals per gemeente and the dead letters per code', async () => {
    const bsn = validBsn(7301);
    const producer = await connectedProducer(kafka);
    await producer.send({
      topic: wmoTopic(cfg, '0363'),
      messages: [
        {
          value: buildWmo301({
            bsn,
            gemeente: '0363',
            toewijzingnummer: 73010,
            productcategorie: '01',
            productcode: '01A01',
            ingangsdatum: '2026-01-01',
            einddatum: null,
          }),
        },
        { value: '<niet-af' },
      ],
    });
    const besluitnummer = 200_007_301;
    await producer.send({
      topic: cfg.TOPIC_INDICATIEBESLUITEN,
      messages: [
        {
          value: buildIo31({
            bsn,
            besluitnummer,
            dagtekening: '2026-11-01',
            afgiftedatum: '2026-11-01',
            ingangsdatum: '2026-11-01',
            zzps: ['754'],
          }),
        },
      ],
    });
    await producer.send({
      topic: cfg.TOPIC_ZORGTOEWIJZINGEN,
      messages: [
        {
          value: buildAw33({
            bsn,
            besluitnummer,
            dagtekening: '2026-11-10',
            indicatieAfgiftedatum: '2026-11-01',
            indicatieIngangsdatum: '2026-11-01',
            zzpCode: '754',
            instelling: '98000001',
            aanbieder: '98000001',
            toewijzingsdatum: '2026-11-10',
            toewijzingstijd: '10:00:00',
            ingangsdatum: '2026-12-15',
            leveringsvorm: '7',
          }),
        },
      ],
    });
    const open = /^samenloop_open_proposals\{gemeente="0363"\}/;
    await waitFor(async () => (await metric(open)) === 1, 90000, 200, 'one open proposal of 0363');
    const age = await metric(/^samenloop_oldest_open_proposal_age_seconds\{gemeente="0363"\}/);
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(600);
    expect(
      await metric(/^samenloop_notifications_total\{gemeente="0363",type="nl.samenloop.signaal"\}/),
    ).toBeGreaterThanOrEqual(1); // 2 when the IO31 is handled before the AW33 (other topics: any order)
    // the dead letter goes to another topic in its own transaction: it may commit after the signal
    const deadLettered = /^samenloop_messages_dead_lettered_total\{.*code="MALFORMED_XML"\}/;
    await waitFor(
      async () => (await metric(deadLettered)) !== undefined,
      60000,
      200,
      'the dead letter counted',
    );
    expect(await metric(deadLettered)).toBe(1);

    // the gemeente confirms: the proposal is no longer open
    const { records, consumer } = await collect(kafka, [gemeenteTopic(cfg, '0363', 'samenloop')]);
    const proposalId = await waitFor(
      () =>
        records
          .map(
            (r) =>
              JSON.parse(r.value!.toString()) as { data: { beeindiging?: { id: string; status: string } } },
          )
          .find((e) => e.data.beeindiging?.status === 'voorgesteld')?.data.beeindiging?.id,
      60000,
      200,
      'the proposal',
    );
    await consumer.disconnect();
    await producer.send({
      topic: gemeenteTopic(cfg, '0363', 'opdrachten'),
      messages: [
        {
          value: JSON.stringify({
            type: 'beeindiging.bevestigen',
            beeindigingId: proposalId,
            door: 'J. de Vries',
          }),
        },
      ],
    });
    await producer.disconnect();
    await waitFor(async () => (await metric(open)) === 0, 90000, 200, 'no open proposal of 0363');
    expect(await metric(/^samenloop_oldest_open_proposal_age_seconds\{gemeente="0363"\}/)).toBeUndefined();
    expect(
      await metric(/^samenloop_notifications_total\{gemeente="0363",type="nl.samenloop.signaal"\}/),
    ).toBeGreaterThanOrEqual(2); // and the signal with status verzonden
    // each chunk sent to Kafka is timed: at least the signal's and the confirmation's
    expect(await metric(/^samenloop_flush_seconds_count /)).toBeGreaterThanOrEqual(2);
    expect(await metric(/^samenloop_flush_seconds_sum /)).toBeGreaterThan(0);
    // and each record's age when handled and when its chunk was sent: sent no earlier than handled
    const handled = await metric(/^samenloop_record_age_seconds_count\{stage="handled"\}/);
    const sent = await metric(/^samenloop_record_age_seconds_count\{stage="sent"\}/);
    expect(sent).toBeGreaterThanOrEqual(5); // the WMO301, the malformed one, the IO31, the AW33, the command
    expect(handled).toBeGreaterThanOrEqual(sent!);
    const sentSum = await metric(/^samenloop_record_age_seconds_sum\{stage="sent"\}/);
    expect(sentSum! / sent!).toBeGreaterThanOrEqual(
      (await metric(/^samenloop_record_age_seconds_sum\{stage="handled"\}/))! / handled!,
    );
  }, 300000);
});
