/**
 * Toegewezen functies (issue 10.5; AW33 ToegewezenFunctie, FunctieCode): Wlz care at home in functies covers
 * the Wmo categories the functie names (21 → 01, 31 → 03, 81/82 → 02/07/09, 71 → 04), hulpmiddelen stay Wmo.
 * Through the TestDriver with real AW33 and WMO301 XML.
 */
import { TestDriver } from '../../../services/pipeline/driver';
import { buildAw33, buildWmo301, validBsn } from '../../fixtures/builders';

type Ev = {
  subject: string;
  data: { beoordeling: string; regel: { id: string }; wlz: { woonsituatie: string } };
};

async function run(functieCode: string) {
  const d = new TestDriver({ SAMENLOOP_TODAY: '2026-11-23' });
  const bsn = validBsn(1);
  await d.pipe(
    'wlz.zorgtoewijzingen',
    buildAw33({
      bsn,
      functieCode,
      indicatieIngangsdatum: '2026-11-01',
      ingangsdatum: '2026-12-01',
      toewijzingsdatum: '2026-11-20',
    }),
  );
  await d.pipe(
    'gemeente.0384.toewijzingen',
    buildWmo301({
      bsn,
      producten: [
        { toewijzingnummer: 1, productcategorie: '01', productcode: '01A01', ingangsdatum: '2026-01-01' },
        { toewijzingnummer: 3, productcategorie: '03', productcode: '03A01', ingangsdatum: '2026-01-01' },
        { toewijzingnummer: 7, productcategorie: '07', productcode: '07A01', ingangsdatum: '2026-01-01' },
        {
          toewijzingnummer: 11,
          productcategorie: '11',
          productcode: '11A01',
          ingangsdatum: '2026-01-01',
          omvang: null,
          budget: 1000,
          einddatum: '2027-12-31',
        },
      ],
    }),
  );
  expect(d.deadLetters).toEqual([]);
  const evs = d.events('gemeente.0384.samenloop') as Ev[];
  return new Map(
    evs.map((e) => [e.subject.split('/')[2], [e.data.beoordeling, e.data.regel.id, e.data.wlz.woonsituatie]]),
  );
}

describe('an AW33 ToegewezenFunctie', () => {
  it('21 HV: huishoudelijke hulp wlz-voorliggend; other zorg beoordelen; a rolstoel stays Wmo', async () => {
    const m = await run('21');
    expect(m.get('1')).toEqual(['wlz-voorliggend', 'SL-01-FHV', 'thuis']);
    expect(m.get('3')).toEqual(['beoordelen', 'SL-03-FHV', 'thuis']);
    expect(m.get('7')).toEqual(['beoordelen', 'SL-07-FHV', 'thuis']);
    expect(m.has('11')).toBe(false);
  });

  it('31 PV covers persoonlijke verzorging; 82 BG-GRP dagbesteding', async () => {
    expect((await run('31')).get('3')).toEqual(['wlz-voorliggend', 'SL-03-FPV', 'thuis']);
    expect((await run('82')).get('7')).toEqual(['wlz-voorliggend', 'SL-07-FBGGRP', 'thuis']);
  });

  it('41 VP covers no Wmo zorg: beoordelen', async () => {
    expect((await run('41')).get('1')).toEqual(['beoordelen', 'SL-01-FOVERIG', 'thuis']);
  });
});
