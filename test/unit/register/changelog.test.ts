/**
 * The register's changelog when two instances change one client (issue 15.1): their Kafka transactions may
 * commit in the other order than their Redis commits. The writers' protocol (register/changelog.ts: write the
 * state Redis holds at flush time, check after the transaction and write again) leaves the client's latest
 * state as its last record whatever the order; the rebuild (Processor.restoreClient) never takes an older
 * version, so even a log where a crash kept the check from happening gives the latest state back.
 */
import { Changelog, type ChangelogRecord } from '../../../services/register/changelog';
import { randomBytes } from 'node:crypto';
import { plainCipher, type StateCipher } from '../../../services/register/cipher';
import { isSealed, KeyringCipher, parseRegisterKeys } from '../../../services/register/keys';
import { MemoryStore } from '../../../services/register/memory-store';
import { RegisterLostError, type HeadRequest } from '../../../services/register/store';
import { emptyState, type ClientState } from '../../../services/register/state';
import { TestDriver } from '../../../services/pipeline/driver';
import { uncommitted } from '../../../services/kafka/rebuild';
import { output } from '../../support/samples';

const ID = 'c1';
const state = (n: number): ClientState => ({
  ...emptyState('999990019'),
  applied: { [`m${n}`]: `t/0/${n}` },
});

/** The topic, as records in the order their transactions committed. */
const topic: ChangelogRecord[] = [];
const commit = async (records: ChangelogRecord[]) => void topic.push(...records);
const lastOf = (log: ChangelogRecord[], key: string) => log.filter((r) => r.key === key).at(-1);

beforeEach(() => topic.splice(0));

/** A register with its epoch marker: complete, as the service runs on it. */
async function whole(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.setEpoch();
  return store;
}

