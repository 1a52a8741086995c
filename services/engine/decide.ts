/**
 * decide(facts, today, productcodeRegels?): the full set of current samenloop decisions of one client. Pure:
 * no state, no clock. One decision per Wmo toewijzing or aanvraag that is actueel and overlaps a counted Wlz
 * period whose rule (by the gemeente's productcode rule, else the productcategorie) is not `toegestaan`; when
 * the Wlz reports the client deceased (RedenIntrekking 1), one `client-overleden` decision per actuele Wmo
 * toewijzing or aanvraag instead. Decisions are sorted by reference.
 */
import type { ClientGegevens, Fact, IsoDate, Naam } from '../domain/facts';
import { productcodeRegel, type ProductcodeRegels } from '../domain/productcodes';
import type { ClientData, SignaalBeoordeling, VervallenReden, WlzData, WmoData } from './outputs';
import {
  beoordeel,
  bronTekst,
  OVERLEDEN,
  situatieVanZorgtoewijzing,
  WOONSITUATIE,
  type RegelView,
} from '../rules';
import { addDays, laterOf, overlaps } from './periods';
import { indicatiePeriode, overlijden, wlzGronden, type Overlijden, type WlzGrond } from './wlz';
import { clientVoor, isActueel, isVerwijderd, isWmo, referentie, wmoPeriode, type WmoFact } from './wmo';

/** The beëindiging a wlz-voorliggend toewijzing calls for. */
export interface Voorstel {
  /** The day before the Wlz care starts. */
  doelEinddatum: IsoDate;
  /** doelEinddatum, but never before today. */
  einddatum: IsoDate;
  /** Ingangsdatum of the Wlz care (the zorgtoewijzing, within its indicatie). */
  wlzIngangsdatum: IsoDate;
  /** WMO002: 06 uitstroom naar ander domein (Wlz), or 02 client overleden (only ever proposed). */
  redenWijziging: '06' | '02';
}

export interface Decision {
  /** `wmo-toewijzing/<gemeente>/<nummer>` or `wmo-aanvraag/<gemeente>/<id>`: no BSN. */
  referentie: string;
  gemeente: string;
  /** Fact key of the Wmo toewijzing or aanvraag. */
  wmoKey: string;
  /** Fact key of the Wlz grond that decided (zorgtoewijzing or indicatie). */
  wlzKey: string;
  beoordeling: SignaalBeoordeling;
  regel: RegelView;
  client: ClientData;
  wlz: WlzData;
  wmo: WmoData;
  /** Only for a toewijzing judged wlz-voorliggend that can still be ended (see rules UITZ-BEEINDIGING). */
  voorstel?: Voorstel;
  /** With beoordeling `client-overleden`: the date of death the Wlz reports (null: none given). */
  overlijdensdatum?: IsoDate | null;
}

const STERKTE = { 'wlz-voorliggend': 2, beoordelen: 1, toegestaan: 0 } as const;

interface Kandidaat {
  grond: WlzGrond;
  beoordeling: 'wlz-voorliggend' | 'beoordelen';
  regel: RegelView;
}

/** Strongest verdict first; on a tie a zorgtoewijzing before an indicatie alone, then the earliest, then by key. */
function beter(a: Kandidaat, b: Kandidaat): boolean {
  if (a.beoordeling !== b.beoordeling) return STERKTE[a.beoordeling] > STERKTE[b.beoordeling];
  if (a.grond.soort !== b.grond.soort) return a.grond.soort === 'zorgtoewijzing';
  if (a.grond.start !== b.grond.start) return a.grond.start < b.grond.start;
  return a.grond.key < b.grond.key;
}

/**
 * The table's verdict for a Wmo fact beside a Wlz situation: by the gemeente's productcode rule when it has
 * one for this productcategorie and productcode (applied before the categorie), else by the categorie.
 */
