import { generate } from '../../../bench/generator';
import { TestDriver } from '../../../services/pipeline/driver';
import { MemoryStore } from '../../../services/register/memory-store';
import { wmoTopic } from '../../../services/topics';
import { buildIo31, buildWmo301, validBsn } from '../../fixtures/builders';
import { topicOf } from '../../support/topics';

/**
 * The consumer loop's look-ahead (Processor.lookahead): a window of records decoded and its clients' states read
 * in one round trip before the records are handled one by one. It must change nothing but the reads: the same
 * outputs, register and changelog as record by record, also when another instance changes a client between the
 * look-ahead and its record (the state read ahead is then stale: the commit's version check catches it). With
 * commits sent ahead (deferCommits, as the consumer loop sends them), a commit that lost makes its record and the
 * ones after it be processed again, and the outcome is the same.
 */

/** A MemoryStore that counts the reads of single clients and of windows. */
class CountingStore extends MemoryStore {
  loads = 0;
  windows = 0;
  override async load(clientId: string) {
    this.loads++;
    return super.load(clientId);
  }
  override async heads(requests: Parameters<MemoryStore['heads']>[0]) {
    const before = this.loads; // the changelog's reads (the sink's), not the processor's
    const heads = await super.heads(requests);
    this.loads = before;
    return heads;
  }
  override async loadAll(clientIds: readonly string[]) {
    this.windows++;
    const before = this.loads; // MemoryStore.loadAll reads through load: not a read of its own
    const loaded = await super.loadAll(clientIds);
    this.loads = before;
    return loaded;
  }
}

/** Everything a driver holds after its input: outputs in order, the register, the changelog. */
async function outcome(d: TestDriver) {
  const store = d.store as MemoryStore;
  const register: Record<string, unknown> = {};
  for (const id of await store.clientIds()) register[id] = await store.load(id);
  return {
    outputs: d.outputs.map((o) => [o.topic, o.id, o.value]),
    deadLetters: d.deadLetters.map((x) => x.error.code),
    register,
    changelog: d.changelog,
  };
}

/** A changelog as compaction leaves it: the last record per key. */
function lastPerKey(log: ReadonlyArray<{ key: string; value: string | null }>) {
  return Object.fromEntries(log.map((r) => [r.key, r.value]));
}

/**
 * A client's WMO301 (what another instance handles) and IO31 (what ours handles), and a driver that handled
 * them one after the other: the outcome a race between the two instances must come to.
 */
async function raced(n: number, identificatie: string) {
  const bsn = validBsn(n);
  const wmo = buildWmo301({ bsn, gemeente: '0363', identificatie, toewijzingnummer: 1, einddatum: null });
  const io31 = buildIo31({ bsn, ingangsdatum: '2026-11-01', afgiftedatum: '2026-11-01' });
  const sequential = new TestDriver();
  await sequential.pipe(wmoTopic(sequential.cfg, '0363'), wmo);
  await sequential.pipe('wlz.indicatiebesluiten', io31);
  return { wmo, io31, sequential };
}

const input = generate({ seed: 5, messages: 400, gemeenten: 4, duplicateRate: 0.05 });

