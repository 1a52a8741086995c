import { addDays } from '../services/domain/dates';
import type { IsoDate } from '../services/domain/facts';
import { buildAw33, buildIo31, buildWmo301 } from '../test/fixtures/builders';

/**
 * The demo's story, built with the project's own XSD-valid builders and dated relative to the processing
 * day, so that it tells the same story on any day (test/unit/demo/scenario.test.ts runs it on dates years
 * apart). Two gemeenten, three clients:
 *
 * - gemeente 9999 (policy `voorstel`): mevrouw Jansen has huishoudelijke hulp (Wmo 01). The CIZ gives her a
 *   Wlz indicatie (no zorgtoewijzing yet): the gemeente is asked to beoordelen. Then the zorgkantoor assigns
 *   verblijf from two weeks on: the Wlz comes first, and a beëindiging is proposed for the day before.
 * - gemeente 9999: meneer De Vries has begeleiding (Wmo 02); his CIZ besluit is a partnerverblijf (ZZP 999),
 *   which gives no access to Wlz care: nothing is signalled.
 * - gemeente 9998 (policy `automatisch`): mevrouw Bakker has huishoudelijke hulp and gets verblijf from one
 *   week on: the WMO301 that ends her Wmo toewijzing goes to the aanbieder by itself.
 */

export type { InputKind as DemoInput } from '../services/ingest/kinds';
import type { InputKind as DemoInput } from '../services/ingest/kinds';

export interface DemoStep {
  input: DemoInput;
  /** What happens, for the person watching the demo. */
  what: string;
  xml: string;
}

/** The gemeenten of the demo and their policies (GEMEENTE_POLICIES). */
export const DEMO_POLICIES = '9999=voorstel,9998=automatisch';

/** The gemeenten of the demo (GEMEENTEN): each writes its WMO301s to its own toewijzingen topic. */
export const DEMO_GEMEENTEN = '9999,9998';

export const DEMO_CLIENTS = {
  jansen: { bsn: '999990019', achternaam: 'Jansen', voorletters: 'M', geboortedatum: '1938-04-02' },
  devries: { bsn: '999990032', achternaam: 'Vries', voorletters: 'P', geboortedatum: '1941-05-17' },
  bakker: { bsn: '999990044', achternaam: 'Bakker', voorletters: 'H', geboortedatum: '1944-09-12' },
} as const;

const AANBIEDER = '99000001';

export function demoScenario(today: IsoDate): DemoStep[] {
  const d = (days: number) => addDays(today, days);
  const person = (c: (typeof DEMO_CLIENTS)[keyof typeof DEMO_CLIENTS]) => ({
    bsn: c.bsn,
    achternaam: c.achternaam,
    voorletters: c.voorletters,
    voornamen: null,
    geboortedatum: c.geboortedatum,
    ...(c === DEMO_CLIENTS.devries ? { voorvoegsel: 'de' } : {}),
  });
  const wmo = (
    gemeente: string,
    c: (typeof DEMO_CLIENTS)[keyof typeof DEMO_CLIENTS],
    nummer: number,
    categorie: string,
    code: string,
  ) =>
    buildWmo301({
      ...person(c),
      gemeente,
      aanbieder: AANBIEDER,
      identificatie: `DEMO${nummer}`,
      dagtekening: d(-120),
      toewijzingnummer: nummer,
      productcategorie: categorie,
      productcode: code,
      toewijzingsdatum: d(-120),
      toewijzingstijd: '09:00:00',
      ingangsdatum: d(-120),
      einddatum: null,
    });
  const io31 = (c: (typeof DEMO_CLIENTS)[keyof typeof DEMO_CLIENTS], besluit: number, zzp: string) =>
    buildIo31({
      ...person(c),
      identificatie: `CIZ${besluit}`,
      dagtekening: d(-7),
      besluitnummer: besluit,
      afgiftedatum: d(-7),
      ingangsdatum: d(-7),
      einddatum: null,
      zzps: [zzp],
    });
  const aw33 = (c: (typeof DEMO_CLIENTS)[keyof typeof DEMO_CLIENTS], besluit: number, start: number) =>
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

  return [
    {
      input: 'wmo-toewijzingen',
      what: 'gemeente 9999 assigns mevrouw Jansen huishoudelijke hulp (Wmo 01)',
      xml: wmo('9999', DEMO_CLIENTS.jansen, 9001, '01', '01A01'),
    },
    {
      input: 'wmo-toewijzingen',
      what: 'gemeente 9999 assigns meneer De Vries begeleiding (Wmo 02)',
      xml: wmo('9999', DEMO_CLIENTS.devries, 9002, '02', '02A01'),
    },
    {
      input: 'wmo-toewijzingen',
      what: 'gemeente 9998 assigns mevrouw Bakker huishoudelijke hulp (Wmo 01)',
      xml: wmo('9998', DEMO_CLIENTS.bakker, 9801, '01', '01A01'),
    },
    {
      input: 'indicatiebesluiten',
      what: 'the CIZ gives mevrouw Jansen a Wlz indicatie (5VV), no zorgtoewijzing yet',
      xml: io31(DEMO_CLIENTS.jansen, 200001, '754'),
    },
    {
      input: 'indicatiebesluiten',
      what: 'the CIZ records a partnerverblijf (ZZP 999) for meneer De Vries: no Wlz access',
      xml: io31(DEMO_CLIENTS.devries, 200002, '999'),
    },
    {
      input: 'indicatiebesluiten',
      what: 'the CIZ gives mevrouw Bakker a Wlz indicatie (5VV)',
      xml: io31(DEMO_CLIENTS.bakker, 200003, '754'),
    },
    {
      input: 'zorgtoewijzingen',
      what: 'the zorgkantoor assigns mevrouw Jansen verblijf from two weeks on',
      xml: aw33(DEMO_CLIENTS.jansen, 200001, 14),
    },
    {
      input: 'zorgtoewijzingen',
      what: 'the zorgkantoor assigns mevrouw Bakker verblijf from one week on',
      xml: aw33(DEMO_CLIENTS.bakker, 200003, 7),
    },
  ];
}
