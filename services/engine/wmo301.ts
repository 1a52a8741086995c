/**
 * The WMO301 the engine sends an aanbieder, as a model (rendered to XML by services/messages/wmo301.ts):
 * the products, the client and the header values. What goes in is the engine's decision; how it looks on
 * the wire is not.
 */
import type { ClientGegevens, IsoDate, IsoTime, Omvang, WmoToewijzingFact } from '../domain/facts';

export interface Wmo301Product {
  toewijzingnummer: string;
  referentieAanbieder?: string;
  productcategorie?: string;
  productcode?: string;
  toewijzingsdatum: IsoDate;
  toewijzingstijd: IsoTime;
  ingangsdatum: IsoDate;
  einddatum?: IsoDate;
  redenWijziging?: string;
  omvang?: Omvang;
  budget?: string;
  commentaar?: string;
}

export interface Wmo301 {
  /** CBS gemeentecode (4 digits). */
  afzender: string;
  /** AGB code of the aanbieder (8 digits). */
  ontvanger: string;
  identificatie: string;
  dagtekening: IsoDate;
  client: ClientGegevens;
  producten: Wmo301Product[];
}

/** A toewijzing as the gemeente last sent it, to re-send unchanged: RedenWijziging empty (IV099). */
export function ongewijzigd(w: WmoToewijzingFact): Wmo301Product {
  const p: Wmo301Product = {
    toewijzingnummer: w.toewijzingnummer,
    productcategorie: w.productcategorie,
    toewijzingsdatum: w.toewijzingsdatum,
    toewijzingstijd: w.toewijzingstijd,
    ingangsdatum: w.ingangsdatum,
  };
  const ref = w.extra?.['ReferentieAanbieder'];
  if (ref !== undefined) p.referentieAanbieder = ref;
  if (w.productcode !== undefined) p.productcode = w.productcode;
  if (w.einddatum !== undefined) p.einddatum = w.einddatum;
  if (w.omvang !== undefined) p.omvang = w.omvang;
  if (w.budget !== undefined) p.budget = w.budget;
  if (w.commentaar !== undefined) p.commentaar = w.commentaar;
  return p;
}

/**
 * A product as the rules the XSD does not check allow it: CD077/CD078 (Budget and Omvang exclude each other:
 * Budget wins), CD080 (no Omvang without a productcode when the Einddatum is after 2020 or absent), and no
 * ReferentieAanbieder on a product changed on the gemeente's initiative (IV097). A no-op on valid input.
 */
export function conform(p: Wmo301Product): Wmo301Product {
  const out = { ...p };
  const zonderCode = p.productcode === undefined && (p.einddatum === undefined || p.einddatum > '2020-12-31');
  if (p.budget !== undefined || zonderCode) delete out.omvang;
  if (p.redenWijziging !== undefined) delete out.referentieAanbieder;
  return out;
}
