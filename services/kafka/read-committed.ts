import filterAbortedMessages from 'kafkajs/src/consumer/filterAbortedMessages';
import { ConfigError } from '../config/errors';

/**
 * Whether the kafkajs loaded reads only committed records when aborted transactions overlap. kafkajs 2.2.4's
 * own filter assumed a fetch response lists its aborted transactions in the order they began; the broker
 * lists them in the order they ended, so the first records of a transaction that began first and was aborted
 * last were handed out as committed. With several input partitions in one process their chunks' aborted
 * transactions overlap in the changelog whenever Redis loses the register, and a rebuild restored what they
 * wrote (tombstones of clients the wiped register did not hold): the fifth Redis-loss hole (README,
 * Performance). npm's postinstall replaces the filter (infra/patch-kafkajs.mjs); this tries it on that case.
 */
export function readsOnlyCommitted(): boolean {
  const record = (offset: string, producerId: string) => ({
    offset,
    key: null,
    isControlRecord: false,
    batchContext: { producerId, inTransaction: true },
  });
  // producer 1 began at offset 0 and was aborted after producer 2, which began at 1: listed 2 first
  const kept = filterAbortedMessages({
    messages: [record('0', '1'), record('1', '2'), record('2', '1')],
    abortedTransactions: [
      { producerId: '2', firstOffset: '1' },
      { producerId: '1', firstOffset: '0' },
    ],
  });
  return kept.length === 0;
}

/** At the start: a kafkajs without the corrected filter is refused (exit 2), not run. */
export function assertReadsOnlyCommitted(): void {
  if (!readsOnlyCommitted())
    throw new ConfigError([
      'kafkajs reads records of aborted transactions as committed: its read_committed filter is not the ' +
        'patched one (npm ci applies infra/patches/kafkajs through the postinstall script; an install with ' +
        '--ignore-scripts skips it: run `node infra/patch-kafkajs.mjs`)',
    ]);
}
