import { wmoTopic } from '../../../services/topics';
import fc from 'fast-check';
import { TestDriver } from '../../../services/pipeline/driver';
import { buildAw33, buildIo31, buildWmo301, validBsn } from '../../fixtures/builders';

/**
 * No amplification: what one client's inputs cause stays within a fixed multiple of their bytes. A WMO301 of
 * 400 wlz-voorliggende products once gave 400 WMO301s of 400 products each (91 MB from 114 KB). Now every
 * step sends one WMO301 per gemeente, aanbieder and client and one notification per affected toewijzing, and
 * REPEAT_LIMITS bounds a message's products.
 */
const GEMEENTE = '0363';
const BSN = validBsn(8201);
/** Output bytes per input byte, summed over a client's inputs (the worst of 200 random runs was about 6). */
const MAX_RATIO = 12;

const CATEGORIEEN = ['01', '02', '03', '04', '05', '06', '08', '13'];
// mostly hulp bij het huishouden at one aanbieder: the case where every product is wlz-voorliggend
const product = fc.record({
  categorie: fc.oneof(
    { arbitrary: fc.constant('01'), weight: 4 },
    { arbitrary: fc.constantFrom(...CATEGORIEEN), weight: 1 },
  ),
  aanbieder: fc.constantFrom('99000001', '99000001', '99000002'),
});
const step = fc.oneof(
  fc.record({
    kind: fc.constant('wmo' as const),
    producten: fc.array(product, { minLength: 1, maxLength: 100, size: 'max' }),
  }),
  fc.record({ kind: fc.constant('io31' as const), zzp: fc.constantFrom('754', '755', '820', '999') }),
  fc.record({ kind: fc.constant('aw33' as const), leveringsvorm: fc.constantFrom('2', '4', '5', '7', '8') }),
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

function input(driver: TestDriver, s: Step, n: number): [string, string] {
  const t = driver.cfg;
  switch (s.kind) {
    case 'wmo': {
      // one WMO301 per aanbieder, as a gemeente sends them
      const aanbieder = s.producten[0]!.aanbieder;
      return [
        wmoTopic(t, GEMEENTE),
        buildWmo301({
          bsn: BSN,
          gemeente: GEMEENTE,
          aanbieder,
          identificatie: `A${n}`,
          producten: s.producten.map((p, i) => ({
            toewijzingnummer: 1000 + i,
            productcategorie: p.categorie,
            productcode: `${p.categorie}A01`,
            ingangsdatum: '2026-01-01',
            toewijzingsdatum: `2026-0${1 + (n % 9)}-01`,
            einddatum: null,
          })),
        }),
      ];
    }
    case 'io31':
      return [
        t.TOPIC_INDICATIEBESLUITEN,
        buildIo31({
          bsn: BSN,
          identificatie: `I${n}`,
          afgiftedatum: '2026-11-01',
          ingangsdatum: '2026-11-01',
          zzps: [s.zzp],
        }),
      ];
    case 'aw33':
      return [
        t.TOPIC_ZORGTOEWIJZINGEN,
        buildAw33({
          bsn: BSN,
          identificatie: `Z${n}`,
          indicatieAfgiftedatum: '2026-11-01',
          indicatieIngangsdatum: '2026-11-01',
          zzpCode: '754',
          toewijzingsdatum: '2026-11-10',
          toewijzingstijd: `10:00:${String(n % 60).padStart(2, '0')}`,
          ingangsdatum: '2026-12-15',
          leveringsvorm: s.leveringsvorm,
        }),
      ];
  }
}

async function run(steps: readonly Step[]) {
  const driver = new TestDriver({ GEMEENTE_POLICIES: `${GEMEENTE}=automatisch` });
  let inBytes = 0;
  let outBytes = 0;
  let n = 0;
  for (const s of steps) {
    const [topic, value] = input(driver, s, n++);
    const handled = await driver.pipe(topic, value);
    expect(handled.deadLetter).toBeUndefined();
    inBytes += Buffer.byteLength(value);
    for (const o of handled.outputs) outBytes += Buffer.byteLength(o.value!) + Buffer.byteLength(o.key);
  }
  return { inBytes, outBytes, ratio: outBytes / inBytes };
}

describe('output bytes stay within a fixed multiple of input bytes', () => {
  it('the hostile case: one WMO301 of 100 wlz-voorliggende products under automatisch', async () => {
    const all = Array.from({ length: 100 }, () => ({ categorie: '01', aanbieder: '99000001' as const }));
    const r = await run([
      { kind: 'io31', zzp: '754' },
      { kind: 'aw33', leveringsvorm: '4' },
      { kind: 'wmo', producten: all },
    ]);
    expect(r.ratio).toBeLessThan(MAX_RATIO);
  });

  it('for any sequence of Wlz and Wmo inputs of one client', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        // a client with a Wlz verblijf first, then anything
        const r = await run([{ kind: 'io31', zzp: '754' }, { kind: 'aw33', leveringsvorm: '4' }, ...steps]);
        expect(r.ratio).toBeLessThan(MAX_RATIO);
      }),
      { numRuns: 25 },
    );
  });
});
