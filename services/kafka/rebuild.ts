import { randomUUID } from 'node:crypto';
import type { Admin, Batch, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '../log';
import type { Processor } from '../pipeline/processor';
import type { Changelog, ChangelogEntry } from '../register/changelog';
import { openAtStart } from '../register/keys';
import { ConfigError } from '../config/errors';
import type { OutboxEntries } from '../register/store';
import { inputRecordOf } from './headers';
import { retrying } from './retriable';

/**
 * `topic/partition` → the group's committed offset (only partitions with something committed), for `topics`.
 * One OffsetFetch for all the group's topics, filtered here: kafkajs' fetchOffsets with a list of topics first
 * adds each to its metadata targets, one at a time, each time fetching the metadata of all targets so far —
 * with 340 gemeenten' opdrachten and uploads topics ≈680 metadata requests of up to 680 topics each (at every
 * start with a lost register, ≈1 s of CPU) — and needs the topics listed first, as one that does not exist
 * fails it.
 */
export async function committedOffsets(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  if (topics.length === 0) return out;
  const wanted = new Set(topics);
  for (const t of await retrying(() => admin.fetchOffsets({ groupId }))) {
    if (!wanted.has(t.topic)) continue;
    for (const p of t.partitions) {
      const o = BigInt(p.offset);
      if (o > 0n) out.set(`${t.topic}/${p.partition}`, o);
    }
  }
  return out;
}

/**
 * Reads `topic/partition` → end offset from the beginning up to the ends, message by message (`each`), with a
 * throw-away consumer group (read_committed). A partition is done once the consumer is past its end; the end
 * of a transactional log is a commit marker, which never reaches eachBatch: the batch events see it (kafkajs
 * resolves it by itself). Resolves to the messages handled.
 */
async function readUntil(
  kafka: Kafka,
  targets: Map<string, bigint>,
  each: (batch: Batch, m: KafkaMessage) => Promise<void>,
  progress: (records: number) => void,
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
  // a setting to mend (a changelog sealed with another key) ends the read with its ConfigError at once; other
  // errors (Redis away a moment) go to kafkajs, which retries the batch, and crash the read when they last
  let failed: (err: Error) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    failed = reject;
    const check = () => remaining.size === 0 && resolve();
    consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload: { topic, partition, lastOffset } }) => {
      const tp = `${topic}/${partition}`;
      const end = targets.get(tp);
      if (end !== undefined && lastOffset != null && BigInt(lastOffset) + 1n >= end) remaining.delete(tp);
      check();
    });
    void consumer
      .connect()
      .then(() => consumer.subscribe({ topics, fromBeginning: true }))
      .then(() =>
        consumer.run({
          eachBatchAutoResolve: true,
          eachBatch: async ({ batch, heartbeat }) => {
            const tp = `${batch.topic}/${batch.partition}`;
            const end = targets.get(tp);
            if (end === undefined || !remaining.has(tp)) return;
            for (const m of batch.messages) {
              if (BigInt(m.offset) >= end) break;
              try {
                await each(batch, m);
              } catch (err) {
                if (!(err instanceof ConfigError)) throw err;
                failed(err);
                return;
              }
              if (++records % 5000 === 0) progress(records);
            }
            await heartbeat();
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

/**
 * Rebuilds a lost register by replaying the input topics from the beginning up to the offsets the group
 * had committed: only for a register from before its changelog (TOPIC_CHANGELOG) held anything. Those
 * records' outputs were already sent, so the Processor runs in `restore` mode: the state comes back,
 * nothing is sent again. Processing then resumes at the committed offsets as usual.
 */
export function replayUntil(
  kafka: Kafka,
  targets: Map<string, bigint>,
  processor: Processor,
  log: Logger,
): Promise<number> {
  return readUntil(
    kafka,
    targets,
    async (batch, m) => void (await processor.handle(inputRecordOf(batch, m), 'restore')),
    (records) => log.info({ records }, 'rebuilding the register'),
  );
}

/**
 * The end of each partition of the register's changelog that holds records: partition → the offset up to
 * which it is read (the last stable offset: read_committed, so an open transaction of another instance is
 * not waited for). Empty when the topic does not exist or holds nothing.
 */
export async function changelogEnds(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  const out = new Map<number, bigint>();
  if (!(await retrying(() => admin.listTopics())).includes(topic)) return out;
  for (const p of await retrying(() => admin.fetchTopicOffsets(topic))) {
    if (BigInt(p.offset) > BigInt(p.low)) out.set(p.partition, BigInt(p.offset));
  }
  return out;
}

/** How long a rebuild waits for the commit markers of this process's last transactions (`stablePast`). */
const STABLE_WAIT_MS = 60_000;

/**
 * Waits until the last stable offset of each partition in `written` is past the offset given (the first record
 * of a transaction of this process that has ended): then its commit or abort marker is written, and what it
 * committed lies below the ends a read_committed reader takes (a rebuild of the changelog, the uploads history
 * of the next import). The markers follow the commit within moments; after STABLE_WAIT_MS `late` is told which
 * partitions are not there yet, and the caller goes on.
 */
export async function stablePast(
  admin: Admin,
  topic: string,
  written: ReadonlyMap<number, bigint>,
  late: (partitions: number[]) => void,
): Promise<void> {
  if (written.size === 0) return;
  const deadline = Date.now() + STABLE_WAIT_MS;
  for (;;) {
    const stable = new Map(
      (await retrying(() => admin.fetchTopicOffsets(topic))).map((p) => [p.partition, BigInt(p.offset)]),
    );
    const open = [...written].filter(([p, at]) => (stable.get(p) ?? 0n) <= at).map(([p]) => p);
    if (open.length === 0) return;
    if (Date.now() > deadline) return late(open);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A changelog record read back. One the register's keys do not open (sealed with a key no longer in
 * REGISTER_KEYS, or REGISTER_ENCRYPTION=off for a sealed changelog) is a setting to mend, not a retriable
 * failure: a ConfigError naming it (exit 2 at start), as for the register's own values (register/keys.ts).
 */
function decodeOrKeyError(
  changelog: Changelog,
  clientId: string,
  value: Buffer | null,
  topic: string,
): ChangelogEntry {
  try {
    return changelog.decode(clientId, value);
  } catch (err) {
    if (value !== null) {
      const sealed = changelog.sealedText(value.toString());
      openAtStart(changelog.cipher, clientId, sealed, `a record of ${topic}`);
    }
    throw err;
  }
}

/**
 * The outbox entries of a changelog record still to be sent: those whose input position (`topic/partition/offset`)
 * the group has not committed past (`committed`: `topic/partition` → offset), so that their record comes again
 * and finds its outputs. The others' transactions committed: their outputs are in Kafka.
 */
export function uncommitted(outbox: OutboxEntries, committed: ReadonlyMap<string, bigint>): OutboxEntries {
  const out: OutboxEntries = {};
  for (const [position, outputs] of Object.entries(outbox)) {
    const slash = position.lastIndexOf('/');
    const offset = /^\d+$/.test(position.slice(slash + 1)) ? BigInt(position.slice(slash + 1)) : undefined;
    if (offset === undefined || offset >= (committed.get(position.slice(0, slash)) ?? 0n))
      out[position] = outputs;
  }
  return out;
}

/**
 * Rebuilds a lost register from its changelog (register/changelog.ts): every record, read_committed, from the
 * beginning up to `ends`, restored through the Processor (state, indexes, the daily index; an older version
 * than one already restored is ignored, a tombstone deletes), with the outbox entries of records the group
 * has not committed (`committed`: the group's offsets of the inputs). Nothing is sent. Resolves to the records
 * read.
 */
export function restoreFromChangelog(
  kafka: Kafka,
  topic: string,
  ends: Map<number, bigint>,
  changelog: Changelog,
  processor: Processor,
  log: Logger,
  committed: ReadonlyMap<string, bigint>,
): Promise<number> {
  const targets = new Map([...ends].map(([p, end]) => [`${topic}/${p}`, end]));
  // the version restored per client (an older record behind a newer one in a log not yet compacted is skipped):
  // about 80 bytes per client for the length of the rebuild
  const restored = new Map<string, number>();
  return readUntil(
    kafka,
    targets,
    async (_batch, m) => {
      const clientId = m.key?.toString();
      if (!clientId) return;
      const entry = decodeOrKeyError(changelog, clientId, m.value, topic);
      if (entry === null) await processor.restoreClient(clientId, 0, null, {}, restored);
      else
        await processor.restoreClient(
          clientId,
          entry.version,
          entry.state,
          uncommitted(entry.outbox, committed),
          restored,
        );
    },
    (records) => log.info({ records }, 'rebuilding the register from its changelog'),
  );
}
