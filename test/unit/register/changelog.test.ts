/**
 * The register's changelog when two instances change one client (issue 15.1): their Kafka transactions may
 * commit in the other order than their Redis commits. The writers' protocol (register/changelog.ts: write the
 * state Redis holds at flush time, check after the transaction and write again) leaves the client's latest
 * state as its last record whatever the order; the rebuild (Processor.restoreClient) never takes an older
 * version, so even a log where a crash kept the check from happening gives the latest state back.
 */
import { Changelog, type ChangelogRecord } from '../../../services/register/changelog';
import { plainCipher, type StateCipher } from '../../../services/register/cipher';
import { MemoryStore } from '../../../services/register/memory-store';
import { emptyState, type ClientState } from '../../../services/register/state';
import { TestDriver } from '../../../services/pipeline/driver';

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

describe('the changelog when two instances change one client', () => {
  it('A commits v2 to Redis, B v3, but A`s transaction commits last: A writes v3 again after it', async () => {
    const redis = new MemoryStore();
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
    expect(changelog.decode(ID, lastOf(topic, ID)!.value)).toEqual({ version: 3, state: state(3) });
  });

  it('a deletion by the other instance ends the client`s log with a tombstone', async () => {
    const redis = new MemoryStore();
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
    const redis = new MemoryStore();
    let loads = 0;
    const counting = Object.assign(Object.create(redis) as MemoryStore, {
      load: (id: string) => (loads++, redis.load(id)),
    });
    const changelog = new Changelog(counting);
    await redis.commit(ID, 0, state(1), 'p/0/1', []);
    await redis.commit(ID, 1, state(2), 'a/0/2', []);
    // this instance committed v2: Redis holds v2, so v2 is written as committed, without a read of the state
    const mine = await changelog.records([ID], [{ clientId: ID, version: 2, state: state(2) }]);
    expect(loads).toBe(0);
    expect(changelog.decode(ID, mine.records[0]!.value)).toEqual({ version: 2, state: state(2) });
    // another instance committed v3 since: Redis is read, and its state written, not the one in memory
    await redis.commit(ID, 2, state(3), 'b/1/3', []);
    const theirs = await changelog.records([ID], [{ clientId: ID, version: 2, state: state(2) }]);
    expect(loads).toBe(1);
    expect(changelog.decode(ID, theirs.records[0]!.value)).toEqual({ version: 3, state: state(3) });
    expect(theirs.written).toEqual([{ clientId: ID, version: 3 }]);
    // the check after the transaction reads versions only
    expect(await changelog.settle(theirs.written, commit)).toBe(0);
    expect(loads).toBe(1);
  });

  it('the rebuild never goes back to an older version, and a tombstone deletes', async () => {
    const driver = new TestDriver();
    const changelog = new Changelog(new MemoryStore());
    const v = (n: number) => ({ key: ID, value: changelog.encode(ID, n, state(n)) });
    // a crash between A's transaction and its check left v2 after v3 (not compacted yet)
    for (const r of [v(1), v(3), v(2)]) {
      const e = changelog.decode(ID, r.value);
      await driver.processor.restoreClient(ID, e!.version, e!.state);
    }
    expect(await driver.store.load(ID)).toEqual({ version: 3, state: state(3) });
    await driver.processor.restoreClient(ID, 0, null);
    expect(await driver.store.load(ID)).toEqual({ version: 0, state: undefined });
    // after a tombstone the client starts again at version 1
    await driver.processor.restoreClient(ID, 1, state(9));
    expect(await driver.store.load(ID)).toEqual({ version: 1, state: state(9) });
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
    expect(changelog.decode(ID, value)).toEqual({ version: 4, state: state(4) });
    expect(calls).toEqual([`seal:${ID}`, `open:${ID}`]);
    expect(new Changelog(new MemoryStore(), plainCipher).decode(ID, null)).toBeNull();
  });
});