describe('the changelog when two instances change one client', () => {
  it('A commits v2 to Redis, B v3, but A`s transaction commits last: A writes v3 again after it', async () => {
    const redis = await whole();
    const changelog = new Changelog(redis);
    await redis.commit(ID, 0, state(1), 'p/0/1', []);
    // A: commits v2 to Redis and reads it for its flush
    await redis.commit(ID, 1, state(2), 'a/0/2', []);
    const a = await changelog.records([ID]);
    // B: commits v3 (read v2) and flushes: its transaction commits first, then its check finds v3 written
    await redis.commit(ID, 2, state(3), 'b/1/3', []);
    const b = await changelog.records([ID]);
    await commit(b.records);
    expect(await changelog.settle(b.written, commit)).toBe(0);
    // A's transaction commits now: the last record would be v2, older than Redis
    await commit(a.records);
    expect(changelog.decode(ID, lastOf(topic, ID)!.value)!.version).toBe(2);
    // A's check after its transaction: Redis holds v3, not the v2 it wrote: v3 again
    expect(await changelog.settle(a.written, commit)).toBe(1);
    expect(changelog.decode(ID, lastOf(topic, ID)!.value)).toEqual({
      version: 3,
      state: state(3),
      outbox: {},
    });
  });

  it('writes nothing once Redis lost the register: its clients look deleted, and tombstones would wipe the log', async () => {
    const redis = await whole();
    const changelog = new Changelog(redis);
    await redis.commit(ID, 0, state(1), 'p/0/1', []);
    const a = await changelog.records([ID]);
    await redis.wipe();
    await expect(changelog.settle(a.written, commit)).rejects.toThrow(RegisterLostError);
    expect(topic).toEqual([]);
  });

  it('writes nothing once the register was rebuilt since its flush began: the states it would read are not its', async () => {
    const redis = await whole();
    const changelog = new Changelog(redis);
    const epoch = await redis.epoch();
    await redis.commit(ID, 0, state(1), 'p/0/1', []);
    const a = await changelog.records([ID]);
    // lost and rebuilt; meanwhile a batch that ran on committed the client from nothing, at another version
    await redis.wipe();
    await redis.setEpoch();
    await redis.commit(ID, 0, state(7), 'p/1/9', []);
    await redis.commit(ID, 1, state(8), 'p/1/10', []);
    await expect(changelog.settle(a.written, commit, epoch)).rejects.toThrow(RegisterLostError);
    expect(topic).toEqual([]);
  });

  it('a deletion by the other instance ends the client`s log with a tombstone', async () => {
    const redis = await whole();
    const changelog = new Changelog(redis);
    await redis.commit(ID, 0, state(1), 'p/0/1', []);
    const a = await changelog.records([ID]);
    await redis.remove(ID, 1);
    const b = await changelog.records([ID]);
    expect(b.records).toEqual([{ key: ID, value: null }]);
    await commit(b.records);
    await commit(a.records);
    await changelog.settle(a.written, commit);
    expect(lastOf(topic, ID)).toEqual({ key: ID, value: null });
  });

  it('writes a state the flush committed from memory while Redis holds its version, and reads it otherwise', async () => {
    const redis = await whole();
    let loads = 0;
    const counting = Object.assign(Object.create(redis) as MemoryStore, {
      heads: (asked: HeadRequest[]) => (
        (loads += asked.filter((q) => q.withState).length),
        redis.heads(asked)
      ),
    });
    const changelog = new Changelog(counting);
    await redis.commit(ID, 0, state(1), 'p/0/1', []);
    await redis.commit(ID, 1, state(2), 'a/0/2', []);
    // this instance committed v2: Redis holds v2, so v2 is written as committed, without a read of the state
    const mine = await changelog.records([ID], [{ clientId: ID, version: 2, state: state(2) }]);
    expect(loads).toBe(0);
    expect(changelog.decode(ID, mine.records[0]!.value)).toEqual({ version: 2, state: state(2), outbox: {} });
    // another instance committed v3 since: Redis is read, and its state written, not the one in memory
    await redis.commit(ID, 2, state(3), 'b/1/3', []);
    const theirs = await changelog.records([ID], [{ clientId: ID, version: 2, state: state(2) }]);
    expect(loads).toBe(1);
    expect(changelog.decode(ID, theirs.records[0]!.value)).toEqual({
      version: 3,
      state: state(3),
      outbox: {},
    });
    expect(theirs.written).toEqual([{ clientId: ID, version: 3 }]);
    // the check after the transaction reads versions only
    expect(await changelog.settle(theirs.written, commit)).toBe(0);
    expect(loads).toBe(1);
  });

  it('the rebuild never goes back to an older version, and a tombstone deletes', async () => {
    const driver = new TestDriver();
    const changelog = new Changelog(new MemoryStore());
    const restored = new Map<string, number>();
    const v = (n: number) => ({ key: ID, value: changelog.encode(ID, n, state(n)) });
    // a crash between A's transaction and its check left v2 after v3 (not compacted yet)
    for (const r of [v(1), v(3), v(2)]) {
      const e = changelog.decode(ID, r.value);
      await driver.processor.restoreClient(ID, e!.version, e!.state, {}, restored);
    }
    expect(await driver.store.load(ID)).toEqual({ version: 3, state: state(3) });
    await driver.processor.restoreClient(ID, 0, null, {}, restored);
    expect(await driver.store.load(ID)).toEqual({ version: 0, state: undefined });
    // after a tombstone the client starts again at version 1
    await driver.processor.restoreClient(ID, 1, state(9), {}, restored);
    expect(await driver.store.load(ID)).toEqual({ version: 1, state: state(9) });
  });

  it('the rebuild overwrites what a batch of the lost register committed after the wipe, whatever its version', async () => {
    const driver = new TestDriver();
    // a batch that ran on through the loss committed the client into the wiped register, from nothing
    expect(await driver.store.commit(ID, 0, state(7), 'in/2/40', [])).toBe(true);
    expect(await driver.store.commit(ID, 1, state(8), 'in/2/41', [])).toBe(true);
    const restored = new Map<string, number>();
    await driver.processor.restoreClient(ID, 1, state(1), {}, restored);
    expect(await driver.store.load(ID)).toEqual({ version: 1, state: state(1) });
  });

  it('seals every value with the cipher for the client, and opens it so', () => {
    const calls: string[] = [];
    const cipher: StateCipher = {
      seal: (id, text) => (calls.push(`seal:${id}`), Buffer.from(text).toString('base64')),
      open: (id, text) => (calls.push(`open:${id}`), Buffer.from(text, 'base64').toString()),
    };
    const changelog = new Changelog(new MemoryStore(), cipher);
    const value = changelog.encode(ID, 4, state(4));
    expect(value).not.toContain('999990019');
    expect(changelog.decode(ID, value)).toEqual({ version: 4, state: state(4), outbox: {} });
    expect(calls).toEqual([`seal:${ID}`, `open:${ID}`]);
    expect(new Changelog(new MemoryStore(), plainCipher).decode(ID, null)).toBeNull();
  });
});

