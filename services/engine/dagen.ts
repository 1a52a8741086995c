/**
 * Time passing without messages: the next day at which a client's decisions could change although no
 * message about it arrives (a Wlz indicatie or zorgtoewijzing that ends or starts, a Wmo toewijzing whose
 * Einddatum passes, a proposal whose Einddatum becomes past, …). The daily re-evaluation keeps an index of
 * this day per client and re-evaluates only the clients whose day has come. Pure.
 *
 * Every comparison of the engine with today is with a date of the facts or of a beëindiging: a start counts
 * from that day (`ingangsdatum <= today`, the proposal that waits for the Wmo toewijzing to start, the day
 * before the Wlz care starts becoming past), an end until that day (`einddatum >= today`, a proposal's or a
 * sent beëindiging's Einddatum that passes), and a vervaldatum up to the day before. So a decision can only
 * change on a start, on the day after an end, or on a vervaldatum: the first such day after today is the
 * answer. One too many costs an evaluation that changes nothing; one too few would leave a signal stale
 * (a property test in test/unit/engine/properties.test.ts holds the set).
 */
import { addDays } from '../domain/dates';
import type { Fact, IsoDate } from '../domain/facts';
import { verwijderdag } from './bewaartermijn';
import type { EngineState } from './state';
import { opruimDagen } from './opruimen';

const dayAfter = (d: IsoDate | undefined) => (d === undefined ? undefined : addDays(d, 1));

/** The days on which a fact may change what the engine decides. */
function factDays(f: Fact): Array<IsoDate | undefined> {
  switch (f.type) {
    case 'wlz-indicatie':
      return [f.ingangsdatum, dayAfter(f.einddatum), f.vervaldatum];
    case 'wlz-zorgtoewijzing':
    case 'wmo-toewijzing':
    case 'wmo-aanvraag':
      return [f.ingangsdatum, dayAfter(f.einddatum)];
  }
}

/**
 * The first day after `today` on which a re-evaluation of the client could give another outcome than one
 * today; undefined when no date of the client lies ahead (nothing will change without a message). With a
 * bewaartermijn (`engine/bewaartermijn.ts`), the day the client may be deleted counts too: tomorrow when that
 * day has come already (an open proposal kept the client: it is tried again at every daily re-evaluation).
 */
export function volgendeDag(
  facts: readonly Fact[],
  engine: EngineState | undefined,
  today: IsoDate,
  bewaartermijnDagen?: number,
): IsoDate | undefined {
  const days: Array<IsoDate | undefined> = facts.flatMap(factDays);
  if (bewaartermijnDagen !== undefined && facts.length > 0) {
    const weg = verwijderdag(facts, bewaartermijnDagen);
    if (weg !== undefined) days.push(weg > today ? weg : addDays(today, 1));
  }
  for (const r of Object.values(engine?.beeindigingen ?? {})) {
    // an open proposal's Einddatum that becomes past moves to today; a sent one is corrected only until it passed
    if (r.status === 'voorgesteld' || r.status === 'verzonden')
      days.push(dayAfter(r.einddatum), dayAfter(r.doelEinddatum), r.wlzIngangsdatum);
  }
  // the tombstone of a retracted decision (engine/opruimen.ts: minimal retention of the notification topic)
  days.push(...opruimDagen(engine, today));
  let best: IsoDate | undefined;
  for (const d of days) if (d !== undefined && d > today && (best === undefined || d < best)) best = d;
  return best;
}
