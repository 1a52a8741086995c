import * as fs from 'node:fs';
import * as path from 'node:path';
import { conform, type Wmo301, type Wmo301Product } from '../../../services/engine/wmo301';
import { wmo301Xml } from '../../../services/messages/wmo301';
import { op087Violations, wmo301Violations } from '../../../services/messages/wmo301-rules';
import { parseWmo301 } from '../engine/helpers';
import { client, toewijzing } from '../engine/factories';
import { ISTANDAARDEN, validateXml } from '../../support/xsd';

const EXAMPLE = path.join(ISTANDAARDEN, 'iwmo/examples/wmo301-beeindiging-example.xml');

/** The scenario of the shared example, built with our builder. */
const example: Wmo301 = {
  afzender: '9999',
  ontvanger: '99000001',
  identificatie: 'SL2026112301',
  dagtekening: '2026-11-23',
  client: {
    bsn: '999990019',
    geboortedatum: '1938-04-02',
    geslacht: '2',
    naam: { achternaam: 'Testpersoon', voorletters: 'A', naamGebruik: '1' },
    contactgegevens: [
      {
        soort: '01',
        huisnummer: '1',
        postcode: '9999ZZ',
        straatnaam: 'Voorbeeldstraat',
        plaatsnaam: 'Voorbeeldstad',
        landCode: 'NL',
      },
    ],
  },
  producten: [
    {
      toewijzingnummer: '123456',
      productcategorie: '01',
      productcode: '01A01',
      toewijzingsdatum: '2026-11-23',
      toewijzingstijd: '09:15:00',
      ingangsdatum: '2026-01-01',
      einddatum: '2026-11-30',
      redenWijziging: '06',
      omvang: { volume: '3', eenheid: '04', frequentie: '2' },
      commentaar: 'Beeindigd: client ontvangt deze zorg vanaf 2026-12-01 vanuit de Wlz',
    },
  ],
};

describe('wmo301Xml', () => {
  it('builds the shared example: XSD-valid and, read back, the same message', () => {
    const xml = wmo301Xml(example);
    expect(validateXml('WMO301', xml)).toMatchObject({ valid: true });
    expect(parseWmo301(xml)).toEqual(parseWmo301(fs.readFileSync(EXAMPLE, 'utf8')));
    expect(wmo301Violations(example)).toEqual([]);
  });

  it('escapes text and stays valid with partner names, unknown birth date and several contacts', () => {
    const m: Wmo301 = {
      ...example,
      client: {
        bsn: '999990032',
        geslacht: '9',
        naam: {
          achternaam: 'Jansen & <Zn>',
          voorvoegsel: "d'",
          partnerAchternaam: 'Pietersen',
          partnerVoorvoegsel: 'van der',
          voornamen: 'Anna Maria',
          voorletters: 'A.M.',
          naamGebruik: '3',
        },
        contactgegevens: [
          {
            soort: '02',
            postcode: '1000AA',
            landCode: 'NL',
            huisnummer: '5',
            huisletter: 'b',
            telefoonnummer: '0201234567',
            landnummer: '0031',
          },
          { soort: '04', telefoonnummer: '0612345678', landnummer: '0031', emailadres: 'x@example.org' },
        ],
      },
      producten: [{ ...example.producten[0]!, commentaar: 'a < b & "c"' }],
    };
    const xml = wmo301Xml(m);
    expect(validateXml('WMO301', xml)).toMatchObject({ valid: true });
    expect(xml).toContain('<iwmo:Achternaam>Jansen &amp; &lt;Zn&gt;</iwmo:Achternaam>');
    expect(xml).toContain('<iwmo:Voorletters>AM</iwmo:Voorletters>');
    expect(xml).toContain('<iwmo:NaamGebruik>3</iwmo:NaamGebruik>');
    expect(xml).toContain('<iwmo:DatumGebruik>3</iwmo:DatumGebruik>');
    expect(xml).toContain('<wmo301:Geslacht>0</wmo301:Geslacht>');
  });

  it('NaamGebruik falls back to 1 without a Partnernaam (CS050) and never 6 (CS318)', () => {
    const xml = wmo301Xml({
      ...example,
      client: { ...example.client, naam: { achternaam: 'X', naamGebruik: '6' } },
    });
    expect(xml).toContain('<iwmo:NaamGebruik>1</iwmo:NaamGebruik>');
    expect(validateXml('WMO301', xml).valid).toBe(true);
  });

  it('a budget product without Omvang is valid', () => {
    const p: Wmo301Product = { ...example.producten[0]!, omvang: undefined, budget: '25000' };
    expect(validateXml('WMO301', wmo301Xml({ ...example, producten: [p] })).valid).toBe(true);
  });
});

