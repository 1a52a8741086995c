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
 * look-ahead and its record (the state read ahead is then stale: the commit's version check catches it).
 */

/** A MemoryStore that counts the reads of single clients and of windows. */
class CountingStore extends MemoryStore {
  loads = 0;
  windows = 0;
  override async load(clientId: string) {
    this.loads++;
    return super.load(clientId);
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

const input = generate({ seed: 5, messages: 400, gemeenten: 4, duplicateRate: 0.05 });

describe('the look-ahead of a window of records', () => {
  it('gives the same outputs, register and changelog as record by record, with one read per window', async () => {
    const plain = new TestDriver();
    for (const m of input) await plain.pipe(topicOf(plain.cfg, m.kind, m.value), m.value, { key: m.key });
    const expected = await outcome(plain);
    expect(expected.outputs.length).toBeGreaterThan(10);

    for (const window of [1, 7, 200]) {
      const store = new CountingStore();
      const d = new TestDriver({}, store);
      const inputs = input.map((m) => ({
        topic: topicOf(d.cfg, m.kind, m.value),
        value: m.value,
        opts: { key: m.key },
      }));
      await d.pipeBatch(inputs, window);
      // no client of a window is read on its own: its state came with the window or from its last commit
      expect(store.loads).toBe(0);
      expect(store.windows).toBe(Math.ceil(input.length / window));
      expect(await outcome(d)).toEqual(expected);
    }
  });

  it('reads a client again when another instance changed it after the look-ahead', async () => {
    const bsn = validBsn(4242);
    const wmo = buildWmo301({
      bsn,
      gemeente: '0363',
      identificatie: 'LA1',
      toewijzingnummer: 1,
      einddatum: null,
    });
    const io31 = buildIo31({ bsn, ingangsdatum: '2026-11-01', afgiftedatum: '2026-11-01' });

    // what must come out: the other instance's WMO301 first, then the IO31
    const sequential = new TestDriver();
    await sequential.pipe(wmoTopic(sequential.cfg, '0363'), wmo);
    await sequential.pipe('wlz.indicatiebesluiten', io31);
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
});
