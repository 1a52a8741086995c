import type { Admin } from 'kafkajs';
import type { InputKind } from '../../services/ingest/kinds';
import { retrying } from '../../services/kafka/retriable';
import { createTopicsAndWait } from '../../services/kafka/topics';
import { inputTopics, topicForInput, wmoTopic, type TopicNames } from '../../services/topics';

/** Creates topics as given and waits until the broker knows them (the service's own way). */
export { createTopicsAndWait };

/**
 * Where the tests, the benchmarks and the demo send an input: a Wlz message to its shared topic, a WMO301
 * to the toewijzingen topic of the gemeente that sent it (its Afzender: these feeders play that gemeente).
 */

/** The gemeente of a WMO301's Header/Afzender (any namespace prefix). */
export function afzenderOf(value: string | Buffer): string {
  const m = /<(?:[A-Za-z_][\w.-]*:)?Afzender>\s*(\d{4})\s*</.exec(value.toString());
  if (!m) throw new Error('afzenderOf: no 4-digit Afzender in the message');
  return m[1]!;
}

/** The topic a feeder sends `value` of `kind` to. */
export function topicOf(t: TopicNames, kind: InputKind, value: string | Buffer): string {
  return topicForInput(t, kind, kind === 'wmo-toewijzingen' ? afzenderOf(value) : '');
}

export { wmoTopic };

/** Creates the topics that are missing (a gemeente's toewijzingen topic is made by its owner, not by us). */
export async function ensureTopics(admin: Admin, topics: string[], numPartitions = 3): Promise<void> {
  // a topic just made may be unknown to the broker answering the metadata for a moment: retriable, and a
  // retry asks again what is missing
  await retrying(async () => {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    await createTopicsAndWait(
      admin,
      missing.map((topic) => ({ topic, numPartitions })),
    );
  });
}

/** The topics a processor of `cfg` reads that the feeders write: the shared inputs and GEMEENTEN's toewijzingen. */
export function fedTopics(cfg: TopicNames & { GEMEENTEN: string[] }): string[] {
  return [...inputTopics(cfg), ...cfg.GEMEENTEN.map((g) => wmoTopic(cfg, g))];
}
