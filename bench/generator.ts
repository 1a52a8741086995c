import { createHash } from 'node:crypto';
import { buildAw33, buildIo31, buildWmo301, validBsn } from '../test/fixtures/builders';

/**
 * A seeded generator of realistic, XSD-valid input for the crash test and the benchmarks: Wmo
 * toewijzingen of many gemeenten (WMO301), Wlz indicatiebesluiten (IO31, including partnerverblijf and
 * low zorgprofielen), zorgtoewijzingen (AW33, every leveringsvorm), then corrections (an indicatie
 * replaced by partnerverblijf, a zorgtoewijzing withdrawn before it started, a Wmo toewijzing verwijderd)
 * and exact duplicates (redeliveries by the sender). The same seed always gives the same messages.
 *
 * Messages come in phases, one input topic each, so that every client's messages reach the processor in
 * one defined order even when several processes consume the topics: a run that waits for each phase to
 * be consumed before it sends the next can be compared output for output with a clean run.
 */

export type { InputKind } from '../services/ingest/kinds';
import type { InputKind } from '../services/ingest/kinds';

export interface GeneratedMessage {
  phase: number;
  kind: InputKind;
  /** The Kafka key: a hash of the BSN, so one client's messages of a topic share a partition. */
  key: string;
  value: string;
  /** The client's BSN (for the benchmark's matching of an output to its input; never sent as a key). */
  bsn?: string;
  /** Deliberately broken (national profile): the processor must dead-letter it. */
  invalid?: boolean;
}

export interface GeneratorOptions {
  seed: number;
  /** Stop once this many messages were generated (the last client is finished). */
  messages: number;
  gemeenten?: number;
  /** First client number (so several generators can make disjoint populations). */
  firstClient?: number;
  duplicateRate?: number;
}

export const PHASES: readonly InputKind[] = [
  'wmo-toewijzingen',
  'indicatiebesluiten',
  'zorgtoewijzingen',
  'indicatiebesluiten',
  'zorgtoewijzingen',
  'wmo-toewijzingen',
];

