import type { Message } from 'kafkajs';
import { prng } from '../../../bench/generator';
import { countingKeyPartitioner, partitionOfKey } from '../../../services/kafka/partitioner';
import { produceRequests, recordBytes } from '../../../services/kafka/produce-requests';

// kafkajs' own encoders of Kafka's message format v2: what the broker measures against max.message.bytes
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (o: object) => Promise<{ buffer: Buffer }>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (o: object) => unknown;

/** The size of the record batch kafkajs makes of these messages (as its producer does: one per partition). */
async function batchBytes(messages: readonly Message[]): Promise<number> {
  const now = Date.now();
  const records = messages.map((m, i) =>
    Record({ offsetDelta: i, timestampDelta: 0, key: m.key, value: m.value, headers: m.headers }),
  );
  const batch = await RecordBatch({ records, transactional: true, firstTimestamp: now, maxTimestamp: now });
  return batch.buffer.length; // what the broker compares with max.message.bytes: the whole batch
}

const LIMIT = 1048588;

describe('produce requests within the broker’s batch limit', () => {
  it('keeps a transaction that fits in one request', () => {
    const byTopic = new Map<string, Message[]>([
      ['a', [{ key: 'k', value: 'x'.repeat(500_000) }]],
      [
        'b',
        [
          { key: 'k', value: 'y'.repeat(500_000) },
          { key: 'l', value: 'z' },
        ],
      ],
    ]);
    const requests = produceRequests(byTopic, LIMIT);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toEqual([
      { topic: 'a', messages: byTopic.get('a') },
      { topic: 'b', messages: byTopic.get('b') },
    ]);
  });

  it('sends a record larger than the limit alone, and the next after it', () => {
    const big = { key: null, value: Buffer.alloc(LIMIT + 10) };
    const small = { key: 'k', value: 'v' };
    const requests = produceRequests(new Map([['t', [small, big, small]]]), LIMIT);
    expect(requests.map((r) => r.map((t) => t.messages.length))).toEqual([[1], [1], [1]]);
  });

  it('counts a record’s bytes as Kafka encodes them, at most: UTF-8, headers, arrays of header values', async () => {
    const cases: Message[] = [
      { key: null, value: null },
      { key: 'ëéï', value: '€'.repeat(1000), headers: { a: 'b', 'samenloop-id': Buffer.from('x') } },
      { key: Buffer.alloc(300), value: 'v', headers: { many: ['1', '22', '333'] } },
    ];
    for (const m of cases) {
      const alone = (await batchBytes([m])) - (await batchBytes([]));
      expect({ m, fits: recordBytes(m) >= alone }).toEqual({ m, fits: true });
    }
  });

  it('bounds keyed records per partition when the topic’s partition count is known: one request for a topic spread over its partitions', () => {
    // 390 states of 6.8 KB (≈2.6 MB) over 6 partitions: ≈450 KB each, one request; bounded per topic, three
    const states = Array.from({ length: 390 }, (_, i) => ({ key: `client-${i}`, value: 's'.repeat(6800) }));
    const byTopic = new Map([['changelog', states]]);
    expect(produceRequests(byTopic, LIMIT, (t) => (t === 'changelog' ? 6 : undefined))).toHaveLength(1);
    expect(produceRequests(byTopic, LIMIT)).toHaveLength(3);
    // unkeyed or with a partition of their own: the topic as a whole
    const unkeyed = new Map([['changelog', states.map((m) => ({ ...m, key: null }))]]);
    expect(produceRequests(unkeyed, LIMIT, () => 6)).toHaveLength(3);
  });

  it('notes the partition counts its producer partitions among, and partitions as KeyPartitioner does', () => {
    const counts = new Map<string, number>();
    const partition = countingKeyPartitioner(counts)();
    const meta = (partitionId: number) => ({
      partitionId,
      leader: 1,
      partitionErrorCode: 0,
      replicas: [1],
      isr: [1],
    });
    const partitionMetadata = Array.from({ length: 6 }, (_, i) => meta(i));
    for (const key of ['a', 'client-17', 'ëé']) {
      const p = partition({ topic: 'changelog', partitionMetadata, message: { key, value: 'v' } });
      expect(p).toBe(partitionOfKey(key, 6));
    }
    expect([...counts]).toEqual([['changelog', 6]]);
    partition({
      topic: 'changelog',
      partitionMetadata: [...partitionMetadata, meta(6)],
      message: { key: 'a', value: 'v' },
    });
    expect(counts.get('changelog')).toBe(7);
  });

  it('cuts random transactions into as few requests as the fullest partition needs, in order, every batch within the limit', async () => {
    const next = prng(16); // the same cases on every run
    for (let round = 0; round < 40; round++) {
      const byTopic = new Map<string, Message[]>();
      const topics = 1 + Math.floor(next() * 4);
      for (let t = 0; t < topics; t++) {
        const count = 1 + Math.floor(next() * 30);
        byTopic.set(
          `t${t}`,
          Array.from({ length: count }, (_, i) => ({
            key: `client-${round}-${t}-${i}`,
            value: (next() < 0.5 ? 'é' : 'x').repeat(
              Math.floor(next() * (next() < 0.1 ? 1_200_000 : 150_000)),
            ),
            headers:
              next() < 0.5 ? { 'samenloop-id': `${round}/${t}/${i}`, traceparent: 'x'.repeat(55) } : {},
          })),
        );
      }
      // half the rounds with the partition counts known: bounded per partition, checked per partition
      const counts = round % 2 === 0 ? new Map([...byTopic.keys()].map((t, i) => [t, 1 + i * 2])) : new Map();
      const requests = produceRequests(byTopic, LIMIT, (t) => counts.get(t));
      const split = [...byTopic].flatMap(([topic, messages]) => {
        const n = counts.get(topic);
        if (n === undefined) return [[topic, messages, (m: Message) => m !== undefined] as const];
        return Array.from(
          { length: n },
          (_, p) => [topic, messages, (m: Message) => partitionOfKey(m.key!, n) === p] as const,
        );
      });
      for (const [topic, all, inPartition] of split) {
        const messages = all.filter(inPartition);
        const parts = requests.map((r) =>
          (r.find((x) => x.topic === topic)?.messages ?? []).filter(inPartition),
        );
        // every record once, in its order
        expect(parts.flat()).toEqual(messages);
        for (let i = 0; i < parts.length; i++) {
          const part = parts[i]!;
          // the batch the broker gets holds at most the limit, or is one record that is larger alone
          if (part.length > 1) expect(await batchBytes(part)).toBeLessThanOrEqual(LIMIT);
          // a request is cut only when the next record would not fit (no more requests than needed)
          const following = parts.slice(i + 1).find((p) => p.length > 0);
          if (part.length > 0 && following !== undefined) {
            const bytes = [...part, following[0]!].reduce((n, m) => n + recordBytes(m), 61);
            expect(bytes).toBeGreaterThan(LIMIT);
          }
        }
      }
      // no request without records, and as many as the topic needing the most
      expect(requests.every((r) => r.length > 0 && r.every((t) => t.messages.length > 0))).toBe(true);
    }
  });
});
