/**
 * Deletion when the relation ends (issue 15.2), through the same Processor and tick path as the Kafka shell
 * (TestDriver.runDaily): a client whose last relation ended REGISTER_BEWAARTERMIJN_DAGEN days ago, or who died
 * that long ago, is deleted by the daily re-evaluation — state, outbox, gemeente set, beëindigingen, daily
 * index — with a tombstone as its last changelog record, nothing sent to a gemeente; a redelivered tick
 * changes nothing; a later message about the same BSN starts a fresh register.
 */
import { addDays } from '../../../services/domain/dates';
import { pseudonym } from '../../../services/domain/pseudonym';
import { TestDriver } from '../../../services/pipeline/driver';
import { sliceOf, tickRecord } from '../../../services/pipeline/tick';
import { MemoryStore } from '../../../services/register/memory-store';
import { buildAw33, buildIo31, buildWmo301, validBsn } from '../../fixtures/builders';
import { wmo301 } from '../../support/samples';

const TODAY = '2026-11-23';
const plus = (n: number) => addDays(TODAY, n);
const WMO = 'gemeente.0384.toewijzingen';
const TERMIJN = 30;

/** The retracted signal's tombstone comes 20 days after the retraction: before the bewaartermijn ends. */
function setup(signaalBewaarDagen = 20) {
  const store = new MemoryStore();
  const driver = new TestDriver(
    {
      SAMENLOOP_TODAY: TODAY,
      REGISTER_BEWAARTERMIJN_DAGEN: String(TERMIJN),
      SIGNAAL_BEWAAR_DAGEN: String(signaalBewaarDagen),
    },
    store,
  );
  return { driver, store };
}

const indicatie = (bsn: string, einddatum: string | null) =>
  buildIo31({
    bsn,
    identificatie: `CIZ${bsn.slice(-4)}`,
    dagtekening: '2026-11-01',
    besluitnummer: 4001,
    afgiftedatum: '2026-11-01',
    ingangsdatum: '2026-11-01',
    einddatum,
    zzps: ['755'],
  });

