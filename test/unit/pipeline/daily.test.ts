/**
 * Time passes without messages (issue 10.3): the daily re-evaluation (TestDriver.runDaily, the same Processor
 * and tick path as the Kafka shell) brings a client's signals in line with the new day when a date of it
 * passed — a Wmo toewijzing's Einddatum, a Wlz indicatie or zorgtoewijzing that ends, a proposal whose
 * Einddatum became past — and touches no other client; a tick again (redelivered, or a second instance's)
 * sends nothing twice; a bad tick is dead-lettered.
 */
import { addDays } from '../../../services/domain/dates';
import { MemoryStore } from '../../../services/register/memory-store';
import { pseudonym } from '../../../services/domain/pseudonym';
import { TestDriver } from '../../../services/pipeline/driver';
import { configuredOptions, Processor } from '../../../services/pipeline/processor';
import { ensureDueIndex } from '../../../services/kafka/recovery';
import { createLogger } from '../../../services/log';
import { sliceOf, tickRecord } from '../../../services/pipeline/tick';
import { buildAw33, validBsn } from '../../fixtures/builders';
import { indicatie, wmo } from './daily-fixtures';

const TODAY = '2026-11-23';
const plus = (n: number) => addDays(TODAY, n);
const SAMENLOOP = 'gemeente.0384.samenloop';
const BEEINDIGINGEN = 'gemeente.0384.beeindigingen';
const WMO = 'gemeente.0384.toewijzingen';

type Event = {
  type: string;
  id: string;
  data: {
    beoordeling?: string;
    reden?: string;
    regel?: { id: string };
    beeindiging?: { id: string; einddatum: string; status: string };
  };
};

function setup(env: Record<string, string> = {}) {
  const store = new MemoryStore();
  const driver = new TestDriver({ SAMENLOOP_TODAY: TODAY, ...env }, store);
  const events = () => driver.events(SAMENLOOP) as unknown as Event[];
  return { driver, store, events };
}

const zorg = (bsn: string, o: { ingangsdatum?: string; einddatum?: string | null; leveringsvorm?: string }) =>
  buildAw33({
    bsn,
    identificatie: `ZK${bsn.slice(-4)}`,
    besluitnummer: 4001,
    indicatieIngangsdatum: '2026-11-01',
    indicatieEinddatum: null,
    zzpCode: '755',
    leveringsvorm: o.leveringsvorm ?? '4',
    ingangsdatum: o.ingangsdatum ?? '2026-11-01',
    einddatum: o.einddatum ?? null,
    toewijzingsdatum: '2026-11-20',
  });

