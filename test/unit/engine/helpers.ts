/**
 * Test helpers: read the engine's outputs back (CloudEvents, WMO301) and check them against the JSON
 * Schema, the XSD and the WMO301 rules the XSD does not check.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Contact, WmoToewijzingFact } from '../../../services/domain/facts';
import type { SignaalData, VervallenData } from '../../../services/engine';
import type { Wmo301, Wmo301Product } from '../../../services/engine/wmo301';
import type { CloudEvent } from '../../../services/messages/cloudevents';
import type { Output } from './rendered';
import { op087Violations, wmo301Violations, type Violation } from '../../../services/messages/wmo301-rules';
import { validateXml } from '../../support/xsd';

const schema = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../schemas/notification.schema.json'), 'utf8'),
) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
export const validateNotification = ajv.compile(schema);

export type Event = CloudEvent<SignaalData & VervallenData & Record<string, unknown>>;

export const samenloop = (outputs: readonly Output[]) => outputs.filter((o) => o.channel === 'samenloop');
export const beeindigingen = (outputs: readonly Output[]) =>
  outputs.filter((o) => o.channel === 'beeindigingen');

/** The CloudEvents among the outputs; each one is checked against the JSON Schema and the Output envelope. */
export function events(outputs: readonly Output[]): Event[] {
  return samenloop(outputs).map((o) => {
    const ev = JSON.parse(o.value!) as Event;
    if (!validateNotification(ev)) {
      throw new Error(
        `notification fails the schema: ${ajv.errorsText(validateNotification.errors)}\n${o.value}`,
      );
    }
    if (ev.id !== o.id || ev.subject !== o.key || o.contentType !== 'application/cloudevents+json') {
      throw new Error(`output envelope does not match the event: ${JSON.stringify(o)}`);
    }
    if (o.key.includes(ev.data?.client?.bsn ?? '\u0000')) throw new Error('BSN in the Kafka key');
    return ev;
  });
}

const parser = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  ignoreAttributes: true,
  isArray: (name) => name === 'Contact' || name === 'ToegewezenProduct',
});

type X = Record<string, unknown>;
const s = (o: unknown, k: string): string | undefined => {
  const v = (o as X | undefined)?.[k];
  return typeof v === 'string' ? v : undefined;
};

/** A WMO301 read back into the builder's model (for the rules check). */
export function parseWmo301(xml: string): Wmo301 {
  const b = (parser.parse(xml) as X)['Bericht'] as X;
  const h = b['Header'] as X;
  const c = b['Client'] as X;
  const naam = c['Naam'] as X;
  const contacten = ((c['Contactgegevens'] as X)['Contact'] as X[]).map((x): Contact => {
    const a = x['Adres'] as X | undefined;
    const huis = a?.['Huis'] as X | undefined;
    const tel = (x['Telefoon'] as X | undefined)?.['Telefoon01'] as X | undefined;
    const out: Contact = { soort: s(x, 'Soort')! };
    const set = (k: keyof Contact, v: string | undefined) => {
      if (v !== undefined) out[k] = v;
    };
    set('huisnummer', s(huis, 'Huisnummer'));
    set('postcode', s(a, 'Postcode'));
    set('straatnaam', s(a, 'Straatnaam'));
    set('plaatsnaam', s(a, 'Plaatsnaam'));
    set('landCode', s(a, 'LandCode'));
    set('telefoonnummer', s(tel, 'Telefoonnummer'));
    set('landnummer', s(tel, 'Landnummer'));
    return out;
  });
  const producten = ((c['ToegewezenProducten'] as X)['ToegewezenProduct'] as X[]).map((p): Wmo301Product => {
    const out: Wmo301Product = {
      toewijzingnummer: s(p, 'ToewijzingNummer')!,
      toewijzingsdatum: s(p, 'Toewijzingsdatum')!,
      toewijzingstijd: s(p, 'Toewijzingstijd')!,
      ingangsdatum: s(p, 'Ingangsdatum')!,
    };
    const product = p['Product'] as X | undefined;
    const omvang = p['Omvang'] as X | undefined;
    const opt = (k: keyof Wmo301Product, v: string | undefined) => {
      if (v !== undefined) (out as unknown as Record<string, string>)[k] = v;
    };
    opt('referentieAanbieder', s(p, 'ReferentieAanbieder'));
    opt('productcategorie', s(product, 'Categorie'));
    opt('productcode', s(product, 'Code'));
    opt('einddatum', s(p, 'Einddatum'));
    opt('redenWijziging', s(p, 'RedenWijziging'));
    opt('budget', s(p, 'Budget'));
    opt('commentaar', s(p, 'Commentaar'));
    if (omvang)
      out.omvang = {
        volume: s(omvang, 'Volume')!,
        eenheid: s(omvang, 'Eenheid')!,
        frequentie: s(omvang, 'Frequentie')!,
      };
    return out;
  });
  const identificatie = h['BerichtIdentificatie'] as X;
  return {
    afzender: s(h, 'Afzender')!,
    ontvanger: s(h, 'Ontvanger')!,
    identificatie: s(identificatie, 'Identificatie')!,
    dagtekening: s(identificatie, 'Dagtekening')!,
    client: {
      bsn: s(c, 'Bsn')!,
      naam: { achternaam: s(naam['Geslachtsnaam'] as X, 'Achternaam')! },
      contactgegevens: contacten,
    },
    producten,
  };
}

/**
 * Every problem with a WMO301 output: the XSD (xmllint), the rules the XSD does not check, OP087 against the
 * client's toewijzingen (as the aanbieder knows them: `toewijzingen`), and the Output envelope.
 */
export function wmo301Problems(o: Output, toewijzingen: readonly WmoToewijzingFact[]): string[] {
  const problems: string[] = [];
  const xsd = validateXml('WMO301', o.value!);
  if (!xsd.valid) problems.push(`XSD: ${xsd.output}`);
  const m = parseWmo301(o.value!);
  const v: Violation[] = [...wmo301Violations(m), ...op087Violations(m, toewijzingen)];
  problems.push(...v.map((x) => `${x.rule}: ${x.detail}`));
  if (o.id !== m.identificatie) problems.push('Output.id is not the Identificatie');
  if (o.key !== m.ontvanger) problems.push('Output.key is not the aanbieder');
  if (o.gemeente !== m.afzender) problems.push('Output.gemeente is not the Afzender');
  if (o.contentType !== 'application/xml') problems.push('contentType');
  return problems;
}

export const product = (o: Output, nummer: string): Wmo301Product | undefined =>
  parseWmo301(o.value!).producten.find((p) => p.toewijzingnummer === nummer);
