import { TestDriver } from '../../../services/pipeline/driver';
import { RegisterLostError } from '../../../services/register/store';
import type { MemoryStore } from '../../../services/register/memory-store';
import { buildIo31, validBsn } from '../../fixtures/builders';

/**
 * A batch whose register was lost while it ran (kafka/consumer-loop.ts raises its generation) may write nothing
 * more: the processor calls the batch's guard right before every write, and a throwing guard leaves the register
 * as it was. Without it, such a batch committed clients into the wiped or rebuilt register with versions of its
 * own lineage, and a later commit of it could overwrite a restored state.
 */
describe('the write guard of a batch', () => {
  const record = (offset: string, bsn: string) => ({
    topic: 'wlz.indicatiebesluiten',
    partition: 0,
    offset,
    key: null,
    value: Buffer.from(buildIo31({ bsn })),
    headers: {},
  });

  it('writes nothing to the register once the guard throws, and writes as usual while it does not', async () => {
    const driver = new TestDriver();
    const store = driver.store as MemoryStore;
    let lost = false;
    const guard = () => {
      if (lost) throw new RegisterLostError();
    };

    const ok = await driver.processor.handle(record('0', validBsn(3)), 'live', undefined, undefined, guard);
    expect(ok.outcome).toBe('applied');
    expect(await store.clientIds()).toHaveLength(1);

    lost = true;
    await expect(
      driver.processor.handle(record('1', validBsn(4)), 'live', undefined, undefined, guard),
    ).rejects.toBeInstanceOf(RegisterLostError);
    // the second client was not committed, and the first one is untouched
    expect(await store.clientIds()).toHaveLength(1);
    const [id] = await store.clientIds();
    expect((await store.load(id!)).version).toBe(1);
  });
});
