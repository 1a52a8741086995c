/**
 * The werkvoorraad: open signals filtered by beoordeling, categorie, aanbieder and age, with counts and the
 * age of the oldest. Pure: the documents and "now" come in.
 */
import { WERK_STATUSSEN, type SignaalDoc, type WerkStatus } from './model';

export interface Filters {
  beoordeling?: WerkStatus;
  categorie?: string;
  aanbieder?: string;
  /** Only signals at least this many days old. */
  minDagen?: number;
}

/** The filters of a query string; anything malformed is left out (never echoed back unchecked). */
export function parseFilters(q: Record<string, unknown>): Filters {
  const f: Filters = {};
  const s = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : '');
  const b = WERK_STATUSSEN.find((x) => x === s('beoordeling'));
  if (b) f.beoordeling = b;
  if (/^\d{2}$/.test(s('categorie'))) f.categorie = s('categorie');
  if (/^\d{8}$/.test(s('aanbieder'))) f.aanbieder = s('aanbieder');
  if (/^\d{1,4}$/.test(s('minDagen'))) f.minDagen = Number(s('minDagen'));
  return f;
}

/** Whole days between an ISO time and now (never negative). */
export function leeftijdDagen(time: string, now: Date): number {
  const t = Date.parse(time);
  if (Number.isNaN(t)) return 0;
  return Math.max(0, Math.floor((now.getTime() - t) / 86_400_000));
}

export interface Werkvoorraad {
  rijen: SignaalDoc[];
  /** Open signals per status, before the filters. */
  aantallen: Record<WerkStatus, number>;
  totaal: number;
  gefilterd: number;
  /** Age in days of the oldest open signal (before the filters), or null when there is none. */
  oudsteDagen: number | null;
  categorieen: string[];
  aanbieders: string[];
}

export function werkvoorraad(docs: readonly SignaalDoc[], f: Filters, now: Date): Werkvoorraad {
  const open = docs.filter((d) => d.status !== null);
  const aantallen = Object.fromEntries(WERK_STATUSSEN.map((s) => [s, 0])) as Record<WerkStatus, number>;
  for (const d of open) aantallen[d.status!]++;
  const rijen = open
    .filter(
      (d) =>
        (f.beoordeling === undefined || d.status === f.beoordeling) &&
        (f.categorie === undefined || d.huidig.wmo?.productcategorie === f.categorie) &&
        (f.aanbieder === undefined || d.huidig.wmo?.aanbieder === f.aanbieder) &&
        (f.minDagen === undefined || leeftijdDagen(d.eerst, now) >= f.minDagen),
    )
    .sort((a, b) => a.eerst.localeCompare(b.eerst) || a.id.localeCompare(b.id));
  const oudste = open.reduce<string | null>((o, d) => (o === null || d.eerst < o ? d.eerst : o), null);
  const uniek = (xs: Array<string | null | undefined>) =>
    [...new Set(xs.filter((x): x is string => typeof x === 'string'))].sort();
  return {
    rijen,
    aantallen,
    totaal: open.length,
    gefilterd: rijen.length,
    oudsteDagen: oudste === null ? null : leeftijdDagen(oudste, now),
    categorieen: uniek(open.map((d) => d.huidig.wmo?.productcategorie)),
    aanbieders: uniek(open.map((d) => d.huidig.wmo?.aanbieder)),
  };
}
