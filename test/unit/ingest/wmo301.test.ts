/** WMO301 Toewijzing Wmo-ondersteuning: facts, and every validation rule with a valid and an invalid case. */
import type { WmoToewijzingFact } from '../../../services/domain/facts';
import { parseMessage, parseXmlMessage } from '../../../services/ingest';
import {
  DEFAULT_CONTACT,
  type Wmo301Options,
  buildWmo301,
  invalidBsn,
  validBsn,
} from '../../fixtures/builders';

const parse = (o: Wmo301Options) => parseXmlMessage(buildWmo301(o));
const code = (o: Wmo301Options) => {
  const r = parse(o);
  return r.ok ? 'OK' : r.error.code;
};
const reason = (o: Wmo301Options) => {
  const r = parse(o);
  return r.ok ? '' : r.error.reason;
};
const facts = (o: Wmo301Options) => {
  const r = parse(o);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.reason}`);
  return r.message.facts as WmoToewijzingFact[];
};

describe('WMO301 facts', () => {
  it('one fact per ToegewezenProduct, keeping everything needed to re-send it', () => {
    const f = facts({
      gemeente: '0363',
      aanbieder: '12345678',
      identificatie: 'SL1',
      dagtekening: '2024-05-01',
      bsn: validBsn(1),
      geboortedatum: '1950-06-01',
      geslacht: '1',
      achternaam: 'Jansen',
      voorletters: 'J',
      producten: [
        {
          toewijzingnummer: '0007001',
          referentieAanbieder: 'REF-1',
          productcategorie: '11',
          productcode: '11X01',
          toewijzingsdatum: '2024-04-30',
          toewijzingstijd: '10:11:12',
          ingangsdatum: '2024-05-01',
          einddatum: '2025-04-30',
          omvang: { volume: '0001', eenheid: '82', frequentie: '6' },
          commentaar: 'rolstoel',
        },
        {
          toewijzingnummer: 7002,
          productcategorie: null,
          omvang: null,
          budget: 50000,
          einddatum: '2024-12-31',
        },
        {
          toewijzingnummer: 7003,
          productcode: null,
          omvang: null,
          einddatum: '2024-06-30',
          redenWijziging: '13',
          ingangsdatum: '2024-06-30',
        },
      ],
    });
    expect(f).toHaveLength(3);
    expect(f[0]).toEqual({
      type: 'wmo-toewijzing',
      key: 'wmo:0363:7001',
      version: '2024-04-30T10:11:12',
      source: { kind: 'WMO301', messageId: 'WMO301:0363:SL1:2024-05-01' },
      client: {
        bsn: validBsn(1),
        geboortedatum: '1950-06-01',
        geslacht: '1',
        naam: { achternaam: 'Jansen', voorletters: 'J', naamGebruik: '1' },
        contactgegevens: [DEFAULT_CONTACT],
      },
      gemeente: '0363',
      aanbieder: '12345678',
      toewijzingnummer: '7001',
      productcategorie: '11',
      productcode: '11X01',
      toewijzingsdatum: '2024-04-30',
      toewijzingstijd: '10:11:12',
      ingangsdatum: '2024-05-01',
      einddatum: '2025-04-30',
      omvang: { volume: '1', eenheid: '82', frequentie: '6' },
      commentaar: 'rolstoel',
      extra: { ReferentieAanbieder: 'REF-1' },
    });
    expect(f[1]).toMatchObject({
      key: 'wmo:0363:7002',
      productcategorie: '',
      budget: '50000',
      einddatum: '2024-12-31',
    });
    expect(f[1]).not.toHaveProperty('omvang');
    expect(f[1]).not.toHaveProperty('productcode');
    expect(f[2]).toMatchObject({
      key: 'wmo:0363:7003',
      productcategorie: '01',
      redenWijziging: '13',
      einddatum: '2024-06-30',
    });
    expect(f[2]).not.toHaveProperty('productcode');
  });

  it('belongs on wmo-toewijzingen', () => {
    expect(parseMessage('wmo-toewijzingen', buildWmo301()).ok).toBe(true);
    const r = parseMessage('indicatiebesluiten', buildWmo301());
    expect(r.ok ? '' : r.error.code).toBe('WRONG_TOPIC');
  });
});

describe('WMO301 rules (valid / invalid)', () => {
  const cases: [string, Wmo301Options, Wmo301Options, string][] = [
    ['BSN 11-proef', { bsn: validBsn(9) }, { bsn: invalidBsn(9) }, 'INVALID_BSN'],
    ['Geboortedatum', { geboortedatum: '2000-02-29' }, { geboortedatum: '2001-02-29' }, 'INVALID_DATE'],
    ['Dagtekening', { dagtekening: '2024-01-01' }, { dagtekening: '2024-01-01Z' }, 'INVALID_DATE'],
    [
      'Toewijzingsdatum',
      { toewijzingsdatum: '2024-11-30' },
      { toewijzingsdatum: '2024-11-31' },
      'INVALID_DATE',
    ],
    ['Toewijzingstijd', { toewijzingstijd: '23:59:59' }, { toewijzingstijd: '23:59' }, 'INVALID_DATE'],
    ['Ingangsdatum', { ingangsdatum: '2024-01-01' }, { ingangsdatum: '2024-1-1' }, 'INVALID_DATE'],
    ['Einddatum', { einddatum: '2024-12-31' }, { einddatum: '2024-12-31T00:00:00' }, 'INVALID_DATE'],
    [
      'period',
      { ingangsdatum: '2024-02-01', einddatum: '2024-02-01', redenWijziging: '13' },
      { ingangsdatum: '2024-02-01', einddatum: '2024-01-31' },
      'INVALID_PERIOD',
    ],
    ['Productcategorie', { productcategorie: '18' }, { productcategorie: '1' }, 'INVALID_CODE'],
    [
      'RedenWijziging',
      { einddatum: '2024-06-30', redenWijziging: '14' },
      { einddatum: '2024-06-30', redenWijziging: '6' },
      'INVALID_CODE',
    ],
    [
      'Eenheid',
      { omvang: { volume: 1, eenheid: '83', frequentie: '6' } },
      { omvang: { volume: 1, eenheid: '02', frequentie: '6' } },
      'INVALID_CODE',
    ],
    [
      'Frequentie',
      { omvang: { volume: 1, eenheid: '04', frequentie: '4' } },
      { omvang: { volume: 1, eenheid: '04', frequentie: '3' } },
      'INVALID_CODE',
    ],
    ['Geslacht', { geslacht: '0' }, { geslacht: 'M' }, 'INVALID_CODE'],
    [
      'Contact/Soort (AdresSoort)',
      { contacten: [{ soort: '02', postcode: '1234AB' }] },
      { contacten: [{ soort: '1' }] },
      'INVALID_CODE',
    ],
    ['gemeentecode', { gemeente: '0014' }, { gemeente: '14' }, 'INVALID_GEMEENTECODE'],
    ['gemeentecode digits', { gemeente: '1680' }, { gemeente: '16a0' }, 'INVALID_GEMEENTECODE'],
    ['aanbieder AGB', { aanbieder: '00000000' }, { aanbieder: '0000000A' }, 'INVALID_AGB'],
    ['BerichtCode', { berichtCode: '414' }, { berichtCode: '301' }, 'INVALID_HEADER'],
    ['BerichtVersie', { berichtVersie: '3' }, { berichtVersie: '2' }, 'INVALID_HEADER'],
    ['BerichtSubversie', { berichtSubversie: '2' }, { berichtSubversie: '0' }, 'INVALID_HEADER'],
    [
      'BasisschemaXsdVersie',
      { basisschemaXsdVersie: '1.0.0' },
      { basisschemaXsdVersie: '01.0.0' },
      'INVALID_HEADER',
    ],
    ['ToewijzingNummer integer', { toewijzingnummer: 0 }, { toewijzingnummer: 'T-1' }, 'SCHEMA'],
    [
      'ToewijzingNummer range',
      { toewijzingnummer: 999_999_999 },
      { toewijzingnummer: 1_000_000_000 },
      'SCHEMA',
    ],
    [
      'Volume integer',
      { omvang: { volume: 99_999_999, eenheid: '04', frequentie: '2' } },
      { omvang: { volume: '2.5', eenheid: '04', frequentie: '2' } },
      'SCHEMA',
    ],
    [
      'Budget integer',
      { productcategorie: null, omvang: null, budget: 0 },
      { productcategorie: null, omvang: null, budget: -1 },
      'SCHEMA',
    ],
    [
      'Product or Budget (CD079)',
      { productcategorie: null, budget: 100 },
      { productcategorie: null },
      'SCHEMA',
    ],
    ['Productcode length', { productcode: '12345' }, { productcode: '123456' }, 'SCHEMA'],
    [
      'ReferentieAanbieder length',
      { referentieAanbieder: 'r'.repeat(36) },
      { referentieAanbieder: 'r'.repeat(37) },
      'SCHEMA',
    ],
  ];

  it.each(cases)('%s', (_, valid, invalid, expected) => {
    expect(code(valid)).toBe('OK');
    expect(code(invalid)).toBe(expected);
  });

  it('SCHEMA: a second Client is not allowed', () => {
    const xml = buildWmo301();
    const client = /<wmo301:Client>[\s\S]*<\/wmo301:Client>/.exec(xml)?.[0] ?? '';
    const r = parseXmlMessage(xml.replace(client, `${client}${client}`));
    expect(r.ok ? '' : r.error).toEqual({
      code: 'SCHEMA',
      reason: 'element Bericht/Client occurs more than once',
    });
  });

  it('reasons are readable and name the product', () => {
    expect(reason({ toewijzingnummer: 123456, ingangsdatum: '2024-02-01', einddatum: '2024-01-01' })).toBe(
      'Einddatum is before Ingangsdatum in ToegewezenProduct #1',
    );
    expect(reason({ gemeente: '384' })).toBe(
      'Afzender (gemeente) is not a 4-digit gemeentecode (3 characters)',
    );
    expect(reason({ bsn: invalidBsn(3) })).toBe('Bsn of client #1 is not a valid BSN (9 digits, 11-proef)');
  });
});
