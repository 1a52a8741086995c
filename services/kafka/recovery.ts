import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { Processor } from '../pipeline/processor';
import type { RegisterMaintenance } from '../register/store';
import { committedOffsets, replayUntil } from './rebuild';

export interface RecoveryDeps {
  kafka: Kafka;
  admin: Admin;
  register: RegisterMaintenance;
  processor: Processor;
  metrics: Metrics;
  log: Logger;
  groupId: string;
  /** Who this instance is, for the rebuild lock. */
  owner: string;
  /** The topics the group consumes (inputs and opdrachten), as they exist now. */
  topics: () => Promise<string[]>;
  stopping: () => boolean;
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
 * Makes sure the register is complete before records are processed: when Redis lost it (no epoch marker,
 * but the group has committed offsets), one instance wipes what is left and rebuilds it by replaying the
 * inputs up to the committed offsets in restore mode (nothing is sent again); the others wait for the
 * epoch. Resolves once the epoch is there (or the service stops).
 */
export async function ensureRegister(d: RecoveryDeps): Promise<void> {
  while (!(await d.register.hasEpoch())) {
    if (await d.register.acquireRebuildLock(d.owner, 15 * 60 * 1000)) {
      try {
        const targets = await committedOffsets(d.admin, d.groupId, await d.topics());
        if (targets.size > 0) {
          d.log.warn({ partitions: targets.size }, 'register lost: rebuilding it from the input topics');
          const removed = await d.register.wipe();
          const started = Date.now();
          const records = await replayUntil(d.kafka, targets, d.processor, d.log);
          d.metrics.registerRebuilds.inc();
          d.log.info({ records, removed, ms: Date.now() - started }, 'register rebuilt');
        }
        await d.register.setEpoch();
      } finally {
        await d.register.releaseRebuildLock(d.owner);
      }
    } else if (d.stopping()) {
      return;
    } else {
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
