/**
 * WMO301 Toewijzing Wmo-ondersteuning (iWmo 3.2, BerichtCode 414; gemeente → aanbieder): one WmoToewijzingFact
 * per ToegewezenProduct. key `wmo:<gemeente>:<ToewijzingNummer>`, version `<Toewijzingsdatum>T<Toewijzingstijd>`
 * (OP033x1: "De meest recente toewijzing op basis van toewijzingsdatum en -tijd is bepalend"; reference/iwmo.md §3).
 *
 * gemeente = Header/Afzender, aanbieder = Header/Ontvanger. The fact keeps what is needed to re-send the product
 * unchanged in a later WMO301 (OP087): the client's naam/geboortedatum/geslacht, Product, dates, Omvang or Budget,
 * Commentaar, and in `extra` the product elements that have no field of their own (ReferentieAanbieder).
 * A ToegewezenProduct without Product (allowed by the XSD when Budget is filled, CD079) has productcategorie ''.
 */
import { type ToegewezenProductXml, Wmo301Bericht } from './schema';
import { EENHEID, FREQUENTIE, PRODUCTCATEGORIE, REDEN_WIJZIGING } from '../../domain/codelists';
import type { ClientGegevens, FactSource, WmoToewijzingFact } from '../../domain/facts';
import {
  canonicalInteger,
  checkAgb,
  checkCode,
  checkDate,
  checkGemeentecode,
  checkOptionalCode,
  checkOptionalDate,
  checkPeriod,
  checkTime,
  clientLabel,
  fail,
} from '../checks';
import { checkHeader, clientGegevens, withoutUndefined } from '../istandaard/header';
import { checkStructure, toPlain } from '../structure';
import { checkSimpleTypes } from '../istandaard/xsd-type-check';
import { XSD_MESSAGE_TREES, XSD_SIMPLE_TYPES } from '../istandaard/xsd-types';
import type { ParsedMessage } from '../types';
import type { XmlKindInfo } from '../kinds';
import type { XmlElement } from '../xml';

/** Product elements kept verbatim in `extra` (everything else has a field of its own). */
export const WMO301_EXTRA_ELEMENTS = ['ReferentieAanbieder'] as const;

/** Parses a recognised WMO301 root element. Throws a Rejection. */
export function parseWmo301(root: XmlElement, kind: XmlKindInfo<typeof Wmo301Bericht>): ParsedMessage {
  const plain = toPlain(root, kind.namespaces);
  const xml = checkStructure(kind.schema, plain, root.name);
  const { identificatie, dagtekening } = checkHeader(xml.Header, kind.header);
  const gemeente = checkGemeentecode(xml.Header.Afzender, 'Afzender (gemeente)');
  const aanbieder = checkAgb(xml.Header.Ontvanger, 'Ontvanger (aanbieder)', 'the header');
  const messageId = `WMO301:${gemeente}:${identificatie}:${dagtekening}`;
  const source: FactSource = { kind: kind.name, messageId };
  const client = clientGegevens(xml.Client, clientLabel(0));
  const facts = xml.Client.ToegewezenProducten.ToegewezenProduct.map((p, i) =>
    productFact(p, i, { source, client, gemeente, aanbieder }),
  );
  checkSimpleTypes(plain, XSD_MESSAGE_TREES.WMO301, XSD_SIMPLE_TYPES, root.name);
  return { kind: 'WMO301', messageId, facts };
}

interface ProductContext {
  source: FactSource;
  client: ClientGegevens;
  gemeente: string;
  aanbieder: string;
}

function productFact(p: ToegewezenProductXml, index: number, c: ProductContext): WmoToewijzingFact {
  // Named by its position, not its ToewijzingNummer: any 9-digit number is one, a BSN too.
  const ctx = `ToegewezenProduct #${index + 1}`;
  const nummer = canonicalInteger(p.ToewijzingNummer, 0, 999_999_999, 'ToewijzingNummer', ctx);
  if (p.Product === undefined && p.Budget === undefined) {
    fail('SCHEMA', `${ctx} has neither Product nor Budget (CD079: Product is required when Budget is empty)`);
  }
  const toewijzingsdatum = checkDate(p.Toewijzingsdatum, 'Toewijzingsdatum', ctx);
  const toewijzingstijd = checkTime(p.Toewijzingstijd, 'Toewijzingstijd', ctx);
  const ingangsdatum = checkDate(p.Ingangsdatum, 'Ingangsdatum', ctx);
  const einddatum = checkOptionalDate(p.Einddatum, 'Einddatum', ctx);
  checkPeriod(ingangsdatum, einddatum, ctx);
  const extra: Record<string, string> = {};
  for (const element of WMO301_EXTRA_ELEMENTS) {
    const value = p[element];
    if (value !== undefined) extra[element] = value;
  }
  return withoutUndefined({
    type: 'wmo-toewijzing',
    key: `wmo:${c.gemeente}:${nummer}`,
    version: `${toewijzingsdatum}T${toewijzingstijd}`,
    source: c.source,
    client: c.client,
    gemeente: c.gemeente,
    aanbieder: c.aanbieder,
    toewijzingnummer: nummer,
    productcategorie: p.Product
      ? checkCode(PRODUCTCATEGORIE, 'Productcategorie', p.Product.Categorie, ctx)
      : '',
    productcode: p.Product?.Code,
    toewijzingsdatum,
    toewijzingstijd,
    ingangsdatum,
    einddatum,
    redenWijziging: checkOptionalCode(REDEN_WIJZIGING, 'RedenWijziging', p.RedenWijziging, ctx),
    omvang: p.Omvang && {
      volume: canonicalInteger(p.Omvang.Volume, 0, 99_999_999, 'Volume', ctx),
      eenheid: checkCode(EENHEID, 'Eenheid', p.Omvang.Eenheid, ctx),
      frequentie: checkCode(FREQUENTIE, 'Frequentie', p.Omvang.Frequentie, ctx),
    },
    budget: p.Budget === undefined ? undefined : canonicalInteger(p.Budget, 0, 99_999_999, 'Budget', ctx),
    commentaar: p.Commentaar,
    extra: Object.keys(extra).length > 0 ? extra : undefined,
  });
}
