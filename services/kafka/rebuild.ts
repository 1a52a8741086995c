import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from '../log';
import type { Processor } from '../pipeline/processor';
import { inputRecordOf } from './headers';
import { retrying } from './retriable';

/** `topic/partition` → the group's committed offset (only partitions with something committed). */
export async function committedOffsets(
  admin: Admin,
  groupId: string,
  topics: string[],
): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  const existing = new Set(await retrying(() => admin.listTopics()));
  const wanted = topics.filter((t) => existing.has(t));
  if (wanted.length === 0) return out;
  for (const t of await retrying(() => admin.fetchOffsets({ groupId, topics: wanted }))) {
    for (const p of t.partitions) {
      const o = BigInt(p.offset);
      if (o > 0n) out.set(`${t.topic}/${p.partition}`, o);
    }
  }
  return out;
}

/**
 * Rebuilds a lost register by replaying the input topics from the beginning up to the offsets the group
 * had committed. Those records' outputs were already sent, so the Processor runs in `restore` mode: the
 * state comes back, nothing is sent again. Processing then resumes at the committed offsets as usual.
 */
export async function replayUntil(
  kafka: Kafka,
  targets: Map<string, bigint>,
  processor: Processor,
  log: Logger,
): Promise<number> {
  if (targets.size === 0) return 0;
  const topics = [...new Set([...targets.keys()].map((k) => k.slice(0, k.lastIndexOf('/'))))];
  const remaining = new Set(targets.keys());
  const consumer = kafka.consumer({
    groupId: `samenloop-rebuild-${randomUUID()}`,
    allowAutoTopicCreation: false,
  });
  let records = 0;
  let failure: Error | undefined;
  const done = new Promise<void>((resolve, reject) => {
    consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
    const check = () => remaining.size === 0 && resolve();
    void consumer
      .connect()
      .then(() => consumer.subscribe({ topics, fromBeginning: true }))
      .then(() =>
        consumer.run({
          eachBatchAutoResolve: true,
          eachBatch: async ({ batch, heartbeat }) => {
            const tp = `${batch.topic}/${batch.partition}`;
            const target = targets.get(tp);
            if (target === undefined || !remaining.has(tp)) return;
            for (const m of batch.messages) {
              if (BigInt(m.offset) >= target) break;
              const rec = inputRecordOf(batch, m);
              await processor.handle(rec, 'restore');
              records++;
              if (records % 5000 === 0) log.info({ records }, 'rebuilding the register');
            }
            if (BigInt(batch.lastOffset()) + 1n >= target) remaining.delete(tp);
            await heartbeat();
            check();
          },
        }),
      )
      .then(check)
      .catch(reject);
  }).catch((err: Error) => {
    failure = err;
  });
  await done;
  await consumer.disconnect();
  if (failure) throw failure;
  return records;
}
