import { randomUUID } from 'node:crypto';
import type { Rendered } from '../messages/render';
import { commitSealed } from './state-json';
import { plainCipher, type StateCipher } from './cipher';
import { KEY_CHECK_ID, KEY_CHECK_TEXT, openAtStart } from './keys';
import type { ClientState } from './state';
import type { IsoDate } from '../domain/facts';
import {
  CommitHeld,
  dueScore,
  partitionOf,
  type ClientRecord,
  type CommitEffects,
  type Head,
  type HeadRequest,
  type IndexEntries,
  type OutboxEntries,
  type ProposalChange,
  type ProposalSummary,
  type Register,
} from './store';

/**
 * In-memory register with the same semantics as the Redis one: the test driver's store. States and outbox
 * values are kept as `cipher` seals them (plain by default), as the Redis store keeps them.
 */
export class MemoryStore implements Register {
  constructor(readonly cipher: StateCipher = plainCipher) {}

  private epochValue: string | undefined;
  private keyCheck: string | undefined;
  private dueIndexed = false;
  private changelogFilled = false;
  private lock: string | undefined;
  private readonly clients = new Map<string, { state: string; version: number }>();
  private readonly outbox = new Map<string, Map<string, string>>();
  private readonly gemeenten = new Map<string, Set<string>>();
  private readonly beeindigingen = new Map<string, string>();
  /** Per slice: client id → due score, and client id → version of the last write. */
  private readonly due = new Map<number, { scores: Map<string, number>; versions: Map<string, number> }>();
  /** Per `<slice>|<tick position>`: the clients that tick took. */
  private readonly taken = new Map<string, Set<string>>();
  private readonly proposals = new Map<string, Map<string, number>>();

  async load(clientId: string): Promise<ClientRecord> {
    const c = this.clients.get(clientId);
    return c
      ? { state: JSON.parse(this.cipher.open(clientId, c.state)) as ClientState, version: c.version }
      : { state: undefined, version: 0 };
  }

  async loadAll(clientIds: readonly string[]): Promise<ClientRecord[]> {
    return Promise.all(clientIds.map((id) => this.load(id)));
  }

  async versions(clientIds: readonly string[]): Promise<number[]> {
    return clientIds.map((id) => this.clients.get(id)?.version ?? 0);
  }

  async heads(requests: readonly HeadRequest[]): Promise<Head[]> {
    return Promise.all(
      requests.map(async ({ clientId, except, withState }) => {
        const { state, version } = withState
          ? await this.load(clientId)
          : { state: undefined, version: this.clients.get(clientId)?.version ?? 0 };
        const outbox: OutboxEntries = {};
        if (version > 0)
          for (const [p, v] of this.outbox.get(clientId) ?? []) if (!except.includes(p)) outbox[p] = v;
        return { state, version, outbox };
      }),
    );
  }

  async commit(
    clientId: string,
    expectedVersion: number,
    state: ClientState,
    position: string,
    outputs: readonly Rendered[],
    effects?: CommitEffects,
    hold = true,
  ): Promise<boolean> {
    const current = this.clients.get(clientId)?.version ?? 0;
    if (current !== expectedVersion) return false;
    if (outputs.length > 0 && hold) {
      const mine = partitionOf(position);
      for (const held of this.outbox.get(clientId)?.keys() ?? [])
        if (partitionOf(held) !== mine) throw new CommitHeld(clientId, held);
    }
    this.clients.set(clientId, {
      state: commitSealed(this.cipher, clientId, state),
      version: current + 1,
    });
    if (outputs.length > 0) {
      let box = this.outbox.get(clientId);
      if (!box) this.outbox.set(clientId, (box = new Map()));
      box.set(position, this.cipher.seal(clientId, JSON.stringify(outputs)));
    }
    if (effects) {
      await this.index(clientId, effects.index);
      if (effects.due) await this.setDue(effects.due.slice, clientId, current + 1, effects.due.day);
    }
    return true;
  }

  async remove(clientId: string, expectedVersion: number): Promise<boolean> {
    if ((this.clients.get(clientId)?.version ?? 0) !== expectedVersion) return false;
    this.clients.delete(clientId);
    this.outbox.delete(clientId);
    return true;
  }

  async restore(
    clientId: string,
    version: number,
    state: ClientState,
    outbox: OutboxEntries = {},
  ): Promise<void> {
    this.clients.set(clientId, { state: this.cipher.seal(clientId, JSON.stringify(state)), version });
    this.outbox.delete(clientId);
    if (Object.keys(outbox).length > 0) this.outbox.set(clientId, new Map(Object.entries(outbox)));
  }

  async pending(clientId: string, position: string): Promise<Rendered[] | undefined> {
    const raw = this.outbox.get(clientId)?.get(position);
    return raw === undefined ? undefined : (JSON.parse(this.cipher.open(clientId, raw)) as Rendered[]);
  }

  async ackAll(entries: ReadonlyArray<{ clientId: string; position: string }>): Promise<void> {
    for (const e of entries) await this.ack(e.clientId, [e.position]);
  }

  async ack(clientId: string, positions: readonly string[]): Promise<void> {
    const box = this.outbox.get(clientId);
    for (const p of positions) box?.delete(p);
  }

  async index(clientId: string, entries: IndexEntries): Promise<void> {
    for (const g of entries.gemeenten) {
      let set = this.gemeenten.get(g);
      if (!set) this.gemeenten.set(g, (set = new Set()));
      set.add(clientId);
    }
    for (const b of entries.beeindigingen) this.beeindigingen.set(b, clientId);
  }

