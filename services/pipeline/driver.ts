import { loadConfig, type Config } from '../config';
import { gemeenteTopic } from '../topics';
import type { Rendered } from '../messages/render';
import type { IngestError } from '../ingest/types';
import { MemoryStore } from '../register/memory-store';
import { CommitHeld, type RegisterMaintenance, type RegisterStore } from '../register/store';
import { Changelog, type ChangelogRecord } from '../register/changelog';
import { positionKey } from '../register/state';
import type { InputRecord } from './decode';
import { tickRecord } from './tick';
import {
  CommitLost,
  configuredContext,
  configuredOptions,
  Processor,
  type Handled,
  type ProcessingContext,
} from './processor';

export type DrivenOutput = Rendered & { topic: string };

/** Where a piped record is: its key, headers, partition and offset (by default the partition's next). */
export interface PipeOptions {
  key?: string;
  headers?: Record<string, string>;
  partition?: number;
  offset?: string;
}

export interface DeadLetter {
  record: InputRecord;
  error: IngestError;
}

/**
 * Runs the whole pipeline without a broker (the Kafka Streams TopologyTestDriver idea): records go in
 * with offsets assigned per topic-partition, outputs come out per topic. Same Processor as production,
 * with the in-memory register (or any RegisterStore) behind the same interface.
 */
export class TestDriver {
  readonly cfg: Config;
  readonly store: RegisterStore & Pick<RegisterMaintenance, 'hasEpoch' | 'epoch'>;
  readonly processor: Processor;
  readonly outputs: DrivenOutput[] = [];
  readonly deadLetters: DeadLetter[] = [];
  /** Windows processed again from a record whose commit, sent ahead, lost (pipeBatch with deferCommits). */
  rewinds = 0;
  /**
   * Windows processed again from a record whose commit was held (CommitHeld): a window here may mix partitions,
   * and another partition's outputs of a client are acked only once its window settled.
   */
  holds = 0;
  /** The register's changelog as the sink would write it: each changed client's state after its record. */
  readonly changelog: ChangelogRecord[] = [];
  private readonly changes: Changelog;
  private readonly offsets = new Map<string, bigint>();
  now = '2026-11-23T10:00:00+01:00';

  /** The processing day: SAMENLOOP_TODAY of the config it was built with, until setToday moves it. */
  private today: string | undefined;
  private readonly settings: ReturnType<typeof configuredContext>;

  constructor(
    env: NodeJS.ProcessEnv = {},
    store: RegisterStore & Pick<RegisterMaintenance, 'hasEpoch' | 'epoch'> = new MemoryStore(),
  ) {
    this.cfg = loadConfig({ SAMENLOOP_TODAY: '2026-11-23', ...env });
    this.today = this.cfg.SAMENLOOP_TODAY;
    this.store = store;
    this.changes = new Changelog(store);
    this.settings = configuredContext(this.cfg);
    this.processor = new Processor(store, {
      ...configuredOptions(this.cfg),
      context: () => this.context(),
    });
  }

  context(): ProcessingContext {
    return { today: this.today ?? this.now.slice(0, 10), now: this.now, ...this.settings };
  }

  /** The processing day can move, to test what happens as time passes. */
  setToday(day: string): void {
    this.today = day;
  }

  /**
   * A day passes: the processing day becomes `day` and the daily re-evaluation runs, as the ticker would start
   * it (one tick per slice on TOPIC_DAGELIJKS). Returns what each tick led to.
   */
  async runDaily(day: string): Promise<Handled[]> {
    this.setToday(day);
    const out: Handled[] = [];
    for (let slice = 0; slice < this.cfg.DAGELIJKS_SLICES; slice++) {
      const { key, value } = tickRecord({ dag: day, slice });
      out.push(await this.pipe(this.cfg.TOPIC_DAGELIJKS, value, { key, partition: slice }));
    }
    return out;
  }

  async pipe(topic: string, value: string | Buffer, opts: PipeOptions = {}): Promise<Handled> {
    const rec = this.record(topic, value, opts);
    return this.handled(rec, await this.processor.handle(rec));
  }

