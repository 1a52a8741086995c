import { wmoTopic } from '../../../services/topics';
import { pseudonym } from '../../../services/domain/pseudonym';
import type { ClientState } from '../../../services/register/state';
import { TestDriver } from '../../../services/pipeline/driver';
import { MemoryStore } from '../../../services/register/memory-store';
import { buildAw33, buildIo31, buildWmo301, validBsn } from '../../fixtures/builders';
import { validateXml } from '../../support/xsd';

/**
 * The last step before commit: an output that would not fit in a Kafka record (MAX_OUTPUT_BYTES) is
 * dead-lettered at once with OUTPUT_TOO_LARGE; a WMO301 that fails WMO301.xsd is never sent, and its record
 * is dead-lettered with OUTPUT_INVALID after the bounded attempts. Nothing of such a record is committed.
 */
const GEMEENTE = '0363';
const BSN = validBsn(8101);

const wmo = (producten: number) =>
  buildWmo301({
    bsn: BSN,
    gemeente: GEMEENTE,
    identificatie: 'OUT1',
    producten: Array.from({ length: producten }, (_, i) => ({
      toewijzingnummer: 500 + i,
      productcategorie: '01',
      productcode: '01A01',
      ingangsdatum: '2026-01-01',
      einddatum: null,
    })),
  });
const io31 = buildIo31({ bsn: BSN, afgiftedatum: '2026-11-01', ingangsdatum: '2026-11-01', zzps: ['754'] });
const aw33 = buildAw33({
  bsn: BSN,
  indicatieAfgiftedatum: '2026-11-01',
  indicatieIngangsdatum: '2026-11-01',
  zzpCode: '754',
  toewijzingsdatum: '2026-11-10',
  ingangsdatum: '2026-12-15',
  leveringsvorm: '4',
});

async function driverWith(env: Record<string, string>, store = new MemoryStore()) {
  const driver = new TestDriver({ GEMEENTE_POLICIES: `${GEMEENTE}=automatisch`, ...env }, store);
  const t = driver.cfg;
  for (const [topic, value] of [
    [wmoTopic(t, GEMEENTE), wmo(30)],
    [t.TOPIC_INDICATIEBESLUITEN, io31],
  ] as const) {
    expect((await driver.pipe(topic, value)).deadLetter).toBeUndefined();
  }
  return driver;
}

describe('outputs are checked before they can be sent', () => {
  it('a WMO301 within the limit goes out, valid against the XSD', async () => {
    const driver = await driverWith({});
    const handled = await driver.pipe(driver.cfg.TOPIC_ZORGTOEWIJZINGEN, aw33);
    expect(handled.deadLetter).toBeUndefined();
    const sent = handled.outputs.filter((o) => o.channel === 'beeindigingen');
    expect(sent).toHaveLength(1);
    expect(validateXml('WMO301', sent[0]!.value!).valid).toBe(true);
  });

  it('an output larger than MAX_OUTPUT_BYTES: OUTPUT_TOO_LARGE at once, nothing committed or sent', async () => {
    const store = new MemoryStore();
    const driver = await driverWith({ MAX_OUTPUT_BYTES: '8192' }, store);
    const id = pseudonym(driver.cfg.SAMENLOOP_HMAC_SECRET, BSN);
    const before = await store.load(id);
    const handled = await driver.pipe(driver.cfg.TOPIC_ZORGTOEWIJZINGEN, aw33);
    expect(handled.outputs).toEqual([]);
    expect(handled.deadLetter?.code).toBe('OUTPUT_TOO_LARGE');
    expect(handled.deadLetter?.reason).toMatch(
      /^a beeindigingen output of \d+ bytes exceeds the 7680 bytes a record may hold \(MAX_OUTPUT_BYTES 8192\)$/,
    );
    expect((await store.load(id)).version).toBe(before.version);
  });

  it('a WMO301 that fails the XSD: never sent, OUTPUT_INVALID after the bounded attempts', async () => {
    const store = new MemoryStore();
    const driver = await driverWith({}, store);
    // A register entry written before the input checks existed: a name with a control character.
    const id = pseudonym(driver.cfg.SAMENLOOP_HMAC_SECRET, BSN);
    const { state, version } = await store.load(id);
    const tampered = JSON.parse(
      JSON.stringify(state).replace(/"achternaam":"[^"]*"/g, '"achternaam":"Jan\\u0007sen"'),
    ) as ClientState;
    expect(await store.commit(id, version, tampered, 'old/0/0', [])).toBe(true);

    const handled = await driver.pipe(driver.cfg.TOPIC_ZORGTOEWIJZINGEN, aw33);
    expect(handled.outputs).toEqual([]);
    expect(handled.deadLetter?.code).toBe('OUTPUT_INVALID');
    expect(handled.deadLetter?.reason).toMatch(/^WMO301 SL\w{10} fails WMO301\.xsd \(.+\): not sent$/);
    expect(handled.deadLetter?.reason).not.toContain('Jan');
    expect((await store.load(id)).version).toBe(version + 1);
  });
});
