import type { Admin } from 'kafkajs';
import type { Config } from '../config';
import { gemeenteInput, gemeenteTopics, inputTopics } from '../topics';
import { retrying } from './retriable';

/**
 * The topics the processor reads and writes (named by services/topics), created by the service, never by
 * broker auto-create. Creates missing topics with the configured partition count and replication factor; remembers what
 * exists so the hot path asks the broker once per new gemeente.
 */
export class TopicManager {
  private readonly known = new Set<string>();

  constructor(
    private readonly admin: Admin,
    private readonly cfg: Config,
  ) {}

  async ensure(topics: string[]): Promise<string[]> {
    const missing = topics.filter((t) => !this.known.has(t));
    if (missing.length === 0) return [];
    const existing = new Set(await retrying(() => this.admin.listTopics()));
    const create = [...new Set(missing.filter((t) => !existing.has(t)))];
    if (create.length > 0) {
      const inputs = new Set(inputTopics(this.cfg));
      // A topic just created has no leader for a moment (the metadata answer is then retriable); a retry
      // finds the topics that were made and waits for their leaders again.
      await retrying(() =>
        this.admin.createTopics({
          waitForLeaders: true,
          topics: create.map((topic) => ({
            topic,
            numPartitions: this.cfg.TOPIC_PARTITIONS,
            replicationFactor: this.cfg.TOPIC_REPLICATION_FACTOR,
            configEntries: this.configOf(topic, inputs),
          })),
        }),
      );
    }
    for (const t of missing) this.known.add(t);
    // every topic of the listing exists: the next gemeente whose topics are already there needs no listing
    for (const t of existing) this.known.add(t);
    return create;
  }

  private configOf(topic: string, inputs: ReadonlySet<string>): Array<{ name: string; value: string }> {
    // The register can be rebuilt by replaying the inputs: keep them (see README, "Redis lost").
    if (
      inputs.has(topic) ||
      gemeenteInput(this.cfg, topic) !== undefined ||
      topic === this.cfg.TOPIC_VERWERKINGEN
    )
      return [{ name: 'retention.ms', value: String(this.cfg.INPUT_RETENTION_MS) }];
    // A dead letter is an accepted-size input plus its samenloop-* headers: room for both.
    if (topic === this.cfg.TOPIC_DLQ)
      return [{ name: 'max.message.bytes', value: String(this.cfg.MAX_MESSAGE_BYTES + 64 * 1024) }];
    return [];
  }

  async ensureBase(): Promise<string[]> {
    return this.ensure([
      ...inputTopics(this.cfg),
      this.cfg.TOPIC_DLQ,
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