describe('conform', () => {
  const p = example.producten[0]!;
  it('drops Omvang beside a Budget (CD077/CD078) and without a productcode (CD080)', () => {
    expect(conform({ ...p, budget: '100' }).omvang).toBeUndefined();
    expect(conform({ ...p, productcode: undefined }).omvang).toBeUndefined();
    expect(conform({ ...p, productcode: undefined, einddatum: '2020-12-31' }).omvang).toBeDefined();
  });
  it('drops ReferentieAanbieder from a changed product only (IV097)', () => {
    expect(conform({ ...p, referentieAanbieder: 'R' }).referentieAanbieder).toBeUndefined();
    expect(conform({ ...p, redenWijziging: undefined, referentieAanbieder: 'R' }).referentieAanbieder).toBe(
      'R',
    );
  });
  it('is a no-op on a valid product', () => expect(conform(p)).toEqual(p));
});

describe('wmo301Violations: the rules the XSD does not check', () => {
  const p = example.producten[0]!;
  const rules = (m: Partial<Wmo301>, prod?: Partial<Wmo301Product>) =>
    wmo301Violations({
      ...example,
      ...m,
      producten: prod ? [{ ...p, ...prod }] : (m.producten ?? example.producten),
    }).map((v) => v.rule);

  it.each([
    ['CS002', { client: { ...example.client, bsn: '123456789' } }, undefined],
    ['TR378', { afzender: '999' }, undefined],
    ['TR056', { identificatie: 'SL12345678901' }, undefined],
    ['CS003', {}, { einddatum: '2025-12-31' }],
    ['CD079', {}, { productcategorie: undefined, productcode: undefined, omvang: undefined }],
    ['CD077', {}, { budget: '100' }],
    ['CD080', {}, { productcode: undefined }],
    ['CD041', {}, { omvang: undefined }],
    ['CD075', {}, { omvang: undefined, productcode: undefined, budget: '100', einddatum: undefined }],
    ['CD076', {}, { einddatum: undefined }],
    ['CS335', {}, { redenWijziging: '13' }],
    ['CS336', {}, { redenWijziging: '01' }],
    ['IV097', {}, { referentieAanbieder: 'VOT-1' }],
    ['TR134', {}, { toewijzingsdatum: '2026-11-24' }],
    ['OP087', {}, { redenWijziging: undefined, einddatum: '2026-11-22' }],
    ['TR061', { client: { ...example.client, contactgegevens: [] } }, undefined],
    [
      'TR006',
      {
        client: { ...example.client, contactgegevens: [{ soort: '02', postcode: '9999ZZ', landCode: 'NL' }] },
      },
      undefined,
    ],
    [
      'CS089',
      {
        client: {
          ...example.client,
          contactgegevens: [{ soort: '01', huisnummer: '1', postcode: '99999', landCode: 'NL' }],
        },
      },
      undefined,
    ],
  ] as const)('%s', (rule, m, prod) => {
    expect(rules(m as Partial<Wmo301>, prod as Partial<Wmo301Product> | undefined)).toContain(rule);
  });

  it('TR101: a ToewijzingNummer only once', () => {
    expect(rules({ producten: [p, p] })).toContain('TR101');
  });

  it('OP087: every actuele toewijzing of this gemeente at this aanbieder, nothing else', () => {
    const m: Wmo301 = { ...example, afzender: '0363', ontvanger: '12345678', client: { ...client() } };
    const mine = toewijzing({ toewijzingnummer: '123456' });
    const other = toewijzing({ toewijzingnummer: '9' });
    const elsewhere = toewijzing({ toewijzingnummer: '10', aanbieder: '87654321' });
    expect(op087Violations(m, [mine, elsewhere])).toEqual([]);
    expect(op087Violations(m, [mine, other]).map((v) => v.detail)).toEqual([
      'actuele ToewijzingNummer 9 missing',
    ]);
    expect(
      op087Violations(m, [toewijzing({ toewijzingnummer: '123456', aanbieder: '87654321' })])[0]?.detail,
    ).toMatch(/another aanbieder/);
    expect(op087Violations(m, [])[0]?.detail).toMatch(/not one of this gemeente/);
  });
});
