import type { Message, RecordMetadata, Sender, TopicMessages } from 'kafkajs';
import { partitionOfKey } from './partitioner';

/**
 * A transaction's records cut into produce requests that the broker takes. Kafka refuses a record batch larger
 * than the topic's `max.message.bytes` (it does not split one, and kafkajs sends all records of a partition in
 * one request as one batch): a chunk whose records for one partition add up to more — dead letters of large
 * inputs, the changelog states of many clients — would be refused every time it came again, and its input
 * partition would stand still. So each request holds at most `limit` bytes per partition: per partition of a
 * topic whose partition count is known (`partitions`, as the producer's partitioner last saw it) when its records
 * are keyed, else per topic; a record that alone is larger goes alone. The requests are sent one after the other
 * in the same transaction, so a partition's records keep their order. `produceRequests` is pure;
 * `sendInRequests` sends them.
 */

/** The header of a record batch in Kafka's message format v2. */
const BATCH_HEADER_BYTES = 61;
/** A record's own fields besides key, value and headers (its length, attributes, the deltas, the lengths), at most. */
const RECORD_OVERHEAD_BYTES = 36;
/** A header's two length varints, at most. */
const HEADER_OVERHEAD_BYTES = 10;

type Bytes = string | Buffer | null | undefined;
const size = (b: Bytes): number => (b == null ? 0 : typeof b === 'string' ? Buffer.byteLength(b) : b.length);

/** What a record takes in a batch, at most. */
export function recordBytes(m: Message): number {
  let n = RECORD_OVERHEAD_BYTES + size(m.key) + size(m.value);
  const headers = m.headers;
  if (headers !== undefined) {
    for (const key in headers) {
      const v = headers[key];
      const values = Array.isArray(v) ? v : [v];
      for (const one of values) n += HEADER_OVERHEAD_BYTES + Buffer.byteLength(key) + size(one as Bytes);
    }
  }
  return n;
}

/**
 * The records by topic, in requests of at most `limit` bytes per partition (a batch's header included): as few
 * requests as the fullest partition needs, each partition's records in their order across the requests.
 * `partitions`: a topic's partition count, if known; a topic without one, or with a record that has no key or a
 * partition of its own, is bounded as a whole.
 */
export function produceRequests(
  byTopic: ReadonlyMap<string, readonly Message[]>,
  limit: number,
  partitions: (topic: string) => number | undefined = () => undefined,
): TopicMessages[][] {
  const room = limit - BATCH_HEADER_BYTES;
  const requests: Array<Map<string, Message[]>> = [];
  for (const [topic, messages] of byTopic) {
    const count = partitions(topic);
    const keyed =
      count !== undefined && count > 0 && messages.every((m) => m.key != null && m.partition == null);
    // per partition (or for the whole topic): the request it fills now and the bytes it put there
    const at: number[] = [];
    const used: number[] = [];
    for (const m of messages) {
      const p = keyed ? partitionOfKey(m.key!, count) : 0;
      const bytes = recordBytes(m);
      let r = at[p] ?? 0;
      let u = used[p] ?? 0;
      if (u > 0 && u + bytes > room) {
        r++;
        u = 0;
      }
      at[p] = r;
      used[p] = u + bytes;
      const request = requests[r] ?? (requests[r] = new Map());
      const list = request.get(topic);
      if (list) list.push(m);
      else request.set(topic, [m]);
    }
  }
  return requests.map((request) => [...request].map(([topic, messages]) => ({ topic, messages })));
}

/** Sends the records by topic in the requests of `produceRequests`, one after the other (acks from all replicas). */
export async function sendInRequests(
  sender: Pick<Sender, 'sendBatch'>,
  byTopic: ReadonlyMap<string, readonly Message[]>,
  limit: number,
  partitions?: (topic: string) => number | undefined,
): Promise<RecordMetadata[]> {
  const sent: RecordMetadata[] = [];
  for (const topicMessages of produceRequests(byTopic, limit, partitions)) {
    sent.push(...(await sender.sendBatch({ acks: -1, topicMessages })));
  }
  return sent;
}

/**
 * Notes in `into` where records of `topic` landed: per partition, the first offset of the latest produce request
 * (what `stablePast` in ./rebuild.ts waits to see settled once the transaction has ended).
 */
export function noteWritten(
  into: Map<number, bigint>,
  topic: string,
  sent: ReadonlyArray<{ topicName: string; partition: number; baseOffset?: string }>,
): void {
  for (const m of sent) {
    if (m.topicName !== topic || m.baseOffset === undefined) continue;
    const at = BigInt(m.baseOffset);
    if (at > (into.get(m.partition) ?? -1n)) into.set(m.partition, at);
  }
}
