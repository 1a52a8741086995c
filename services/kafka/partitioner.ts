/**
 * The partition of a keyed record: Kafka's default (murmur2 of the key's UTF-8 bytes, made positive, modulo the
 * partitions), the same as the Java client's and kafkajs' `Partitioners.DefaultPartitioner`, so a key lands
 * where it always did. kafkajs computes murmur2 in 64-bit `Long` objects (several per four bytes of the key)
 * and copies the key and the partition list for every record: ≈2.4 % of a drain's allocations and ≈1 % of its
 * CPU (README, Performance). Here it is 32-bit integer arithmetic (Math.imul), over a reused buffer for a
 * string key. A record without a key or with a partition of its own is left to kafkajs' partitioner.
 */
import { Partitioners, type ICustomPartitioner } from 'kafkajs';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2) of data[0, length): a signed 32-bit int. */
export function murmur2(data: Uint8Array, length: number = data.length): number {
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest > 0) {
    if (rest === 3) h ^= data[whole + 2]! << 16;
    if (rest >= 2) h ^= data[whole + 1]! << 8;
    h ^= data[whole]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

// A UTF-8 string takes at most 3 bytes per UTF-16 unit: a key of up to 1,024 units always fits.
const scratch = Buffer.allocUnsafe(3 * 1024);

/** murmur2 of a record key as kafkajs reads it: a Buffer's bytes, anything else as the UTF-8 of String(key). */
export function murmur2OfKey(key: Buffer | string): number {
  if (Buffer.isBuffer(key)) return murmur2(key);
  const text = String(key);
  if (text.length <= 1024) return murmur2(scratch, scratch.write(text, 0, 'utf8'));
  return murmur2(Buffer.from(text, 'utf8'));
}

/** The partition of a key among `partitions`, as `KeyPartitioner` gives it. */
export function partitionOfKey(key: Buffer | string, partitions: number): number {
  return (murmur2OfKey(key) & 0x7fffffff) % partitions;
}

/** kafkajs' DefaultPartitioner, with the keyed case computed here. */
export const KeyPartitioner: ICustomPartitioner = countingKeyPartitioner();

/**
 * `KeyPartitioner` that also notes, per topic, how many partitions it last partitioned among (`counts`): so its
 * owner knows where the keyed records of a later send will land (./produce-requests.ts) without asking the
 * broker. A topic that gained partitions is known again at its next send.
 */
export function countingKeyPartitioner(counts?: Map<string, number>): ICustomPartitioner {
  return () => {
    const unkeyed = Partitioners.DefaultPartitioner();
    return (args) => {
      const { message } = args;
      const partitions = args.partitionMetadata.length;
      if (counts !== undefined && counts.get(args.topic) !== partitions) counts.set(args.topic, partitions);
      if (message.partition !== null && message.partition !== undefined) return message.partition;
      if (message.key === null || message.key === undefined) return unkeyed(args);
      return partitionOfKey(message.key, partitions);
    };
  };
}
