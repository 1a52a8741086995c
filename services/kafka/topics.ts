import { ConfigResourceTypes, ConfigSource, type Admin, type ITopicConfig } from 'kafkajs';
import type { Config } from '../config';
import { minInsyncReplicas } from '../config/operations';
import { gemeenteInput, gemeenteTopics, inputTopics, parseGemeenteTopic } from '../topics';
import { retrying } from './retriable';

const DAGELIJKS_RETENTION_MS = 7 * 24 * 3600 * 1000;

/**
 * Topics that must exist and do not, where the service may not create them (TOPIC_CREATE=false): the
 * message names every one and says how the owners make them.
 */
export class MissingTopicsError extends Error {
  constructor(readonly topics: string[]) {
    super(
      `${topics.length} topic(s) missing and TOPIC_CREATE=false: ${topics.join(', ')}; ` +
        'the topic owners create them (`samenloop topics create` prints and makes them, asyncapi.yaml ' +
        'describes them)',
    );
    this.name = 'MissingTopicsError';
  }
}

/** How one topic is created: partitions and topic configuration (min.insync.replicas, retention, size). */
export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries: Array<{ name: string; value: string }>;
}

/**
 * How the service creates a topic: every topic gets min.insync.replicas = replication factor − 1 (at least
 * 1), so an acks=all write survives one broker down and is never acknowledged by the leader alone when
 * RF ≥ 3; a gemeente's opdrachten and uploads topics get 1 partition (few records, hundreds of
 * gemeenten: 6 partitions each would mean thousands of partitions and transactional producers), its
 * toewijzingen TOPIC_PARTITIONS like the shared inputs; the inputs and a gemeente's toewijzingen, opdrachten
 * and uploads are kept INPUT_RETENTION_MS (30 days); the outputs as short as their use allows (README
 * "Retention"): the DLQ DLQ_RETENTION_MS, a gemeente's beeindigingen BEEINDIGINGEN_RETENTION_MS, the audit
 * trail VERWERKINGEN_RETENTION_MS, a gemeente's samenloop topic compacted by decision reference (its current
 * signals stay, a retracted one goes with its tombstone: engine/opruimen.ts); the register's changelog is
 * compacted; the daily ticks get a partition per slice (DAGELIJKS_SLICES) and a week; the DLQ takes a dead
 * letter of any accepted size.
 */
export function topicSpec(cfg: Config, topic: string): TopicSpec {
  const configEntries = [
    { name: 'min.insync.replicas', value: String(minInsyncReplicas(cfg.TOPIC_REPLICATION_FACTOR)) },
    ...retentionConfig(cfg, topic),
  ];
  // A dead letter is an accepted-size input plus its samenloop-* headers: room for both.
  if (topic === cfg.TOPIC_DLQ)
    configEntries.push({ name: 'max.message.bytes', value: String(cfg.MAX_MESSAGE_BYTES + 64 * 1024) });
  const gemeenteIn = gemeenteInput(cfg, topic);
  // few records from many gemeenten: one partition; a gemeente's toewijzingen carry its whole Wmo volume
  const single = gemeenteIn !== undefined && gemeenteIn.channel !== 'toewijzingen';
  // the daily ticks: a partition per slice of the clients (DAGELIJKS_SLICES)
  const numPartitions =
    topic === cfg.TOPIC_DAGELIJKS ? cfg.DAGELIJKS_SLICES : single ? 1 : cfg.TOPIC_PARTITIONS;
  return { topic, numPartitions, replicationFactor: cfg.TOPIC_REPLICATION_FACTOR, configEntries };
}

