/**
 * Which Wlz facts count, and for which period: the "Wlz gronden" of a client. Applies the counting rules and
 * exceptions of services/rules/exceptions.ts (partnerverblijf, overgangsrecht, verwijderd/vervallen
 * indicatie, ingetrokken zorgtoewijzing). Pure.
 */
import type { Fact, IsoDate, WlzIndicatieFact, WlzZorgtoewijzingFact } from '../domain/facts';
import {
  isLaagZorgprofiel,
  isPartnerverblijf,
  OVERLEDEN,
  situatieVanZorgtoewijzing,
  VORMWIJZIGING,
  type Situatie,
} from '../rules';
import { addDays, earlierEnd, intersect, isCurrent, isEmpty, type Periode } from './periods';

/** A period in which the client has Wlz care (zorgtoewijzing) or a Wlz indicatie without one. */
export interface WlzGrond extends Periode {
  soort: 'indicatie' | 'zorgtoewijzing';
  /** Fact key of the zorgtoewijzing, or of the indicatie for an indicatie without zorgtoewijzing. */
  key: string;
  situatie: Situatie;
  besluitnummer: string;
  /** The indicatie, when the register has it. */
  indicatie?: WlzIndicatieFact;
  /** The indicatie's own valid period (after verwijderd / vervallen), when known. */
  indicatiePeriode?: Periode;
  zorgtoewijzing?: WlzZorgtoewijzingFact;
}

/** The period in which an indicatie counts: none when verwijderd; a vervallen one counts until its vervaldatum. */
export function indicatiePeriode(ind: WlzIndicatieFact): Periode | undefined {
  if (ind.status === 'verwijderd') return undefined;
  let eind = ind.einddatum;
  if (ind.status === 'vervallen') {
    if (ind.vervaldatum === undefined) return undefined;
    eind = earlierEnd(eind, addDays(ind.vervaldatum, -1));
  }
  const p: Periode = { start: ind.ingangsdatum };
  if (eind !== undefined) p.eind = eind;
  return isEmpty(p) ? undefined : p;
}

/** The zorgprofielen of an indicatie that give Wlz access (without 999 partnerverblijf). */
export const zorgprofielen = (ind: WlzIndicatieFact): string[] =>
  [...new Set(ind.zorgzwaartepakketten.map((z) => z.zzpCode).filter((c) => !isPartnerverblijf(c)))].sort();

export type IndicatieSoort = 'regulier' | 'partnerverblijf' | 'laag-zorgprofiel';

export function indicatieSoort(ind: WlzIndicatieFact): IndicatieSoort {
  const profielen = zorgprofielen(ind);
  if (ind.zorgzwaartepakketten.length > 0 && profielen.length === 0 && ind.functies.length === 0) {
    return 'partnerverblijf';
  }
  if (
    profielen.length > 0 &&
    profielen.every((c) => isLaagZorgprofiel(c, ind.afgiftedatum, ind.client.geboortedatum))
  ) {
    return 'laag-zorgprofiel';
  }
  return 'regulier';
}

/** The period in which a zorgtoewijzing counts on its own; none when withdrawn before it began. */
export function zorgtoewijzingPeriode(z: WlzZorgtoewijzingFact): Periode | undefined {
  if (z.soort === 'zzp' && isPartnerverblijf(z.code)) return undefined;
  if (z.redenIntrekking !== undefined && (z.einddatum === undefined || z.einddatum <= z.ingangsdatum)) {
    return undefined;
  }
  const p: Periode = { start: z.ingangsdatum };
  if (z.einddatum !== undefined) p.eind = z.einddatum;
  return isEmpty(p) ? undefined : p;
}

/** The client's death as the Wlz reports it: a zorgtoewijzing withdrawn with RedenIntrekking 1 (rules OVERLEDEN). */
export interface Overlijden {
  /** The Einddatum of that zorgtoewijzing (the earliest, when several say so); null when it has none. */
  datum: IsoDate | null;
  zorgtoewijzing: WlzZorgtoewijzingFact;
}

export function overlijden(facts: readonly Fact[]): Overlijden | undefined {
  let best: Overlijden | undefined;
  for (const z of facts) {
    if (z.type !== 'wlz-zorgtoewijzing' || z.redenIntrekking !== OVERLEDEN.redenIntrekking) continue;
    const datum = z.einddatum ?? null;
    const beter =
      !best ||
      (datum !== null && (best.datum === null || datum < best.datum)) ||
      (datum === best.datum && z.key < best.zorgtoewijzing.key);
    if (beter) best = { datum, zorgtoewijzing: z };
  }
  return best;
}

/** A zorgtoewijzing withdrawn only to change the form of the Wlz care (rules VORMWIJZIGING). */
export const isVormwijziging = (z: WlzZorgtoewijzingFact): boolean =>
  z.redenIntrekking !== undefined && VORMWIJZIGING.redenen.includes(z.redenIntrekking);

/**
 * Does the Wlz care behind zorgtoewijzing `key` go on although it was withdrawn? Yes when it was withdrawn for
 * a vormwijziging and its indicatie (when the register has it) still counts: then a beëindiging based on it
 * is not undone (rules UITZ-VORMWIJZIGING).
 */
