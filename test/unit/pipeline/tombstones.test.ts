/**
 * Minimal retention of a gemeente's notification topic (issue 15.4): SIGNAAL_BEWAAR_DAGEN after a signal was
 * retracted, the daily re-evaluation writes its tombstone (the decision reference as key, a null value, no
 * CloudEvent, nothing of the client), once: a redelivered tick hands back the kept tombstone, a later day sends
 * none. A signal that stays current, or returns before the day, is never tombstoned. TestDriver: the same
 * Processor and tick path as the Kafka shell, with the in-memory register.
 */
import { addDays } from '../../../services/domain/dates';
import { evaluate, volgendeDag } from '../../../services/engine';
import { currentFacts } from '../../../services/register/state';
import { pseudonym } from '../../../services/domain/pseudonym';
import { MemoryStore } from '../../../services/register/memory-store';
import { TestDriver } from '../../../services/pipeline/driver';
import { sliceOf, tickRecord } from '../../../services/pipeline/tick';
import { validBsn } from '../../fixtures/builders';
import { indicatie, wmo } from './daily-fixtures';

const TODAY = '2026-11-23';
const plus = (n: number) => addDays(TODAY, n);
const SAMENLOOP = 'gemeente.0384.samenloop';
const WMO = 'gemeente.0384.toewijzingen';
const BEWAAR = 10;

function setup() {
  const store = new MemoryStore();
  const driver = new TestDriver({ SAMENLOOP_TODAY: TODAY, SIGNAAL_BEWAAR_DAGEN: String(BEWAAR) }, store);
  const tombstones = () => driver.outputsOn(SAMENLOOP).filter((o) => o.value === null);
  const due = async (bsn: string) => {
    const id = pseudonym(driver.cfg.SAMENLOOP_HMAC_SECRET, bsn);
    const d = (await store.dueIndex(sliceOf(id, driver.cfg.DAGELIJKS_SLICES))).get(id);
    return d === undefined ? undefined : String(d).replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3');
  };
  return { driver, store, tombstones, due };
}

describe('tombstones of retracted signals', () => {
  it('SIGNAAL_BEWAAR_DAGEN after the retraction, one tombstone by the decision reference; the current signal none', async () => {
    const { driver, tombstones, due } = setup();
    const [eindigt, blijft] = [validBsn(601), validBsn(602)];
    for (const bsn of [eindigt, blijft]) await driver.pipe('wlz.indicatiebesluiten', indicatie(bsn));
    await driver.pipe(WMO, wmo(eindigt, { einddatum: plus(1), nummer: 7001 }));
    await driver.pipe(WMO, wmo(blijft, { nummer: 7002 }));
    await driver.runDaily(plus(2)); // the toewijzing of `eindigt` ended: its signal is retracted
    const vervallen = driver.events(SAMENLOOP).filter((e) => e.type === 'nl.samenloop.vervallen');
    expect(vervallen.map((e) => e.subject)).toEqual(['wmo-toewijzing/0384/7001']);
    // the daily index holds the tombstone day; the current signal has nothing ahead
    expect(await due(eindigt)).toBe(plus(2 + BEWAAR));
    expect(await due(blijft)).toBeUndefined();

    await driver.runDaily(plus(1 + BEWAAR));
    expect(tombstones()).toEqual([]);
    await driver.runDaily(plus(2 + BEWAAR));
    expect(tombstones()).toHaveLength(1);
    const t = tombstones()[0]!;
    expect(t).toMatchObject({
      key: 'wmo-toewijzing/0384/7001',
      value: null,
      contentType: null,
      gemeente: '0384',
    });
    expect(t.id).toMatch(/^sl-[0-9a-f]{32}$/);
    // nothing of the client: no headers beyond the samenloop-id the sink adds, no BSN anywhere
    expect(t.headers).toBeUndefined();
    expect(JSON.stringify(t)).not.toContain(eindigt);
    // done: out of the index, no second tombstone on any later day; the current signal never gets one
    expect(await due(eindigt)).toBeUndefined();
    await driver.runDaily(plus(3 + BEWAAR));
    await driver.runDaily(plus(400));
    expect(tombstones()).toHaveLength(1);
    // a message for the client later sends none either
    await driver.pipe('wlz.indicatiebesluiten', indicatie(eindigt, { einddatum: plus(900) }));
    expect(tombstones()).toHaveLength(1);
  });

  it('a redelivered tick hands back the kept tombstone (same id), a second tick sends none', async () => {
    const { driver, tombstones } = setup();
    const bsn = validBsn(603);
    await driver.pipe('wlz.indicatiebesluiten', indicatie(bsn));
    await driver.pipe(WMO, wmo(bsn, { einddatum: plus(1) }));
    await driver.runDaily(plus(2));
    const day = plus(2 + BEWAAR);
    driver.setToday(day);
    const slice = sliceOf(pseudonym(driver.cfg.SAMENLOOP_HMAC_SECRET, bsn), driver.cfg.DAGELIJKS_SLICES);
    const tick = tickRecord({ dag: day, slice });
    // handled, but the process dies before its transaction: nothing sent, the outbox still holds it
    const first = await driver.processor.handle({
      topic: driver.cfg.TOPIC_DAGELIJKS,
      partition: slice,
      offset: '42',
      key: Buffer.from(tick.key),
      value: Buffer.from(tick.value),
      headers: {},
    });
    expect(first.outputs.map((o) => o.value)).toEqual([null]);
    // the same record again: the outbox gives back the same tombstone, not a new one
    const again = await driver.pipe(driver.cfg.TOPIC_DAGELIJKS, tick.value, {
      partition: slice,
      offset: '42',
    });
    expect(again.outputs.map((o) => o.id)).toEqual(first.outputs.map((o) => o.id));
    // another tick for the day (another instance's): nobody is due
    const other = await driver.pipe(driver.cfg.TOPIC_DAGELIJKS, tick.value, { partition: slice });
    expect(other.outputs).toEqual([]);
    expect(tombstones()).toHaveLength(1);
  });

  it('a signal that returns before the day is current again: no tombstone', async () => {
    const { driver, tombstones, due } = setup();
    const bsn = validBsn(604);
    await driver.pipe('wlz.indicatiebesluiten', indicatie(bsn, { einddatum: plus(1) }));
    await driver.pipe(WMO, wmo(bsn));
    await driver.runDaily(plus(2)); // the indicatie ended: retracted (wlz-vervallen)
    expect(driver.events(SAMENLOOP).at(-1)).toMatchObject({ type: 'nl.samenloop.vervallen' });
    await driver.pipe('wlz.indicatiebesluiten', indicatie(bsn, { besluitnummer: 4002 }));
    expect(driver.events(SAMENLOOP).at(-1)).toMatchObject({ type: 'nl.samenloop.signaal' });
    expect(await due(bsn)).toBeUndefined();
    await driver.runDaily(plus(2 + BEWAAR));
    await driver.runDaily(plus(100));
    expect(tombstones()).toEqual([]);
  });
});

