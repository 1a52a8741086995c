/**
 * The browser tests' story, built with the project's XSD-valid builders and dated relative to the
 * processing day. Gemeente 9999 (policy voorstel): Jansen and Pietersen get verblijf (two proposals), a client
 * with a hostile name gets a Wlz indicatie only (beoordelen). Gemeente 9998 (policy voorstel): Bakker gets
 * verblijf (a proposal the consulent of 9999 must never see or decide on).
 */
import { addDays } from '../../services/domain/dates';
import type { InputKind } from '../../services/ingest/kinds';
import { buildAw33, buildIo31, buildWmo301 } from '../fixtures/builders';

export const E2E_CLIENTS = {
  jansen: { bsn: '999990019', achternaam: 'Jansen', voorletters: 'M', geboortedatum: '1938-04-02' },
  pietersen: { bsn: '999990056', achternaam: 'Pietersen', voorletters: 'K', geboortedatum: '1939-01-20' },
  hostile: {
    bsn: '999990068',
    achternaam: '<img src=x onerror=alert(1)>',
    voorletters: 'X',
    geboortedatum: '1945-07-07',
  },
  bakker: { bsn: '999990044', achternaam: 'Bakker', voorletters: 'H', geboortedatum: '1944-09-12' },
} as const;
type Client = (typeof E2E_CLIENTS)[keyof typeof E2E_CLIENTS];

export const E2E_POLICIES = '9999=voorstel,9998=voorstel';
const AANBIEDER = '99000001';

export function e2eScenario(today: string): Array<{ input: InputKind; xml: string }> {
  const d = (days: number) => addDays(today, days);
  const person = (c: Client) => ({
    bsn: c.bsn,
    achternaam: c.achternaam,
    voorletters: c.voorletters,
    voornamen: null,
    geboortedatum: c.geboortedatum,
  });
  const wmo = (gemeente: string, c: Client, nummer: number, categorie: string, code: string) =>
    buildWmo301({
      ...person(c),
      gemeente,
      aanbieder: AANBIEDER,
      identificatie: `E2E${nummer}`,
      dagtekening: d(-120),
      toewijzingnummer: nummer,
      productcategorie: categorie,
      productcode: code,
      toewijzingsdatum: d(-120),
      toewijzingstijd: '09:00:00',
      ingangsdatum: d(-120),
      einddatum: null,
    });
  const io31 = (c: Client, besluit: number) =>
    buildIo31({
      ...person(c),
      identificatie: `CIZ${besluit}`,
      dagtekening: d(-7),
      besluitnummer: besluit,
      afgiftedatum: d(-7),
      ingangsdatum: d(-7),
      einddatum: null,
      zzps: ['754'],
    });
  const aw33 = (c: Client, besluit: number, start: number) =>
    buildAw33({
      ...person(c),
      identificatie: `ZK${besluit}`,
      dagtekening: d(-1),
      aanbieder: AANBIEDER,
      besluitnummer: besluit,
      indicatieAfgiftedatum: d(-7),
      indicatieIngangsdatum: d(-7),
      indicatieEinddatum: null,
      zzpCode: '754',
      leveringsvorm: '4',
      toewijzingsdatum: d(-1),
      toewijzingstijd: '10:00:00',
      ingangsdatum: d(start),
      einddatum: null,
    });
  const C = E2E_CLIENTS;
  return [
    { input: 'wmo-toewijzingen', xml: wmo('9999', C.jansen, 9001, '01', '01A01') },
    { input: 'wmo-toewijzingen', xml: wmo('9999', C.pietersen, 9003, '01', '01A01') },
    { input: 'wmo-toewijzingen', xml: wmo('9999', C.hostile, 9004, '02', '02A01') },
    { input: 'wmo-toewijzingen', xml: wmo('9998', C.bakker, 9801, '01', '01A01') },
    { input: 'indicatiebesluiten', xml: io31(C.jansen, 300001) },
    { input: 'indicatiebesluiten', xml: io31(C.pietersen, 300003) },
    { input: 'indicatiebesluiten', xml: io31(C.hostile, 300004) },
    { input: 'indicatiebesluiten', xml: io31(C.bakker, 300002) },
    { input: 'zorgtoewijzingen', xml: aw33(C.jansen, 300001, 14) },
    { input: 'zorgtoewijzingen', xml: aw33(C.pietersen, 300003, 10) },
    { input: 'zorgtoewijzingen', xml: aw33(C.bakker, 300002, 7) },
  ];
}
