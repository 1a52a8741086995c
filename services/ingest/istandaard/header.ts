/** Header and client checks shared by the IO31, AW33 and WMO301 parsers. */
import type { ContactXml, GeboortedatumXml, VolledigeNaamXml, XsdVersieXml } from './schema';
import { ADRES_SOORT, DATUM_GEBRUIK, GESLACHT, NAAM_GEBRUIK } from '../../domain/codelists';
import type { ClientGegevens, Contact, IsoDate, Naam } from '../../domain/facts';
import { checkBsn, checkCode, checkDate, checkOptionalCode, fail, isXsdVersion } from '../checks';

export interface HeaderExpectation {
  /** Message name for reasons, e.g. `IO31`. */
  message: string;
  berichtCode: string;
  berichtVersie: string;
  berichtSubversie: string;
}

/** BerichtXsdVersie and BasisschemaXsdVersie: the XSDs' appinfo gives min = max = 1.0.0 (iWlz 2.2 and iWmo 3.2). */
export const XSD_VERSION = '1.0.0';

interface HeaderXml {
  BerichtCode: string;
  BerichtVersie: string;
  BerichtSubversie: string;
  BerichtIdentificatie: { Identificatie: string; Dagtekening: string };
  XsdVersie: XsdVersieXml;
}

/** Checks the fixed header values (INVALID_HEADER) and the Dagtekening (INVALID_DATE); returns the identity. */
export function checkHeader(
  header: HeaderXml,
  expected: HeaderExpectation,
): { identificatie: string; dagtekening: IsoDate } {
  const fields: [string, string, string][] = [
    ['BerichtCode', header.BerichtCode, expected.berichtCode],
    ['BerichtVersie', header.BerichtVersie, expected.berichtVersie],
    ['BerichtSubversie', header.BerichtSubversie, expected.berichtSubversie],
    ['BerichtXsdVersie', header.XsdVersie.BerichtXsdVersie, XSD_VERSION],
    ['BasisschemaXsdVersie', header.XsdVersie.BasisschemaXsdVersie, XSD_VERSION],
  ];
  for (const [element, actual, wanted] of fields) {
    if (actual !== wanted) {
      const form = element.endsWith('XsdVersie') && !isXsdVersion(actual) ? ' (not n.n.n)' : '';
      fail('INVALID_HEADER', `${element}${form} does not match ${expected.message} (expected ${wanted})`);
    }
  }
  const { Identificatie, Dagtekening } = header.BerichtIdentificatie;
  return { identificatie: Identificatie, dagtekening: checkDate(Dagtekening, 'Dagtekening', 'the header') };
}

interface ClientXml {
  Bsn: string;
  Geboortedatum: GeboortedatumXml;
  Geslacht: string;
  Naam: VolledigeNaamXml;
  Contactgegevens: { Contact: ContactXml[] };
}

/**
 * BSN (11-proef), Geboortedatum, Geslacht, Naam and Contactgegevens of a client; `context` is e.g. "client #2".
 * The contact data is kept so that a WMO301 the engine sends later can carry it (TR061, TR006).
 */
export function clientGegevens(xml: ClientXml, context: string): ClientGegevens {
  return withoutUndefined({
    bsn: checkBsn(xml.Bsn, context),
    geboortedatum: checkDate(xml.Geboortedatum.Datum, 'Geboortedatum', context),
    geboortedatumGebruik: checkOptionalCode(
      DATUM_GEBRUIK,
      'DatumGebruik',
      xml.Geboortedatum.DatumGebruik,
      context,
    ),
    geslacht: checkCode(GESLACHT, 'Geslacht', xml.Geslacht, context),
    naam: naam(xml.Naam, context),
    contactgegevens: xml.Contactgegevens.Contact.map((c) => contact(c, context)),
  });
}

/** One Client/Contactgegevens/Contact (Organisatie and Periode are not kept; Telefoon02 neither). */
function contact(xml: ContactXml, context: string): Contact {
  const adres = xml.Adres;
  const telefoon = xml.Telefoon?.Telefoon01;
  return withoutUndefined({
    soort: checkCode(ADRES_SOORT, 'Contact/Soort', xml.Soort, context),
    huisnummer: adres?.Huis?.Huisnummer,
    huisletter: adres?.Huis?.Huisletter,
    huisnummerToevoeging: adres?.Huis?.HuisnummerToevoeging,
    aanduidingWoonadres: adres?.Huis?.AanduidingWoonadres,
    postcode: adres?.Postcode,
    straatnaam: adres?.Straatnaam,
    plaatsnaam: adres?.Plaatsnaam,
    landCode: adres?.LandCode,
    telefoonnummer: telefoon?.Telefoonnummer,
    landnummer: telefoon?.Landnummer,
    emailadres: xml.Emailadres,
  });
}

function naam(xml: VolledigeNaamXml, context: string): Naam {
  return withoutUndefined({
    achternaam: xml.Geslachtsnaam.Achternaam,
    voorvoegsel: xml.Geslachtsnaam.Voorvoegsel,
    partnerAchternaam: xml.Partnernaam?.Achternaam,
    partnerVoorvoegsel: xml.Partnernaam?.Voorvoegsel,
    voorletters: xml.Voorletters,
    voornamen: xml.Voornamen,
    naamGebruik: checkCode(NAAM_GEBRUIK, 'NaamGebruik', xml.NaamGebruik, context),
  });
}

/**
 * The object without its keys whose value is undefined, so facts stay minimal and compare cleanly. A copy, not
 * `delete`: deleting a key that is not the last one added turns a V8 object into a dictionary, and a fact in
 * that mode made every JSON.stringify of the client state that holds it about twice as slow.
 */
export function withoutUndefined<T extends object>(obj: T): T {
  const out = {} as T;
  for (const key in obj) {
    const value = obj[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