function beoordeelWmo(w: WmoFact, situatie: WlzGrond['situatie'], regels: ProductcodeRegels | undefined) {
  const pr = productcodeRegel(regels, w.gemeente, w.productcategorie, w.productcode);
  if (!pr) return beoordeel(w.productcategorie, situatie);
  const u = beoordeel(pr.alsCategorie, situatie);
  const omschrijving =
    `Productcode ${pr.productcode} (categorie ${pr.productcategorie}) wordt op aangeven van de gemeente ` +
    `beoordeeld als categorie ${pr.alsCategorie}. ${u.regel.omschrijving}`;
  return { ...u, regel: { ...u.regel, omschrijving } };
}

function kies(
  w: WmoFact,
  gronden: readonly WlzGrond[],
  regels: ProductcodeRegels | undefined,
): Kandidaat | undefined {
  const periode = wmoPeriode(w);
  let best: Kandidaat | undefined;
  for (const grond of gronden) {
    if (!overlaps(periode, grond)) continue;
    const u = beoordeelWmo(w, grond.situatie, regels);
    if (u.beoordeling === 'toegestaan') continue;
    const k: Kandidaat = { grond, beoordeling: u.beoordeling, regel: u.regel };
    if (!best || beter(k, best)) best = k;
  }
  return best;
}

export function decide(
  facts: readonly Fact[],
  today: IsoDate,
  productcodeRegels?: ProductcodeRegels,
): Decision[] {
  const dood = overlijden(facts);
  if (dood) return overledenDecisions(facts, today, dood);
  const gronden = wlzGronden(facts, today);
  if (gronden.length === 0) return [];
  const out: Decision[] = [];
  for (const w of facts) {
    if (!isWmo(w) || !isActueel(w, today)) continue;
    const k = kies(w, gronden, productcodeRegels);
    if (!k) continue;
    const d: Decision = {
      referentie: referentie(w),
      gemeente: w.gemeente,
      wmoKey: w.key,
      wlzKey: k.grond.key,
      beoordeling: k.beoordeling,
      regel: k.regel,
      client: clientData(clientVoor(w.gemeente, w, facts)),
      wlz: wlzData(k.grond),
      wmo: wmoData(w),
    };
    const voorstel = k.beoordeling === 'wlz-voorliggend' ? voorstelVoor(w, k.grond, today) : undefined;
    if (voorstel) d.voorstel = voorstel;
    out.push(d);
  }
  return sortByReferentie(out);
}

const sortByReferentie = (ds: Decision[]): Decision[] =>
  ds.sort((a, b) => (a.referentie < b.referentie ? -1 : a.referentie > b.referentie ? 1 : 0));

const OVERLEDEN_REGEL: RegelView = {
  id: OVERLEDEN.id,
  omschrijving: OVERLEDEN.omschrijving,
  bron: bronTekst(OVERLEDEN.bronnen),
};

/**
 * The Wlz reports the client deceased (rules SL-OVERLEDEN): one `client-overleden` decision per actuele Wmo
 * toewijzing or aanvraag, whatever the table says; a toewijzing that ran on the date of death and after it gets
 * a proposal to end it on that date with RedenWijziging 02.
 */
function overledenDecisions(facts: readonly Fact[], today: IsoDate, dood: Overlijden): Decision[] {
  const z = dood.zorgtoewijzing;
  const ind = facts.find((f) => f.type === 'wlz-indicatie' && f.besluitnummer === z.besluitnummer);
  const indPeriode = ind?.type === 'wlz-indicatie' ? indicatiePeriode(ind) : undefined;
  const wlz: WlzData = {
    afgiftedatum: ind?.type === 'wlz-indicatie' ? ind.afgiftedatum : null,
    ingangsdatum: indPeriode?.start ?? null,
    einddatum: indPeriode?.eind ?? null,
    woonsituatie: WOONSITUATIE[situatieVanZorgtoewijzing(z)],
    zorgtoewijzingIngangsdatum: z.ingangsdatum,
  };
  const out: Decision[] = [];
  for (const w of facts) {
    if (!isWmo(w) || !isActueel(w, today)) continue;
    const d: Decision = {
      referentie: referentie(w),
      gemeente: w.gemeente,
      wmoKey: w.key,
      wlzKey: z.key,
      beoordeling: 'client-overleden',
      regel: OVERLEDEN_REGEL,
      client: clientData(clientVoor(w.gemeente, w, facts)),
      wlz,
      wmo: wmoData(w),
      overlijdensdatum: dood.datum,
    };
    const datum = dood.datum;
    const loopt =
      w.type === 'wmo-toewijzing' &&
      datum !== null &&
      w.ingangsdatum <= datum &&
      (w.einddatum === undefined || w.einddatum > datum);
    if (loopt) {
      d.voorstel = { doelEinddatum: datum, einddatum: datum, wlzIngangsdatum: datum, redenWijziging: '02' };
    }
    out.push(d);
  }
  return sortByReferentie(out);
}

