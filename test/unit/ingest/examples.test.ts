/**
 * Every example message in ../shared/istandaarden/{iwlz,iwmo}/examples: the IO31, AW33 and WMO301 ones are
 * accepted with the expected field values; the other iWmo messages (WMO305..WMO323) are OUT_OF_SCOPE.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {
  Fact,
  WlzIndicatieFact,
  WlzZorgtoewijzingFact,
  WmoToewijzingFact,
} from '../../../services/domain/facts';
import { parseMessage, parseXmlMessage } from '../../../services/ingest';
import type { ParsedMessage } from '../../../services/ingest/types';
import { exampleFiles } from '../../support/xsd';

const files = [...exampleFiles('iwlz'), ...exampleFiles('iwmo')];
const byName = new Map(files.map((f) => [path.basename(f), f]));

function parse(name: string): ParsedMessage {
  const file = byName.get(name);
  if (file === undefined) throw new Error(`example ${name} not found`);
  const r = parseXmlMessage(fs.readFileSync(file));
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.reason}`);
  return r.message;
}
const only = <T extends Fact>(m: ParsedMessage): T => {
  expect(m.facts).toHaveLength(1);
  return m.facts[0] as T;
};

describe('the shared examples', () => {
  it('are all known to this test (a new example needs an expectation here)', () => {
    expect([...byName.keys()].sort()).toEqual([
      'aw33-example.xml',
      'aw33-intrekking-example.xml',
      'io31-example.xml',
      'io31-laag-zorgprofiel-example.xml',
      'io31-partnerverblijf-example.xml',
      'voorbeeld-WMO301.xml',
      'voorbeeld-WMO305.xml',
      'voorbeeld-WMO307.xml',
      'voorbeeld-WMO315.xml',
      'voorbeeld-WMO317.xml',
      'voorbeeld-WMO319.xml',
      'voorbeeld-WMO323.xml',
      'wmo301-beeindiging-example.xml',
    ]);
  });

  it('io31-example.xml → one actueel indicatie, ZZP 754', () => {
    const m = parse('io31-example.xml');
    expect(m.kind).toBe('IO31');
    expect(m.messageId).toBe('IO31:CIZ:IO31-000001:2024-03-01');
    expect(only<WlzIndicatieFact>(m)).toEqual({
      type: 'wlz-indicatie',
      key: 'indicatie:100000001',
      version: '2024-03-01',
      source: { kind: 'IO31', messageId: 'IO31:CIZ:IO31-000001:2024-03-01' },
      client: {
        bsn: '999990019',
        geboortedatum: '1941-05-17',
        geslacht: '2',
        naam: { achternaam: 'Testpersoon', voorvoegsel: 'van', voorletters: 'AB', naamGebruik: '1' },
        contactgegevens: [
          {
            soort: '01',
            huisnummer: '12',
            postcode: '3511AA',
            straatnaam: 'Voorbeeldstraat',
            plaatsnaam: 'Utrecht',
            landCode: 'NL',
          },
        ],
      },
      besluitnummer: '100000001',
      afgiftedatum: '2024-02-28',
      ingangsdatum: '2024-02-28',
      zorgzwaartepakketten: [{ zzpCode: '754', ingangsdatum: '2024-02-28', voorkeurClient: '4' }],
      functies: [],
      grondslagen: ['02'],
      status: 'actueel',
    });
  });

  it('io31-partnerverblijf-example.xml → ZZP 999 without Grondslagen', () => {
    const f = only<WlzIndicatieFact>(parse('io31-partnerverblijf-example.xml'));
    expect(f.client.bsn).toBe('999990032');
    expect(f.zorgzwaartepakketten.map((z) => z.zzpCode)).toEqual(['999']);
    expect(f.grondslagen).toEqual([]);
    expect(f.key).toBe(`indicatie:${f.besluitnummer}`);
  });

  it('io31-laag-zorgprofiel-example.xml → ZZP 750 (1VV)', () => {
    const f = only<WlzIndicatieFact>(parse('io31-laag-zorgprofiel-example.xml'));
    expect(f).toMatchObject({
      key: 'indicatie:100000004',
      version: '2024-03-01',
      client: { bsn: '999990056' },
      zorgzwaartepakketten: [{ zzpCode: '750', ingangsdatum: '2024-02-28' }],
      grondslagen: ['01'],
    });
  });

  it('aw33-example.xml → ZZP 755 toegewezen as VPT', () => {
    const m = parse('aw33-example.xml');
    expect(m.messageId).toBe('AW33:5509:AW33-000001:2024-03-05');
    expect(only<WlzZorgtoewijzingFact>(m)).toEqual({
      type: 'wlz-zorgtoewijzing',
      key: 'zorgtoewijzing:100000002:755:99000001:2024-03-11',
      version: '2024-03-04T14:30:00',
      source: { kind: 'AW33', messageId: 'AW33:5509:AW33-000001:2024-03-05' },
      client: {
        bsn: '999990044',
        geboortedatum: '1950-11-02',
        geslacht: '1',
        naam: { achternaam: 'Voorbeeld', voorletters: 'CD', naamGebruik: '1' },
        contactgegevens: [
          {
            soort: '01',
            huisnummer: '7',
            huisletter: 'b',
            postcode: '3512BB',
            straatnaam: 'Proefweg',
            plaatsnaam: 'Utrecht',
          },
        ],
      },
      besluitnummer: '100000002',
      soort: 'zzp',
      code: '755',
      instelling: '99000001',
      zorgkantoor: '5509',
      soortToewijzing: '1',
      toewijzingsdatum: '2024-03-04',
      toewijzingstijd: '14:30:00',
      ingangsdatum: '2024-03-11',
      leveringsvorm: '5',
    });
  });

  it('aw33-intrekking-example.xml → the same key, a later version, Einddatum and RedenIntrekking 5', () => {
    const first = only<WlzZorgtoewijzingFact>(parse('aw33-example.xml'));
    const later = only<WlzZorgtoewijzingFact>(parse('aw33-intrekking-example.xml'));
    expect(later.key).toBe(first.key);
    expect(later.version > first.version).toBe(true);
    expect(later).toMatchObject({
      version: '2024-06-01T09:05:00',
      einddatum: '2024-05-31',
      redenIntrekking: '5',
    });
    expect(later.source.messageId).toBe('AW33:5509:AW33-000002:2024-06-03');
  });

  it('voorbeeld-WMO301.xml → one product with Omvang and ReferentieAanbieder in extra', () => {
    const m = parse('voorbeeld-WMO301.xml');
    expect(m.messageId).toBe('WMO301:0384:123456789012:2023-08-13');
    expect(only<WmoToewijzingFact>(m)).toEqual({
      type: 'wmo-toewijzing',
      key: 'wmo:0384:101',
      version: '2023-08-13T12:34:56',
      source: { kind: 'WMO301', messageId: 'WMO301:0384:123456789012:2023-08-13' },
      client: {
        bsn: '999900006',
        geboortedatum: '1967-08-13',
        geslacht: '1',
        naam: {
          achternaam: 'Wit',
          voorvoegsel: 'de',
          partnerAchternaam: 'Jansen',
          partnerVoorvoegsel: 'van',
          voornamen: 'Tim',
          voorletters: 'T',
          naamGebruik: '4',
        },
        contactgegevens: [
          {
            soort: '01',
            huisnummer: '100',
            huisletter: 'C',
            huisnummerToevoeging: 'BAL',
            aanduidingWoonadres: 'AB',
            postcode: '9999XX',
            straatnaam: 'Straatweg',
            plaatsnaam: 'Plaats',
            landCode: 'AD',
            emailadres: '1@er.com',
          },
        ],
      },
      gemeente: '0384',
      aanbieder: '42420001',
      toewijzingnummer: '101',
      productcategorie: '01',
      productcode: '01A01',
      toewijzingsdatum: '2023-08-13',
      toewijzingstijd: '12:34:56',
      ingangsdatum: '2023-01-01',
      einddatum: '2023-12-31',
      omvang: { volume: '10', eenheid: '01', frequentie: '1' },
      commentaar: 'Toegewezen product 1 Commentaar',
      extra: { ReferentieAanbieder: '42420002' },
    });
  });

  it('wmo301-beeindiging-example.xml → toewijzing 123456 ended with RedenWijziging 06', () => {
    const f = only<WmoToewijzingFact>(parse('wmo301-beeindiging-example.xml'));
    expect(f).toMatchObject({
      key: 'wmo:9999:123456',
      version: '2026-11-23T09:15:00',
      gemeente: '9999',
      aanbieder: '99000001',
      productcategorie: '01',
      productcode: '01A01',
      ingangsdatum: '2026-01-01',
      einddatum: '2026-11-30',
      redenWijziging: '06',
      omvang: { volume: '3', eenheid: '04', frequentie: '2' },
      commentaar: 'Beeindigd: client ontvangt deze zorg vanaf 2026-12-01 vanuit de Wlz',
      client: { bsn: '999990019', geboortedatum: '1938-04-02', geslacht: '2' },
    });
    expect(f.extra).toBeUndefined();
  });

  it.each([
    'voorbeeld-WMO305.xml',
    'voorbeeld-WMO307.xml',
    'voorbeeld-WMO315.xml',
    'voorbeeld-WMO317.xml',
    'voorbeeld-WMO319.xml',
    'voorbeeld-WMO323.xml',
  ])('%s is OUT_OF_SCOPE, on any topic', (name) => {
    const bytes = fs.readFileSync(byName.get(name) as string);
    const message = name.slice('voorbeeld-'.length, -'.xml'.length);
    for (const r of [
      parseXmlMessage(bytes),
      parseMessage('wmo-toewijzingen', bytes),
      parseMessage('indicatiebesluiten', bytes),
    ]) {
      expect(r).toEqual({
        ok: false,
        error: {
          code: 'OUT_OF_SCOPE',
          reason: `${message} (iWmo 3.2) is not processed: samenloop reads IO31, AW33 and WMO301 only`,
        },
      });
    }
  });

  it('each in-scope example is accepted on its own topic and WRONG_TOPIC elsewhere', () => {
    const topics = {
      IO31: 'indicatiebesluiten',
      AW33: 'zorgtoewijzingen',
      WMO301: 'wmo-toewijzingen',
    } as const;
    for (const [name, file] of byName) {
      if (name.startsWith('voorbeeld-WMO3') && name !== 'voorbeeld-WMO301.xml') continue;
      const bytes = fs.readFileSync(file);
      const kind = parse(name).kind as keyof typeof topics;
      for (const topic of Object.values(topics)) {
        const r = parseMessage(topic, bytes, { 'content-type': 'application/xml' });
        expect(r.ok ? 'OK' : r.error.code).toBe(topic === topics[kind] ? 'OK' : 'WRONG_TOPIC');
      }
    }
  });
});