describe('the engine state of retracted decisions', () => {
  async function retracted() {
    const { driver, store } = setup();
    const bsn = validBsn(605);
    await driver.pipe('wlz.indicatiebesluiten', indicatie(bsn));
    await driver.pipe(WMO, wmo(bsn, { einddatum: plus(1) }));
    await driver.runDaily(plus(2));
    const { state } = await store.load(pseudonym(driver.cfg.SAMENLOOP_HMAC_SECRET, bsn));
    return { driver, bsn, state: state! };
  }
  const ctx = (driver: TestDriver, today: string) => ({ ...driver.context(), today });

  it('remembers the reference, the gemeente and the day of the tombstone', async () => {
    const { state } = await retracted();
    expect(state.engine!.afgesloten).toEqual({
      'wmo-toewijzing/0384/7001': { gemeente: '0384', sinds: plus(2), opruimdag: plus(2 + BEWAAR) },
    });
  });

  it('a state from before tombstones: its retracted references get theirs SIGNAAL_BEWAAR_DAGEN after its next evaluation', async () => {
    const { driver, bsn, state } = await retracted();
    const old = structuredClone(state.engine!);
    delete old.afgesloten;
    // the daily index looks at it the next day, to fill in what it lacks
    expect(volgendeDag(currentFacts(state), old, plus(5))).toBe(plus(6));
    const next = evaluate(bsn, currentFacts(state), old, ctx(driver, plus(6)));
    expect(next.outputs).toEqual([]);
    expect(next.state.afgesloten!['wmo-toewijzing/0384/7001']!.opruimdag).toBe(plus(6 + BEWAAR));
    const later = evaluate(bsn, currentFacts(state), next.state, ctx(driver, plus(6 + BEWAAR)));
    expect(later.outputs.map((o) => [o.kind, o.gemeente])).toEqual([['tombstone', '0384']]);
  });

  it('never a tombstone to a gemeente the decision reference does not name', async () => {
    const { driver, bsn, state } = await retracted();
    const engine = structuredClone(state.engine!);
    engine.afgesloten!['wmo-toewijzing/0384/7001']!.gemeente = '0363';
    const r = evaluate(bsn, currentFacts(state), engine, ctx(driver, plus(2 + BEWAAR)));
    expect(r.outputs).toEqual([]);
    expect(r.state.afgesloten).toEqual({});
  });
});
