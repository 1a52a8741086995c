/**
 * The keyed partitioner must put every key where kafkajs' DefaultPartitioner (and the Java client) put it: the
 * changelog and the outputs already on a cluster were partitioned by it.
 */
import { randomBytes } from 'node:crypto';
import { Partitioners, type PartitionerArgs } from 'kafkajs';
import { KeyPartitioner, murmur2, murmur2OfKey } from '../../../services/kafka/partitioner';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (
  key: Buffer | string,
) => number;

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomKey(rnd: () => number): string {
  const alphabet = ['a', 'Z', '0', '-', '.', ':', 'é', 'ß', '€', '中', '😀', '\ud800', ' '];
  const n = Math.floor(rnd() * 120);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
  return s;
}

const partitions = (n: number): PartitionerArgs['partitionMetadata'] =>
  Array.from({ length: n }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
  }));

describe('murmur2', () => {
  it("gives the Java client's values (Kafka's UtilsTest)", () => {
    const cases: Array<[string, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, value] of cases) {
      expect(murmur2(Buffer.from(key))).toBe(value);
      expect(murmur2OfKey(key)).toBe(value);
    }
  });

  it("equals kafkajs' for strings of every length and script, and for buffers", () => {
    const rnd = seeded(7);
    for (let i = 0; i < 5000; i++) {
      const key = randomKey(rnd);
      expect([key, murmur2OfKey(key)]).toEqual([key, kafkajsMurmur2(key)]);
      const bytes = randomBytes(Math.floor(rnd() * 70));
      expect(murmur2OfKey(bytes)).toBe(kafkajsMurmur2(bytes));
    }
    // longer than the reused buffer holds, and exactly at its edge
    for (const n of [1023, 1024, 1025, 5000]) {
      const key = '€'.repeat(n);
      expect(murmur2OfKey(key)).toBe(kafkajsMurmur2(key));
    }
  });

  it('reads only the bytes of the key it is given (a shorter key after a longer one)', () => {
    const long = murmur2OfKey('x'.repeat(900));
    expect(murmur2OfKey('xy')).toBe(kafkajsMurmur2('xy'));
    expect(murmur2OfKey('x'.repeat(900))).toBe(long);
  });
});

describe('KeyPartitioner', () => {
  it("puts every key in kafkajs' DefaultPartitioner's partition, and leaves a given partition alone", () => {
    const ours = KeyPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    const rnd = seeded(11);
    for (let i = 0; i < 3000; i++) {
      const n = 1 + Math.floor(rnd() * 24);
      const key = randomKey(rnd);
      const args = { topic: 't', partitionMetadata: partitions(n), message: { key, value: 'v' } };
      expect(ours(args)).toBe(theirs(args));
    }
    expect(
      ours({ topic: 't', partitionMetadata: partitions(6), message: { key: 'k', value: 'v', partition: 4 } }),
    ).toBe(4);
  });

  it('spreads records without a key over the partitions, as kafkajs does', () => {
    const ours = KeyPartitioner();
    const seen = new Set<number>();
    for (let i = 0; i < 12; i++)
      seen.add(ours({ topic: 't', partitionMetadata: partitions(6), message: { value: 'v' } }));
    expect(seen.size).toBe(6);
  });
});
