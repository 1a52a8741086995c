/**
 * The bewaartermijn of the register (AVG art. 5(1)(e), storage limitation): samenloop needs a client only
 * while a Wlz or Wmo relation exists, plus a margin for late corrections, withdrawals, bezwaar (Awb 6:7, six
 * weeks) and the decision on it (Awb 7:10, up to twelve weeks more). After the last relation ended — or after
 * the client's death as the Wlz reports it — and that margin (REGISTER_BEWAARTERMIJN_DAGEN) has passed, the
 * client is deleted from the register and its changelog. Pure.
 *
 * A relation is a Wlz indicatie, a Wlz zorgtoewijzing, a Wmo toewijzing or a Wmo aanvraag. It is open while it
 * has no end (no Einddatum), or when it starts or ends after today: such a client is never deleted. An
 * indicatie `vervallen` ends on its vervaldatum (if earlier), one `verwijderd` never ran: it ends on the day it
 * was to start.
 *
 * A client with an open proposal (voorgesteld), or a beëindiging sent whose Einddatum has not passed (it may
 * still be corrected), is not deleted: the gemeente still has to act on it or it may still change, and its id
 * must keep routing the gemeente's command to the client. Nor is one whose retracted signals still wait for their
 * tombstone on the gemeente's notification topic (they are sent first). It is deleted on the first daily re-evaluation after
 * that is over (volgendeDag keeps it in the daily index).
 */
import { addDays } from '../domain/dates';
import type { Fact, IsoDate } from '../domain/facts';
import type { EngineState } from './state';
import { overlijden } from './wlz';

/** The last day of a relation; undefined while it has no end. */
function einde(f: Fact): IsoDate | undefined {
  if (f.type === 'wlz-indicatie') {
    if (f.status === 'verwijderd') return f.ingangsdatum;
    if (f.status === 'vervallen' && f.vervaldatum !== undefined)
      return f.einddatum !== undefined && f.einddatum < f.vervaldatum ? f.einddatum : f.vervaldatum;
  }
  return f.einddatum;
}

/**
 * The first day on which the client may be deleted: `termijnDagen` days after the day of death, or after the
 * end of its last relation (never before the last start); undefined while a relation has no end.
 */
export function verwijderdag(facts: readonly Fact[], termijnDagen: number): IsoDate | undefined {
  const dood = overlijden(facts)?.datum;
  if (dood) return addDays(dood, termijnDagen + 1);
  let laatste: IsoDate | undefined;
  for (const f of facts) {
    const e = einde(f);
    if (e === undefined) return undefined;
    for (const d of [e, f.ingangsdatum])
      if (d !== undefined && (laatste === undefined || d > laatste)) laatste = d;
  }
  return laatste === undefined ? undefined : addDays(laatste, termijnDagen + 1);
}

/**
 * An open proposal, a beëindiging sent whose Einddatum has not passed yet, or a retracted signal whose tombstone
 * is still to be sent (engine/opruimen.ts; a state from before tombstones does not know yet, so it waits for one
 * evaluation): the client is kept. Deleting it before its tombstones would leave the retracted signal, with the
 * client's data, on the gemeente's compacted topic for good.
 */
export function houdtVast(engine: EngineState | undefined, today: IsoDate): boolean {
  if (engine !== undefined && (engine.afgesloten === undefined || Object.keys(engine.afgesloten).length > 0))
    return true;
  return Object.values(engine?.beeindigingen ?? {}).some(
    (r) => r.status === 'voorgesteld' || (r.status === 'verzonden' && r.einddatum >= today),
  );
}

/** The client's bewaartermijn is over today: it is deleted (register, indexes, changelog). */
export function teVerwijderen(
  facts: readonly Fact[],
  engine: EngineState | undefined,
  today: IsoDate,
  termijnDagen: number,
): boolean {
  if (facts.length === 0) return false;
  const dag = verwijderdag(facts, termijnDagen);
  return dag !== undefined && dag <= today && !houdtVast(engine, today);
}
