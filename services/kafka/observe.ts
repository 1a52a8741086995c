import type { Logger } from '../log';
import { sentNotification } from '../messages/observe';
import type { Metrics } from '../metrics';
import type { ProposalChange, ProposalIndex } from '../register/store';
import type { ChunkEntry } from './sink';

/**
 * After a chunk's transaction committed: counts its notifications per gemeente and type, and keeps the
 * open proposals per gemeente in the register (for samenloop_open_proposals and the age of the oldest).
 * A failure here only costs a metric: logged, never retried, never holding the partition up.
 */
export async function observeSent(
  chunk: readonly ChunkEntry[],
  metrics: Metrics,
  proposals: ProposalIndex,
  log: Logger,
): Promise<void> {
  const changes: ProposalChange[] = [];
  const at = Date.now();
  for (const { handled } of chunk) {
    for (const o of handled.outputs) {
      const n = sentNotification(o);
      if (n === undefined) continue;
      metrics.signals.inc({ gemeente: n.gemeente, type: n.type });
      if (n.proposal)
        changes.push({ gemeente: n.gemeente, beeindigingId: n.proposal.id, open: n.proposal.open, at });
    }
  }
  await proposals
    .trackProposals(changes)
    .catch((err: unknown) => log.warn({ err }, 'open proposals not updated'));
}
