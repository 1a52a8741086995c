import { keepCoordinators } from '../../../services/kafka/coordinators';

/**
 * When a kept coordinator is used and when it is looked up again (services/kafka/coordinators.ts). The
 * cluster here is a plain object with kafkajs' `findGroupCoordinator`; test/integration/coordinators.test.ts
 * shows the same on the real broker (lookups per transaction, a fenced producer's refused request).
 */
describe('kept coordinators', () => {
  class Broker {
    connected = true;
    constructor(readonly nodeId: number) {}
    isConnected() {
      return this.connected;
    }
    endTxn(fail?: { type?: string }) {
      return fail
        ? Promise.reject(Object.assign(new Error(fail.type ?? 'connection'), fail))
        : Promise.resolve('ok');
    }
  }

  function cluster() {
    const found: Broker[] = [];
    let failNext = false;
    const c = keepCoordinators({
      findGroupCoordinator: async (_: { groupId: string; coordinatorType?: number }) => {
        if (failNext) {
          failNext = false;
          throw new Error('GROUP_COORDINATOR_NOT_AVAILABLE');
        }
        const b = new Broker(found.length);
        found.push(b);
        return b;
      },
    });
    const find = (groupId: string, coordinatorType = 1) =>
      c.findGroupCoordinator({ groupId, coordinatorType }) as Promise<Broker>;
    return { find, found, failLookup: () => (failNext = true) };
  }

  it('answers from the first lookup, per id and coordinator type', async () => {
    const { find, found } = cluster();
    const a = await find('tx');
    expect((await find('tx')).nodeId).toBe(a.nodeId);
    await find('tx', 0);
    await find('other');
    expect(found).toHaveLength(3);
  });

  it('forgets the answer when a request to it fails, but not for CONCURRENT_TRANSACTIONS', async () => {
    const { find, found } = cluster();
    const b = await find('tx');
    await expect(b.endTxn({ type: 'CONCURRENT_TRANSACTIONS' })).rejects.toThrow('CONCURRENT_TRANSACTIONS');
    await find('tx');
    expect(found).toHaveLength(1);
    await expect(b.endTxn({ type: 'NOT_COORDINATOR' })).rejects.toThrow('NOT_COORDINATOR');
    expect((await find('tx')).nodeId).toBe(1);
    // a lost connection (no protocol type) too
    await expect((await find('tx')).endTxn({})).rejects.toThrow('connection');
    expect((await find('tx')).nodeId).toBe(2);
    // and what succeeds keeps it
    await expect((await find('tx')).endTxn()).resolves.toBe('ok');
    expect(found).toHaveLength(3);
  });

  it('looks up again when the kept broker is no longer connected (or authenticated)', async () => {
    const { find, found } = cluster();
    await find('tx');
    found[0]!.connected = false;
    expect((await find('tx')).nodeId).toBe(1);
    expect(found).toHaveLength(2);
  });

  it('does not keep a failed lookup', async () => {
    const { find, found, failLookup } = cluster();
    failLookup();
    await expect(find('tx')).rejects.toThrow('GROUP_COORDINATOR_NOT_AVAILABLE');
    expect((await find('tx')).nodeId).toBe(0);
    expect(found).toHaveLength(1);
  });
});
