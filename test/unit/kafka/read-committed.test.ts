import filterAbortedMessages from 'kafkajs/src/consumer/filterAbortedMessages';
import { assertReadsOnlyCommitted, readsOnlyCommitted } from '../../../services/kafka/read-committed';

/**
 * kafkajs' read_committed filter as installed (npm's postinstall replaces kafkajs 2.2.4's with
 * infra/patches/kafkajs/filterAbortedMessages.js). A fetch response lists the aborted transactions in the order
 * they ended; the filter must drop every record of each from its first offset to its producer's abort marker,
 * whatever that order, and nothing else.
 */
type Msg = {
  offset: string;
  key: Buffer | null;
  isControlRecord: boolean;
  batchContext: { producerId: string; inTransaction: boolean };
  value: string;
};
const data = (offset: number, producerId: string, inTransaction = true, key: Buffer | null = null): Msg => ({
  offset: String(offset),
  key,
  isControlRecord: false,
  batchContext: { producerId, inTransaction },
  value: `${producerId}@${offset}`,
});
const ABORT = Buffer.from([0, 0, 0, 0]);
const COMMIT = Buffer.from([0, 0, 0, 1]);
const marker = (offset: number, producerId: string, key: Buffer): Msg => ({
  offset: String(offset),
  key,
  isControlRecord: true,
  batchContext: { producerId, inTransaction: true },
  value: `marker ${producerId}@${offset}`,
});
const kept = (messages: Msg[], aborted: Array<[producerId: string, firstOffset: number]>) =>
  filterAbortedMessages({
    messages,
    abortedTransactions: aborted.map(([producerId, firstOffset]) => ({
      producerId,
      firstOffset: String(firstOffset),
    })),
  })
    .filter((m) => !m.isControlRecord)
    .map((m) => m.value);

describe("kafkajs' read_committed filter (patched)", () => {
  it('drops a transaction that began first and was aborted last (listed in the order they ended)', () => {
    // A: 0, 2 (aborted last); B: 1 (aborted first); C: 5 committed
    const messages = [data(0, 'A'), data(1, 'B'), data(2, 'A'), marker(3, 'B', ABORT), marker(4, 'A', ABORT)];
    messages.push(data(5, 'C'), marker(6, 'C', COMMIT));
    expect(
      kept(messages, [
        ['B', 1],
        ['A', 0],
      ]),
    ).toEqual(['C@5']);
  });

  it('switches on every transaction that began before the first record fetched', () => {
    // the fetch starts at 7: A began at 3 and B at 5, both still open there
    const messages = [data(7, 'B'), data(8, 'A'), data(9, 'D', false), marker(10, 'A', ABORT)];
    messages.push(marker(11, 'B', ABORT), data(12, 'A'));
    expect(
      kept(messages, [
        ['A', 3],
        ['B', 5],
      ]),
    ).toEqual(['D@9', 'A@12']);
  });

  it("ends a producer's aborted transaction at its marker and judges its next one by its own first offset", () => {
    const messages = [data(0, 'A'), marker(1, 'A', ABORT), data(2, 'A'), marker(3, 'A', COMMIT)];
    messages.push(data(4, 'A'), marker(5, 'A', ABORT));
    expect(
      kept(messages, [
        ['A', 4],
        ['A', 0],
      ]),
    ).toEqual(['A@2']);
  });

  it('takes a data record whose key looks like an abort marker for data', () => {
    const messages = [data(0, 'A'), data(1, 'A', true, ABORT), data(2, 'A'), marker(3, 'A', ABORT)];
    expect(kept(messages, [['A', 0]])).toEqual([]);
  });

  it('keeps records outside transactions and of producers not aborted', () => {
    const messages = [data(0, 'A', false), data(1, 'B'), data(2, 'A'), marker(3, 'A', ABORT)];
    messages.push(marker(4, 'B', COMMIT));
    expect(kept(messages, [['A', 2]])).toEqual(['A@0', 'B@1']);
    expect(kept(messages, [])).toEqual(['A@0', 'B@1', 'A@2']);
  });

  it('is the filter the processor checks for at its start', () => {
    expect(readsOnlyCommitted()).toBe(true);
    expect(() => assertReadsOnlyCommitted()).not.toThrow();
  });
});
