/**
 * What a handled record tells the sink to write to the register's changelog (Handled.changed, Handled.committed):
 * `changed` is every client to write, `committed` only the states the record committed (a read saved), so a
 * committed client is always in `changed` and a replay, which commits nothing, is in `changed` alone.
 */
import { pseudonym } from '../../../services/domain/pseudonym';
import { TestDriver } from '../../../services/pipeline/driver';
import { MemoryStore } from '../../../services/register/memory-store';
import { validBsn } from '../../fixtures/builders';
import { wmo301 } from '../../support/samples';

const WMO = 'gemeente.0384.toewijzingen';

describe("a handled record's changelog fields", () => {
  it('an applied record names its client in changed and its committed state; a replay in changed only', async () => {
    const store = new MemoryStore();
    const driver = new TestDriver({ SAMENLOOP_TODAY: '2026-11-23' }, store);
    const bsn = validBsn(701);
    const id = pseudonym(driver.cfg.SAMENLOOP_HMAC_SECRET, bsn);

    const applied = await driver.pipe(WMO, wmo301(bsn, null), { offset: '3' });
    expect(applied.outcome).toBe('applied');
    expect(applied.changed).toEqual([id]);
    const { state, version } = await store.load(id);
    expect(applied.committed).toEqual([{ clientId: id, version, state }]);

    // the same record again (a redelivery after a crash): nothing committed, but written to the changelog again
    const replay = await driver.pipe(WMO, wmo301(bsn, null), { offset: '3' });
    expect(replay.outcome).toBe('replay');
    expect(replay.changed).toEqual([id]);
    expect(replay.committed).toBeUndefined();

    // the same message at another position: nothing changed, nothing written
    const duplicate = await driver.pipe(WMO, wmo301(bsn, null), { offset: '4' });
    expect(duplicate.outcome).toBe('duplicate');
    expect(duplicate.changed).toBeUndefined();
    expect(duplicate.committed).toBeUndefined();
  });
});