export function wlzZorgGaatDoor(facts: readonly Fact[], key: string): boolean {
  const z = facts.find((f): f is WlzZorgtoewijzingFact => f.type === 'wlz-zorgtoewijzing' && f.key === key);
  if (!z || !isVormwijziging(z)) return false;
  const ind = facts.find(
    (f): f is WlzIndicatieFact => f.type === 'wlz-indicatie' && f.besluitnummer === z.besluitnummer,
  );
  return !ind || (indicatiePeriode(ind) !== undefined && indicatieSoort(ind) !== 'partnerverblijf');
}

/**
 * After a vormwijziging the Wlz care goes on: from the day after the withdrawn zorgtoewijzing (or its
 * Ingangsdatum, when withdrawn before it began) the client has "indicatie, nog geen zorgtoewijzing", within the
 * indicatie's valid period when the register has it. None when the indicatie no longer counts.
 */
function naVormwijziging(z: WlzZorgtoewijzingFact, ind: WlzIndicatieFact | undefined): Periode | undefined {
  const withdrawnBefore = z.einddatum === undefined || z.einddatum <= z.ingangsdatum;
  let p: Periode | undefined = { start: withdrawnBefore ? z.ingangsdatum : addDays(z.einddatum!, 1) };
  if (ind) {
    const indPeriode = indicatiePeriode(ind);
    p = indPeriode && indicatieSoort(ind) !== 'partnerverblijf' ? intersect(p, indPeriode) : undefined;
  }
  return p && !isEmpty(p) ? p : undefined;
}

/**
 * Every Wlz grond of the client that runs today or later, in a fixed order. A zorgtoewijzing counts within
 * its indicatie's valid period (when the register has the indicatie). An indicatie counts on its own
 * (situation `geen-zorgtoewijzing`) only while it has no current or future zorgtoewijzing, and never for
 * partnerverblijf or an overgangsrecht low profile.
 */
export function wlzGronden(facts: readonly Fact[], today: IsoDate): WlzGrond[] {
  const indicaties = new Map<string, WlzIndicatieFact>();
  for (const f of facts) if (f.type === 'wlz-indicatie') indicaties.set(f.besluitnummer, f);
  const out: WlzGrond[] = [];
  for (const z of facts) {
    if (z.type !== 'wlz-zorgtoewijzing') continue;
    let periode = zorgtoewijzingPeriode(z);
    const ind = indicaties.get(z.besluitnummer);
    const indPeriode = ind ? indicatiePeriode(ind) : undefined;
    if (ind) {
      const telt = indPeriode !== undefined && indicatieSoort(ind) !== 'partnerverblijf';
      periode = periode && telt ? intersect(periode, indPeriode) : undefined;
    }
    if (!periode || !isCurrent(periode, today)) continue;
    const grond: WlzGrond = {
      ...periode,
      soort: 'zorgtoewijzing',
      key: z.key,
      situatie: situatieVanZorgtoewijzing(z),
      besluitnummer: z.besluitnummer,
      zorgtoewijzing: z,
    };
    if (ind) grond.indicatie = ind;
    if (indPeriode) grond.indicatiePeriode = indPeriode;
    out.push(grond);
  }
  const metZorgtoewijzing = new Set(out.map((g) => g.besluitnummer));
  // a vormwijziging without a successor falls back to the indicatie, even one the register lacks or one under
  // the overgangsrecht (the Wlz care goes on); a regular indicatie in the register counts below anyway
  const terugval = new Map<string, WlzGrond>();
  for (const z of facts) {
    if (z.type !== 'wlz-zorgtoewijzing' || !isVormwijziging(z) || metZorgtoewijzing.has(z.besluitnummer))
      continue;
    const ind = indicaties.get(z.besluitnummer);
    if (ind && indicatieSoort(ind) === 'regulier') continue;
    const periode = naVormwijziging(z, ind);
    if (!periode || !isCurrent(periode, today)) continue;
    const vorig = terugval.get(z.besluitnummer);
    if (vorig && vorig.start <= periode.start) continue;
    const grond: WlzGrond = {
      ...periode,
      soort: 'indicatie',
      key: ind?.key ?? z.key,
      situatie: 'geen-zorgtoewijzing',
      besluitnummer: z.besluitnummer,
    };
    if (ind) {
      grond.indicatie = ind;
      const ip = indicatiePeriode(ind);
      if (ip) grond.indicatiePeriode = ip;
    }
    terugval.set(z.besluitnummer, grond);
  }
  out.push(...terugval.values());
  for (const ind of indicaties.values()) {
    const periode = indicatiePeriode(ind);
    if (!periode || !isCurrent(periode, today) || metZorgtoewijzing.has(ind.besluitnummer)) continue;
    if (indicatieSoort(ind) !== 'regulier') continue;
    out.push({
      ...periode,
      soort: 'indicatie',
      key: ind.key,
      situatie: 'geen-zorgtoewijzing',
      besluitnummer: ind.besluitnummer,
      indicatie: ind,
      indicatiePeriode: periode,
    });
  }
  return out.sort((a, b) =>
    a.start !== b.start ? (a.start < b.start ? -1 : 1) : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
}
