/**
 * Domain facts: what the chain's messages say about one client, after parsing and validation.
 * Pure data, JSON-serialisable (they are stored in the register as they are).
 *
 * Every fact has a `key` (its identity inside one client's register: a later version of the same key
 * replaces the earlier one) and a `version` (a sortable string taken from the message content, e.g.
 * Dagtekening or Toewijzingsdatum+tijd). The register keeps, per key, the fact with the highest
 * (version, input position).
 */

/** Calendar date `YYYY-MM-DD`, no timezone (iStandaarden dates carry none). */
export type IsoDate = string;
/** Time `HH:MM:SS`. */
export type IsoTime = string;

export interface Naam {
  achternaam: string;
  voorvoegsel?: string;
  partnerAchternaam?: string;
  partnerVoorvoegsel?: string;
  voorletters?: string;
  voornamen?: string;
  /** COD700 NaamGebruik code, e.g. "1". */
  naamGebruik?: string;
}

/**
 * One Client/Contactgegevens/Contact of an iWmo or iWlz message (address and/or telephone). Optional: a
 * WMO301 the engine sends to end a toewijzing must carry the client's contact (TR061: at least one address
 * with Soort 01, 02 or 03; TR006: Telefoon and/or Huis+Postcode), taken from the gemeente's own WMO301.
 */
export interface Contact {
  /** COD757 AdresSoort: 01 BRP-adres, 02 correspondentie-adres, 03 verblijfadres, 04 tijdelijk verblijfadres. */
  soort: string;
  huisnummer?: string;
  huisletter?: string;
  huisnummerToevoeging?: string;
  /** NUM061 AanduidingWoonadres (AB, BY, TO, WW). */
  aanduidingWoonadres?: string;
  postcode?: string;
  straatnaam?: string;
  plaatsnaam?: string;
  /** COD032 LandCode, e.g. "NL". */
  landCode?: string;
  /** Telefoon01: digits only, and its Landnummer (e.g. "0031"). */
  telefoonnummer?: string;
  landnummer?: string;
  emailadres?: string;
}

export interface ClientGegevens {
  bsn: string;
  geboortedatum?: IsoDate;
  /** Datum-gebruik code for an incomplete birth date (iWmo/iWlz CDT_Geboortedatum), when present. */
  geboortedatumGebruik?: string;
  /** COD046 Geslacht. */
  geslacht?: string;
  naam?: Naam;
  /** Client/Contactgegevens, when the message carries them (WMO301, IO31, AW33). */
  contactgegevens?: Contact[];
}

export type SourceKind = 'IO31' | 'AW33' | 'WMO301' | 'CSV' | 'NETWERKMODEL';

/** Where a fact came from: the message identity used for de-duplication. */
export interface FactSource {
  kind: SourceKind;
  /** sender + BerichtIdentificatie (Identificatie + Dagtekening) for XML; the event id for JSON; file+row for CSV. */
  messageId: string;
}

export interface GeindiceerdZorgzwaartepakket {
  zzpCode: string;
  ingangsdatum: IsoDate;
  einddatum?: IsoDate;
  voorkeurClient?: string;
}

export interface GeindiceerdeFunctie {
  functieCode: string;
  ingangsdatum?: IsoDate;
  einddatum?: IsoDate;
}

/** A Wlz indicatiebesluit (IO31, or a netwerkmodel WlzIndicatie event). key = `indicatie:<besluitnummer>`. */
export interface WlzIndicatieFact {
  type: 'wlz-indicatie';
  key: string;
  version: string;
  source: FactSource;
  client: ClientGegevens;
  besluitnummer: string;
  afgiftedatum: IsoDate;
  ingangsdatum: IsoDate;
  einddatum?: IsoDate;
  zorgzwaartepakketten: GeindiceerdZorgzwaartepakket[];
  functies: GeindiceerdeFunctie[];
  grondslagen: string[];
  /** `actueel`; `verwijderd` (VERWIJDERDE_INDICATIE: never valid); `vervallen` (valid until vervaldatum). */
  status: 'actueel' | 'verwijderd' | 'vervallen';
  vervaldatum?: IsoDate;
}

/**
 * One toegewezen zorgzwaartepakket or functie from an AW33.
 * key = `zorgtoewijzing:<besluitnummer>:<code>:<instelling>:<ingangsdatum>`; version = `<toewijzingsdatum>T<toewijzingstijd>`.
 */
export interface WlzZorgtoewijzingFact {
  type: 'wlz-zorgtoewijzing';
  key: string;
  version: string;
  source: FactSource;
  client: ClientGegevens;
  besluitnummer: string;
  soort: 'zzp' | 'functie';
  /** ZzpCode or FunctieCode. */
  code: string;
  instelling: string;
  zorgkantoor: string;
  soortToewijzing: string;
  toewijzingsdatum: IsoDate;
  toewijzingstijd: IsoTime;
  ingangsdatum: IsoDate;
  einddatum?: IsoDate;
  redenIntrekking?: string;
  /** COD578 Leveringsvorm: 2 PGB, 4 Verblijf, 5 VPT, 7 MPT, 8 DTV, 9 VKB, … */
  leveringsvorm: string;
}

export interface Omvang {
  volume: string;
  eenheid: string;
  frequentie: string;
}

/**
 * A Wmo toewijzing of one gemeente (WMO301 ToegewezenProduct, or a CSV row with soort=voorziening).
 * key = `wmo:<gemeente>:<toewijzingnummer>`; version = `<toewijzingsdatum>T<toewijzingstijd>`.
 * Keeps everything needed to re-send it unchanged in a WMO301 (OP087).
 */
export interface WmoToewijzingFact {
  type: 'wmo-toewijzing';
  key: string;
  version: string;
  source: FactSource;
  client: ClientGegevens;
  gemeente: string;
  aanbieder: string;
  toewijzingnummer: string;
  productcategorie: string;
  productcode?: string;
  toewijzingsdatum: IsoDate;
  toewijzingstijd: IsoTime;
  ingangsdatum: IsoDate;
  einddatum?: IsoDate;
  redenWijziging?: string;
  omvang?: Omvang;
  budget?: string;
  commentaar?: string;
  /** Raw extra WMO301 product fields needed to re-send the product unchanged (e.g. ReferentieAanbieder). */
  extra?: Record<string, string>;
}

/** A Wmo aanvraag (CSV soort=aanvraag): no toewijzing yet. key = `aanvraag:<gemeente>:<id>`. */
export interface WmoAanvraagFact {
  type: 'wmo-aanvraag';
  key: string;
  version: string;
  source: FactSource;
  client: ClientGegevens;
  gemeente: string;
  aanvraagId: string;
  productcategorie?: string;
  productcode?: string;
  aanbieder?: string;
  ingangsdatum?: IsoDate;
  einddatum?: IsoDate;
}

export type Fact = WlzIndicatieFact | WlzZorgtoewijzingFact | WmoToewijzingFact | WmoAanvraagFact;
export type FactType = Fact['type'];
