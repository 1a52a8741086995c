import type { Rendered } from '../messages/render';
import type { ClientState } from './state';

export interface ClientRecord {
  state: ClientState | undefined;
  /** Optimistic-concurrency version: 0 when the client is unknown. */
  version: number;
}

/** What the indexes should hold for a client after a change (idempotent upserts). */
export interface IndexEntries {
  gemeenten: string[];
  beeindigingen: string[];
}

/**
 * The register behind a small interface (as Kafka Streams puts state behind a store): the Redis store
 * in production, the in-memory store in the test driver. `clientId` is the keyed pseudonym of the BSN.
 */
export interface RegisterStore {
  load(clientId: string): Promise<ClientRecord>;
  /**
   * Atomically: if the stored version is still `expectedVersion`, write `state` (version + 1) and keep
   * `outputs` in the client's outbox under `position` until `ack`. Returns false on a version conflict.
   */
  commit(
    clientId: string,
    expectedVersion: number,
    state: ClientState,
    position: string,
    outputs: readonly Rendered[],
  ): Promise<boolean>;
  /** The outputs kept for `position` (re-sent after a crash between the Redis write and the Kafka send). */
  pending(clientId: string, position: string): Promise<Rendered[] | undefined>;
  /** Forget the outbox entries once their outputs are safely in Kafka. */
  ack(clientId: string, positions: readonly string[]): Promise<void>;
  index(clientId: string, entries: IndexEntries): Promise<void>;
  clientsOf(gemeente: string): Promise<string[]>;
  clientOfBeeindiging(beeindigingId: string): Promise<string | undefined>;
  close(): Promise<void>;
}