describe('the daily re-evaluation', () => {
  it('a Wmo toewijzing whose Einddatum passed: its signal is withdrawn the next day, without a message', async () => {
    const { driver, events } = setup();
    const bsn = validBsn(501);
    await driver.pipe('wlz.indicatiebesluiten', indicatie(bsn));
    await driver.pipe(WMO, wmo(bsn, { einddatum: plus(3) }));
    expect(events().map((e) => e.data.beoordeling)).toEqual(['beoordelen']);

    await driver.runDaily(plus(3)); // still actueel on its Einddatum
    expect(events()).toHaveLength(1);
    await driver.runDaily(plus(4));
    expect(driver.deadLetters).toEqual([]);
    expect(events()).toHaveLength(2);
    expect(events()[1]).toMatchObject({ type: 'nl.samenloop.vervallen', data: { reden: 'wmo-beeindigd' } });
  });

  it('a Wlz indicatie that ends: the signal is withdrawn (wlz-vervallen) the day after', async () => {
    const { driver, events } = setup();
    const bsn = validBsn(502);
    await driver.pipe('wlz.indicatiebesluiten', indicatie(bsn, { einddatum: plus(10) }));
    await driver.pipe(WMO, wmo(bsn));
    expect(events()).toHaveLength(1);
    await driver.runDaily(plus(11));
    expect(events()[1]).toMatchObject({ type: 'nl.samenloop.vervallen', data: { reden: 'wlz-vervallen' } });
  });

  it('a zorgtoewijzing (verblijf) that ends: back to "indicatie, nog geen zorgtoewijzing"', async () => {
    const { driver, events } = setup({ GEMEENTE_POLICIES: '0384=alleen-signaal' });
    const bsn = validBsn(503);
    await driver.pipe('wlz.indicatiebesluiten', indicatie(bsn));
    await driver.pipe('wlz.zorgtoewijzingen', zorg(bsn, { einddatum: plus(5) }));
    await driver.pipe(WMO, wmo(bsn));
    expect(events().at(-1)!.data).toMatchObject({ beoordeling: 'wlz-voorliggend' });
    const n = events().length;
    await driver.runDaily(plus(6));
    expect(events()).toHaveLength(n + 1);
    expect(events().at(-1)!.data).toMatchObject({ beoordeling: 'beoordelen', regel: { id: 'SL-01-GEEN' } });
  });

  it('a proposal whose Einddatum became past moves to today (never retroactive), and is confirmed so', async () => {
    const { driver, events } = setup();
    const bsn = validBsn(504);
    await driver.pipe('wlz.indicatiebesluiten', indicatie(bsn));
    await driver.pipe('wlz.zorgtoewijzingen', zorg(bsn, { ingangsdatum: plus(3) }));
    await driver.pipe(WMO, wmo(bsn));
    const voorstel = events().at(-1)!.data.beeindiging!;
    expect(voorstel).toMatchObject({ einddatum: plus(2), status: 'voorgesteld' });

    await driver.runDaily(plus(2));
    expect(events().at(-1)!.data.beeindiging!.einddatum).toBe(plus(2));
    await driver.runDaily(plus(9));
    const moved = events().at(-1)!.data.beeindiging!;
    expect(moved).toEqual({ ...voorstel, einddatum: plus(9) });

    await driver.pipe(
      'gemeente.0384.opdrachten',
      JSON.stringify({ type: 'beeindiging.bevestigen', beeindigingId: voorstel.id, door: 'J. de Vries' }),
    );
    const wmo301 = driver.outputsOn(BEEINDIGINGEN);
    expect(wmo301).toHaveLength(1);
    expect(wmo301[0]!.value).toContain(`Einddatum>${plus(9)}</`);
  });

  it('only clients with a date that passed are re-evaluated; the others are not even loaded', async () => {
    const { driver, store, events } = setup();
    const [eindigt, blijft] = [validBsn(505), validBsn(506)];
    for (const bsn of [eindigt, blijft]) await driver.pipe('wlz.indicatiebesluiten', indicatie(bsn));
    await driver.pipe(WMO, wmo(eindigt, { einddatum: plus(1) }));
    await driver.pipe(WMO, wmo(blijft, { nummer: 7002 }));
    const id = (bsn: string) => pseudonym(driver.cfg.SAMENLOOP_HMAC_SECRET, bsn);
    // the index holds each client's next date that matters, in its slice: nothing else is scanned
    const slices = driver.cfg.DAGELIJKS_SLICES;
    const due = await store.dueIndex(sliceOf(id(eindigt), slices));
    expect(due.get(id(eindigt))).toBe(Number(plus(2).replace(/-/g, '')));
    expect((await store.dueIndex(sliceOf(id(blijft), slices))).has(id(blijft))).toBe(false);

    const before = events().length;
    const handled = await driver.runDaily(plus(2));
    expect(handled.flatMap((h) => h.clients)).toEqual([id(eindigt)]);
    expect(events()).toHaveLength(before + 1);
    // nothing more to decide for it: only its retraction's tombstone, SIGNAAL_BEWAAR_DAGEN later, keeps it indexed
    const bewaar = driver.cfg.SIGNAAL_BEWAAR_DAGEN;
    expect((await store.dueIndex(sliceOf(id(eindigt), slices))).get(id(eindigt))).toBe(
      Number(plus(2 + bewaar).replace(/-/g, '')),
    );
  });

  it('an indicatie that starts later puts the client in the index at its start', async () => {
    const { driver, store } = setup();
    const bsn = validBsn(507);
    await driver.pipe('wlz.indicatiebesluiten', indicatie(bsn, { ingangsdatum: plus(30) }));
    await driver.pipe(WMO, wmo(bsn));
    const id = pseudonym(driver.cfg.SAMENLOOP_HMAC_SECRET, bsn);
    const due = await store.dueIndex(sliceOf(id, driver.cfg.DAGELIJKS_SLICES));
    expect(due.get(id)).toBe(Number(plus(30).replace(/-/g, '')));
  });

  it('a tick again (redelivered, or a second instance`s for the same day) sends nothing twice', async () => {
    const { driver, events } = setup();
    const bsn = validBsn(508);
    await driver.pipe('wlz.indicatiebesluiten', indicatie(bsn));
    await driver.pipe(WMO, wmo(bsn, { einddatum: plus(1) }));
    const slice = sliceOf(pseudonym(driver.cfg.SAMENLOOP_HMAC_SECRET, bsn), driver.cfg.DAGELIJKS_SLICES);
    driver.setToday(plus(2));
    const tick = tickRecord({ dag: plus(2), slice });
    const rec = {
      topic: driver.cfg.TOPIC_DAGELIJKS,
      partition: slice,
      offset: '5',
      key: Buffer.from(tick.key),
      value: Buffer.from(tick.value),
      headers: {},
    };
    // handled, but the process dies before its transaction: nothing was sent, the outbox still holds it
    const first = await driver.processor.handle(rec);
    expect(first.outcome).toBe('applied');
    expect(first.outputs).toHaveLength(1);
    // the same record again (a crash before its transaction): the kept output is handed back, not a new one
    const redelivered = await driver.pipe(driver.cfg.TOPIC_DAGELIJKS, tick.value, {
      partition: slice,
      offset: '5',
    });
    expect(redelivered.outputs.map((o) => o.id)).toEqual(first.outputs.map((o) => o.id));
    // another tick for the same day (another instance's): nobody is due any more
    const again = await driver.pipe(driver.cfg.TOPIC_DAGELIJKS, tick.value, {
      partition: slice,
      offset: '6',
    });
    expect(again.outputs).toEqual([]);
    expect(again.clients).toEqual([]);
    await driver.runDaily(plus(3));
    expect(new Set(events().map((e) => e.id)).size).toBe(events().length);
    expect(events().map((e) => e.type)).toEqual(['nl.samenloop.signaal', 'nl.samenloop.vervallen']);
  });

  it.each([
    ['not JSON', 'dag', 0, 'INVALID_JSON'],
    ['another member', JSON.stringify({ dag: TODAY, slice: 0, x: 1 }), 0, 'SCHEMA'],
    ['no date', JSON.stringify({ dag: '2026-02-30', slice: 0 }), 0, 'INVALID_DATE'],
    ['a day after tomorrow', JSON.stringify({ dag: plus(2), slice: 0 }), 0, 'INVALID_DATE'],
    ['another partition', JSON.stringify({ dag: TODAY, slice: 1 }), 0, 'SCHEMA'],
    ['a slice out of range', JSON.stringify({ dag: TODAY, slice: 6 }), 0, 'SCHEMA'],
  ])('a bad tick (%s) is dead-lettered', async (_what, value, partition, code) => {
    const { driver } = setup();
    const h = await driver.pipe(driver.cfg.TOPIC_DAGELIJKS, value, { partition });
    expect(h.outcome).toBe('dead-letter');
    expect(driver.deadLetters.map((d) => d.error.code)).toEqual([code]);
  });

  it('after a tick of the new day a message is never evaluated as of the day before', async () => {
    const { driver, events } = setup();
    const bsn = validBsn(509);
    await driver.pipe('wlz.indicatiebesluiten', indicatie(bsn));
    await driver.pipe(WMO, wmo(bsn, { einddatum: plus(1) }));
    await driver.runDaily(plus(2));
    expect(events().at(-1)!.type).toBe('nl.samenloop.vervallen');
    driver.setToday(plus(1)); // an instance whose clock is a moment behind at midnight
    await driver.pipe('wlz.indicatiebesluiten', indicatie(bsn, { einddatum: plus(300) }));
    expect(events().at(-1)!.type).toBe('nl.samenloop.vervallen');
  });

  it('a register from before the daily re-evaluation is indexed once, at the start', async () => {
    const { driver, store, events } = setup();
    // the processor as it was: no daily index
    const older = new Processor(store, {
      ...configuredOptions(driver.cfg),
      dagelijks: undefined,
      context: () => driver.context(),
    });
    const bsn = validBsn(510);
    const rec = (topic: string, value: string, offset: string) => ({
      topic,
      partition: 0,
      offset,
      key: null,
      value: Buffer.from(value),
      headers: {},
    });
    // each record's outputs sent (its outbox entries acked, as the sink does)
    for (const r of [
      rec('wlz.indicatiebesluiten', indicatie(bsn), '0'),
      rec(WMO, wmo(bsn, { einddatum: plus(1) }), '0'),
    ])
      await store.ackAll((await older.handle(r)).acks);
    const id = pseudonym(driver.cfg.SAMENLOOP_HMAC_SECRET, bsn);
    const slice = sliceOf(id, driver.cfg.DAGELIJKS_SLICES);
    expect((await store.dueIndex(slice)).has(id)).toBe(false);
    expect(await store.hasDueIndex()).toBe(false);

    await ensureDueIndex({ register: store, processor: driver.processor, log: createLogger('silent') });
    expect(await store.hasDueIndex()).toBe(true);
    expect((await store.dueIndex(slice)).get(id)).toBe(Number(plus(2).replace(/-/g, '')));
    await driver.runDaily(plus(2));
    expect(events().map((e) => e.type)).toEqual(['nl.samenloop.vervallen']);
  });
});