/** How long a topic keeps its records (README "Retention"): retention.ms, or compaction for the signals. */
function retentionConfig(cfg: Config, topic: string): Array<{ name: string; value: string }> {
  const ms = (value: number) => [{ name: 'retention.ms', value: String(value) }];
  // A tick only starts a re-evaluation (every instance sends one at its start): a week is plenty.
  if (topic === cfg.TOPIC_DAGELIJKS) return ms(DAGELIJKS_RETENTION_MS);
  // The register is rebuilt from its changelog: compacted, every client's latest state (README, "Redis lost").
  if (topic === cfg.TOPIC_CHANGELOG) return [{ name: 'cleanup.policy', value: 'compact' }];
  // Kept INPUT_RETENTION_MS (30 days by default): for a replay by hand, no longer for a rebuild.
  if (inputTopics(cfg).includes(topic) || gemeenteInput(cfg, topic) !== undefined)
    return ms(cfg.INPUT_RETENTION_MS);
  if (topic === cfg.TOPIC_VERWERKINGEN) return ms(cfg.VERWERKINGEN_RETENTION_MS);
  if (topic === cfg.TOPIC_DLQ) return ms(cfg.DLQ_RETENTION_MS);
  const channel = parseGemeenteTopic(cfg, topic)?.channel;
  if (channel === 'beeindigingen') return ms(cfg.BEEINDIGINGEN_RETENTION_MS);
  if (channel === 'samenloop') {
    // the latest record per decision reference stays: a consumer reading from the beginning gets every
    // current signal; a retracted one's tombstone (SIGNAAL_BEWAAR_DAGEN later) removes it
    return [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'delete.retention.ms', value: String(cfg.SIGNALEN_DELETE_RETENTION_MS) },
      { name: 'segment.ms', value: String(cfg.SIGNALEN_SEGMENT_MS) },
      { name: 'min.cleanable.dirty.ratio', value: String(cfg.SIGNALEN_MIN_CLEANABLE_DIRTY_RATIO) },
      // however little is dirty: a tombstoned record is compacted away at most this long after the tombstone
      { name: 'max.compaction.lag.ms', value: String(cfg.SIGNALEN_MAX_COMPACTION_LAG_MS) },
    ];
  }
  return [];
}

/**
 * Creates `topics` and waits until the broker knows them, leaders and all. kafkajs waits for the leaders but
 * gives up on the broker's UNKNOWN_TOPIC_OR_PARTITION for a topic it has only just made (retriable: the retry
 * finds the topics made, TOPIC_ALREADY_EXISTS, and resolves at once); until the broker lists them, a listing
 * right after (another instance's check, a subscription) would not see them. So their metadata is asked for too.
 */
export async function createTopicsAndWait(admin: Admin, topics: ITopicConfig[]): Promise<void> {
  await retrying(() => admin.createTopics({ waitForLeaders: true, topics }));
  await retrying(() => admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) }));
}

/**
 * The topics the processor reads and writes (named by services/topics), created by the service, never by
 * broker auto-create, when TOPIC_CREATE allows (`create` overrides it: `samenloop topics create`).
 * Remembers what exists so the hot path asks the broker once per new gemeente.
 */
export class TopicManager {
  private readonly known = new Set<string>();
  private readonly create: boolean;

  constructor(
    private readonly admin: Admin,
    private readonly cfg: Config,
    options: { create?: boolean } = {},
  ) {
    this.create = options.create ?? cfg.TOPIC_CREATE;
  }

  /**
   * Makes sure the topics exist; resolves to those it created. Without the right to create them, rejects
   * with a MissingTopicsError naming the missing ones.
   */
  async ensure(topics: string[]): Promise<string[]> {
    const missing = topics.filter((t) => !this.known.has(t));
    if (missing.length === 0) return [];
    const existing = new Set(await retrying(() => this.admin.listTopics()));
    const create = [...new Set(missing.filter((t) => !existing.has(t)))];
    if (create.length > 0 && !this.create) {
      for (const t of missing) if (existing.has(t)) this.known.add(t);
      throw new MissingTopicsError(create);
    }
    if (create.length > 0) {
      await createTopicsAndWait(
        this.admin,
        create.map((topic) => topicSpec(this.cfg, topic)),
      );
    }
    for (const t of missing) this.known.add(t);
    // every topic of the listing exists: the next gemeente whose topics are already there needs no listing
    for (const t of existing) this.known.add(t);
    return create;
  }

