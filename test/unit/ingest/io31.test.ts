/** IO31 Indicatiebesluit: facts, and every validation rule with a valid and an invalid case. */
import type { WlzIndicatieFact } from '../../../services/domain/facts';
import { parseMessage, parseXmlMessage } from '../../../services/ingest';
import { type Io31Options, buildIo31, invalidBsn, validBsn } from '../../fixtures/builders';

const parse = (o: Io31Options) => parseXmlMessage(buildIo31(o));
const code = (o: Io31Options) => {
  const r = parse(o);
  return r.ok ? 'OK' : r.error.code;
};
const reason = (o: Io31Options) => {
  const r = parse(o);
  return r.ok ? '' : r.error.reason;
};
const facts = (o: Io31Options) => {
  const r = parse(o);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.reason}`);
  return r.message.facts as WlzIndicatieFact[];
};

describe('IO31 facts', () => {
  it('one fact per client, with geindiceerde ZZPs, functies, grondslagen and the indicatie period', () => {
    const f = facts({
      identificatie: 'ID-7',
      dagtekening: '2024-05-02',
      clients: [
        {
          bsn: validBsn(1),
          besluitnummer: 300000001,
          ingangsdatum: '2024-05-01',
          einddatum: '2029-04-30',
          grondslagen: ['03', '07'],
          zzps: [
            { zzpCode: '880', einddatum: '2025-04-30', voorkeurClient: null },
            { zzpCode: '882', ingangsdatum: '2025-05-01', voorkeurClient: '10' },
          ],
          functies: [{ functieCode: '41', ingangsdatum: '2024-05-01', einddatum: '2024-12-31' }],
        },
        { bsn: validBsn(2), besluitnummer: '000300000002', zzps: ['999'], grondslagen: [] },
      ],
    });
    expect(f).toHaveLength(2);
    expect(f[0]).toMatchObject({
      key: 'indicatie:300000001',
      version: '2024-05-02',
      source: { kind: 'IO31', messageId: 'IO31:CIZ:ID-7:2024-05-02' },
      besluitnummer: '300000001',
      afgiftedatum: '2024-05-01',
      ingangsdatum: '2024-05-01',
      einddatum: '2029-04-30',
      grondslagen: ['03', '07'],
      zorgzwaartepakketten: [
        { zzpCode: '880', ingangsdatum: '2024-05-01', einddatum: '2025-04-30' },
        { zzpCode: '882', ingangsdatum: '2025-05-01', einddatum: '2029-04-30', voorkeurClient: '10' },
      ],
      functies: [{ functieCode: '41', ingangsdatum: '2024-05-01', einddatum: '2024-12-31' }],
      status: 'actueel',
    });
    expect(f[0]?.zorgzwaartepakketten[0]).not.toHaveProperty('voorkeurClient');
    // The Besluitnummer is an xs:integer: leading zeros do not change the key.
    expect(f[1]).toMatchObject({ key: 'indicatie:300000002', client: { bsn: validBsn(2) }, grondslagen: [] });
  });

  it('keeps the client data the engine and later messages need', () => {
    const [f] = facts({
      bsn: validBsn(3),
      geboortedatum: '1930-01-01',
      datumGebruik: '2',
      geslacht: '0',
      achternaam: "O'Brien & Zn",
      voorvoegsel: 'de',
      partnerAchternaam: 'Vries',
      voornamen: 'Anna Maria',
      voorletters: 'AM',
      naamGebruik: '3',
      contacten: [
        {
          soort: '03',
          straatnaam: 'Zorgweg',
          huisnummer: '5',
          huisletter: 'a',
          postcode: '1234AB',
          landCode: 'NL',
        },
        { soort: '02', telefoonnummer: '0201234567', landnummer: '0031', emailadres: 'x@example.org' },
      ],
    });
    expect(f?.client).toEqual({
      bsn: validBsn(3),
      geboortedatum: '1930-01-01',
      geboortedatumGebruik: '2',
      geslacht: '0',
      naam: {
        achternaam: "O'Brien & Zn",
        voorvoegsel: 'de',
        partnerAchternaam: 'Vries',
        voornamen: 'Anna Maria',
        voorletters: 'AM',
        naamGebruik: '3',
      },
      contactgegevens: [
        {
          soort: '03',
          huisnummer: '5',
          huisletter: 'a',
          postcode: '1234AB',
          straatnaam: 'Zorgweg',
          landCode: 'NL',
        },
        { soort: '02', telefoonnummer: '0201234567', landnummer: '0031', emailadres: 'x@example.org' },
      ],
    });
  });

  it('belongs on indicatiebesluiten', () => {
    expect(parseMessage('indicatiebesluiten', buildIo31()).ok).toBe(true);
    const r = parseMessage('zorgtoewijzingen', buildIo31());
    expect(r.ok ? '' : r.error).toEqual({
      code: 'WRONG_TOPIC',
      reason: 'IO31 belongs on indicatiebesluiten, not on zorgtoewijzingen',
    });
  });
});

describe('IO31 rules (valid / invalid)', () => {
  const cases: [string, Io31Options, Io31Options, string][] = [
    ['BSN 11-proef', { bsn: validBsn(9) }, { bsn: invalidBsn(9) }, 'INVALID_BSN'],
    [
      'Dagtekening calendar date',
      { dagtekening: '2024-02-29' },
      { dagtekening: '2023-02-29' },
      'INVALID_DATE',
    ],
    ['Geboortedatum', { geboortedatum: '1900-01-01' }, { geboortedatum: '1900-02-29' }, 'INVALID_DATE'],
    ['Afgiftedatum', { afgiftedatum: '2024-01-31' }, { afgiftedatum: '2024-01-32' }, 'INVALID_DATE'],
    [
      'Indicatie Ingangsdatum',
      { ingangsdatum: '2024-06-30' },
      { ingangsdatum: '2024-06-31' },
      'INVALID_DATE',
    ],
    [
      'Einddatum without timezone',
      { einddatum: '2025-01-01' },
      { einddatum: '2025-01-01+01:00' },
      'INVALID_DATE',
    ],
    [
      'Indicatie period',
      { ingangsdatum: '2024-01-01', einddatum: '2024-01-01' },
      {
        ingangsdatum: '2024-01-02',
        einddatum: '2024-01-01',
        zzps: [{ zzpCode: '754', einddatum: '2024-01-02' }],
      },
      'INVALID_PERIOD',
    ],
    [
      'ZZP period',
      { zzps: [{ zzpCode: '754', ingangsdatum: '2024-03-01', einddatum: '2024-03-01' }] },
      { zzps: [{ zzpCode: '754', ingangsdatum: '2024-03-02', einddatum: '2024-03-01' }] },
      'INVALID_PERIOD',
    ],
    [
      'functie period',
      { functies: [{ functieCode: '21', ingangsdatum: '2024-03-01', einddatum: '2024-04-01' }] },
      { functies: [{ functieCode: '21', ingangsdatum: '2024-03-02', einddatum: '2024-03-01' }] },
      'INVALID_PERIOD',
    ],
    ['ZzpCode', { zzps: ['190', '888', '998'] }, { zzps: ['754', '753x'] }, 'INVALID_CODE'],
    ['FunctieCode', { functies: ['91'] }, { functies: ['92'] }, 'INVALID_CODE'],
    [
      'VoorkeurClient',
      { zzps: [{ zzpCode: '754', voorkeurClient: '10' }] },
      { zzps: [{ zzpCode: '754', voorkeurClient: '1' }] },
      'INVALID_CODE',
    ],
    ['Grondslag', { grondslagen: ['07'] }, { grondslagen: ['01', '08'] }, 'INVALID_CODE'],
    ['Geslacht', { geslacht: '1' }, { geslacht: '3' }, 'INVALID_CODE'],
    ['NaamGebruik', { naamGebruik: '6' }, { naamGebruik: '7' }, 'INVALID_CODE'],
    ['DatumGebruik', { datumGebruik: '3' }, { datumGebruik: '4' }, 'INVALID_CODE'],
    [
      'Contact/Soort (AdresSoort)',
      { contacten: [{ soort: '04' }] },
      { contacten: [{ soort: '05' }] },
      'INVALID_CODE',
    ],
    ['Ontvanger zorgkantoor', { ontvanger: '5533' }, { ontvanger: '5522' }, 'INVALID_CODE'],
    ['BerichtCode', { berichtCode: '388' }, { berichtCode: '389' }, 'INVALID_HEADER'],
    ['BerichtVersie', { berichtVersie: '5' }, { berichtVersie: '05' }, 'INVALID_HEADER'],
    ['BerichtSubversie', { berichtSubversie: '2' }, { berichtSubversie: '1' }, 'INVALID_HEADER'],
    ['BerichtXsdVersie', { berichtXsdVersie: '1.0.0' }, { berichtXsdVersie: '1.0.1' }, 'INVALID_HEADER'],
    [
      'BasisschemaXsdVersie',
      { basisschemaXsdVersie: '1.0.0' },
      { basisschemaXsdVersie: '1.0' },
      'INVALID_HEADER',
    ],
    ['Besluitnummer integer 1..999999999', { besluitnummer: 999999999 }, { besluitnummer: 0 }, 'SCHEMA'],
    ['Besluitnummer is a number', { besluitnummer: '+42' }, { besluitnummer: '42a' }, 'SCHEMA'],
    ['Identificatie length', { identificatie: 'X'.repeat(12) }, { identificatie: 'X'.repeat(13) }, 'SCHEMA'],
    ['Achternaam length', { achternaam: 'a'.repeat(200) }, { achternaam: 'a'.repeat(201) }, 'SCHEMA'],
  ];

  it.each(cases)('%s', (_, valid, invalid, expected) => {
    expect(code(valid)).toBe('OK');
    expect(code(invalid)).toBe(expected);
  });

  it('SCHEMA: a missing required element, a repeated single element, an unknown element', () => {
    const xml = buildIo31();
    const missing = parseXmlMessage(xml.replace(/\n *<io31:Leefeenheid>.<\/io31:Leefeenheid>/, ''));
    expect(missing.ok ? '' : missing.error).toEqual({
      code: 'SCHEMA',
      reason: 'required element Leefeenheid is missing in Bericht/Clienten/Client[1]',
    });
    const twice = parseXmlMessage(xml.replace(/(<io31:Afgiftedatum>.*<\/io31:Afgiftedatum>)/, '$1$1'));
    expect(twice.ok ? '' : twice.error).toEqual({
      code: 'SCHEMA',
      reason: 'element Bericht/Clienten/Client[1]/Indicatie/Afgiftedatum occurs more than once',
    });
    const unknown = parseXmlMessage(
      xml.replace('<io31:Leefeenheid>', '<io31:Huisdier>kat</io31:Huisdier><io31:Leefeenheid>'),
    );
    expect(unknown.ok ? '' : unknown.error).toEqual({
      code: 'SCHEMA',
      reason: 'unexpected element Huisdier in Bericht/Clienten/Client[1]',
    });
    const leafWithChildren = parseXmlMessage(
      xml.replace(/<io31:Geslacht>.<\/io31:Geslacht>/, '<io31:Geslacht><io31:x>1</io31:x></io31:Geslacht>'),
    );
    expect(leafWithChildren.ok ? '' : leafWithChildren.error.reason).toBe(
      'element Bericht/Clienten/Client[1]/Geslacht must not contain child elements',
    );
  });

  it('reasons are readable, name the client by position and never contain a BSN', () => {
    const bad = invalidBsn(4);
    const r = reason({ clients: [{ bsn: validBsn(4) }, { bsn: bad }] });
    expect(r).toBe('Bsn of client #2 is not a valid BSN (9 digits, 11-proef)');
    expect(r).not.toContain(bad);
    expect(
      reason({
        clients: [
          { bsn: validBsn(5) },
          {
            bsn: validBsn(6),
            besluitnummer: 7,
            zzps: [{ zzpCode: '754', ingangsdatum: '2024-02-01', einddatum: '2024-01-01' }],
          },
        ],
      }),
    ).toBe('Einddatum is before Ingangsdatum in GeindiceerdZorgzwaartepakket 754 of client #2');
    expect(reason({ zzps: ['123'] })).toBe(
      'ZzpCode of GeindiceerdZorgzwaartepakket of client #1 is not in the codelist',
    );
    expect(reason({ berichtCode: '389' })).toBe('BerichtCode does not match IO31 (expected 388)');
    expect(reason({ dagtekening: '2024-13-01' })).toBe(
      'Dagtekening of the header is not a calendar date YYYY-MM-DD without timezone',
    );
  });

  it('a reason names the element and the rule, never the value (a BSN in the wrong element)', () => {
    const bsn = validBsn(8);
    const r = reason({ geslacht: bsn });
    expect(r).toBe('Geslacht of client #1 is not in the codelist');
  });
});