/** End the day before the Wlz care starts, never before today; nothing when it ends by then anyway or starts later. */
function voorstelVoor(w: WmoFact, grond: WlzGrond, today: IsoDate): Voorstel | undefined {
  if (w.type !== 'wmo-toewijzing' || grond.soort !== 'zorgtoewijzing') return undefined;
  const doelEinddatum = addDays(grond.start, -1);
  const einddatum = laterOf(doelEinddatum, today);
  if (w.ingangsdatum > einddatum) return undefined;
  if (w.einddatum !== undefined && w.einddatum <= einddatum) return undefined;
  return { doelEinddatum, einddatum, wlzIngangsdatum: grond.start, redenWijziging: '06' };
}

/** Why a Wmo toewijzing/aanvraag has no decision (any more). */
export function redenZonderBesluit(
  w: WmoFact | undefined,
  facts: readonly Fact[],
  today: IsoDate,
): VervallenReden {
  if (!w || (w.type === 'wmo-toewijzing' && isVerwijderd(w))) return 'wmo-verwijderd';
  if (!isActueel(w, today)) return 'wmo-beeindigd';
  const periode = wmoPeriode(w);
  const gronden = wlzGronden(facts, today);
  if (gronden.some((g) => overlaps(periode, g))) return 'toegestaan';
  const eind = periode.eind;
  return eind !== undefined && gronden.some((g) => g.start > eind) ? 'wmo-eindigt-voor-wlz' : 'wlz-vervallen';
}

export function naamTekst(n: Naam | undefined): string | null {
  if (!n) return null;
  const voorletters = n.voorletters
    ?.replace(/[^\p{L}]/gu, '')
    .split('')
    .map((c) => `${c.toUpperCase()}.`)
    .join('');
  const delen = [voorletters, n.voorvoegsel, n.achternaam].filter((x): x is string => !!x && x.length > 0);
  return delen.length > 0 ? delen.join(' ') : null;
}

export const clientData = (c: ClientGegevens): ClientData => ({
  bsn: c.bsn,
  naam: naamTekst(c.naam),
  geboortedatum: c.geboortedatum ?? null,
});

function wlzData(g: WlzGrond): WlzData {
  const z = g.soort === 'zorgtoewijzing' ? g.zorgtoewijzing : undefined;
  return {
    afgiftedatum: g.indicatie?.afgiftedatum ?? null,
    ingangsdatum: g.indicatiePeriode?.start ?? null,
    einddatum: g.indicatiePeriode?.eind ?? null,
    woonsituatie: WOONSITUATIE[g.situatie],
    zorgtoewijzingIngangsdatum: z ? g.start : null,
  };
}

export function wmoData(w: WmoFact): WmoData {
  const t = w.type === 'wmo-toewijzing' ? w : undefined;
  return {
    soort: t ? 'toewijzing' : 'aanvraag',
    toewijzingnummer: t?.toewijzingnummer ?? null,
    aanvraagId: w.type === 'wmo-aanvraag' ? w.aanvraagId : null,
    productcategorie: w.productcategorie ?? null,
    productcode: w.productcode ?? null,
    aanbieder: w.aanbieder ?? null,
    ingangsdatum: w.ingangsdatum ?? null,
    einddatum: w.einddatum ?? null,
  };
}