  async unindex(clientId: string, entries: IndexEntries): Promise<void> {
    for (const g of entries.gemeenten) {
      const set = this.gemeenten.get(g);
      set?.delete(clientId);
      if (set?.size === 0) this.gemeenten.delete(g);
    }
    for (const b of entries.beeindigingen)
      if (this.beeindigingen.get(b) === clientId) this.beeindigingen.delete(b);
  }

  /** Everything the store still holds about a client (for tests of the bewaartermijn). */
  async traces(clientId: string): Promise<string[]> {
    const out: string[] = [];
    if (this.clients.has(clientId)) out.push('state');
    if ((this.outbox.get(clientId)?.size ?? 0) > 0) out.push('outbox');
    for (const [g, set] of this.gemeenten) if (set.has(clientId)) out.push(`gemeente:${g}`);
    for (const [b, id] of this.beeindigingen) if (id === clientId) out.push(`beeindiging:${b}`);
    for (const [slice, d] of this.due)
      if (d.scores.has(clientId) || d.versions.has(clientId)) out.push(`due:${slice}`);
    return out;
  }

  async clientsOf(gemeente: string): Promise<string[]> {
    return [...(this.gemeenten.get(gemeente) ?? [])].sort();
  }

  async clientOfBeeindiging(beeindigingId: string): Promise<string | undefined> {
    return this.beeindigingen.get(beeindigingId);
  }

  private dueOf(slice: number) {
    let d = this.due.get(slice);
    if (!d) this.due.set(slice, (d = { scores: new Map(), versions: new Map() }));
    return d;
  }

  async setDue(slice: number, clientId: string, version: number, day: IsoDate | null): Promise<void> {
    const d = this.dueOf(slice);
    if (version < (d.versions.get(clientId) ?? -1)) return;
    d.versions.set(clientId, version);
    if (day === null) d.scores.delete(clientId);
    else d.scores.set(clientId, dueScore(day));
  }

  async forgetDue(slice: number, clientId: string): Promise<void> {
    const d = this.dueOf(slice);
    d.scores.delete(clientId);
    d.versions.delete(clientId);
  }

  async takeDue(slice: number, day: IsoDate, tick: string, limit: number): Promise<string[]> {
    const max = dueScore(day);
    const key = `${slice}|${tick}`;
    const taken = this.taken.get(key) ?? new Set<string>();
    const out = [...this.dueOf(slice).scores]
      .filter(([id, score]) => score <= max && !taken.has(id))
      .sort(([a, x], [b, y]) => x - y || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit)
      .map(([id]) => id);
    for (const id of out) taken.add(id);
    if (out.length > 0) this.taken.set(key, taken);
    return out;
  }

  async takenBy(slice: number, tick: string): Promise<string[]> {
    return [...(this.taken.get(`${slice}|${tick}`) ?? [])].sort();
  }

  /** The due index of a slice, client id → day score (for tests). */
  async dueIndex(slice: number): Promise<Map<string, number>> {
    return new Map(this.dueOf(slice).scores);
  }

  /** All client ids (for comparing registers in tests). */
  async clientIds(): Promise<string[]> {
    return [...this.clients.keys()].sort();
  }

  async hasEpoch(): Promise<boolean> {
    return this.epochValue !== undefined;
  }

  async epoch(): Promise<string | undefined> {
    return this.epochValue;
  }

  async setEpoch(): Promise<void> {
    this.epochValue = `${Date.now()} ${randomUUID()}`;
  }

  async acquireRebuildLock(owner: string): Promise<boolean> {
    if (this.lock !== undefined && this.lock !== owner) return false;
    this.lock = owner;
    return true;
  }

  async renewRebuildLock(owner: string): Promise<boolean> {
    return this.lock === owner;
  }

  async releaseRebuildLock(owner: string): Promise<void> {
    if (this.lock === owner) this.lock = undefined;
  }

  async wipe(): Promise<number> {
    const removed =
      this.clients.size + this.outbox.size + this.gemeenten.size + this.beeindigingen.size + this.due.size;
    for (const m of [this.clients, this.outbox, this.gemeenten, this.beeindigingen, this.due, this.taken])
      m.clear();
    this.epochValue = undefined;
    this.dueIndexed = false;
    this.changelogFilled = false;
    return removed;
  }

  async hasDueIndex(): Promise<boolean> {
    return this.dueIndexed;
  }

  async setDueIndexed(): Promise<void> {
    this.dueIndexed = true;
  }

  async checkKeys(): Promise<void> {
    if (this.keyCheck === undefined) this.keyCheck = this.cipher.seal(KEY_CHECK_ID, KEY_CHECK_TEXT);
    else openAtStart(this.cipher, KEY_CHECK_ID, this.keyCheck, 'the key check value in the register');
    const [first] = this.clients;
    if (first !== undefined)
      openAtStart(this.cipher, first[0], first[1].state, "a client's state in the register");
  }

  async hasChangelog(): Promise<boolean> {
    return this.changelogFilled;
  }

  async setChangelogFilled(): Promise<void> {
    this.changelogFilled = true;
  }

  async ping(): Promise<void> {}

  isReady(): boolean {
    return true;
  }

  onError(): void {}

  async trackProposals(changes: readonly ProposalChange[]): Promise<void> {
    for (const c of changes) {
      const open = this.proposals.get(c.gemeente) ?? new Map<string, number>();
      this.proposals.set(c.gemeente, open);
      if (!c.open) open.delete(c.beeindigingId);
      else if (!open.has(c.beeindigingId)) open.set(c.beeindigingId, c.at);
    }
  }

  async openProposals(): Promise<ProposalSummary[]> {
    return [...this.proposals].map(([gemeente, open]) => ({
      gemeente,
      open: open.size,
      oldestSince: open.size === 0 ? undefined : Math.min(...open.values()),
    }));
  }

  async close(): Promise<void> {}
}