/**
 * Chunk B (partition 1) commits v1 with an output, its transaction still open; chunk A (partition 0) commits v2
 * and writes its changelog record.
 */
async function inFlight() {
  const redis = await whole();
  const changelog = new Changelog(redis);
  await redis.commit(ID, 0, state(1), 'in/1/7', [output('b')]);
  // (B's outputs would hold A's commit until they are in Kafka; a record held too long commits all the same)
  await redis.commit(ID, 1, state(2), 'in/0/3', [output('a')], undefined, false);
  const a = await changelog.records(
    [ID],
    [{ clientId: ID, version: 2, state: state(2) }],
    [{ clientId: ID, position: 'in/0/3' }],
  );
  return { redis, changelog, a };
}

describe('the outputs of records in flight (two chunks, or two instances, changing one client)', () => {
  it('a record carries the client`s outbox entries but the flush`s own, read at once with its version', async () => {
    const { redis, changelog, a } = await inFlight();
    const entry = changelog.decode(ID, a.records[0]!.value)!;
    expect(entry.version).toBe(2);
    // B's outputs ride along (sealed as the outbox holds them); A's own are in A's transaction, not here
    expect(Object.keys(entry.outbox)).toEqual(['in/1/7']);
    // B's transaction commits and acks: a record written after it carries nothing
    await redis.ack(ID, ['in/1/7']);
    const later = await changelog.records([ID], [], [{ clientId: ID, position: 'in/0/3' }]);
    expect(changelog.decode(ID, later.records[0]!.value)!.outbox).toEqual({});
  });

  it('after a Redis loss, the record still in flight comes again as a replay and finds its outputs', async () => {
    const { changelog, a } = await inFlight();
    // A's transaction commits (the group is past in/0/3), then Redis loses the register before B's does
    const committed = new Map([
      ['in/0', 4n],
      ['in/1', 7n],
    ]);
    const rebuilt = new TestDriver();
    const e = changelog.decode(ID, a.records[0]!.value)!;
    await rebuilt.processor.restoreClient(
      ID,
      e.version,
      e.state,
      uncommitted(e.outbox, committed),
      new Map(),
    );
    expect((await rebuilt.store.pending(ID, 'in/1/7'))?.map((o) => o.id)).toEqual(['b']);
    // an entry of a record the group committed past is not restored: its outputs are in Kafka
    expect(uncommitted(e.outbox, new Map([['in/1', 8n]]))).toEqual({});
    expect(uncommitted({ 'in/1/7': 'x', 'other/0/2': 'y' }, new Map([['in/1', 7n]]))).toEqual({
      'in/1/7': 'x',
      'other/0/2': 'y',
    });
  });
});

describe('the changelog record of a commit', () => {
  it('is the JSON of { v, s, o }, with the state as its commit wrote it, not serialised again', async () => {
    const store = new MemoryStore();
    const changelog = new Changelog(store);
    const s = state(7);
    expect(await store.commit(ID, 0, s, 't/0/7', [])).toBe(true);
    const outbox = { 't/0/8': 'x' };
    expect(changelog.encode(ID, 1, s, outbox)).toBe(JSON.stringify({ v: 1, s, o: outbox }));
    expect(changelog.encode(ID, 1, s)).toBe(JSON.stringify({ v: 1, s }));
    // the text the commit wrote is what the record carries, also when the object changed after it
    (s as { dag?: string }).dag = '2026-11-24';
    expect(changelog.encode(ID, 1, s)).toBe(JSON.stringify({ v: 1, s: (await store.load(ID)).state }));
    // a state no commit wrote is serialised as it is
    const fresh = state(9);
    expect(changelog.encode(ID, 2, fresh)).toBe(JSON.stringify({ v: 2, s: fresh }));
    expect(changelog.decode(ID, changelog.encode(ID, 2, fresh, outbox))).toEqual({
      version: 2,
      state: fresh,
      outbox,
    });
  });
});

