/**
 * WMO301 Toewijzing Wmo-ondersteuning (iWmo 3.2, BerichtCode 414), structure from
 * ../shared/istandaarden/iwmo/xsd/WMO301.xsd (reference/iwmo.md §2). See common.ts for what these schemas do and
 * do not check. Exactly one Client per message.
 */
import { z } from 'zod';
import {
  BerichtIdentificatie,
  Communicatie,
  Contactgegevens,
  Geboortedatum,
  Relaties,
  VolledigeNaam,
  XsdVersie,
  leaf,
  many,
  optionalLeaf,
  text,
} from '../istandaard/schema';

/** Afzender is the gemeente (4-digit CBS code), Ontvanger the aanbieder (8-digit AGB). */
export const Wmo301Header = z.strictObject({
  BerichtCode: leaf,
  BerichtVersie: leaf,
  BerichtSubversie: leaf,
  Afzender: leaf,
  Ontvanger: leaf,
  BerichtIdentificatie,
  XsdVersie,
});

export const Product = z.strictObject({
  Categorie: leaf,
  Code: text(5).optional(),
});

export const Omvang = z.strictObject({
  Volume: leaf,
  Eenheid: leaf,
  Frequentie: leaf,
});

export const ToegewezenProduct = z.strictObject({
  ToewijzingNummer: leaf,
  ReferentieAanbieder: text(36).optional(),
  Product: Product.optional(),
  Toewijzingsdatum: leaf,
  Toewijzingstijd: leaf,
  Ingangsdatum: leaf,
  Einddatum: optionalLeaf,
  RedenWijziging: optionalLeaf,
  Omvang: Omvang.optional(),
  Budget: optionalLeaf,
  Commentaar: optionalLeaf,
});

export const Wmo301Client = z.strictObject({
  Bsn: leaf,
  Geboortedatum,
  Geslacht: leaf,
  Naam: VolledigeNaam,
  Communicatie: Communicatie.optional(),
  JuridischeStatus: optionalLeaf,
  WettelijkeVertegenwoordiging: optionalLeaf,
  Commentaar: optionalLeaf,
  Relaties: Relaties.optional(),
  Contactgegevens,
  ToegewezenProducten: z.strictObject({ ToegewezenProduct: many(ToegewezenProduct) }),
});

/** The children of wmo301:Bericht. */
export const Wmo301Bericht = z.strictObject({
  Header: Wmo301Header,
  Client: Wmo301Client,
});

export type Wmo301Xml = z.infer<typeof Wmo301Bericht>;
export type ToegewezenProductXml = z.infer<typeof ToegewezenProduct>;