  async ensureBase(): Promise<string[]> {
    return this.ensure([
      ...inputTopics(this.cfg),
      this.cfg.TOPIC_DLQ,
      this.cfg.TOPIC_DAGELIJKS,
      this.cfg.TOPIC_CHANGELOG,
      ...this.cfg.GEMEENTEN.flatMap((g) => gemeenteTopics(this.cfg, g)),
    ]);
  }

  /** The gemeenten's opdrachten and uploads topics that exist. */
  async existingGemeenteInputTopics(): Promise<string[]> {
    return (await retrying(() => this.admin.listTopics())).filter(
      (t) => gemeenteInput(this.cfg, t) !== undefined,
    );
  }
}

/** A setting of an existing topic that differs from what topicSpec wants. */
export interface ConfigDrift {
  topic: string;
  name: string;
  /** The topic's value now (its own override, else the broker's default). */
  is: string | undefined;
  wanted: string;
}

/** The settings of the topics (that exist) whose values differ from topicSpec: what `topics create` reports. */
export async function configDrift(admin: Admin, cfg: Config, topics: string[]): Promise<ConfigDrift[]> {
  if (topics.length === 0) return [];
  const r = await retrying(() =>
    admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
    }),
  );
  const out: ConfigDrift[] = [];
  for (const res of r.resources) {
    const now = new Map(res.configEntries.map((e) => [e.configName, e.configValue]));
    for (const e of topicSpec(cfg, res.resourceName).configEntries) {
      if (now.get(e.name) !== e.value)
        out.push({ topic: res.resourceName, name: e.name, is: now.get(e.name), wanted: e.value });
    }
  }
  return out.sort((a, b) => (a.topic + a.name < b.topic + b.name ? -1 : 1));
}

/**
 * Sets the wanted values of `drift` on its topics. Kafka's AlterConfigs (all kafkajs has) replaces a topic's
 * whole set of overrides: the topic's other overrides are read first and sent along, so they stay.
 */
export async function alterTopicConfigs(admin: Admin, drift: readonly ConfigDrift[]): Promise<void> {
  const topics = [...new Set(drift.map((d) => d.topic))];
  if (topics.length === 0) return;
  const r = await retrying(() =>
    admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
    }),
  );
  const resources = r.resources.map((res) => {
    const entries = new Map(
      res.configEntries
        .filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG && !e.isDefault)
        .map((e) => [e.configName, e.configValue]),
    );
    for (const d of drift) if (d.topic === res.resourceName) entries.set(d.name, d.wanted);
    return {
      type: ConfigResourceTypes.TOPIC,
      name: res.resourceName,
      configEntries: [...entries].map(([name, value]) => ({ name, value })),
    };
  });
  await retrying(() => admin.alterConfigs({ validateOnly: false, resources }));
}

/** What a wait for missing output topics needs from the batch it holds up. */
export interface TopicWait {
  /** The partition is still ours and the service is not stopping. */
  stillOurs: () => boolean;
  heartbeat: () => Promise<void>;
  log: { error: (fields: object, msg: string) => void };
}

/**
 * `ensure` for the outputs of a chunk: where the service may not create topics, a missing gemeente topic
 * holds the partition that needs it (never an output dropped) until its owners make it, logged at error
 * with the topics' names every 30 s, heartbeating meanwhile; the records are handled again by whoever
 * owns the partition when it moves.
 */
export async function ensureWaiting(topics: TopicManager, wanted: string[], w: TopicWait): Promise<string[]> {
  let logged = 0;
  for (;;) {
    try {
      return await topics.ensure(wanted);
    } catch (err) {
      if (!(err instanceof MissingTopicsError) || !w.stillOurs()) throw err;
      if (Date.now() - logged >= 30000) {
        logged = Date.now();
        w.log.error({ err, missing: err.topics }, 'output topics missing: the partition waits for them');
      }
      const until = Date.now() + 5000;
      while (Date.now() < until && w.stillOurs()) {
        await new Promise((r) => setTimeout(r, 500));
        await w.heartbeat();
      }
    }
  }
}
