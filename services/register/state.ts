import type { Fact } from '../domain/facts';
import type { EngineState } from '../engine';

/** Where an input record sits: `topic/partition/offset`. Stored with every state change it caused. */
export interface InputPosition {
  topic: string;
  partition: number;
  offset: string;
}

export const positionKey = (p: InputPosition): string => `${p.topic}/${p.partition}/${p.offset}`;

export interface StoredFact {
  fact: Fact;
  /** positionKey of the record that delivered this version. */
  at: string;
}

/**
 * One client's register entry: the facts (latest version per fact key), the engine's decisions, and
 * the identities of the messages already applied (so a redelivered or re-sent message changes nothing).
 */
export interface ClientState {
  bsn: string;
  facts: Record<string, StoredFact>;
  engine?: EngineState;
  /** messageId → positionKey where it was first applied. */
  applied: Record<string, string>;
  /**
   * The day of the last daily re-evaluation (`dag:<day>`): the client is never evaluated as of an earlier day
   * after it, even by an instance whose clock is a moment behind at midnight.
   */
  dag?: string;
}

export const emptyState = (bsn: string): ClientState => ({ bsn, facts: {}, applied: {} });

function parsePosition(at: string): { tp: string; offset: bigint } | undefined {
  const i = at.lastIndexOf('/');
  if (i < 0) return undefined;
  try {
    return { tp: at.slice(0, i), offset: BigInt(at.slice(i + 1)) };
  } catch {
    return undefined;
  }
}

/**
 * Is (version, at, messageId) newer than the stored one? Higher version wins; on an equal version the
 * later record in the same topic-partition wins; across partitions the message id decides, so the
 * result never depends on the order of delivery.
 */
export function isNewer(candidate: Fact, at: string, stored: StoredFact): boolean {
  if (candidate.version !== stored.fact.version) return candidate.version > stored.fact.version;
  const a = parsePosition(at);
  const b = parsePosition(stored.at);
  if (a && b && a.tp === b.tp && a.offset !== b.offset) return a.offset > b.offset;
  return candidate.source.messageId > stored.fact.source.messageId;
}

/**
 * A copy of a record keyed by fact keys or message ids, as a dictionary (no prototype: V8 keeps it as a hash
 * table). A spread `{ ...record, [id]: at }` made a V8 object layout (a map) per copy, since these keys are
 * unique to a client and no layout is ever shared: a third of what parsing, applying and serialising a state
 * cost, and garbage for the collector.
 */
function copyRecord<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  const copy = Object.create(null) as Record<string, V>;
  for (const key in record) copy[key] = record[key]!;
  return copy;
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'replay';

/**
 * The register reducer: applies one message's facts for this client. Pure.
 * - `replay`: this very record was applied before (a redelivery after a crash): nothing changes.
 * - `duplicate`: the same message arrived again at another position (re-sent): nothing changes.
 */
export function applyFacts(
  state: ClientState,
  messageId: string,
  at: string,
  facts: readonly Fact[],
): { outcome: ApplyOutcome; state: ClientState } {
  const seen = state.applied[messageId];
  if (seen !== undefined) return { outcome: seen === at ? 'replay' : 'duplicate', state };
  const applied = copyRecord(state.applied);
  applied[messageId] = at;
  const next: ClientState = { ...state, facts: copyRecord(state.facts), applied };
  for (const fact of facts) {
    const stored = next.facts[fact.key];
    if (!stored || isNewer(fact, at, stored)) next.facts[fact.key] = { fact, at };
  }
  return { outcome: 'applied', state: next };
}

export const currentFacts = (state: ClientState): Fact[] =>
  Object.keys(state.facts)
    .sort()
    .map((k) => state.facts[k]!.fact);

/** The gemeenten that own a Wmo toewijzing or aanvraag of this client (the only ones that may hear of it). */
export function gemeentenOf(state: ClientState): string[] {
  const out = new Set<string>();
  for (const { fact } of Object.values(state.facts)) {
    if (fact.type === 'wmo-toewijzing' || fact.type === 'wmo-aanvraag') out.add(fact.gemeente);
  }
  return [...out].sort();
}
