/**
 * Shapes shared by the iWlz 2.2 and iWmo 3.2 message schemas, derived from the basisschema XSDs
 * (../shared/istandaarden/{iwlz,iwmo}/xsd/Basisschema.xsd; both define these CDT_* types identically).
 *
 * These zod schemas check structure only: which elements exist, which are required, which repeat, and the
 * lengths of values we copy into facts. Values (dates, codes, BSN, AGB, gemeentecode) are checked by the parsers
 * in services/ingest so that each failure gets its own error code; after them xsd-type-check.ts checks every leaf
 * against its XSD simple type (generated into xsd-types.ts), so that nothing the XSD rejects is accepted. Objects are strict: an element the XSD does
 * not declare is a SCHEMA error. Element order (xs:sequence) is checked afterwards, by xsd-type-check.ts.
 *
 * The plain objects these schemas read are built by services/ingest/structure.ts from the namespace-checked
 * element tree: a leaf element becomes its (trimmed) text, a complex element an object keyed by local name, and
 * an element listed in REPEATED_ELEMENTS an array.
 */
import { z } from 'zod';

/** Character content: present and not empty (every XSD leaf type in scope excludes the empty string). */
export const leaf = z.string().min(1);
export const optionalLeaf = leaf.optional();
/** Character content with an XSD maxLength. */
export const text = (maxLength: number) => leaf.max(maxLength);
/** An element with maxOccurs > 1 (at least one occurrence when present). */
export const many = <T extends z.ZodType>(item: T) => z.array(item).min(1);

/**
 * The parent/child pairs that repeat, with the most repetitions of each accepted in one message (`TOO_MANY` beyond it). The
 * XSDs say `unbounded`; these bound the work and the output one input record can cause. `Clienten/Client`
 * counts the clients of a batch message; every other limit is per client (its element sits inside one
 * Client). Chosen far above what a real message holds: a client has a handful of Wmo toewijzingen at one
 * aanbieder, one or two contact addresses, a few relaties, stoornissen, functies and zorgzwaartepakketten.
 */
export const REPEAT_LIMITS: Readonly<Record<string, number>> = {
  'Clienten/Client': 1000,
  'Contactgegevens/Contact': 10,
  'Relaties/Relatie': 20,
  'Stoornissen/Stoornis': 50,
  'Beperkingen/Beperking': 50,
  'BeperkingScores/BeperkingScore': 100,
  'StoornisScores/StoornisScore': 100,
  'GeindiceerdeFuncties/GeindiceerdeFunctie': 50,
  'GeindiceerdeZorgzwaartepakketten/GeindiceerdZorgzwaartepakket': 20,
  'ToegewezenFuncties/ToegewezenFunctie': 50,
  'ToegewezenZorgzwaartepakketten/ToegewezenZorgzwaartepakket': 20,
  'ToegewezenProducten/ToegewezenProduct': 100,
};

/**
 * Parent/child pairs where the XSD allows maxOccurs > 1 (IO31, AW33, WMO301). Only these become arrays;
 * any other element that occurs twice is a SCHEMA error. Note `Contactgegevens/Contact` repeats but
 * `Relatie/Contact` does not.
 */
export const REPEATED_ELEMENTS: ReadonlySet<string> = new Set(Object.keys(REPEAT_LIMITS));

/**
 * Message-namespace elements whose type is a basisschema complex type (CDT_*): with elementFormDefault
 * "qualified", their children are in the basisschema namespace (and so are the children of those children).
 * Every other element is in the message namespace. The names are unambiguous across IO31, AW33 and WMO301.
 */
export const BASISSCHEMA_CONTAINERS: ReadonlySet<string> = new Set([
  'BerichtIdentificatie', // CDT_BerichtIdentificatie
  'XsdVersie', // CDT_XsdVersie
  'Geboortedatum', // CDT_Geboortedatum
  'Naam', // CDT_VolledigeNaam
  'Communicatie', // CDT_Communicatie
  'Wzd', // CDT_Wzd (iWlz)
  'Adres', // CDT_Adres
  'Telefoon', // CDT_Telefoonnummers
  'Periode', // CDT_OpenPeriode
  'Grondslagen', // CDT_Grondslagen (iWlz)
  'Product', // CDT_Product (iWmo)
  'Omvang', // CDT_Omvang (iWmo)
]);

export const BerichtIdentificatie = z.strictObject({
  Identificatie: text(12),
  Dagtekening: leaf,
});

export const XsdVersie = z.strictObject({
  BasisschemaXsdVersie: leaf,
  BerichtXsdVersie: leaf,
});

export const Geboortedatum = z.strictObject({
  Datum: leaf,
  DatumGebruik: optionalLeaf,
});

export const Achternaam = z.strictObject({
  Achternaam: text(200),
  Voorvoegsel: text(10).optional(),
});

export const VolledigeNaam = z.strictObject({
  Geslachtsnaam: Achternaam,
  Partnernaam: Achternaam.optional(),
  Voornamen: text(200).optional(),
  Voorletters: text(6).optional(),
  NaamGebruik: leaf,
});

export const Communicatie = z.strictObject({
  Vorm: leaf,
  Taal: optionalLeaf,
});

export const Huis = z.strictObject({
  Huisnummer: leaf,
  Huisletter: optionalLeaf,
  HuisnummerToevoeging: optionalLeaf,
  AanduidingWoonadres: optionalLeaf,
});

export const Adres = z.strictObject({
  Huis: Huis.optional(),
  Postcode: optionalLeaf,
  Straatnaam: optionalLeaf,
  Plaatsnaam: optionalLeaf,
  LandCode: optionalLeaf,
});

export const Telefoon = z.strictObject({
  Telefoonnummer: leaf,
  Landnummer: leaf,
});

export const Telefoonnummers = z.strictObject({
  Telefoon01: Telefoon,
  Telefoon02: Telefoon.optional(),
});

export const OpenPeriode = z.strictObject({
  Begindatum: optionalLeaf,
  Einddatum: optionalLeaf,
});

/** io31:Contact, aw33:Contact, wmo301:Contact (same in the three messages). */
export const Contact = z.strictObject({
  Soort: leaf,
  Adres: Adres.optional(),
  Organisatie: optionalLeaf,
  Telefoon: Telefoonnummers.optional(),
  Emailadres: optionalLeaf,
  Periode: OpenPeriode.optional(),
});

export const Contactgegevens = z.strictObject({ Contact: many(Contact) });

export const Relatie = z.strictObject({
  Nummer: leaf,
  Volgorde: optionalLeaf,
  Soort: leaf,
  Geboortedatum: Geboortedatum.optional(),
  Geslacht: optionalLeaf,
  Naam: VolledigeNaam,
  Contact,
});

export const Relaties = z.strictObject({ Relatie: many(Relatie) });

export type VolledigeNaamXml = z.infer<typeof VolledigeNaam>;
export type GeboortedatumXml = z.infer<typeof Geboortedatum>;
export type XsdVersieXml = z.infer<typeof XsdVersie>;
export type ContactXml = z.infer<typeof Contact>;
