/** kafkajs 2.2.4 ships its protocol error table without types; only what services/kafka/log.ts reads. */
declare module 'kafkajs/src/protocol/error' {
  export const errorCodes: ReadonlyArray<{ type: string; code: number; retriable: boolean; message: string }>;
}
