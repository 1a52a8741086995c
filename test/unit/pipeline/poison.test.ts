import { wmoTopic } from '../../../services/topics';
import { pseudonym } from '../../../services/domain/pseudonym';
import { MAX_CORE_ATTEMPTS } from '../../../services/pipeline/processor';
import { TestDriver } from '../../../services/pipeline/driver';
import { MemoryStore } from '../../../services/register/memory-store';
import { applyFacts, emptyState } from '../../../services/register/state';
import { buildIo31, buildWmo301, validBsn } from '../../fixtures/builders';
import { indicatie } from '../engine/factories';

/**
 * A record on which the pure core throws is that record's fault: it is tried MAX_CORE_ATTEMPTS times,
 * then dead-lettered with PROCESSING_ERROR and the cause (no BSN), and the partition goes on. A register
 * failure is not: it propagates, for the shell to retry without end.
 */
const POISONED = validBsn(7001);
const HEALTHY = validBsn(7002);

/** A store that counts loads per client and can be made to fail like a Redis that is down. */
class CountingStore extends MemoryStore {
  loads = new Map<string, number>();
  down = false;
  override async load(clientId: string) {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    this.loads.set(clientId, (this.loads.get(clientId) ?? 0) + 1);
    return super.load(clientId);
  }
}

/** A register entry the engine cannot read: a vervallen indicatie of year 1 (as no input can bring any more). */
async function poison(driver: TestDriver, store: MemoryStore, bsn: string): Promise<string> {
  const id = pseudonym(driver.cfg.SAMENLOOP_HMAC_SECRET, bsn);
  const fact = { ...indicatie({ status: 'vervallen', vervaldatum: '0001-01-01' }), client: { bsn } };
  const applied = applyFacts(emptyState(bsn), 'old-version', 'old/0/0', [fact]);
  expect(await store.commit(id, 0, applied.state, 'old/0/0', [])).toBe(true);
  return id;
}

const wmo = (bsn: string, n: number) =>
  buildWmo301({ bsn, gemeente: '0363', identificatie: `P${n}`, toewijzingnummer: n, einddatum: null });

describe('a record the core throws on', () => {
  it('is dead-lettered with PROCESSING_ERROR after a bounded number of attempts, and the next one goes on', async () => {
    const store = new CountingStore();
    const driver = new TestDriver({}, store);
    const id = await poison(driver, store, POISONED);

    const handled = await driver.pipe(wmoTopic(driver.cfg, '0363'), wmo(POISONED, 1));
    expect(handled.outcome).toBe('dead-letter');
    expect(handled.deadLetter?.code).toBe('PROCESSING_ERROR');
    expect(handled.deadLetter?.reason).toMatch(/^processing failed in reduce and decide \(RangeError\): /);
    expect(handled.deadLetter?.reason).not.toMatch(/\d{5}/);
    expect(store.loads.get(id)).toBe(MAX_CORE_ATTEMPTS);

    const next = await driver.pipe(wmoTopic(driver.cfg, '0363'), wmo(HEALTHY, 2));
    expect(next.outcome).toBe('applied');
    await driver.pipe(driver.cfg.TOPIC_INDICATIEBESLUITEN, buildIo31({ bsn: HEALTHY }));
    expect(driver.events(`${driver.cfg.TOPIC_GEMEENTE_PREFIX}0363.samenloop`)).toHaveLength(1);
  });

  it('does not hold back the other clients of the same message, whose outputs still go out', async () => {
    const store = new CountingStore();
    const driver = new TestDriver({}, store);
    await poison(driver, store, POISONED);
    await driver.pipe(wmoTopic(driver.cfg, '0363'), wmo(HEALTHY, 3));
    const both = buildIo31({
      clients: [
        { bsn: POISONED, besluitnummer: 1 },
        { bsn: HEALTHY, besluitnummer: 2 },
      ],
    });
    const handled = await driver.pipe(driver.cfg.TOPIC_INDICATIEBESLUITEN, both);
    expect(handled.deadLetter?.code).toBe('PROCESSING_ERROR');
    expect(handled.outcome).toBe('applied');
    expect(handled.outputs.map((o) => o.gemeente)).toEqual(['0363']);
  });

  it('in restore mode is skipped the same way, without throwing', async () => {
    const store = new CountingStore();
    const driver = new TestDriver({}, store);
    await poison(driver, store, POISONED);
    const rec = {
      topic: wmoTopic(driver.cfg, '0363'),
      partition: 0,
      offset: '0',
      key: null,
      value: Buffer.from(wmo(POISONED, 4)),
      headers: {},
    };
    const handled = await driver.processor.handle(rec, 'restore');
    expect(handled.deadLetter?.code).toBe('PROCESSING_ERROR');
    expect(handled.outputs).toEqual([]);
  });

  it('is told apart from a register failure, which is never dead-lettered', async () => {
    const store = new CountingStore();
    const driver = new TestDriver({}, store);
    store.down = true;
    await expect(driver.pipe(wmoTopic(driver.cfg, '0363'), wmo(HEALTHY, 5))).rejects.toThrow('ECONNREFUSED');
    expect(driver.deadLetters).toEqual([]);
  });
});