describe('the look-ahead of a window of records', () => {
  it('gives the same outputs, register and changelog as record by record, with one read per window', async () => {
    const plain = new TestDriver();
    for (const m of input) await plain.pipe(topicOf(plain.cfg, m.kind, m.value), m.value, { key: m.key });
    const expected = await outcome(plain);
    expect(expected.outputs.length).toBeGreaterThan(10);

    for (const deferCommits of [false, true])
      for (const window of [1, 7, 200]) {
        const store = new CountingStore();
        const d = new TestDriver({}, store);
        const inputs = input.map((m) => ({
          topic: topicOf(d.cfg, m.kind, m.value),
          value: m.value,
          opts: { key: m.key },
        }));
        await d.pipeBatch(inputs, window, undefined, { deferCommits });
        // no client of a window is read on its own: its state came with the window or from its last commit
        expect(store.loads).toBe(0);
        expect(store.windows).toBe(Math.ceil(input.length / window));
        expect(d.rewinds).toBe(0);
        const got = await outcome(d);
        if (!deferCommits) expect(got).toEqual(expected);
        else {
          // the sink's part comes after the window settled: a client's changelog record carries the state the
          // register holds then (register/changelog.ts), so the log's last record per client is what counts
          expect({ ...got, changelog: lastPerKey(got.changelog) }).toEqual({
            ...expected,
            changelog: lastPerKey(expected.changelog),
          });
        }
      }
  });

  it('reads a client again when another instance changed it after the look-ahead', async () => {
    const { wmo, io31, sequential } = await raced(4242, 'LA1');
    // what must come out: the other instance's WMO301 first, then the IO31
    const expected = await outcome(sequential);
    expect(expected.outputs.some(([topic]) => topic === 'gemeente.0363.samenloop')).toBe(true);

    const store = new CountingStore();
    const ours = new TestDriver({}, store);
    const other = new TestDriver({}, store); // another instance on the same register
    await ours.pipeBatch([{ topic: 'wlz.indicatiebesluiten', value: io31 }], 10, async () => {
      await other.pipe(wmoTopic(other.cfg, '0363'), wmo);
    });
    // read ahead: no client; the commit found version 1, not 0: read again (the other instance's own read is the
    // first), and the signal follows from both
    expect(store.loads).toBe(2);
    const got = await outcome(ours);
    const theirs = await outcome(other);
    expect(got.register).toEqual(expected.register);
    expect([...theirs.outputs, ...got.outputs]).toEqual(expected.outputs);
  });

  it('with commits sent ahead: a commit that lost makes its record and the ones after it be processed again', async () => {
    const { wmo, io31, sequential } = await raced(4243, 'LA2');
    const others = input.slice(0, 30);
    // what must come out: the other instance's WMO301 first, then the IO31, then 30 records of other clients
    for (const m of others)
      await sequential.pipe(topicOf(sequential.cfg, m.kind, m.value), m.value, { key: m.key });
    const expected = await outcome(sequential);

    const store = new CountingStore();
    const ours = new TestDriver({}, store);
    const other = new TestDriver({}, store);
    let once = false;
    const inputs = [
      { topic: 'wlz.indicatiebesluiten', value: io31 },
      ...others.map((m) => ({
        topic: topicOf(ours.cfg, m.kind, m.value),
        value: m.value,
        opts: { key: m.key },
      })),
    ];
    await ours.pipeBatch(
      inputs,
      50,
      async () => {
        if (once) return;
        once = true;
        await other.pipe(wmoTopic(other.cfg, '0363'), wmo);
      },
      { deferCommits: true },
    );
    // the IO31's commit lost (the other instance made version 1): the window went again from it, with a fresh
    // look-ahead; the 30 records after it had committed the first time and are replays the second
    expect(ours.rewinds).toBe(1);
    expect(store.windows).toBe(2);
    const got = await outcome(ours);
    const theirs = await outcome(other);
    expect(got.register).toEqual(expected.register);
    expect([...theirs.outputs, ...got.outputs]).toEqual(expected.outputs);
    expect(lastPerKey([...theirs.changelog, ...got.changelog])).toEqual(lastPerKey(expected.changelog));
    expect(Object.keys(lastPerKey(got.changelog)).length).toBeGreaterThan(10);
  });

  it("with commits sent ahead: a record waits for its client's commit sent ahead, and does not build on one that lost", async () => {
    // two IO31s of one client in one window; the other instance's WMO301 of that client lands while the first
    // IO31's commit is on its way. Were the second sent on top of the first unsettled, its version check (the
    // version after the one read) would pass against the other instance's change and overwrite it.
    const { wmo, io31, sequential } = await raced(4244, 'LA3');
    const second = buildIo31({
      bsn: validBsn(4244),
      identificatie: 'IO31-LA3-2',
      besluitnummer: 2,
      ingangsdatum: '2026-11-15',
      afgiftedatum: '2026-11-15',
    });
    await sequential.pipe('wlz.indicatiebesluiten', second);
    const expected = await outcome(sequential);

    const store = new RacingStore();
    const ours = new TestDriver({}, store);
    const other = new TestDriver({}, store);
    store.race = () => other.pipe(wmoTopic(other.cfg, '0363'), wmo).then(() => undefined);
    await ours.pipeBatch(
      [
        { topic: 'wlz.indicatiebesluiten', value: io31 },
        { topic: 'wlz.indicatiebesluiten', value: second },
      ],
      10,
      undefined,
      { deferCommits: true },
    );
    expect(ours.rewinds).toBe(1);
    const got = await outcome(ours);
    const theirs = await outcome(other);
    expect(got.register).toEqual(expected.register);
    expect([...theirs.outputs, ...got.outputs]).toEqual(expected.outputs);
  });
});

/**
 * A MemoryStore whose commits of Wlz records (ours) wait until `race` (another instance's record, whose commits do
 * not wait) has run, once: a commit sent ahead is on its way while the other instance changes the client.
 */
class RacingStore extends MemoryStore {
  race?: () => Promise<void>;
  private raced?: Promise<void>;
  override async commit(...args: Parameters<MemoryStore['commit']>) {
    if (this.race && args[3].startsWith('wlz.')) await (this.raced ??= this.race());
    return super.commit(...args);
  }
}
