import { ensureTopics, topicOf as feedTopic, wmoTopic } from '../support/topics';
import { Partitioners } from 'kafkajs';
import { gemeenteCodes, generate } from '../../bench/generator';
import { parseMessage } from '../../services/ingest';
import type { IngestErrorCode } from '../../services/ingest/types';
import { SamenloopService } from '../../services/kafka/service';
import { createLogger } from '../../services/log';
import { registerCipher } from '../../services/register/keys';
import { RedisStore } from '../../services/register/redis-store';
import { buildAw33, buildIo31, buildNetwerkmodelEvent, buildWmo301, invalidBsn } from '../fixtures/builders';
import { collect, isolatedConfig, testKafka, waitFor } from '../support/kafka';

type Bad = {
  topic: 'ind' | 'ztw' | 'wmo';
  value: Buffer;
  code: IngestErrorCode;
  headers?: Record<string, string>;
};

/** One of each kind of hostile or invalid input, with the error code it must be dead-lettered with. */
function badMessages(maxBytes: number): Bad[] {
  const x = (s: string) => Buffer.from(s, 'utf8');
  const wmo = buildWmo301({ gemeente: '0363', identificatie: 'BAD-WMO' });
  return [
    { topic: 'ind', value: x('<io31:Bericht xmlns:io31="urn:x"><unclosed>'), code: 'MALFORMED_XML' },
    {
      topic: 'ind',
      value: x(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><a>&lol2;</a>',
      ),
      code: 'DOCTYPE_FORBIDDEN',
    },
    {
      topic: 'wmo',
      value: x('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><r>&xxe;</r>'),
      code: 'DOCTYPE_FORBIDDEN',
    },
    {
      topic: 'wmo',
      value: x(wmo.replaceAll('iwmo/3_2/wmo301/schema', 'iwmo/3_1/wmo301/schema')),
      code: 'WRONG_NAMESPACE',
    },
    {
      topic: 'wmo',
      value: Buffer.concat([x('<a>'), Buffer.alloc(maxBytes + 10, 0x61), x('</a>')]),
      code: 'TOO_LARGE',
    },
    {
      topic: 'ind',
      value: Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]),
      code: 'INVALID_UTF8',
    },
    { topic: 'ztw', value: Buffer.alloc(0), code: 'EMPTY' },
    {
      topic: 'ind',
      value: x('{"eventType":"NIEUWE_INDICATIE"'),
      code: 'INVALID_JSON',
      headers: { 'content-type': 'application/json' },
    },
    {
      topic: 'ind',
      value: x(JSON.stringify({ ...JSON.parse(buildNetwerkmodelEvent()), eventType: 'IETS_ANDERS' })),
      code: 'INVALID_ENVELOPE',
      headers: { 'content-type': 'application/json' },
    },
    { topic: 'wmo', value: x('<Bericht xmlns="urn:unknown"><Header/></Bericht>'), code: 'UNKNOWN_MESSAGE' },
    {
      topic: 'wmo',
      value: x(
        wmo.replaceAll(
          'http://www.istandaarden.nl/iwmo/3_2/wmo301/schema',
          'http://www.istandaarden.nl/ijw/3_2/jw301/schema',
        ),
      ),
      code: 'OUT_OF_SCOPE',
    },
    {
      topic: 'ind',
      value: x(buildIo31({ bsn: invalidBsn(7), identificatie: 'BAD-BSN' })),
      code: 'INVALID_BSN',
    },
    {
      topic: 'wmo',
      value: x(buildWmo301({ ingangsdatum: '2026-03-01', einddatum: '2026-02-01' })),
      code: 'INVALID_PERIOD',
    },
    { topic: 'ztw', value: x(buildAw33({ leveringsvorm: '3' })), code: 'INVALID_CODE' },
    { topic: 'ztw', value: x(buildIo31({ identificatie: 'WRONG-TOPIC' })), code: 'WRONG_TOPIC' },
    { topic: 'wmo', value: x(buildWmo301({ berichtVersie: '2' })), code: 'INVALID_HEADER' },
    // gemeente 0599's WMO301 on 0384's toewijzingen topic: a gemeente is the topic it writes to
    { topic: 'wmo', value: x(buildWmo301({ gemeente: '0599' })), code: 'WRONG_SENDER' },
  ];
}

