import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { retrying } from '../kafka/retriable';

/**
 * The safety net: done when a joined consumer has had no batch at all for this long. kafkajs reports a batch
 * of only transaction markers or aborted records too (END_BATCH_PROCESS), so a partition's end is normally
 * seen; this only ends a read stuck behind a transaction that stays open (read_committed waits for it).
 */
const STALL_MS = 30000;

/**
 * Reads a topic from the beginning to its end at the moment of the call, with isolation read_committed and
 * a throw-away consumer group (nothing is committed). `onMessage` sees every committed record in order per
 * partition. A topic just created (no leader yet) is waited for.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  onMessage: (partition: number, message: KafkaMessage) => void,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await retrying(() => admin.fetchTopicOffsets(topic), 30000);
    ends = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const pending = new Set([...ends].filter(([, high]) => high > 0n).map(([p]) => p));
  if (pending.size === 0) return;
  const consumer = kafka.consumer({
    groupId: `samenloop-cli-${randomUUID()}`,
    readUncommitted: false,
    maxWaitTimeInMs: 250,
  });
  await consumer.connect();
  try {
    let joined = false;
    let lastActivity = Date.now();
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
      lastActivity = Date.now();
    });
    // Every fetched batch ends here, also one that kafkajs filtered to nothing (a commit marker, aborted
    // records): its last offset says how far the partition was read.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      lastActivity = Date.now();
      const end = ends.get(payload.partition) ?? 0n;
      if (BigInt(payload.lastOffset) + 1n >= end) pending.delete(payload.partition);
    });
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (pending.size === 0 || (joined && Date.now() - lastActivity > STALL_MS)) {
          clearInterval(check);
          resolve();
        }
      }, 100);
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            lastActivity = Date.now();
            const end = ends.get(batch.partition) ?? 0n;
            for (const m of batch.messages) if (BigInt(m.offset) < end) onMessage(batch.partition, m);
          },
        })
        .catch((err: unknown) => {
          clearInterval(check);
          reject(err instanceof Error ? err : new Error(String(err)));
        });
    });
  } finally {
    await consumer.disconnect();
  }
}

/** A record's headers as strings (the first value of each). */
export function headerStrings(m: KafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    const one = Array.isArray(v) ? v[0] : v;
    if (one !== undefined) out[k] = Buffer.isBuffer(one) ? one.toString('utf8') : String(one);
  }
  return out;
}
