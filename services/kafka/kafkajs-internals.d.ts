/** kafkajs 2.2.4 ships its protocol error table without types; only what services/kafka/log.ts reads. */
declare module 'kafkajs/src/protocol/error' {
  export const errorCodes: ReadonlyArray<{ type: string; code: number; retriable: boolean; message: string }>;
}

/** kafkajs 2.2.4's read_committed filter (patched by infra/patch-kafkajs.mjs; ./read-committed.ts checks it). */
declare module 'kafkajs/src/consumer/filterAbortedMessages' {
  interface FilteredMessage {
    offset: string;
    key?: Buffer | null;
    isControlRecord?: boolean;
    batchContext: { producerId: string; inTransaction: boolean };
  }
  function filterAbortedMessages<M extends FilteredMessage>(args: {
    messages: M[];
    abortedTransactions?: Array<{ producerId: string; firstOffset: string }>;
  }): M[];
  export = filterAbortedMessages;
}
