/**
 * iWmo 3.2 WMO301 "Toewijzing Wmo-ondersteuning" (BerichtCode 414) from a gemeente to an aanbieder, rendered
 * as XML from the engine's model (services/engine/wmo301.ts): the beëindiging (RedenWijziging 06) or its
 * restoration (14), with the client's other actuele toewijzingen at that aanbieder re-sent unchanged
 * (OP087). Element tree: ../shared/reference/iwmo.md §2. Valid against
 * ../shared/istandaarden/iwmo/xsd/WMO301.xsd; the rules the XSD does not check are in wmo301-rules.ts.
 */
import type { ClientGegevens, Contact } from '../domain/facts';
import type { Wmo301, Wmo301Product } from '../engine/wmo301';
import { el, group, opt, render, type Node } from './xml';

export const WMO301_NS = 'http://www.istandaarden.nl/iwmo/3_2/wmo301/schema';
export const IWMO_NS = 'http://www.istandaarden.nl/iwmo/3_2/basisschema/schema';

const W = (name: string) => `wmo301:${name}`;
const I = (name: string) => `iwmo:${name}`;

const LETTERS = /[^a-zA-ZÀ-ỳ]/g;

function naam(c: ClientGegevens): Node {
  const n = c.naam;
  const achternaam = (n?.achternaam ?? '').trim().slice(0, 200) || 'Onbekend';
  const partner = n?.partnerAchternaam?.trim().slice(0, 200);
  const voorletters = n?.voorletters?.replace(LETTERS, '').slice(0, 6);
  // CS050: with a Partnernaam NaamGebruik is 1-4, without it 1 (6 is never a client, CS318).
  const gebruik = partner && ['1', '2', '3', '4'].includes(n?.naamGebruik ?? '') ? n!.naamGebruik! : '1';
  return group(W('Naam'), [
    group(I('Geslachtsnaam'), [
      el(I('Achternaam'), achternaam),
      opt(I('Voorvoegsel'), n?.voorvoegsel?.slice(0, 10)),
    ]),
    partner
      ? group(I('Partnernaam'), [
          el(I('Achternaam'), partner),
          opt(I('Voorvoegsel'), n?.partnerVoorvoegsel?.slice(0, 10)),
        ])
      : undefined,
    opt(I('Voornamen'), n?.voornamen?.trim().slice(0, 200)),
    opt(I('Voorletters'), voorletters),
    el(I('NaamGebruik'), gebruik),
  ]);
}

function contact(c: Contact): Node {
  const huisnummer = c.huisnummer !== undefined && /^\d{1,5}$/.test(c.huisnummer) ? c.huisnummer : undefined;
  const adres = [
    huisnummer
      ? group(I('Huis'), [
          el(I('Huisnummer'), huisnummer),
          opt(I('Huisletter'), c.huisletter?.slice(0, 1)),
          opt(I('HuisnummerToevoeging'), c.huisnummerToevoeging?.slice(0, 4)),
          opt(I('AanduidingWoonadres'), c.aanduidingWoonadres),
        ])
      : undefined,
    opt(I('Postcode'), c.postcode?.slice(0, 8)),
    opt(I('Straatnaam'), c.straatnaam?.slice(0, 24)),
    opt(I('Plaatsnaam'), c.plaatsnaam?.slice(0, 80)),
    opt(I('LandCode'), c.landCode),
  ].filter((x) => x !== undefined);
  const telefoon =
    c.telefoonnummer && /^\d{1,15}$/.test(c.telefoonnummer) && c.landnummer
      ? group(W('Telefoon'), [
          group(I('Telefoon01'), [
            el(I('Telefoonnummer'), c.telefoonnummer),
            el(I('Landnummer'), c.landnummer),
          ]),
        ])
      : undefined;
  return group(W('Contact'), [
    el(W('Soort'), c.soort),
    adres.length > 0 ? group(W('Adres'), adres) : undefined,
    telefoon,
    opt(W('Emailadres'), c.emailadres?.slice(0, 80)),
  ]);
}

const SOORTEN = ['01', '02', '03', '04'];

function product(p: Wmo301Product): Node {
  const omvang = p.omvang;
  return group(W('ToegewezenProduct'), [
    el(W('ToewijzingNummer'), p.toewijzingnummer),
    opt(W('ReferentieAanbieder'), p.referentieAanbieder),
    p.productcategorie
      ? group(W('Product'), [el(I('Categorie'), p.productcategorie), opt(I('Code'), p.productcode)])
      : undefined,
    el(W('Toewijzingsdatum'), p.toewijzingsdatum),
    el(W('Toewijzingstijd'), p.toewijzingstijd),
    el(W('Ingangsdatum'), p.ingangsdatum),
    opt(W('Einddatum'), p.einddatum),
    opt(W('RedenWijziging'), p.redenWijziging),
    omvang
      ? group(W('Omvang'), [
          el(I('Volume'), omvang.volume),
          el(I('Eenheid'), omvang.eenheid),
          el(I('Frequentie'), omvang.frequentie),
        ])
      : undefined,
    opt(W('Budget'), p.budget),
    opt(W('Commentaar'), p.commentaar?.trim()),
  ]);
}

export function wmo301Xml(m: Wmo301): string {
  const c = m.client;
  const contacten = (c.contactgegevens ?? []).filter((x) => SOORTEN.includes(x.soort));
  const gebruik = c.geboortedatum !== undefined ? c.geboortedatumGebruik : '3';
  const root = group(W('Bericht'), [
    group(W('Header'), [
      el(W('BerichtCode'), '414'),
      el(W('BerichtVersie'), '3'),
      el(W('BerichtSubversie'), '2'),
      el(W('Afzender'), m.afzender),
      el(W('Ontvanger'), m.ontvanger),
      group(W('BerichtIdentificatie'), [
        el(I('Identificatie'), m.identificatie),
        el(I('Dagtekening'), m.dagtekening),
      ]),
      group(W('XsdVersie'), [el(I('BasisschemaXsdVersie'), '1.0.0'), el(I('BerichtXsdVersie'), '1.0.0')]),
    ]),
    group(W('Client'), [
      el(W('Bsn'), c.bsn),
      group(W('Geboortedatum'), [
        // COD170 3 = dag, maand en jaar onbekend: the date is a placeholder
        el(I('Datum'), c.geboortedatum ?? '1900-01-01'),
        opt(
          I('DatumGebruik'),
          gebruik !== undefined && ['1', '2', '3'].includes(gebruik) ? gebruik : undefined,
        ),
      ]),
      el(W('Geslacht'), c.geslacht !== undefined && ['0', '1', '2'].includes(c.geslacht) ? c.geslacht : '0'),
      naam(c),
      group(
        W('Contactgegevens'),
        contacten.length > 0 ? contacten.map(contact) : [group(W('Contact'), [el(W('Soort'), '01')])],
      ),
      group(W('ToegewezenProducten'), m.producten.map(product)),
    ]),
  ]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(root, ` xmlns:wmo301="${WMO301_NS}" xmlns:iwmo="${IWMO_NS}"`)}\n`;
}
