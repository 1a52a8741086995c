import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { Processor } from '../pipeline/processor';
import type { RegisterMaintenance, RegisterStore } from '../register/store';
import { Changelog } from '../register/changelog';
import type { StateCipher } from '../register/cipher';
import { KeyPartitioner } from './partitioner';
import { sendInRequests } from './produce-requests';
import { changelogEnds, committedOffsets, replayUntil, restoreFromChangelog, stablePast } from './rebuild';

export interface RecoveryDeps {
  kafka: Kafka;
  admin: Admin;
  register: RegisterMaintenance & Pick<RegisterStore, 'load' | 'heads' | 'versions' | 'cipher'>;
  processor: Processor;
  metrics: Metrics;
  log: Logger;
  /** The group (KAFKA_GROUP_ID), the register's changelog topic (TOPIC_CHANGELOG) and its batch limit (MAX_OUTPUT_BYTES). */
  cfg: { KAFKA_GROUP_ID: string; TOPIC_CHANGELOG: string; MAX_OUTPUT_BYTES: number };
  /** Seals the changelog's values (register/cipher.ts); plain text when not given. */
  cipher?: StateCipher | undefined;
  /** Who this instance is, for the rebuild lock. */
  owner: string;
  /** The topics the group consumes (inputs and opdrachten), as they exist now. */
  topics: () => Promise<string[]>;
  stopping: () => boolean;
  /**
   * Resolves once this process's transactions under way have ended, to where its last ones wrote in the
   * changelog (TransactionalSink.settled).
   */
  transactionsEnded?: () => Promise<ReadonlyMap<number, bigint>>;
}

/**
 * A register from before the daily re-evaluation has no daily index: every client is put in it once, at the
 * start (a SCAN of the register). Every commit keeps it up to date after that; a rebuilt register is indexed
 * as it is replayed, and then once more here (harmless: the same days). Several instances may do it at once.
 */
export async function ensureDueIndex(d: {
  register: RegisterMaintenance;
  processor: Processor;
  log: Logger;
}): Promise<void> {
  if (await d.register.hasDueIndex()) return;
  const ids = await d.register.clientIds();
  for (const id of ids) await d.processor.indexDue(id);
  await d.register.setDueIndexed();
  if (ids.length > 0) d.log.info({ clients: ids.length }, 'daily re-evaluation: the register indexed');
}

/**
 * How long the rebuild lock lasts without renewal. Its owner renews it every third of this while it works; an
 * owner killed at start (a fresh register takes the lock too, briefly) held the others up for 15 minutes when
 * the lock was taken for a whole rebuild at once (the crash test of 2 December 19:45 stalled on it).
 */
export const REBUILD_LOCK_TTL_MS = 30_000;

/**
 * Makes sure the register is complete before records are processed: when Redis lost it (no epoch marker,
 * but the changelog holds records or the group has committed offsets), one instance wipes what is left and
 * rebuilds it from the register's changelog (TOPIC_CHANGELOG, read_committed up to its end: every client's
 * latest state, with its indexes; nothing is sent); the others wait for the epoch. Only a register from
 * before the changelog, whose changelog is still empty, is rebuilt the old way, by replaying the inputs up to
 * the committed offsets in restore mode. Resolves once the epoch is there (or the service stops).
 */
