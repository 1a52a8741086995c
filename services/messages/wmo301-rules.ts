/**
 * The WMO301 rules the XSD does not check (../shared/reference/iwmo.md §2.1, §3), as a list of violations.
 * Used by the tests on every message the engine sends, and available to the shell as a last check.
 */
import { isValidBsn } from '../domain/bsn';
import type { IsoDate, WmoToewijzingFact } from '../domain/facts';
import type { Wmo301 } from '../engine/wmo301';

export interface Violation {
  rule: string;
  detail: string;
}

const actueel = (einddatum: IsoDate | undefined, dag: IsoDate) => einddatum === undefined || einddatum >= dag;

export function wmo301Violations(m: Wmo301): Violation[] {
  const v: Violation[] = [];
  const add = (rule: string, detail: string) => v.push({ rule, detail });
  if (!isValidBsn(m.client.bsn)) add('CS002', 'Bsn fails the 11-proef');
  if (!/^\d{4}$/.test(m.afzender)) add('TR378', 'Afzender is not a 4-digit gemeentecode');
  if (!/^\d{8}$/.test(m.ontvanger)) add('AGB', 'Ontvanger is not an 8-digit AGB code');
  if (m.identificatie.length < 1 || m.identificatie.length > 12)
    add('TR056', 'Identificatie is not 1..12 characters');
  const contacten = m.client.contactgegevens ?? [];
  if (!contacten.some((c) => ['01', '02', '03'].includes(c.soort) && c.postcode)) {
    add('TR061', 'no address with Soort 01, 02 or 03');
  }
  for (const c of contacten) {
    if (!c.telefoonnummer && !(c.huisnummer && c.postcode))
      add('TR006', `Contact ${c.soort}: no Telefoon, no Huis+Postcode`);
    if (c.landCode === 'NL' && !c.huisnummer) add('CD025', `Contact ${c.soort}: LandCode NL without Huis`);
    if (['01', '03'].includes(c.soort) && !c.postcode) add('CD034', `Contact ${c.soort}: no Postcode`);
    if (c.postcode && !c.landCode) add('CD005', `Contact ${c.soort}: Postcode without LandCode`);
    if (c.landCode === 'NL' && c.postcode && !/^[1-9]\d{3}[A-Z]{2}$/.test(c.postcode)) {
      add('CS089', `Contact ${c.soort}: not a Dutch postcode`);
    }
  }
  const nummers = new Set<string>();
  for (const p of m.producten) {
    const nr = `ToewijzingNummer ${p.toewijzingnummer}`;
    if (nummers.has(p.toewijzingnummer)) add('TR101', `${nr} occurs twice`);
    nummers.add(p.toewijzingnummer);
    if (p.einddatum !== undefined && p.einddatum < p.ingangsdatum)
      add('CS003', `${nr}: Einddatum before Ingangsdatum`);
    if (p.budget === undefined && !p.productcategorie) add('CD079', `${nr}: no Product and no Budget`);
    if (p.budget !== undefined && p.omvang !== undefined) add('CD077', `${nr}: both Omvang and Budget`);
    if (
      p.productcode === undefined &&
      p.omvang !== undefined &&
      (p.einddatum === undefined || p.einddatum > '2020-12-31')
    ) {
      add('CD080', `${nr}: Omvang without Product/Code`);
    }
    if (p.productcode !== undefined && p.budget === undefined && p.omvang === undefined) {
      add('CD041', `${nr}: Product/Code without Omvang`);
    }
    if (p.budget !== undefined && p.einddatum === undefined) add('CD075', `${nr}: Budget without Einddatum`);
    if (p.omvang?.frequentie === '2' && p.einddatum === undefined)
      add('CD076', `${nr}: Frequentie 2 without Einddatum`);
    if (p.redenWijziging === '13' && p.einddatum !== p.ingangsdatum)
      add('CS335', `${nr}: 13 with Einddatum ≠ Ingangsdatum`);
    if (p.redenWijziging === '01') add('CS336', `${nr}: RedenWijziging 01`);
    if (p.redenWijziging !== undefined && p.referentieAanbieder !== undefined) {
      add('IV097', `${nr}: changed on the gemeente's initiative but has a ReferentieAanbieder`);
    }
    if (p.toewijzingsdatum > m.dagtekening) add('TR134', `${nr}: Toewijzingsdatum after the Dagtekening`);
    if (!actueel(p.einddatum, m.dagtekening) && p.redenWijziging === undefined) {
      add('OP087', `${nr}: an unchanged toewijzing that is not actueel`);
    }
  }
  return v;
}

/**
 * OP087: the message holds every actuele toewijzing of this gemeente for this aanbieder (and nothing of
 * another gemeente or aanbieder). `toewijzingen` are the client's Wmo toewijzing facts.
 */
export function op087Violations(m: Wmo301, toewijzingen: readonly WmoToewijzingFact[]): Violation[] {
  const v: Violation[] = [];
  const inBericht = new Set(m.producten.map((p) => p.toewijzingnummer));
  for (const w of toewijzingen) {
    const eigen = w.gemeente === m.afzender && w.aanbieder === m.ontvanger;
    const verwijderd = w.redenWijziging === '13';
    if (eigen && !verwijderd && actueel(w.einddatum, m.dagtekening) && !inBericht.has(w.toewijzingnummer)) {
      v.push({ rule: 'OP087', detail: `actuele ToewijzingNummer ${w.toewijzingnummer} missing` });
    }
  }
  for (const p of m.producten) {
    const w = toewijzingen.find(
      (x) => x.gemeente === m.afzender && x.toewijzingnummer === p.toewijzingnummer,
    );
    if (!w)
      v.push({ rule: 'OP087', detail: `ToewijzingNummer ${p.toewijzingnummer} is not one of this gemeente` });
    else if (w.aanbieder !== m.ontvanger) {
      v.push({
        rule: 'OP087',
        detail: `ToewijzingNummer ${p.toewijzingnummer} belongs to another aanbieder`,
      });
    }
  }
  return v;
}