/** mulberry32: a small, fast, seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickWeighted<T>(rnd: () => number, items: ReadonlyArray<readonly [T, number]>): T {
  const total = items.reduce((n, [, w]) => n + w, 0);
  let x = rnd() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items[items.length - 1]![0];
}

const WMO_CATEGORIES = [
  ['01', 30],
  ['02', 20],
  ['03', 5],
  ['07', 8],
  ['08', 10],
  ['11', 8],
  ['12', 5],
  ['14', 6],
  ['15', 3],
  ['05', 2],
  ['16', 3],
] as const;
const PRODUCTCODE: Record<string, string> = {
  '01': '01A01',
  '02': '02A03',
  '03': '03A01',
  '05': '05A01',
  '07': '07A01',
  '08': '08A01',
  '11': '11A01',
  '12': '12A01',
  '14': '14A01',
  '15': '15A01',
  '16': '16A01',
};
const ZZP_CODES = [
  ['754', 30],
  ['755', 25],
  ['756', 10],
  ['806', 8],
  ['999', 6],
  ['750', 5],
  ['751', 4],
  ['800', 3],
  ['820', 2],
] as const;
const LEVERINGSVORMEN = [
  ['4', 35],
  ['5', 25],
  ['7', 20],
  ['2', 15],
  ['8', 5],
] as const;
const SURNAMES = [
  'Jansen',
  'de Vries',
  'Bakker',
  'Visser',
  'Smit',
  'Meijer',
  'Mulder',
  'Bos',
  'Vos',
  'Peters',
];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** A date in 2025..2027 from a day number (0 = 2025-01-01), valid by construction. */
function day(n: number): string {
  const d = new Date(Date.UTC(2025, 0, 1) + n * 86400000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
const TODAY_DAY = 691; // 2026-11-23

export function gemeenteCode(i: number): string {
  return pad(14 + ((i * 37) % 9000), 4);
}

/** The codes of the first `n` generated gemeenten (`gemeenten` of the options; default 40). */
export function gemeenteCodes(n = 40): string[] {
  return Array.from({ length: n }, (_, i) => gemeenteCode(i));
}

export function keyOf(bsn: string): string {
  return createHash('sha256').update(bsn).digest('hex').slice(0, 16);
}

/** Generates the messages, ordered by phase (and within a phase in the order they should be sent). */
export function generate(opts: GeneratorOptions): GeneratedMessage[] {
  const rnd = prng(opts.seed);
  const gemeenten = opts.gemeenten ?? 40;
  const duplicateRate = opts.duplicateRate ?? 0.03;
  const phases: GeneratedMessage[][] = PHASES.map(() => []);
  let count = 0;
  let ident = 0;
  const nextId = (prefix: string) => `${prefix}${(ident++).toString(36).padStart(11 - prefix.length, '0')}`;
  const push = (phase: number, bsn: string, value: string) => {
    const msg = { phase, kind: PHASES[phase]!, key: keyOf(bsn), value };
    phases[phase]!.push(msg);
    count++;
    if (rnd() < duplicateRate) {
      phases[phase]!.push({ ...msg });
      count++;
    }
  };

  for (let c = opts.firstClient ?? 0; count < opts.messages; c++) {
    const bsn = validBsn(c);
    const person = {
      bsn,
      achternaam: SURNAMES[c % SURNAMES.length]!,
      geboortedatum: `19${pad(30 + (c % 60))}-${pad(1 + (c % 12))}-${pad(1 + (c % 28))}`,
      geslacht: String(1 + (c % 2)),
    };
    const gemeente = gemeenteCode(Math.floor(rnd() * gemeenten));
    // Phase 0: Wmo toewijzingen (one or two WMO301 messages, to one or two aanbieders).
    const products: Array<{ nummer: number; cat: string; aanbieder: string; ingang: number; eind?: number }> =
      [];
    const aanbieders = 1 + Math.floor(rnd() * 2);
    for (let a = 0; a < aanbieders; a++) {
      const aanbieder = `99${pad(Math.floor(rnd() * 500), 6)}`;
      const n = 1 + Math.floor(rnd() * 2);
      const mine = [];
      for (let k = 0; k < n; k++) {
        const cat = pickWeighted(rnd, WMO_CATEGORIES);
        const ingang = Math.floor(rnd() * 600);
        const eind = rnd() < 0.3 ? ingang + 30 + Math.floor(rnd() * 700) : undefined;
        const p = { nummer: c * 10 + products.length + 1, cat, aanbieder, ingang, eind };
        products.push(p);
        mine.push(p);
      }
      const dagtekening = Math.max(...mine.map((p) => p.ingang));
      push(
        0,
        bsn,
        buildWmo301({
          ...person,
          gemeente,
          aanbieder,
          identificatie: nextId('W'),
          dagtekening: day(dagtekening),
          producten: mine.map((p) => ({
            toewijzingnummer: p.nummer,
            productcategorie: p.cat,
            productcode: PRODUCTCODE[p.cat]!,
            toewijzingsdatum: day(dagtekening),
            toewijzingstijd: '09:00:00',
            ingangsdatum: day(p.ingang),
            einddatum: p.eind === undefined ? null : day(p.eind),
          })),
        }),
      );
    }
    if (rnd() < 0.25) continue; // no Wlz for this client
    // Phase 1: the indicatiebesluit.
    const zzp = pickWeighted(rnd, ZZP_CODES);
    const besluitnummer = 100_000_000 + c;
    const indIngang = 500 + Math.floor(rnd() * 200);
    const io31 = (code: string, dagtekening: number, id: string) =>
      buildIo31({
        ...person,
        besluitnummer,
        identificatie: id,
        dagtekening: day(dagtekening),
        afgiftedatum: day(indIngang),
        ingangsdatum: day(indIngang),
        grondslagen: code === '999' ? [] : ['02'],
        zzps: [code],
      });
    push(1, bsn, io31(zzp, indIngang, nextId('I')));
    // Phase 2: the zorgtoewijzing (not for partnerverblijf; not yet for some).
    const instelling = `98${pad(Math.floor(rnd() * 300), 6)}`;
    const hasAw33 = zzp !== '999' && rnd() < 0.7;
    const ztwIngang = indIngang + 5 + Math.floor(rnd() * 120);
    const toewijzingsdatum = indIngang + 3;
    const leveringsvorm = pickWeighted(rnd, LEVERINGSVORMEN);
    const aw33 = (
      extra: { einddatum?: string; redenIntrekking?: string; toewijzingsdatum: number },
      id: string,
    ) =>
      buildAw33({
        ...person,
        besluitnummer,
        identificatie: id,
        dagtekening: day(extra.toewijzingsdatum),
        aanbieder: instelling,
        indicatieAfgiftedatum: day(indIngang),
        indicatieIngangsdatum: day(indIngang),
        zzpCode: zzp,
        instelling,
        leveringsvorm,
        toewijzingsdatum: day(extra.toewijzingsdatum),
        toewijzingstijd: '10:00:00',
        ingangsdatum: day(ztwIngang),
        einddatum: extra.einddatum ?? null,
        redenIntrekking: extra.redenIntrekking ?? null,
      });
    if (hasAw33) push(2, bsn, aw33({ toewijzingsdatum }, nextId('Z')));
    // Phase 3: an indicatie corrected to partnerverblijf (the wrongly flagged case).
    if (zzp !== '999' && rnd() < 0.05)
      push(3, bsn, io31('999', Math.min(indIngang + 20, TODAY_DAY), nextId('I')));
    // Phase 4: a zorgtoewijzing withdrawn before it took effect.
    if (hasAw33 && rnd() < 0.06) {
      push(
        4,
        bsn,
        aw33(
          { toewijzingsdatum: toewijzingsdatum + 2, einddatum: day(ztwIngang), redenIntrekking: '5' },
          nextId('Z'),
        ),
      );
    }
    // Phase 5: the gemeente withdraws a Wmo toewijzing (RedenWijziging 13: it never existed).
    if (rnd() < 0.04) {
      const p = products[0]!;
      push(
        5,
        bsn,
        buildWmo301({
          ...person,
          gemeente,
          aanbieder: p.aanbieder,
          identificatie: nextId('W'),
          dagtekening: day(TODAY_DAY - 1),
          producten: products
            .filter((q) => q.aanbieder === p.aanbieder)
            .map((q) => ({
              toewijzingnummer: q.nummer,
              productcategorie: q.cat,
              productcode: PRODUCTCODE[q.cat]!,
              toewijzingsdatum: day(q === p ? TODAY_DAY - 1 : Math.max(...products.map((x) => x.ingang))),
              toewijzingstijd: '09:00:00',
              ingangsdatum: day(q.ingang),
              einddatum: q === p ? day(q.ingang) : q.eind === undefined ? null : day(q.eind),
              redenWijziging: q === p ? '13' : null,
            })),
        }),
      );
    }
  }
  return phases.flat();
}

/** About the national load: ≈1 million Wmo toewijzingen and ≈300,000 people with a Wlz indicatie. */
export const NATIONAL_MESSAGES = 1_550_000;
export const NATIONAL_GEMEENTEN = 340;

export interface NationalOptions {
  seed: number;
  /** Share of the national load: 1 = ≈1.55 million messages, 0.065 ≈ 100,000. */
  scale: number;
  gemeenten?: number;
  firstClient?: number;
}

/**
 * Realistic national proportions, for the benchmark (bench/run.ts): 340 gemeenten of very different size
 * (a Zipf-like spread: the four large cities carry a big share), Wmo-only clients with one WMO301 of one
 * or two products in the categories as gemeenten use them, Wlz clients (≈24 % of the clients: ≈300,000
 * of ≈1.27 million) with an IO31 and mostly an AW33, ≈10 % of the Wlz clients also with Wmo support, 1 %
 * exact duplicates, 0.5 % corrections (partnerverblijf, a withdrawn zorgtoewijzing, a withdrawn Wmo
 * toewijzing) and 0.1 % invalid messages (cut off: the processor dead-letters them). Same phases as
 * `generate`, so a phase-by-phase feed can be compared with a clean run.
 */
export function generateNational(opts: NationalOptions): GeneratedMessage[] {
  const rnd = prng(opts.seed);
  const target = Math.max(1, Math.round(NATIONAL_MESSAGES * opts.scale));
  const gemeenten = opts.gemeenten ?? NATIONAL_GEMEENTEN;
  const gemeenteWeights = Array.from({ length: gemeenten }, (_, i) => [i, 1 / (i + 1) ** 0.9] as const);
  const phases: GeneratedMessage[][] = PHASES.map(() => []);
  let count = 0;
  let ident = 0;
  const nextId = (prefix: string) => `${prefix}${(ident++).toString(36).padStart(11 - prefix.length, '0')}`;
  const push = (phase: number, bsn: string, value: string) => {
    const msg: GeneratedMessage = { phase, kind: PHASES[phase]!, key: keyOf(bsn), value, bsn };
    if (rnd() < 0.001) {
      // cut off in the middle of an element: not well-formed
      msg.value = value.slice(0, Math.floor(value.length / 2));
      msg.invalid = true;
    }
    phases[phase]!.push(msg);
    count++;
    if (rnd() < 0.01) {
      phases[phase]!.push({ ...msg });
      count++;
    }
  };
  const wmo301 = (
    phase: number,
    person: { bsn: string; achternaam: string; geboortedatum: string; geslacht: string },
    c: number,
    gemeente: string,
  ) => {
    const aanbieder = `99${pad(Math.floor(rnd() * 2000), 6)}`;
    const n = rnd() < 0.75 ? 1 : 2;
    const products = Array.from({ length: n }, (_, k) => {
      const cat = pickWeighted(rnd, WMO_CATEGORIES);
      const ingang = Math.floor(rnd() * 600);
      const eind = rnd() < 0.3 ? ingang + 30 + Math.floor(rnd() * 700) : undefined;
      return { nummer: c * 10 + k + 1, cat, ingang, eind };
    });
    const dagtekening = Math.max(...products.map((p) => p.ingang));
    push(
      phase,
      person.bsn,
      buildWmo301({
        ...person,
        gemeente,
        aanbieder,
        identificatie: nextId('W'),
        dagtekening: day(dagtekening),
        producten: products.map((p) => ({
          toewijzingnummer: p.nummer,
          productcategorie: p.cat,
          productcode: PRODUCTCODE[p.cat]!,
          toewijzingsdatum: day(dagtekening),
          toewijzingstijd: '09:00:00',
          ingangsdatum: day(p.ingang),
          einddatum: p.eind === undefined ? null : day(p.eind),
        })),
      }),
    );
    return { aanbieder, products, dagtekening };
  };

  for (let c = opts.firstClient ?? 0; count < target; c++) {
    const bsn = validBsn(c);
    const person = {
      bsn,
      achternaam: SURNAMES[c % SURNAMES.length]!,
      geboortedatum: `19${pad(30 + (c % 60))}-${pad(1 + (c % 12))}-${pad(1 + (c % 28))}`,
      geslacht: String(1 + (c % 2)),
    };
    const gemeente = gemeenteCode(pickWeighted(rnd, gemeenteWeights));
    const wlz = rnd() < 0.236;
    const wmo = !wlz || rnd() < 0.1;
    const toewijzing = wmo ? wmo301(0, person, c, gemeente) : undefined;
    if (toewijzing && rnd() < 0.002) {
      // the gemeente withdraws the toewijzing (RedenWijziging 13: it never existed)
      const p = toewijzing.products[0]!;
      push(
        5,
        bsn,
        buildWmo301({
          ...person,
          gemeente,
          aanbieder: toewijzing.aanbieder,
          identificatie: nextId('W'),
          dagtekening: day(TODAY_DAY - 1),
          producten: toewijzing.products.map((q) => ({
            toewijzingnummer: q.nummer,
            productcategorie: q.cat,
            productcode: PRODUCTCODE[q.cat]!,
            toewijzingsdatum: day(q === p ? TODAY_DAY - 1 : toewijzing.dagtekening),
            toewijzingstijd: '09:00:00',
            ingangsdatum: day(q.ingang),
            einddatum: q === p ? day(q.ingang) : q.eind === undefined ? null : day(q.eind),
            redenWijziging: q === p ? '13' : null,
          })),
        }),
      );
    }
    if (!wlz) continue;
    const zzp = pickWeighted(rnd, ZZP_CODES);
    const besluitnummer = 100_000_000 + c;
    const indIngang = 500 + Math.floor(rnd() * 200);
    const io31 = (code: string, dagtekening: number, id: string) =>
      buildIo31({
        ...person,
        besluitnummer,
        identificatie: id,
        dagtekening: day(dagtekening),
        afgiftedatum: day(indIngang),
        ingangsdatum: day(indIngang),
        grondslagen: code === '999' ? [] : ['02'],
        zzps: [code],
      });
    push(1, bsn, io31(zzp, indIngang, nextId('I')));
    const instelling = `98${pad(Math.floor(rnd() * 2000), 6)}`;
    const hasAw33 = zzp !== '999' && rnd() < 0.85;
    const ztwIngang = indIngang + 5 + Math.floor(rnd() * 120);
    const toewijzingsdatum = indIngang + 3;
    const leveringsvorm = pickWeighted(rnd, LEVERINGSVORMEN);
    const aw33 = (extra: { einddatum?: string; redenIntrekking?: string; toewijzingsdatum: number }) =>
      buildAw33({
        ...person,
        besluitnummer,
        identificatie: nextId('Z'),
        dagtekening: day(extra.toewijzingsdatum),
        aanbieder: instelling,
        indicatieAfgiftedatum: day(indIngang),
        indicatieIngangsdatum: day(indIngang),
        zzpCode: zzp,
        instelling,
        leveringsvorm,
        toewijzingsdatum: day(extra.toewijzingsdatum),
        toewijzingstijd: '10:00:00',
        ingangsdatum: day(ztwIngang),
        einddatum: extra.einddatum ?? null,
        redenIntrekking: extra.redenIntrekking ?? null,
      });
    if (hasAw33) push(2, bsn, aw33({ toewijzingsdatum }));
    // corrections, ≈0.5 % of the messages in all
    if (zzp !== '999' && rnd() < 0.008)
      push(3, bsn, io31('999', Math.min(indIngang + 20, TODAY_DAY), nextId('I')));
    if (hasAw33 && rnd() < 0.01)
      push(
        4,
        bsn,
        aw33({ toewijzingsdatum: toewijzingsdatum + 2, einddatum: day(ztwIngang), redenIntrekking: '5' }),
      );
  }
  return phases.flat();
}
