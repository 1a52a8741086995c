import type { Kafka, Producer, ProducerConfig } from 'kafkajs';

/**
 * kafkajs 2.2.4 asks a broker for the coordinator (a FindCoordinator round trip) before every request that
 * goes to one, and keeps no answer: a transaction of the sink (sendBatch, sendOffsets, commit) makes four
 * such lookups beside its five requests that do the work (AddPartitionsToTxn, Produce, AddOffsetsToTxn,
 * TxnOffsetCommit, EndTxn). The Java client keeps the coordinator until a request to it fails.
 *
 * A producer made here does the same: its cluster keeps each coordinator it found, per group or
 * transactional id, and forgets it as soon as a request to it through that answer fails (NOT_COORDINATOR
 * after the coordinator moved, a lost connection, anything but the coordinator's "busy") or its connection
 * is found closed, so the next lookup asks a broker again. The sink replaces a producer after any failed
 * transaction, which starts it with nothing kept.
 *
 * kafkajs gives no way to reach a producer's cluster: the producer is made while the client's private
 * cluster factory is wrapped for that one synchronous call. If a later kafkajs has no such factory, the
 * producer is made as it is, without the cache (`cachesCoordinators` tells).
 */
export function producerKeepingCoordinators(kafka: Kafka, config: ProducerConfig): Producer {
  const key = clusterFactory(kafka);
  if (key === undefined) return kafka.producer(config);
  const holder = kafka as unknown as Record<symbol, (...a: unknown[]) => unknown>;
  const original = holder[key]!;
  holder[key] = (...a: unknown[]) => keepCoordinators(original(...a) as CoordinatorLookup);
  try {
    return kafka.producer(config);
  } finally {
    holder[key] = original;
  }
}

/** Whether producerKeepingCoordinators can keep coordinators with this kafkajs. */
export function cachesCoordinators(kafka: Kafka): boolean {
  return clusterFactory(kafka) !== undefined;
}

function clusterFactory(kafka: Kafka): symbol | undefined {
  const key = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === 'private:Kafka:createCluster',
  );
  if (key === undefined) return undefined;
  return typeof (kafka as unknown as Record<symbol, unknown>)[key] === 'function' ? key : undefined;
}

/** The part of kafkajs' cluster this changes. */
export interface CoordinatorLookup {
  findGroupCoordinator(args: { groupId: string; coordinatorType?: number }): Promise<object>;
}

/**
 * Makes `cluster.findGroupCoordinator` answer from what it found before, per group id and coordinator type,
 * while that broker's connection is open (kafkajs' own lookup connects the broker it answers with: one whose
 * connection the broker closed after `connections.max.idle.ms`, or that went down, is looked up again). The
 * broker it answers with is a view that forgets the answer when one of its requests rejects (then rethrows),
 * but for the coordinator's CONCURRENT_TRANSACTIONS; a failed lookup is not kept either.
 */
export function keepCoordinators<C extends CoordinatorLookup>(cluster: C): C {
  const find = cluster.findGroupCoordinator.bind(cluster);
  const kept = new Map<string, Promise<object>>();
  const lookUp = (id: string, args: Parameters<CoordinatorLookup['findGroupCoordinator']>[0]) => {
    const answer: Promise<object> = find(args).then((broker) => forgettingOnFailure(broker, forget));
    function forget() {
      if (kept.get(id) === answer) kept.delete(id);
    }
    answer.catch(forget);
    kept.set(id, answer);
    return answer;
  };
  cluster.findGroupCoordinator = async (args) => {
    const id = `${args.coordinatorType ?? 0}:${args.groupId}`;
    const hit = kept.get(id);
    if (hit !== undefined) {
      const broker = await hit.catch(() => undefined);
      if (broker !== undefined && isConnected(broker)) return broker;
      if (kept.get(id) === hit) kept.delete(id);
    }
    return lookUp(id, args);
  };
  return cluster;
}

/** kafkajs' Broker.isConnected(); a broker without it counts as connected. */
function isConnected(broker: object): boolean {
  const check = (broker as { isConnected?: unknown }).isConnected;
  return typeof check !== 'function' || (check as () => boolean).call(broker) !== false;
}

/**
 * The answers that come from the right coordinator, busy: CONCURRENT_TRANSACTIONS while it still writes the
 * previous transaction's markers (the next AddPartitionsToTxn of a producer that commits back to back gets it
 * almost every time; kafkajs retries it).
 */
const FROM_THE_COORDINATOR: ReadonlySet<string> = new Set(['CONCURRENT_TRANSACTIONS']);

/** The broker, whose methods call `forget` when what they return rejects for another reason. */
function forgettingOnFailure(broker: object, forgetAll: () => void): object {
  const forget = (err: unknown) => {
    const type = (err as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !FROM_THE_COORDINATOR.has(type)) forgetAll();
  };
  return new Proxy(broker, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...a: unknown[]) => {
        let result: unknown;
        try {
          result = (value as (...x: unknown[]) => unknown).apply(target, a);
        } catch (err) {
          forget(err);
          throw err;
        }
        if (result instanceof Promise)
          return result.catch((err: unknown) => {
            forget(err);
            throw err;
          });
        return result;
      };
    },
  });
}
