import { randomUUID } from 'node:crypto';
import { emptyState } from '../../services/register/state';
import { CommitHeld, type RegisterStore } from '../../services/register/store';
import { output } from './samples';

/** The behaviour every RegisterStore must have: run against the in-memory and the Redis store alike. */
export function registerStoreContract(
  name: string,
  make: () => Promise<RegisterStore>,
  done: (s: RegisterStore) => Promise<void>,
) {
  describe(`RegisterStore contract: ${name}`, () => {
    let store: RegisterStore;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await done(store);
    });

    it('knows nothing of an unknown client', async () => {
      expect(await store.load('c1')).toEqual({ state: undefined, version: 0 });
      expect(await store.versions(['c1'])).toEqual([0]);
      expect(await store.pending('c1', 't/0/0')).toBeUndefined();
    });

    it('commits with optimistic concurrency and bumps the version', async () => {
      const s = emptyState('999990019');
      expect(await store.commit('c1', 0, s, 't/0/0', [])).toBe(true);
      expect(await store.load('c1')).toEqual({ state: s, version: 1 });
      expect(await store.commit('c1', 0, { ...s, applied: { x: 'y' } }, 't/0/1', [])).toBe(false);
      expect((await store.load('c1')).state).toEqual(s);
      expect(await store.commit('c1', 1, { ...s, applied: { x: 'y' } }, 't/0/1', [])).toBe(true);
      expect((await store.load('c1')).version).toBe(2);
      await store.commit('c2', 0, s, 't/0/2', []);
      expect(await store.versions(['c1', 'c3', 'c2'])).toEqual([2, 0, 1]);
      expect(await store.remove('c1', 2)).toBe(true);
      expect(await store.versions(['c1', 'c2'])).toEqual([0, 1]);
    });

    it('keeps outputs in the outbox until acked', async () => {
      const s = emptyState('999990019');
      await store.commit('c1', 0, s, 't/0/5', [output('a'), output('b')]);
      await store.commit('c1', 1, s, 't/0/6', [output('c')]);
      expect((await store.pending('c1', 't/0/5'))?.map((o) => o.id)).toEqual(['a', 'b']);
      await store.ack('c1', ['t/0/5']);
      expect(await store.pending('c1', 't/0/5')).toBeUndefined();
      expect((await store.pending('c1', 't/0/6'))?.map((o) => o.id)).toEqual(['c']);
      // a chunk's acks together
      await store.commit('c2', 0, s, 't/0/7', [output('d')]);
      await store.ackAll([
        { clientId: 'c1', position: 't/0/6' },
        { clientId: 'c2', position: 't/0/7' },
      ]);
      expect(await store.pending('c1', 't/0/6')).toBeUndefined();
      expect(await store.pending('c2', 't/0/7')).toBeUndefined();
    });

    it('does not write the outbox when the commit loses the race', async () => {
      const s = emptyState('999990019');
      await store.commit('c1', 0, s, 't/0/1', []);
      expect(await store.commit('c1', 0, s, 't/0/2', [output('lost')])).toBe(false);
      expect(await store.pending('c1', 't/0/2')).toBeUndefined();
    });

    it('holds a commit with outputs while the outbox has outputs of another input partition', async () => {
      const s = emptyState('999990019');
      expect(await store.commit('c1', 0, s, 'a/0/3', [output('a')])).toBe(true);
      // another partition's record with outputs: refused, nothing written, the holder named
      const held = await store.commit('c1', 1, s, 'b/0/4', [output('b')]).catch((e: unknown) => e);
      expect(held).toBeInstanceOf(CommitHeld);
      expect(held).toMatchObject({ clientId: 'c1', position: 'a/0/3' });
      expect((await store.load('c1')).version).toBe(1);
      expect(await store.pending('c1', 'b/0/4')).toBeUndefined();
      // a version conflict is told first (the record reads the client again)
      expect(await store.commit('c1', 0, s, 'b/0/4', [output('b')])).toBe(false);
      // another partition of the same topic holds too; the same partition (one producer, in order) does not
      await expect(store.commit('c1', 1, s, 'a/1/4', [output('b')])).rejects.toBeInstanceOf(CommitHeld);
      expect(await store.commit('c1', 1, s, 'a/0/4', [output('c')])).toBe(true);
      // a commit without outputs has nothing to keep in order
      expect(await store.commit('c1', 2, s, 'b/0/4', [])).toBe(true);
      // `hold` false commits all the same
      expect(await store.commit('c1', 3, s, 'b/0/5', [output('d')], undefined, false)).toBe(true);
      // once the holders' outputs are acked, the other partition commits
      await store.ack('c1', ['a/0/3', 'a/0/4']);
      await expect(store.commit('c1', 4, s, 'a/0/6', [output('e')])).rejects.toMatchObject({
        position: 'b/0/5',
      });
      await store.ack('c1', ['b/0/5']);
      expect(await store.commit('c1', 4, s, 'a/0/6', [output('e')])).toBe(true);
      expect((await store.load('c1')).version).toBe(5);
    });

    it('indexes clients per gemeente and beëindigingen to their client', async () => {
      await store.index('c1', { gemeenten: ['0363', '0599'], beeindigingen: ['b1'] });
      await store.index('c2', { gemeenten: ['0363'], beeindigingen: [] });
      await store.index('c1', { gemeenten: ['0363'], beeindigingen: ['b1'] });
      expect(await store.clientsOf('0363')).toEqual(['c1', 'c2']);
      expect(await store.clientsOf('0599')).toEqual(['c1']);
      expect(await store.clientsOf('0344')).toEqual([]);
      expect(await store.clientOfBeeindiging('b1')).toBe('c1');
      expect(await store.clientOfBeeindiging('nope')).toBeUndefined();
    });

    it('writes a commit`s effects (indexes, due day of the new version) only when the commit wins', async () => {
      const s = emptyState('999990019');
      const effects = (gemeente: string, b: string, day: string | null) => ({
        index: { gemeenten: [gemeente], beeindigingen: [b] },
        due: { slice: 1, day },
      });
      expect(await store.commit('c1', 0, s, 't/0/1', [], effects('0363', 'b1', '2026-11-24'))).toBe(true);
      expect(await store.clientsOf('0363')).toEqual(['c1']);
      expect(await store.clientOfBeeindiging('b1')).toBe('c1');
      expect(await store.takeDue(1, '2026-11-24', 't/1/1', 10)).toEqual(['c1']);
      // the race lost: none of it
      expect(await store.commit('c1', 0, s, 't/0/2', [], effects('0599', 'b2', '2026-11-20'))).toBe(false);
      expect(await store.clientsOf('0599')).toEqual([]);
      expect(await store.clientOfBeeindiging('b2')).toBeUndefined();
      expect(await store.takeDue(1, '2026-11-24', 't/1/2', 10)).toEqual(['c1']);
      // the due day is written for the new version (2): a late setDue of version 1 does not move it back
      expect(
        await store.commit('c1', 1, s, 't/0/3', [], {
          index: { gemeenten: [], beeindigingen: [] },
          due: { slice: 1, day: null },
        }),
      ).toBe(true);
      await store.setDue(1, 'c1', 1, '2026-11-20');
      expect(await store.takeDue(1, '2026-12-31', 't/1/3', 10)).toEqual([]);
      // without a due day (no daily index) only the indexes
      expect(
        await store.commit('c2', 0, s, 't/0/4', [], { index: { gemeenten: ['0363'], beeindigingen: [] } }),
      ).toBe(true);
      expect(await store.clientsOf('0363')).toEqual(['c1', 'c2']);
      expect(await store.takeDue(1, '2026-12-31', 't/1/4', 10)).toEqual([]);
    });

    it('keeps the daily index per slice: a tick takes the due clients once, a redelivery finds them again', async () => {
      await store.setDue(2, 'c1', 1, '2026-11-24');
      await store.setDue(2, 'c2', 1, '2026-11-30');
      await store.setDue(2, 'c3', 4, '2026-11-20');
      await store.setDue(3, 'c4', 1, '2026-11-20');
      // an older version of the client's state than the last written is ignored (writes race)
      await store.setDue(2, 'c3', 3, '2026-12-31');
      expect(await store.takeDue(2, '2026-11-24', 't/2/7', 1)).toEqual(['c3']);
      expect(await store.takeDue(2, '2026-11-24', 't/2/7', 10)).toEqual(['c1']);
      expect(await store.takeDue(2, '2026-11-24', 't/2/7', 10)).toEqual([]);
      expect(await store.takenBy(2, 't/2/7')).toEqual(['c1', 'c3']);
      expect(await store.takenBy(2, 't/2/8')).toEqual([]);
      // taking leaves the index as it is: another tick takes them again; a commit moves them on
      expect(await store.takeDue(2, '2026-11-24', 't/2/8', 10)).toEqual(['c3', 'c1']);
      await store.setDue(2, 'c3', 5, '2026-12-01');
      await store.setDue(2, 'c1', 2, null);
      expect(await store.takeDue(2, '2026-11-30', 't/2/9', 10)).toEqual(['c2']);
      expect(await store.takeDue(2, '2026-12-01', 't/2/9', 10)).toEqual(['c3']);
      expect(await store.takeDue(3, '2026-11-24', 't/3/1', 10)).toEqual(['c4']);
    });

    it('deletes a client at the end of its bewaartermijn: state, outbox and indexes, guarded by the version', async () => {
      const s = emptyState('999990019');
      await store.commit('c1', 0, s, 't/0/1', [output('kept')]);
      await store.commit('c1', 1, s, 't/0/2', []);
      await store.index('c1', { gemeenten: ['0363'], beeindigingen: ['b1'] });
      await store.index('c2', { gemeenten: ['0363'], beeindigingen: ['b2'] });
      await store.setDue(1, 'c1', 2, '2026-11-24');
      expect(await store.remove('c1', 1)).toBe(false);
      expect((await store.load('c1')).version).toBe(2);
      await store.unindex('c1', { gemeenten: ['0363'], beeindigingen: ['b1', 'b2'] });
      await store.forgetDue(1, 'c1');
      expect(await store.remove('c1', 2)).toBe(true);
      expect(await store.load('c1')).toEqual({ state: undefined, version: 0 });
      expect(await store.pending('c1', 't/0/1')).toBeUndefined();
      expect(await store.clientsOf('0363')).toEqual(['c2']);
      expect(await store.clientOfBeeindiging('b1')).toBeUndefined();
      // a beëindiging of another client is never taken away
      expect(await store.clientOfBeeindiging('b2')).toBe('c2');
      expect(await store.takeDue(1, '2026-12-31', 't/1/1', 10)).toEqual([]);
      // its version there is forgotten: the fresh client's version 1 is written again
      await store.setDue(1, 'c1', 1, '2026-11-25');
      expect(await store.takeDue(1, '2026-12-31', 't/1/2', 10)).toEqual(['c1']);
    });

    it('reads a client`s version, state and outbox at once, leaving out the positions asked', async () => {
      const s = { ...emptyState('999990019'), applied: { m: 't/0/3' } };
      await store.commit('c1', 0, s, 't/0/3', [output('a')]);
      // another partition's record, committed while the first one's outputs are still in the outbox (not held)
      await store.commit('c1', 1, s, 't/1/4', [output('b')], undefined, false);
      await store.commit('c1', 2, s, 't/0/5', []);
      const [mine, unknown, full] = await store.heads([
        { clientId: 'c1', except: ['t/0/3'], withState: false },
        { clientId: 'c9', except: [], withState: true },
        { clientId: 'c1', except: [], withState: true },
      ]);
      expect(mine!.version).toBe(3);
      expect(mine!.state).toBeUndefined();
      expect(Object.keys(mine!.outbox)).toEqual(['t/1/4']);
      expect(unknown).toEqual({ version: 0, state: undefined, outbox: {} });
      expect(full!.state).toEqual(s);
      expect(Object.keys(full!.outbox).sort()).toEqual(['t/0/3', 't/1/4']);
      // the entries as the store keeps them: restored elsewhere, they open as the outputs
      await store.remove('c1', 3);
      await store.restore('c1', 3, s, full!.outbox);
      expect((await store.pending('c1', 't/1/4'))?.map((o) => o.id)).toEqual(['b']);
    });

    it('restores a client at a given version (a rebuild from the changelog)', async () => {
      const s = { ...emptyState('999990019'), applied: { m: 't/0/3' } };
      await store.commit('c1', 0, s, 't/0/1', [output('old')]);
      await store.restore('c1', 7, s);
      expect(await store.load('c1')).toEqual({ state: s, version: 7 });
      // the outbox is the one restored (none here), not what was there before
      expect(await store.pending('c1', 't/0/1')).toBeUndefined();
      expect(await store.commit('c1', 7, s, 't/0/4', [])).toBe(true);
      expect((await store.load('c1')).version).toBe(8);
    });
  });
}

/**
 * Two store instances on one shared register (two processes, in production): of racing commits at the
 * same version exactly one wins. `open` gives a second connection to the register under `prefix`.
 */
export function racingCommitsContract(
  open: (prefix: string) => RegisterStore,
  drop: (s: RegisterStore, prefix: string) => Promise<void>,
) {
  it('a commit is atomic against a concurrent writer: exactly one of two racing commits wins', async () => {
    const prefix = `test:${randomUUID().slice(0, 8)}:`;
    const a = open(prefix);
    const b = open(prefix);
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).commit(
            'race',
            0,
            { bsn: '999990019', facts: {}, applied: { [`m${i}`]: 'x' } },
            `t/0/${i}`,
            [],
          ),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await a.load('race')).version).toBe(1);
    } finally {
      await b.close();
      await drop(a, prefix);
    }
  });
}
