/**
 * Wmo facts as the rules see them: which toewijzingen are actueel (iWmo OP087) or never existed
 * (RedenWijziging 13), and the client's personal data as one gemeente may see it. Pure.
 */
import type { ClientGegevens, Fact, IsoDate, WmoAanvraagFact, WmoToewijzingFact } from '../domain/facts';
import type { Periode } from './periods';

export type WmoFact = WmoToewijzingFact | WmoAanvraagFact;

export const isWmo = (f: Fact): f is WmoFact => f.type === 'wmo-toewijzing' || f.type === 'wmo-aanvraag';

/** RedenWijziging 13 (Verwijderd), or the legacy 01 with Einddatum = Ingangsdatum: the toewijzing never existed. */
export const isVerwijderd = (w: WmoToewijzingFact): boolean =>
  w.redenWijziging === '13' || (w.redenWijziging === '01' && w.einddatum === w.ingangsdatum);

/** Actueel (OP087, FAQ): not verwijderd, and no Einddatum or an Einddatum on or after today. */
export const isActueel = (w: WmoFact, today: IsoDate): boolean =>
  !(w.type === 'wmo-toewijzing' && isVerwijderd(w)) && (w.einddatum === undefined || w.einddatum >= today);

/** The period of a Wmo toewijzing or aanvraag (an aanvraag without Ingangsdatum counts from the start of time). */
export function wmoPeriode(w: WmoFact): Periode {
  const p: Periode = { start: w.ingangsdatum ?? '0001-01-01' };
  if (w.einddatum !== undefined) p.eind = w.einddatum;
  return p;
}

/** Decision reference (CloudEvents subject, Kafka key): names the gemeente's own toewijzing, never the client. */
export const referentie = (w: WmoFact): string =>
  w.type === 'wmo-toewijzing'
    ? `wmo-toewijzing/${w.gemeente}/${w.toewijzingnummer}`
    : `wmo-aanvraag/${w.gemeente}/${w.aanvraagId}`;

const byKey = (a: Fact, b: Fact): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * The client's personal data for one gemeente: each field from the first fact that has it, in this order —
 * the given Wmo fact, the gemeente's other Wmo facts, then the Wlz facts. Never from another gemeente's facts.
 */
export function clientVoor(
  gemeente: string,
  eerst: WmoFact | undefined,
  facts: readonly Fact[],
): ClientGegevens {
  const eigen = facts
    .filter((f): f is WmoFact => isWmo(f) && f.gemeente === gemeente && f !== eerst)
    .sort(byKey);
  const wlz = facts.filter((f) => f.type === 'wlz-indicatie' || f.type === 'wlz-zorgtoewijzing').sort(byKey);
  const bronnen = [...(eerst ? [eerst] : []), ...eigen, ...wlz].map((f) => f.client);
  const pick = <K extends keyof ClientGegevens>(k: K): ClientGegevens[K] | undefined => {
    for (const c of bronnen) {
      const v = c[k];
      if (v !== undefined && !(Array.isArray(v) && v.length === 0)) return v;
    }
    return undefined;
  };
  const out: ClientGegevens = { bsn: bronnen[0]?.bsn ?? '' };
  const geboortedatum = pick('geboortedatum');
  if (geboortedatum !== undefined) {
    out.geboortedatum = geboortedatum;
    // the DatumGebruik belongs to the same source as the date
    const bron = bronnen.find((c) => c.geboortedatum === geboortedatum);
    if (bron?.geboortedatumGebruik !== undefined) out.geboortedatumGebruik = bron.geboortedatumGebruik;
  }
  const geslacht = pick('geslacht');
  if (geslacht !== undefined) out.geslacht = geslacht;
  const naam = pick('naam');
  if (naam !== undefined) out.naam = naam;
  const contact = pick('contactgegevens');
  if (contact !== undefined) out.contactgegevens = contact;
  return out;
}

/**
 * The client's data for a WMO301 to an aanbieder: as clientVoor, but the contactgegevens only from what the
 * gemeente itself sent (its WMO301s or CSV rows), never the CIZ's or zorgkantoor's (data minimisation).
 */
export function clientVoorAanbieder(
  gemeente: string,
  eerst: WmoFact | undefined,
  facts: readonly Fact[],
): ClientGegevens {
  const c = clientVoor(gemeente, eerst, facts);
  const eigen = clientVoor(
    gemeente,
    eerst,
    facts.filter((f) => isWmo(f) && f.gemeente === gemeente),
  );
  delete c.contactgegevens;
  if (eigen.contactgegevens !== undefined) c.contactgegevens = eigen.contactgegevens;
  return c;
}