export async function ensureRegister(d: RecoveryDeps): Promise<void> {
  while (!(await d.register.hasEpoch())) {
    if (await d.register.acquireRebuildLock(d.owner, REBUILD_LOCK_TTL_MS)) {
      // renewed while this instance works: one killed meanwhile holds the others up one TTL, not a long rebuild's
      const renew = setInterval(
        () => void d.register.renewRebuildLock(d.owner, REBUILD_LOCK_TTL_MS).catch(() => undefined),
        REBUILD_LOCK_TTL_MS / 3,
      );
      try {
        // A transaction of another partition that passed its epoch check before the loss may commit after it:
        // what it wrote must be below the ends read here (kafka/sink.ts settled).
        const written = (await d.transactionsEnded?.()) ?? new Map<number, bigint>();
        await stablePast(d.admin, d.cfg.TOPIC_CHANGELOG, written, (partitions) =>
          d.log.warn({ partitions }, 'rebuild: the last transactions are not settled in the changelog yet'),
        );
        const ends = await changelogEnds(d.admin, d.cfg.TOPIC_CHANGELOG);
        // the group's offsets of the inputs: what to replay (no changelog yet), or which kept outputs to restore
        const targets = await committedOffsets(d.admin, d.cfg.KAFKA_GROUP_ID, await d.topics());
        if (ends.size > 0) {
          d.log.warn({ partitions: ends.size }, 'register lost: rebuilding it from its changelog');
          const removed = await d.register.wipe();
          const started = Date.now();
          const changelog = new Changelog(d.register, d.cipher);
          const records = await restoreFromChangelog(
            d.kafka,
            d.cfg.TOPIC_CHANGELOG,
            ends,
            changelog,
            d.processor,
            d.log,
            targets,
          );
          await d.register.setChangelogFilled();
          await d.register.setDueIndexed();
          d.metrics.registerRebuilds.inc();
          d.log.info({ records, removed, ms: Date.now() - started }, 'register rebuilt from its changelog');
        } else if (targets.size > 0) {
          d.log.warn({ partitions: targets.size }, 'register lost: rebuilding it from the input topics');
          const removed = await d.register.wipe();
          const started = Date.now();
          const records = await replayUntil(d.kafka, targets, d.processor, d.log);
          await ensureChangelog(d);
          d.metrics.registerRebuilds.inc();
          d.log.info({ records, removed, ms: Date.now() - started }, 'register rebuilt');
        }
        await d.register.setEpoch();
      } finally {
        clearInterval(renew);
        await d.register.releaseRebuildLock(d.owner);
      }
    } else if (d.stopping()) {
      return;
    } else {
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** At the start: the daily index (ensureDueIndex) and the changelog (ensureChangelog) of an older register. */
export async function prepareRegister(d: RecoveryDeps): Promise<void> {
  await ensureDueIndex(d);
  await ensureChangelog(d);
}

/**
 * The transactional id that writes an older register to its changelog: under the processor's prefix
 * (`<KAFKA_GROUP_ID>.`, services/topics/acls.ts), never one of an input partition's.
 */
const fillId = (cfg: RecoveryDeps['cfg']) => `${cfg.KAFKA_GROUP_ID}.${cfg.TOPIC_CHANGELOG}.vullen`;

/** Clients written to the changelog per transaction when a register from before it is written there. */
const FILL_PAGE = 500;

/**
 * A register from before its changelog: every client is written to the changelog once, at the start (a SCAN
 * of the register), so a later rebuild finds them all; the marker says it is done (a new register, or one
 * rebuilt from the changelog, has it at once). Several instances may do it at once: each writes a client as
 * Redis holds it, and checks after its transaction like the sink (register/changelog.ts).
 */
export async function ensureChangelog(
  d: Pick<RecoveryDeps, 'kafka' | 'register' | 'cfg' | 'cipher' | 'log'>,
): Promise<void> {
  if (await d.register.hasChangelog()) return;
  const ids = await d.register.clientIds();
  if (ids.length > 0) {
    const changelog = new Changelog(d.register, d.cipher);
    const producer = d.kafka.producer({
      transactionalId: fillId(d.cfg),
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: KeyPartitioner,
    });
    await producer.connect();
    try {
      const send = async (records: Array<{ key: string; value: string | null }>) => {
        const tx = await producer.transaction();
        try {
          await sendInRequests(tx, new Map([[d.cfg.TOPIC_CHANGELOG, records]]), d.cfg.MAX_OUTPUT_BYTES);
          await tx.commit();
        } catch (err) {
          await tx.abort().catch(() => undefined);
          throw err;
        }
      };
      for (let i = 0; i < ids.length; i += FILL_PAGE) {
        const { records, written } = await changelog.records(ids.slice(i, i + FILL_PAGE));
        await send(records);
        await changelog.settle(written, send);
      }
    } finally {
      await producer.disconnect();
    }
    d.log.info({ clients: ids.length }, 'register changelog: every client of the register written to it');
  }
  await d.register.setChangelogFilled();
}
