/** AW33 Zorgtoewijzing: facts, and every validation rule with a valid and an invalid case. */
import type { WlzZorgtoewijzingFact } from '../../../services/domain/facts';
import { parseMessage, parseXmlMessage } from '../../../services/ingest';
import { type Aw33Options, buildAw33, invalidBsn, validBsn } from '../../fixtures/builders';

const parse = (o: Aw33Options) => parseXmlMessage(buildAw33(o));
const code = (o: Aw33Options) => {
  const r = parse(o);
  return r.ok ? 'OK' : r.error.code;
};
const reason = (o: Aw33Options) => {
  const r = parse(o);
  return r.ok ? '' : r.error.reason;
};
const facts = (o: Aw33Options) => {
  const r = parse(o);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.reason}`);
  return r.message.facts as WlzZorgtoewijzingFact[];
};

describe('AW33 facts', () => {
  it('one fact per ToegewezenZorgzwaartepakket and ToegewezenFunctie of every client', () => {
    const f = facts({
      afzender: '5515',
      aanbieder: '12345678',
      identificatie: 'AW-1',
      dagtekening: '2024-07-01',
      clients: [
        {
          bsn: validBsn(1),
          besluitnummer: 400000001,
          toewijzingen: [
            {
              zzpCode: '756',
              leveringsvorm: '4',
              instelling: '87654321',
              soortToewijzing: '3',
              toewijzingsdatum: '2024-06-30',
              toewijzingstijd: '23:59:59',
              ingangsdatum: '2024-07-01',
            },
            {
              functieCode: '62',
              toewijzingsdatum: '2024-06-30',
              toewijzingstijd: '08:00:00',
              ingangsdatum: '2024-07-01',
              einddatum: '2024-09-30',
              redenIntrekking: '4',
            },
          ],
        },
        {
          bsn: validBsn(2),
          besluitnummer: 400000002,
          toewijzingen: [{ zzpCode: '999', leveringsvorm: '4', instelling: null }],
        },
      ],
    });
    expect(f).toHaveLength(3);
    expect(f[0]).toEqual({
      type: 'wlz-zorgtoewijzing',
      key: 'zorgtoewijzing:400000001:756:87654321:2024-07-01',
      version: '2024-06-30T23:59:59',
      source: { kind: 'AW33', messageId: 'AW33:5515:AW-1:2024-07-01' },
      client: f[0]?.client,
      besluitnummer: '400000001',
      soort: 'zzp',
      code: '756',
      instelling: '87654321',
      zorgkantoor: '5515',
      soortToewijzing: '3',
      toewijzingsdatum: '2024-06-30',
      toewijzingstijd: '23:59:59',
      ingangsdatum: '2024-07-01',
      leveringsvorm: '4',
    });
    expect(f[1]).toMatchObject({
      key: 'zorgtoewijzing:400000001:62:12345678:2024-07-01',
      soort: 'functie',
      code: '62',
      leveringsvorm: '',
      einddatum: '2024-09-30',
      redenIntrekking: '4',
    });
    // No Instelling: the aanbieder the AW33 is addressed to.
    expect(f[2]).toMatchObject({
      key: 'zorgtoewijzing:400000002:999:12345678:2024-03-11',
      instelling: '12345678',
    });
    expect(f[2]?.client.bsn).toBe(validBsn(2));
  });

  it('a toewijzing withdrawn before it took effect (Einddatum = Ingangsdatum, RedenIntrekking) is kept', () => {
    const [f] = facts({ ingangsdatum: '2024-04-15', einddatum: '2024-04-15', redenIntrekking: '7' });
    expect(f).toMatchObject({ ingangsdatum: '2024-04-15', einddatum: '2024-04-15', redenIntrekking: '7' });
  });

  it('a client without toegewezen zorg gives no facts', () => {
    const r = parseXmlMessage(buildAw33({ clients: [{ toewijzingen: [] }] }));
    expect(r.ok && r.message.facts).toEqual([]);
  });

  it('belongs on zorgtoewijzingen', () => {
    expect(parseMessage('zorgtoewijzingen', buildAw33()).ok).toBe(true);
    const r = parseMessage('wmo-toewijzingen', buildAw33());
    expect(r.ok ? '' : r.error.code).toBe('WRONG_TOPIC');
  });
});

describe('AW33 rules (valid / invalid)', () => {
  const cases: [string, Aw33Options, Aw33Options, string][] = [
    ['BSN 11-proef', { bsn: validBsn(9) }, { bsn: invalidBsn(9) }, 'INVALID_BSN'],
    [
      'Toewijzingsdatum',
      { toewijzingsdatum: '2024-02-29' },
      { toewijzingsdatum: '2023-02-29' },
      'INVALID_DATE',
    ],
    ['Toewijzingstijd', { toewijzingstijd: '00:00:00' }, { toewijzingstijd: '24:00:00' }, 'INVALID_DATE'],
    [
      'Toewijzingstijd without timezone',
      { toewijzingstijd: '12:00:00.250' },
      { toewijzingstijd: '12:00:00+01:00' },
      'INVALID_DATE',
    ],
    ['Ingangsdatum', { ingangsdatum: '2024-04-30' }, { ingangsdatum: '2024-04-31' }, 'INVALID_DATE'],
    ['Einddatum', { einddatum: '2024-12-31' }, { einddatum: '31-12-2024' }, 'INVALID_DATE'],
    [
      'period (functie too)',
      { functieCode: '21', ingangsdatum: '2024-05-01', einddatum: '2024-05-01' },
      { functieCode: '21', ingangsdatum: '2024-05-02', einddatum: '2024-05-01' },
      'INVALID_PERIOD',
    ],
    [
      'period (zzp)',
      { ingangsdatum: '2024-05-01', einddatum: '2024-05-02' },
      { ingangsdatum: '2024-05-03', einddatum: '2024-05-02' },
      'INVALID_PERIOD',
    ],
    ['Leveringsvorm', { leveringsvorm: '9' }, { leveringsvorm: '3' }, 'INVALID_CODE'],
    ['ZzpCode', { zzpCode: '999' }, { zzpCode: '000' }, 'INVALID_CODE'],
    ['FunctieCode', { functieCode: '81' }, { functieCode: '80' }, 'INVALID_CODE'],
    ['Soort toewijzing', { soortToewijzing: '5' }, { soortToewijzing: '2' }, 'INVALID_CODE'],
    [
      'RedenIntrekking',
      { einddatum: '2024-05-01', redenIntrekking: '8' },
      { einddatum: '2024-05-01', redenIntrekking: '0' },
      'INVALID_CODE',
    ],
    ['Zorgkantoor of a toewijzing', { zorgkantoor: '5501' }, { zorgkantoor: '5500' }, 'INVALID_CODE'],
    ['Afzender zorgkantoor', { afzender: '5532' }, { afzender: '0384' }, 'INVALID_CODE'],
    ['Instelling AGB', { instelling: '00000001' }, { instelling: '123456789' }, 'INVALID_AGB'],
    ['Ontvanger AGB', { aanbieder: '01234567' }, { aanbieder: '1234567' }, 'INVALID_AGB'],
    ['BerichtCode', { berichtCode: '352' }, { berichtCode: '353' }, 'INVALID_HEADER'],
    ['BerichtVersie', { berichtVersie: '5' }, { berichtVersie: '4' }, 'INVALID_HEADER'],
    ['BerichtSubversie', { berichtSubversie: '2' }, { berichtSubversie: '3' }, 'INVALID_HEADER'],
    ['XsdVersie', { berichtXsdVersie: '1.0.0' }, { berichtXsdVersie: '2.0.0' }, 'INVALID_HEADER'],
    ['Besluitnummer', { besluitnummer: 1 }, { besluitnummer: 1_000_000_000 }, 'SCHEMA'],
  ];

  it.each(cases)('%s', (_, valid, invalid, expected) => {
    expect(code(valid)).toBe('OK');
    expect(code(invalid)).toBe(expected);
  });

  it('SCHEMA: Leveringsvorm is required on a ToegewezenZorgzwaartepakket', () => {
    const r = parseXmlMessage(buildAw33().replace(/\n *<aw33:Leveringsvorm>.<\/aw33:Leveringsvorm>/, ''));
    expect(r.ok ? '' : r.error).toEqual({
      code: 'SCHEMA',
      reason:
        'required element Leveringsvorm is missing in Bericht/Clienten/Client[1]/Indicatie/ToegewezenZorgzwaartepakketten/ToegewezenZorgzwaartepakket[1]',
    });
  });

  it('reasons name the toewijzing and the client', () => {
    expect(
      reason({
        clients: [
          {},
          { toewijzingen: [{ zzpCode: '755', ingangsdatum: '2024-05-03', einddatum: '2024-05-02' }] },
        ],
      }),
    ).toBe('Einddatum is before Ingangsdatum in ToegewezenZorgzwaartepakket 755 of client #2');
    expect(reason({ leveringsvorm: '3' })).toBe(
      'Leveringsvorm of ToegewezenZorgzwaartepakket 755 of client #1 is not in the codelist',
    );
    expect(reason({ instelling: '1234' })).toBe(
      'Instelling of ToegewezenZorgzwaartepakket 755 of client #1 is not an 8-digit AGB code (4 characters)',
    );
  });
});
