/**
 * Minimal retention of a gemeente's notification topic on the real broker (issue 15.4): the topic is created
 * compacted by decision reference; one client's signal stays current, another's is retracted; a day after the
 * retraction (SIGNAAL_BEWAAR_DAGEN=1) the daily re-evaluation writes its tombstone, and once the broker has
 * compacted the topic (segment.ms, min.cleanable.dirty.ratio, max.compaction.lag.ms and delete.retention.ms
 * made small for the test), a consumer that reads it from the beginning gets the current signal and nothing of
 * the retracted one; folding the records as they came (before compaction) gives the same view.
 */
import { Partitioners, type Kafka } from 'kafkajs';
import { addDays } from '../../services/domain/dates';
import { SamenloopService } from '../../services/kafka/service';
import { createLogger } from '../../services/log';
import type { Clock } from '../../services/pipeline/clock';
import { readTopic } from '../../services/cli/read-topic';
import { gemeenteTopic, wmoTopic } from '../../services/topics';
import { notificationOf, SignaalView } from '../../examples/gemeente-consumer/consumer';
import { validBsn } from '../fixtures/builders';
import { indicatie, toewijzing } from './daily-fixtures';
import { collect, isolatedConfig, testKafka, waitFor, type Collected } from '../support/kafka';

const DAY0 = '2026-11-23';
const plus = (n: number) => addDays(DAY0, n);
let day = DAY0;
const clock: Clock = { today: () => day, now: () => `${day}T10:00:00+01:00` };

const [BLIJFT, EINDIGT, LATER] = [validBsn(731), validBsn(732), validBsn(733)];
const subject = (bsn: string) => `wmo-toewijzing/0384/${Number(bsn.slice(-6))}`;

async function send(kafka: Kafka, topic: string, values: string[]) {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) });
  await producer.disconnect();
}

/** The gemeente's view folded from records (the example consumer's fold: tombstone = delete by key). */
function fold(
  records: ReadonlyArray<{ key: string | null; value: Buffer | null; headers?: Record<string, string> }>,
) {
  const view = new SignaalView();
  for (const r of records) {
    if (r.value === null) {
      if (r.key !== null) view.tombstone(r.key);
      continue;
    }
    const e = notificationOf(r.value, r.headers ?? {});
    if (e) view.apply(e);
  }
  return view;
}

describe('a compacted notification topic keeps the current signals, not the retracted ones', () => {
  const { cfg } = isolatedConfig({
    GEMEENTEN: '0384',
    DAGELIJKS_CHECK_MS: '200',
    // one partition: every record in one log, so the record after the tombstone rolls its segment
    TOPIC_PARTITIONS: '1',
    SIGNAAL_BEWAAR_DAGEN: '1',
    SIGNALEN_SEGMENT_MS: '1000',
    SIGNALEN_MIN_CLEANABLE_DIRTY_RATIO: '0.01',
    SIGNALEN_MAX_COMPACTION_LAG_MS: '1000',
    SIGNALEN_DELETE_RETENTION_MS: '0',
  });
  const kafka = testKafka();
  const topic = gemeenteTopic(cfg, '0384', 'samenloop');
  let service: SamenloopService;
  let live: Collected[] = [];
  let stopReading: () => Promise<void> = async () => {};

  beforeAll(async () => {
    service = new SamenloopService(cfg, createLogger('silent'), { clock });
    await service.start();
    const c = await collect(kafka, [topic]);
    live = c.records;
    stopReading = () => c.consumer.disconnect();
  });
  afterAll(async () => {
    await stopReading();
    await service.stop();
  });

  it('a day after the retraction its tombstone, and after compaction only the current signal is read', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const r = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: topic }],
      });
      const config = Object.fromEntries(
        r.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]),
      );
      expect(config).toMatchObject({ 'cleanup.policy': 'compact', 'segment.ms': '1000' });
    } finally {
      await admin.disconnect();
    }

    await send(kafka, cfg.TOPIC_INDICATIEBESLUITEN, [BLIJFT, EINDIGT, LATER].map(indicatie));
    await send(kafka, wmoTopic(cfg, '0384'), [toewijzing(BLIJFT, null), toewijzing(EINDIGT, plus(1))]);
    await waitFor(() => live.length >= 2, 90000, 200, 'the two signals');

    day = plus(2); // the toewijzing of EINDIGT ended yesterday: retracted
    await waitFor(() => live.length >= 3, 90000, 200, 'the retraction');
    expect(notificationOf(live[2]!.value, live[2]!.headers)).toMatchObject({
      type: 'nl.samenloop.vervallen',
      subject: subject(EINDIGT),
    });

    day = plus(3); // SIGNAAL_BEWAAR_DAGEN later: the tombstone
    await waitFor(() => live.some((x) => x.value === null), 90000, 200, 'the tombstone');
    const tombstone = live.find((x) => x.value === null)!;
    expect(tombstone.key).toBe(subject(EINDIGT));
    // nothing of the client on it: its id (and a trace, where the tick had one), no content-type, no ce_*
    expect(tombstone.headers['samenloop-id']).toMatch(/^sl-[0-9a-f]{32}$/);
    expect(Object.keys(tombstone.headers).filter((h) => h !== 'traceparent')).toEqual(['samenloop-id']);

    // a later record (another client's signal) rolls the segment that holds the tombstone: it can be cleaned
    await new Promise((res) => setTimeout(res, 1500));
    await send(kafka, wmoTopic(cfg, '0384'), [toewijzing(LATER, null)]);
    await waitFor(() => live.some((x) => x.key === subject(LATER)), 90000, 200, 'the later signal');

    // as the records came (before compaction), the fold already gives the current signals only
    expect(fold(live).subjects()).toEqual([subject(BLIJFT), subject(LATER)].sort());
    // the broker compacts (its cleaner looks every 15 s): read from the beginning until it did
    let read: Collected[] = [];
    await waitFor(
      async () => {
        read = [];
        await readTopic(kafka, topic, (partition, m) =>
          read.push({
            topic,
            partition,
            offset: m.offset,
            key: m.key?.toString() ?? null,
            value: m.value,
            headers: Object.fromEntries(
              Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(Array.isArray(v) ? v[0] : v)]),
            ),
          }),
        );
        return !read.some((x) => x.key === subject(EINDIGT) && x.value !== null);
      },
      240000,
      2000,
      'the compaction of the retracted signal',
    );
    // from the beginning: the current signal of each decision, nothing of the retracted one but (for
    // delete.retention.ms) its tombstone
    const values = read.filter((x) => x.value !== null);
    expect(values.map((x) => x.key).sort()).toEqual([subject(BLIJFT), subject(LATER)].sort());
    expect(read.filter((x) => x.key === subject(EINDIGT)).every((x) => x.value === null)).toBe(true);
    expect(JSON.stringify(values.map((x) => x.value!.toString()))).not.toContain(EINDIGT);
    expect(fold(read).subjects()).toEqual(fold(live).subjects());
    expect(fold(read).get(subject(BLIJFT))).toEqual(fold(live).get(subject(BLIJFT)));
  }, 420000);
});
