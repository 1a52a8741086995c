/**
 * The daily re-evaluation on the real Kafka and Redis (issue 10.3): two processors in one group, a clock the
 * test moves. When the day changes, the gemeente gets what the new day means — a toewijzing whose Einddatum
 * passed is withdrawn, a proposal whose Einddatum became past moves to today — without any new input
 * message, each exactly once and each client re-evaluated by one instance; a redelivered tick sends nothing
 * again; and a processor started after days without one catches up at its start.
 */
import { Partitioners, type Kafka } from 'kafkajs';
import { addDays } from '../../services/domain/dates';
import { SamenloopService } from '../../services/kafka/service';
import { createLogger } from '../../services/log';
import type { Clock } from '../../services/pipeline/clock';
import { tickRecord } from '../../services/pipeline/tick';
import { gemeenteTopic, wmoTopic } from '../../services/topics';
import { buildAw33, validBsn } from '../fixtures/builders';
import { indicatie, toewijzing } from './daily-fixtures';
import { collect, isolatedConfig, sleep, testKafka, waitFor, type Collected } from '../support/kafka';

const DAY0 = '2026-11-23';
const plus = (n: number) => addDays(DAY0, n);

/** The processing day the test moves; the moment is 10:00 on it. */
let day = DAY0;
const clock: Clock = { today: () => day, now: () => `${day}T10:00:00+01:00` };

type Event = {
  id: string;
  type: string;
  subject: string;
  data: { reden?: string; beeindiging?: { einddatum: string; status: string } };
};

const ENDING = [...Array(8).keys()].map((i) => validBsn(700 + i)); // toewijzing ends on day 1
const LATER = validBsn(720); // toewijzing ends on day 6
const PROPOSAL = validBsn(721); // verblijf from day 3: a beëindiging proposed per day 2

async function send(kafka: Kafka, topic: string, values: string[]) {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) });
  await producer.disconnect();
}

describe('the daily re-evaluation on the real stack', () => {
  const { cfg } = isolatedConfig({ DAGELIJKS_CHECK_MS: '200', GEMEENTEN: '0384' });
  const log = createLogger('silent');
  const kafka = testKafka();
  const topic = gemeenteTopic(cfg, '0384', 'samenloop');
  let services: SamenloopService[] = [];
  let records: Collected[] = [];
  let stopReading: () => Promise<void> = async () => {};
  const events = () => records.map((r) => JSON.parse(r.value!.toString('utf8')) as Event);
  const dailyClients = async () => {
    let n = 0;
    for (const s of services) {
      const m = await s.metrics.registry.getSingleMetric('samenloop_daily_clients_total')!.get();
      n += m.values.reduce((a, v) => a + v.value, 0);
    }
    return n;
  };

  beforeAll(async () => {
    services = [0, 1].map(() => new SamenloopService(cfg, log, { clock }));
    for (const s of services) await s.start();
    const c = await collect(kafka, [topic]);
    records = c.records;
    stopReading = () => c.consumer.disconnect();
  });
  afterAll(async () => {
    await stopReading();
    for (const s of services) await s.stop();
  });

  it('a day change withdraws ended toewijzingen and moves a proposal, once, without a message', async () => {
    await send(kafka, cfg.TOPIC_INDICATIEBESLUITEN, [...ENDING, LATER, PROPOSAL].map(indicatie));
    await send(kafka, cfg.TOPIC_ZORGTOEWIJZINGEN, [
      buildAw33({
        bsn: PROPOSAL,
        identificatie: 'ZK1',
        besluitnummer: 5000 + Number(PROPOSAL.slice(-3)),
        indicatieIngangsdatum: '2026-11-01',
        indicatieEinddatum: null,
        zzpCode: '755',
        leveringsvorm: '4',
        ingangsdatum: plus(3),
        toewijzingsdatum: '2026-11-20',
      }),
    ]);
    await send(kafka, wmoTopic(cfg, '0384'), [
      ...ENDING.map((b) => toewijzing(b, plus(1))),
      toewijzing(LATER, plus(6)),
      toewijzing(PROPOSAL, null),
    ]);
    const clients = ENDING.length + 2;
    await waitFor(() => events().length >= clients, 60000, 200, 'the first signals');
    await sleep(2000);
    const before = events().length;
    const voorstel = events().find((e) => e.data.beeindiging)!;
    expect(voorstel.data.beeindiging).toMatchObject({ einddatum: plus(2), status: 'voorgesteld' });
    expect(await dailyClients()).toBe(0);

    day = plus(5); // two processors tick: every slice twice
    await waitFor(() => events().length >= before + ENDING.length + 1, 60000, 200, 'the new day');
    await sleep(3000);
    const after = events().slice(before);
    expect(after).toHaveLength(ENDING.length + 1);
    expect(after.filter((e) => e.type === 'nl.samenloop.vervallen').map((e) => e.data.reden)).toEqual(
      ENDING.map(() => 'wmo-beeindigd'),
    );
    const moved = after.find((e) => e.subject === voorstel.subject)!;
    expect(moved.data.beeindiging).toMatchObject({ einddatum: plus(5), status: 'voorgesteld' });
    // each client whose date had come, re-evaluated by one instance once; LATER's date has not come
    expect(await dailyClients()).toBe(ENDING.length + 1);

    // the same ticks again (a redelivery, a third instance): nobody is due, nothing is sent
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: cfg.TOPIC_DAGELIJKS,
      messages: [...Array(cfg.DAGELIJKS_SLICES).keys()].map((slice) => ({
        ...tickRecord({ dag: plus(5), slice }),
        partition: slice,
      })),
    });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await waitFor(
      async () => {
        const [ends, done] = await Promise.all([
          admin.fetchTopicOffsets(cfg.TOPIC_DAGELIJKS),
          admin.fetchOffsets({ groupId: cfg.KAFKA_GROUP_ID, topics: [cfg.TOPIC_DAGELIJKS] }),
        ]);
        return ends.every(
          (e) => done[0]!.partitions.find((p) => p.partition === e.partition)?.offset === e.high,
        );
      },
      60000,
      200,
      'the ticks consumed',
    );
    await admin.disconnect();
    await sleep(1000);
    expect(events()).toHaveLength(before + ENDING.length + 1);
    expect(new Set(events().map((e) => e.id)).size).toBe(events().length);
  });

  it('a processor started after days without one catches up at its start', async () => {
    for (const s of services) await s.stop();
    const n = events().length;
    day = plus(9); // days 6, 7 and 8 passed with no processor running: LATER's toewijzing ended on day 6
    services = [new SamenloopService(cfg, log, { clock })];
    await services[0]!.start();
    await waitFor(() => events().length >= n + 2, 60000, 200, 'the catch-up');
    await sleep(2000);
    const caughtUp = events().slice(n);
    // LATER's toewijzing ended; the open proposal moved to the new today
    expect(caughtUp.map((e) => [e.type, e.data.reden ?? e.data.beeindiging?.einddatum]).sort()).toEqual(
      [
        ['nl.samenloop.signaal', plus(9)],
        ['nl.samenloop.vervallen', 'wmo-beeindigd'],
      ].sort(),
    );
  });
});
