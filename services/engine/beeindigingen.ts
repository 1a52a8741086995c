/**
 * Beëindigingen as WMO301 messages: ending a wlz-voorliggende toewijzing (RedenWijziging 06), restoring it
 * (14), and the toewijzingen as the aanbieder last received them (the facts, overlaid with what we sent),
 * which OP087 wants re-sent unchanged. Pure: the messages are returned as outputs, the records updated in
 * the run's private state.
 */
import type { Fact, IsoDate, IsoTime, WmoToewijzingFact } from '../domain/facts';
import { wmo301Identificatie } from './ids';
import { conform, ongewijzigd, type Wmo301Product } from './wmo301';
import { laterOf } from './periods';
import type { BeeindigingRecord, VerzondenBericht } from './state';
import type { Run } from './types';
import { clientVoorAanbieder, isVerwijderd } from './wmo';

const moment = (x: { toewijzingsdatum: IsoDate; toewijzingstijd: IsoTime }) =>
  `${x.toewijzingsdatum}T${x.toewijzingstijd}`;

/** Toewijzingsdatum/-tijd of a change made now (IV013): the local date and time of ctx.now, never after today. */
export function toewijzingsmoment(now: string, today: IsoDate): { datum: IsoDate; tijd: IsoTime } {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(now);
  if (!m) return { datum: today, tijd: '00:00:00' };
  return { datum: m[1]! > today ? today : m[1]!, tijd: m[2]! };
}

const toewijzingen = (facts: readonly Fact[]): WmoToewijzingFact[] =>
  facts.filter((f): f is WmoToewijzingFact => f.type === 'wmo-toewijzing');

/** Our last WMO301 version of a toewijzing. */
function laatstVerzonden(run: Run, key: string): VerzondenBericht | undefined {
  let best: VerzondenBericht | undefined;
  for (const r of Object.values(run.state.beeindigingen)) {
    if (r.toewijzingKey !== key) continue;
    for (const b of r.berichten) if (!best || moment(b.product) > moment(best.product)) best = b;
  }
  return best;
}

/** A toewijzing as the aanbieder last received it: the fact, or our WMO301 version when that is as new or newer. */
function zoalsVerzonden(run: Run, w: WmoToewijzingFact): Wmo301Product {
  const b = laatstVerzonden(run, w.key);
  if (!b || moment(b.product) < moment(w)) return ongewijzigd(w);
  const p = { ...b.product };
  delete p.redenWijziging; // re-sent unchanged (IV099)
  return p;
}

/** The toewijzing fact with this key. */
export const toewijzingFact = (facts: readonly Fact[], key: string): WmoToewijzingFact | undefined =>
  facts.find((f): f is WmoToewijzingFact => f.type === 'wmo-toewijzing' && f.key === key);

/** A toewijzing with the Einddatum it had before beëindiging `r`. */
function metVorigeEinddatum(w: WmoToewijzingFact, r: BeeindigingRecord): WmoToewijzingFact {
  const hersteld: WmoToewijzingFact = { ...w };
  delete hersteld.redenWijziging;
  if (r.vorigeEinddatum === null) delete hersteld.einddatum;
  else hersteld.einddatum = r.vorigeEinddatum;
  return hersteld;
}

/**
 * Must sent beëindiging `r` be undone? Only while its Einddatum has not passed, when the gemeente has not
 * changed or withdrawn the toewijzing since (its version is ours, or older), and when the toewijzing as it was
 * before our beëindiging would no longer be wlz-voorliggend: the Wlz grond itself is gone.
 */
export function moetCorrigeren(
  run: Run,
  r: BeeindigingRecord,
  voorliggend: (facts: readonly Fact[]) => boolean,
): boolean {
  const w = toewijzingFact(run.facts, r.toewijzingKey);
  const laatste = laatstVerzonden(run, r.toewijzingKey);
  if (!w || !laatste || isVerwijderd(w) || r.einddatum < run.ctx.today) return false;
  if (w.einddatum !== r.einddatum && moment(w) > moment(laatste.product)) return false;
  const zoalsVoorheen = run.facts.map((f) => (f === w ? metVorigeEinddatum(w, r) : f));
  return !voorliggend(zoalsVoorheen);
}

/**
 * Records a change of toewijzing `w` for the aanbieder: it goes out with every other change of this step for
 * the same gemeente, aanbieder and client in one WMO301 when the step ends (`verstuurWijzigingen`).
 */
function verstuur(
  run: Run,
  r: BeeindigingRecord,
  w: WmoToewijzingFact,
  gewijzigd: Wmo301Product,
  soort: VerzondenBericht['soort'],
) {
  const key = `${r.gemeente}|${r.aanbieder}`;
  let batch = run.wmo301.get(key);
  if (!batch) {
    batch = { gemeente: r.gemeente, aanbieder: r.aanbieder, wijzigingen: new Map() };
    run.wmo301.set(key, batch);
  }
  // the Identificatie is known when the step ends; until then the record holds the change without it
  const bericht: VerzondenBericht = {
    soort,
    id: '',
    dagtekening: run.ctx.today,
    product: conform(gewijzigd),
  };
  r.berichten.push(bericht);
  const eerder = batch.wijzigingen.get(w.key);
  if (eerder) eerder.record.berichten.splice(eerder.record.berichten.indexOf(eerder.bericht), 1);
  batch.wijzigingen.set(w.key, { record: r, bericht });
}

