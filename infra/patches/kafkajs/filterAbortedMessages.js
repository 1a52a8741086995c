// samenloop's replacement of kafkajs 2.2.4's src/consumer/filterAbortedMessages.js, copied over it by
// infra/patch-kafkajs.mjs (npm's postinstall). Why: kafkajs assumed the aborted transactions of a fetch
// response come in the order they began and took at most one of them per message. The broker lists them in
// the order they ended (its transaction index), so a transaction that began first and was aborted last was
// switched on only after its first records had been handed out: a read_committed consumer read records of
// aborted transactions as committed (a register rebuilt from its changelog restored a batch's aborted
// tombstones; README, Performance). Here, as the Java consumer does (a priority queue by first offset), every
// aborted transaction that began at or before a record is switched on before that record is judged, and an
// abort marker ends its producer's. test/unit/kafka/read-committed.test.ts and
// test/integration/read-committed.test.ts show both.
const ABORTED_MESSAGE_KEY = Buffer.from([0, 0, 0, 0]);

const isAbortMarker = ({ key, isControlRecord }) => {
  // only a control record is a marker (a data record may have any key)
  if (!key || isControlRecord === false) return false;
  return Buffer.from(key).equals(ABORTED_MESSAGE_KEY);
};

/**
 * Remove messages of aborted transactions.
 *
 * A transaction starts at its first offset (listed in `abortedTransactions`, in any order) and ends at its
 * producer's abort marker (a control record).
 * @param {{ messages: Array<{ offset: string, key?: Buffer | null, isControlRecord?: boolean,
 *   batchContext: { producerId: string, inTransaction: boolean } }>,
 *   abortedTransactions?: Array<{ producerId: string, firstOffset: string }> }} args
 */
module.exports = ({ messages, abortedTransactions }) => {
  if (!abortedTransactions || !abortedTransactions.length) {
    return messages;
  }

  const remaining = abortedTransactions
    .map((t) => ({ producerId: String(t.producerId), firstOffset: BigInt(t.firstOffset) }))
    .sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  const aborted = new Set();
  let next = 0;

  return messages.filter((message) => {
    const offset = BigInt(message.offset);
    while (next < remaining.length && remaining[next].firstOffset <= offset) {
      aborted.add(remaining[next].producerId);
      next++;
    }

    const producerId = String(message.batchContext.producerId);
    if (isAbortMarker(message)) {
      // the transaction is over: this producer's next records are judged by its next listed transaction
      aborted.delete(producerId);
      return true;
    }
    return !(message.batchContext.inTransaction && aborted.has(producerId));
  });
};