  /**
   * Like `pipe` for each input in turn, as the consumer loop handles a batch: each window of `window` records
   * decoded and its clients read ahead first (Processor.lookahead). `between` runs after each window's look-ahead
   * (a test can change the register there, as another instance would). `deferCommits`: as the consumer loop, each
   * commit is sent without waiting and the window settled at its end; the results of a record whose commit lost,
   * and of those after it, are dropped and the records processed again from there, with a look-ahead that waits
   * for its commits (`rewinds` counts these). What the sink would do with a record (its outputs, changelog, acks)
   * happens only once its window settled, as a flush comes only after a settle.
   */
  async pipeBatch(
    inputs: ReadonlyArray<{ topic: string; value: string | Buffer; opts?: PipeOptions }>,
    window: number,
    between?: () => Promise<void>,
    { deferCommits = false }: { deferCommits?: boolean } = {},
  ): Promise<Handled[]> {
    const out: Handled[] = [];
    const all = inputs.map((x) => this.record(x.topic, x.value, x.opts ?? {}));
    let defer = deferCommits;
    for (let i = 0; i < all.length;) {
      const recs = all.slice(i, i + window);
      const ahead = await this.processor.lookahead(recs, defer);
      await between?.();
      const results: Handled[] = [];
      for (const rec of recs) {
        let handled: Handled;
        try {
          handled = await this.processor.handle(rec, 'live', undefined, ahead);
        } catch (err) {
          // its client's commit sent ahead lost: the settle below finds it and the window goes on from there
          if (defer && err instanceof CommitLost) break;
          throw err;
        }
        // waiting for each commit: the sink's part at once, record by record, as `pipe`
        if (defer) results.push(handled);
        else out.push(await this.handled(rec, handled));
      }
      if (!defer) {
        i += recs.length;
        defer = deferCommits;
        continue;
      }
      const lost = await ahead.settle();
      const keep = lost === undefined ? recs.length : recs.findIndex((r) => positionKey(r) === lost.position);
      for (let k = 0; k < keep; k++) out.push(await this.handled(recs[k]!, results[k]!));
      i += keep;
      if (lost?.error instanceof CommitHeld) this.holds++;
      else if (lost !== undefined) this.rewinds++;
      defer = lost === undefined;
    }
    return out;
  }

  private record(topic: string, value: string | Buffer, opts: PipeOptions): InputRecord {
    const partition = opts.partition ?? 0;
    const tp = `${topic}/${partition}`;
    const next = this.offsets.get(tp) ?? 0n;
    const offset = opts.offset ?? String(next);
    if (opts.offset === undefined) this.offsets.set(tp, next + 1n);
    const rec: InputRecord = {
      topic,
      partition,
      offset,
      key: opts.key === undefined ? null : Buffer.from(opts.key),
      value: Buffer.isBuffer(value) ? value : Buffer.from(value),
      headers: opts.headers ?? {},
    };
    return rec;
  }

  /** What the sink does with a handled record: its dead letter, outputs, changelog records and acks. */
  private async handled(rec: InputRecord, handled: Handled): Promise<Handled> {
    if (handled.deadLetter) this.deadLetters.push({ record: rec, error: handled.deadLetter });
    for (const o of handled.outputs)
      this.outputs.push({ ...o, topic: gemeenteTopic(this.cfg, o.gemeente, o.channel) });
    if (handled.changed?.length)
      this.changelog.push(
        ...(await this.changes.records(handled.changed, handled.committed, handled.acks)).records,
      );
    for (const a of handled.acks) await this.store.ack(a.clientId, [a.position]);
    return handled;
  }

  /** Outputs on one topic, optionally parsed as JSON (CloudEvents). */
  outputsOn(topic: string): DrivenOutput[] {
    return this.outputs.filter((o) => o.topic === topic);
  }

  /** The CloudEvents on one topic (a tombstone is none: see outputsOn). */
  events(topic: string): Array<Record<string, unknown>> {
    return this.outputsOn(topic).flatMap((o) =>
      o.value === null ? [] : [JSON.parse(o.value) as Record<string, unknown>],
    );
  }
}