const byNummer = (a: Wmo301Product, b: Wmo301Product) =>
  Number(a.toewijzingnummer) - Number(b.toewijzingnummer) ||
  (a.toewijzingnummer < b.toewijzingnummer ? -1 : a.toewijzingnummer > b.toewijzingnummer ? 1 : 0);

/**
 * Ends the step: one WMO301 per gemeente and aanbieder for this client, with every change of the step and
 * every other actuele toewijzing there unchanged (OP087, IV099). Its Identificatie is the hash of the changes
 * it carries, so a replay of the same step gives the same message.
 */
export function verstuurWijzigingen(run: Run): void {
  const today = run.ctx.today;
  for (const batch of [...run.wmo301.values()].sort((a, b) =>
    a.gemeente + a.aanbieder < b.gemeente + b.aanbieder ? -1 : 1,
  )) {
    const keys = [...batch.wijzigingen.keys()].sort();
    const changed = keys.map((k) => batch.wijzigingen.get(k)!);
    const anderen = toewijzingen(run.facts)
      .filter(
        (x) =>
          x.gemeente === batch.gemeente &&
          x.aanbieder === batch.aanbieder &&
          !batch.wijzigingen.has(x.key) &&
          !isVerwijderd(x),
      )
      .map((x) => conform(zoalsVerzonden(run, x)))
      .filter((p) => p.einddatum === undefined || p.einddatum >= today);
    const producten = [...changed.map((c) => c.bericht.product), ...anderen].sort(byNummer);
    const id = wmo301Identificatie({
      gemeente: batch.gemeente,
      aanbieder: batch.aanbieder,
      wijzigingen: changed.map((c) => [c.record.id, c.bericht.soort, c.record.berichten.indexOf(c.bericht)]),
    });
    const eerste = toewijzingFact(run.facts, keys[0]!)!;
    const client = { ...clientVoorAanbieder(batch.gemeente, eerste, run.facts), bsn: run.bsn };
    run.outputs.push({
      kind: 'wmo301',
      gemeente: batch.gemeente,
      aanbieder: batch.aanbieder,
      id,
      bericht: {
        afzender: batch.gemeente,
        ontvanger: batch.aanbieder,
        identificatie: id,
        dagtekening: today,
        client,
        producten,
      },
    });
    for (const c of changed) {
      c.bericht.id = id;
      run.state.history.push({
        type: `wmo301.${c.bericht.soort}`,
        id,
        time: run.ctx.now,
        subject: c.record.referentie,
      });
    }
  }
  run.wmo301.clear();
}

/** The Commentaar of our WMO301s: neutral, no Wlz facts (the aanbieder gets no health data from us). */
export const COMMENTAAR_BEEINDIGING = 'Einddatum gewijzigd door de gemeente';
export const COMMENTAAR_CORRECTIE = 'Correctie van een eerder gewijzigde einddatum';

/** Sends the beëindiging: Einddatum = the day before the Wlz care, never before today; RedenWijziging 06. */
export function verstuurBeeindiging(run: Run, r: BeeindigingRecord): void {
  const w = toewijzingFact(run.facts, r.toewijzingKey);
  if (!w) throw new Error(`beëindiging ${r.id}: toewijzing not in the register`);
  const { datum, tijd } = toewijzingsmoment(run.ctx.now, run.ctx.today);
  const reden = r.redenWijziging ?? '06';
  // 02 (client overleden): the date of death, also when past; 06: never before today
  r.einddatum = reden === '02' ? r.doelEinddatum : laterOf(r.doelEinddatum, run.ctx.today);
  r.vorigeEinddatum = w.einddatum ?? null;
  const p: Wmo301Product = {
    ...ongewijzigd(w),
    toewijzingsdatum: datum,
    toewijzingstijd: tijd,
    einddatum: r.einddatum,
    redenWijziging: reden,
    // neutral: no Wlz facts for the aanbieder (data minimisation)
    commentaar: COMMENTAAR_BEEINDIGING,
  };
  verstuur(run, r, w, p, 'beeindiging');
  r.status = 'verzonden';
}

/** Undoes a sent beëindiging: the toewijzing as we sent it, with the previous Einddatum (or none) and RedenWijziging 14. */
export function verstuurCorrectie(run: Run, r: BeeindigingRecord): void {
  const w = toewijzingFact(run.facts, r.toewijzingKey);
  const laatste = laatstVerzonden(run, r.toewijzingKey);
  if (!w || !laatste) throw new Error(`beëindiging ${r.id}: nothing to correct`);
  const { datum, tijd } = toewijzingsmoment(run.ctx.now, run.ctx.today);
  const p: Wmo301Product = {
    ...laatste.product,
    toewijzingsdatum: datum,
    toewijzingstijd: tijd,
    redenWijziging: '14',
    commentaar: COMMENTAAR_CORRECTIE,
  };
  if (r.vorigeEinddatum === null) delete p.einddatum;
  else p.einddatum = r.vorigeEinddatum;
  verstuur(run, r, w, p, 'correctie');
  r.status = 'gecorrigeerd';
}
