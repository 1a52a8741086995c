import type { Message, RecordMetadata, Sender, TopicMessages } from 'kafkajs';

/**
 * A transaction's records cut into produce requests that the broker takes. Kafka refuses a record batch larger
 * than the topic's `max.message.bytes` (it does not split one, and kafkajs sends all records of a partition in
 * one request as one batch): a chunk whose records for one partition add up to more — dead letters of large
 * inputs, the changelog states of many clients — would be refused every time it came again, and its input
 * partition would stand still. So each request holds at most `limit` bytes per topic (and so per partition);
 * a record that alone is larger goes alone. The requests are sent one after the other in the same transaction,
 * so a topic's records keep their order. `produceRequests` is pure; `sendInRequests` sends them.
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
 * The records by topic, in requests of at most `limit` bytes per topic (a batch's header included): as few
 * requests as the largest topic needs, each topic's records in their order across the requests.
 */
export function produceRequests(
  byTopic: ReadonlyMap<string, readonly Message[]>,
  limit: number,
): TopicMessages[][] {
  const room = limit - BATCH_HEADER_BYTES;
  const requests: Array<Map<string, Message[]>> = [];
  for (const [topic, messages] of byTopic) {
    let at = 0;
    let used = 0;
    for (const m of messages) {
      const bytes = recordBytes(m);
      if (used > 0 && used + bytes > room) {
        at++;
        used = 0;
      }
      used += bytes;
      const request = requests[at] ?? (requests[at] = new Map());
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
): Promise<RecordMetadata[]> {
  const sent: RecordMetadata[] = [];
  for (const topicMessages of produceRequests(byTopic, limit)) {
    sent.push(...(await sender.sendBatch({ acks: -1, topicMessages })));
  }
  return sent;
}