describe('the changelog record of a commit, encrypted at rest', () => {
  const keyring = (id: string) => {
    const r = parseRegisterKeys(`${id}:${randomBytes(32).toString('base64')}`);
    if (!r.keys) throw new Error(r.problems.join('; '));
    return new KeyringCipher(r.keys, id);
  };
  const A = keyring('a');

  it('carries the state its commit sealed for the register, not sealed again, with only the version in clear', async () => {
    const calls: string[] = [];
    const counting: StateCipher = {
      seal: (id, text) => (calls.push('seal'), A.seal(id, text)),
      open: (id, text) => (calls.push('open'), A.open(id, text)),
    };
    const store = new MemoryStore(counting);
    const changelog = new Changelog(store);
    const s = state(7);
    expect(await store.commit(ID, 0, s, 't/0/7', [])).toBe(true);
    expect(calls).toEqual(['seal']);
    const value = changelog.encode(ID, 1, s);
    expect(calls).toEqual(['seal']); // the commit's, and no other
    const parsed = JSON.parse(value) as { v: number; s: string };
    expect(Object.keys(parsed)).toEqual(['v', 's']);
    expect(parsed.v).toBe(1);
    expect(isSealed(parsed.s)).toBe(true);
    expect(value).not.toContain('999990019');
    expect(changelog.sealedText(value)).toBe(parsed.s);
    expect(changelog.decode(ID, value)).toEqual({ version: 1, state: state(7), outbox: {} });
    expect(changelog.decode(ID, Buffer.from(value))).toEqual({ version: 1, state: state(7), outbox: {} });
    // it opens only for its client, as every sealed value (the client is the seal's associated data)
    expect(() => changelog.decode('c2', value)).toThrow();
    // and only with the key it was sealed with
    expect(() => new Changelog(new MemoryStore(keyring('a'))).decode(ID, value)).toThrow();
  });

  it('is sealed as a whole when it carries outbox entries, or its state is not one a commit sealed', async () => {
    const store = new MemoryStore(A);
    const changelog = new Changelog(store);
    const s = state(7);
    expect(await store.commit(ID, 0, s, 't/0/7', [])).toBe(true);
    const outbox = { 't/0/8': 'x' };
    for (const value of [changelog.encode(ID, 1, s, outbox), changelog.encode(ID, 1, state(7))]) {
      expect(isSealed(value)).toBe(true);
      expect(changelog.sealedText(value)).toBe(value);
    }
    expect(changelog.decode(ID, changelog.encode(ID, 1, s, outbox))).toEqual({
      version: 1,
      state: s,
      outbox,
    });
    // what the commit wrote, also when the object changed after it
    const committed = structuredClone(s);
    (s as { dag?: string }).dag = '2026-11-24';
    expect(changelog.decode(ID, changelog.encode(ID, 1, s, outbox))!.state).toEqual(committed);
    expect(changelog.decode(ID, changelog.encode(ID, 1, s))!.state).toEqual(committed);
    delete (s as { dag?: string }).dag;
    // a changelog with another cipher than the store's seals its records itself
    const other = keyring('b');
    const own = new Changelog(store, other).encode(ID, 1, s);
    expect(isSealed(own)).toBe(true);
    expect(new Changelog(store, other).decode(ID, own)).toEqual({ version: 1, state: s, outbox: {} });
    // without encryption at rest nothing is nested: the whole record is its JSON
    const plain = new MemoryStore();
    const t = state(8);
    await plain.commit(ID, 0, t, 't/0/9', []);
    expect(new Changelog(plain).encode(ID, 1, t)).toBe(JSON.stringify({ v: 1, s: t }));
  });
});