describe('dead-letter topic on the real Kafka and Redis', () => {
  const maxBytes = 64 * 1024;
  const { cfg } = isolatedConfig({ MAX_MESSAGE_BYTES: String(maxBytes), GEMEENTEN: '0384' });
  const service = new SamenloopService(cfg, createLogger('silent'));
  const kafka = testKafka();
  const topicOf = {
    ind: cfg.TOPIC_INDICATIEBESLUITEN,
    ztw: cfg.TOPIC_ZORGTOEWIJZINGEN,
    wmo: wmoTopic(cfg, '0384'),
  };

  beforeAll(async () => {
    // the generated gemeenten's own toewijzingen topics, made before they write (the processor subscribes)
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(
      admin,
      gemeenteCodes().map((g) => wmoTopic(cfg, g)),
      cfg.TOPIC_PARTITIONS,
    );
    await admin.disconnect();
    await service.start();
  });
  afterAll(async () => {
    await service.stop();
  });

  it('dead-letters exactly the 100 bad messages among 1,000 good ones and applies all the good ones', async () => {
    const good = generate({ seed: 7, messages: 1000, duplicateRate: 0 }).slice(0, 1000);
    expect(good).toHaveLength(1000);
    const kinds = badMessages(maxBytes);
    const bad = Array.from({ length: 100 }, (_, i) => ({ ...kinds[i % kinds.length]!, key: `bad-${i}` }));

    // Interleave: a bad message after every tenth good one, in the order of the generator's phases.
    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    let b = 0;
    for (let i = 0; i < good.length; i++) {
      const g = good[i]!;
      await producer.send({
        topic: feedTopic(cfg, g.kind, g.value),
        messages: [{ key: g.key, value: g.value }],
      });
      if (i % 10 === 9) {
        const m = bad[b++]!;
        await producer.send({
          topic: topicOf[m.topic],
          messages: [{ key: m.key, value: m.value, headers: m.headers }],
        });
      }
    }
    await producer.disconnect();
    expect(b).toBe(100);

    const { records, consumer } = await collect(kafka, [cfg.TOPIC_DLQ]);
    const store = new RedisStore(cfg.REDIS_URL, cfg.REDIS_PREFIX, {}, registerCipher(cfg));
    try {
      await waitFor(() => records.length >= 100, 120000, 250, '100 dead letters');
      // Everything good must be applied: every message id in some client's register.
      const expectedIds = new Set(
        good.map((g) => {
          const r = parseMessage(g.kind, Buffer.from(g.value));
          if (!r.ok) throw new Error(`generator made an invalid message: ${r.error.code}`);
          return r.message.messageId;
        }),
      );
      const applied = new Set<string>();
      await waitFor(
        async () => {
          applied.clear();
          for (const id of await store.clientIds()) {
            for (const m of Object.keys((await store.load(id)).state?.applied ?? {})) applied.add(m);
          }
          return [...expectedIds].every((id) => applied.has(id));
        },
        120000,
        1000,
        'all good messages applied',
      );
      expect([...expectedIds].filter((id) => !applied.has(id))).toEqual([]);
    } finally {
      await store.close();
      await consumer.disconnect();
    }

    expect(records).toHaveLength(100);
    const byKey = new Map(bad.map((m) => [m.key, m]));
    for (const r of records) {
      const sent = byKey.get(r.key!);
      expect(sent).toBeDefined();
      expect(r.headers['samenloop-error-code']).toBe(sent!.code);
      expect(r.headers['samenloop-source-topic']).toBe(topicOf[sent!.topic]);
      expect(Number(r.headers['samenloop-source-partition'])).toBeGreaterThanOrEqual(0);
      expect(BigInt(r.headers['samenloop-source-offset']!)).toBeGreaterThanOrEqual(0n);
      expect(r.headers['samenloop-error-reason']!.length).toBeGreaterThan(0);
      expect(r.headers['samenloop-error-reason']).not.toMatch(/\b\d{9}\b/);
      if (sent!.code === 'TOO_LARGE') {
        // larger than MAX_MESSAGE_BYTES: maybe larger than the DLQ takes, so only its size is kept
        expect(r.value).toBeNull();
        expect(r.headers['samenloop-value-omitted-bytes']).toBe(String(sent!.value.length));
      } else {
        // the original bytes, untouched
        expect(Buffer.compare(r.value ?? Buffer.alloc(0), sent!.value)).toBe(0);
      }
    }
    const codes = new Set(records.map((r) => r.headers['samenloop-error-code']));
    expect(codes).toEqual(new Set(kinds.map((k) => k.code)));
  });
});