describe('the bewaartermijn in the daily re-evaluation', () => {
  it('deletes a client whose relations ended more than the period ago: everything, once, sending nothing', async () => {
    const { driver, store } = setup();
    const bsn = validBsn(601);
    const id = pseudonym(driver.cfg.SAMENLOOP_HMAC_SECRET, bsn);
    await driver.pipe('wlz.indicatiebesluiten', indicatie(bsn, plus(5)));
    await driver.pipe(WMO, wmo301(bsn, plus(10)));
    expect(await store.traces(id)).toEqual(expect.arrayContaining(['state', 'gemeente:0384']));
    const sent = driver.outputs.length;
    expect(sent).toBeGreaterThan(0);

    // the day after the Einddatum: the signal is withdrawn as before; the client stays
    await driver.runDaily(plus(11));
    expect(driver.outputs.length).toBeGreaterThan(sent);
    // 20 days later the retracted signal's tombstone goes to the gemeente's notification topic
    await driver.runDaily(plus(11 + 20));
    expect(driver.outputs.at(-1)).toMatchObject({ gemeente: '0384', value: null });
    const withdrawn = driver.outputs.length;
    // the last day of the period: still there, its deletion day is next in the daily index
    await driver.runDaily(plus(10 + TERMIJN));
    expect((await store.load(id)).state).toBeDefined();
    const due = await store.dueIndex(sliceOf(id, driver.cfg.DAGELIJKS_SLICES));
    expect(due.get(id)).toBe(Number(plus(10 + TERMIJN + 1).replace(/-/g, '')));

    const handled = await driver.runDaily(plus(10 + TERMIJN + 1));
    expect(handled.map((h) => h.outcome)).toContain('deleted');
    expect(await store.traces(id)).toEqual([]);
    expect(await store.clientsOf('0384')).toEqual([]);
    expect(driver.outputs).toHaveLength(withdrawn);
    expect(driver.deadLetters).toEqual([]);
    // its last changelog record is a tombstone (compaction then removes the key)
    expect(driver.changelog.filter((r) => r.key === id).at(-1)).toEqual({ key: id, value: null });

    // a later tick, or the same tick redelivered: nothing happens, nothing is sent
    await driver.runDaily(plus(10 + TERMIJN + 2));
    expect(await store.traces(id)).toEqual([]);
    expect(driver.outputs).toHaveLength(withdrawn);
  });

  it('a client whose retracted signal still waits for its tombstone is deleted only after it was sent', async () => {
    const { driver, store } = setup(TERMIJN + 10);
    const bsn = validBsn(603);
    const id = pseudonym(driver.cfg.SAMENLOOP_HMAC_SECRET, bsn);
    await driver.pipe('wlz.indicatiebesluiten', indicatie(bsn, plus(5)));
    await driver.pipe(WMO, wmo301(bsn, plus(10)));
    await driver.runDaily(plus(11)); // the signal is retracted; its tombstone is due on plus(51)
    const before = driver.outputs.length;
    const kept = await driver.runDaily(plus(10 + TERMIJN + 1)); // the bewaartermijn is over, the tombstone is not out
    expect(kept.map((h) => h.outcome)).not.toContain('deleted');
    expect((await store.load(id)).state).toBeDefined();
    await driver.runDaily(plus(11 + TERMIJN + 10));
    expect(driver.outputs.length).toBe(before + 1);
    expect(driver.outputs.at(-1)).toMatchObject({ gemeente: '0384', value: null });
    expect((await store.load(id)).state).toBeDefined();
    const handled = await driver.runDaily(plus(11 + TERMIJN + 11));
    expect(handled.map((h) => h.outcome)).toContain('deleted');
    expect(await store.traces(id)).toEqual([]);
    expect(driver.outputs.length).toBe(before + 1);
  });

  it('a redelivered tick after the deletion (a crash before its transaction) writes the tombstone again', async () => {
    const { driver, store } = setup();
    const bsn = validBsn(602);
    const id = pseudonym(driver.cfg.SAMENLOOP_HMAC_SECRET, bsn);
    await driver.pipe(WMO, wmo301(bsn, plus(1)));
    const day = plus(1 + TERMIJN + 1);
    driver.setToday(day);
    const slice = sliceOf(id, driver.cfg.DAGELIJKS_SLICES);
    const tick = tickRecord({ dag: day, slice });
    const first = await driver.processor.handle({
      topic: driver.cfg.TOPIC_DAGELIJKS,
      partition: slice,
      offset: '9',
      key: Buffer.from(tick.key),
      value: Buffer.from(tick.value),
      headers: {},
    });
    expect(first.outcome).toBe('deleted');
    expect(first.changed).toEqual([id]);
    expect(first.committed).toBeUndefined(); // no state to write from memory: the changelog writes a tombstone
    const again = await driver.pipe(driver.cfg.TOPIC_DAGELIJKS, tick.value, {
      partition: slice,
      offset: '9',
    });
    expect(again.outputs).toEqual([]);
    expect(again.changed).toEqual([id]);
    expect(driver.changelog.at(-1)).toEqual({ key: id, value: null });
    expect(await store.traces(id)).toEqual([]);
  });

  it('a client reported deceased is deleted the period after the date of death, once no proposal is open', async () => {
    const { driver, store } = setup();
    const bsn = validBsn(603);
    const id = pseudonym(driver.cfg.SAMENLOOP_HMAC_SECRET, bsn);
    await driver.pipe('wlz.indicatiebesluiten', indicatie(bsn, null));
    await driver.pipe(WMO, wmo301(bsn, null));
    await driver.pipe(
      'wlz.zorgtoewijzingen',
      buildAw33({
        bsn,
        identificatie: `ZK${bsn.slice(-4)}`,
        besluitnummer: 4001,
        indicatieIngangsdatum: '2026-11-01',
        indicatieEinddatum: null,
        zzpCode: '755',
        leveringsvorm: '4',
        ingangsdatum: '2026-11-01',
        einddatum: plus(2),
        redenIntrekking: '1',
        toewijzingsdatum: '2026-11-20',
      }),
    );
    await driver.runDaily(plus(2 + TERMIJN));
    expect((await store.load(id)).state).toBeDefined();
    // the proposal to end the Wmo toewijzing (RedenWijziging 02) is still open: the gemeente must act first
    await driver.runDaily(plus(2 + TERMIJN + 1));
    const { state } = await store.load(id);
    const [voorstel] = Object.values(state!.engine!.beeindigingen);
    expect(voorstel).toMatchObject({ status: 'voorgesteld' });
    await driver.pipe(
      'gemeente.0384.opdrachten',
      JSON.stringify({ type: 'beeindiging.bevestigen', beeindigingId: voorstel!.id, door: 'J. de Vries' }),
    );
    expect(driver.outputsOn('gemeente.0384.beeindigingen')).toHaveLength(1);
    const sent = driver.outputs.length;
    // the day after the Einddatum sent: the WMO301 can no longer be corrected, the client is deleted
    await driver.runDaily(plus(2 + TERMIJN + 2));
    expect(await store.traces(id)).toEqual([]);
    expect(driver.outputs).toHaveLength(sent);
    expect(await store.clientOfBeeindiging(voorstel!.id)).toBeUndefined();
  });

  it('a deletion that loses to a new message leaves the client in its indexes: the daily commit indexes it in full', async () => {
    // the daily re-evaluation unindexes the client, then its delete loses the version race: a message committed
    // in between (another instance, here a second driver on the same register) makes it a client to keep, but
    // indexes only what it added (nothing: the client had 0384 before); the daily path's retry then commits the
    // client and, its previous indexes being gone, indexes it in full
    class Racing extends MemoryStore {
      race?: () => Promise<void>;
      override async unindex(...args: Parameters<MemoryStore['unindex']>): Promise<void> {
        await super.unindex(...args);
        const race = this.race;
        this.race = undefined;
        await race?.();
      }
    }
    const store = new Racing();
    const env = { SAMENLOOP_TODAY: TODAY, REGISTER_BEWAARTERMIJN_DAGEN: String(TERMIJN) };
    const driver = new TestDriver(env, store);
    const bsn = validBsn(605);
    const id = pseudonym(driver.cfg.SAMENLOOP_HMAC_SECRET, bsn);
    await driver.pipe(WMO, wmo301(bsn, plus(1)));
    expect(await store.clientsOf('0384')).toEqual([id]);
    const day = plus(1 + TERMIJN + 1);
    const other = new TestDriver({ ...env, SAMENLOOP_TODAY: day }, store);
    const renewed = buildWmo301({
      bsn,
      identificatie: `W${bsn.slice(-4)}2`,
      dagtekening: day,
      toewijzingnummer: 7002,
      toewijzingsdatum: day,
      ingangsdatum: day,
      einddatum: null,
    });
    store.race = async () => {
      expect((await other.pipe(WMO, renewed)).outcome).toBe('applied');
      expect(await store.clientsOf('0384')).toEqual([]);
    };
    const handled = await driver.runDaily(day);
    expect(store.race).toBeUndefined();
    expect(handled.map((h) => h.outcome)).not.toContain('deleted');
    expect((await store.load(id)).state).toBeDefined();
    expect(await store.clientsOf('0384')).toEqual([id]);
  });

  it('a later message about the same BSN starts a fresh register: the old message ids are gone', async () => {
    const { driver, store } = setup();
    const bsn = validBsn(604);
    const id = pseudonym(driver.cfg.SAMENLOOP_HMAC_SECRET, bsn);
    const message = wmo301(bsn, plus(1));
    expect((await driver.pipe(WMO, message)).outcome).toBe('applied');
    expect((await driver.pipe(WMO, message)).outcome).toBe('duplicate');
    await driver.runDaily(plus(1 + TERMIJN + 1));
    expect(await store.traces(id)).toEqual([]);

    // the same message again: the register does not remember it, it is applied to a fresh client
    const fresh = await driver.pipe(WMO, message);
    expect(fresh.outcome).toBe('applied');
    const { state, version } = await store.load(id);
    expect(version).toBe(1);
    expect(Object.keys(state!.applied)).toHaveLength(1);
    expect(driver.changelog.at(-1)!.key).toBe(id);
    expect(driver.changelog.at(-1)!.value).not.toBeNull();
  });
});
