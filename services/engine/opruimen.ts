/**
 * Minimal retention of the gemeente's notification topic (compacted by decision reference): a decision whose
 * last record there is a retraction (`vervallen`) gets a tombstone (its key, a null value) SIGNAAL_BEWAAR_DAGEN
 * after the retraction, so compaction removes the signal and its retraction and a consumer reading the topic
 * from the beginning rebuilds only the current signals. A signal still current (also one with a rejected
 * proposal or a sent beëindiging) is never tombstoned: only a `vervallen` closes a decision. The state
 * remembers each retracted reference until its tombstone is out (`afgesloten`); the tombstone is an output
 * like any other (outbox, replay), and once sent the reference is forgotten, so it goes out once. Pure.
 */
import { addDays } from '../domain/dates';
import type { IsoDate } from '../domain/facts';
import { tombstoneId, type TombstoneOutput } from './outputs';
import type { AfgeslotenDecision, EngineState } from './state';
import type { Run } from './types';

/** The default of SIGNAAL_BEWAAR_DAGEN. */
export const DEFAULT_SIGNAAL_BEWAAR_DAGEN = 30;

/** The gemeente a decision reference names (`wmo-toewijzing/<gemeente>/…`, `wmo-aanvraag/<gemeente>/…`). */
export function gemeenteVan(ref: string): string | undefined {
  return /^wmo-(?:toewijzing|aanvraag)\/(\d{4})\//.exec(ref)?.[1];
}

function afgesloten(run: Run): Record<string, AfgeslotenDecision> {
  const s = run.state;
  if (s.afgesloten) return s.afgesloten;
  // a state from before tombstones: every reference that had events and no current decision was retracted
  const uit: Record<string, AfgeslotenDecision> = {};
  for (const ref of Object.keys(s.lastEventIds).sort()) {
    const gemeente = gemeenteVan(ref);
    if (s.decisions[ref] || gemeente === undefined) continue;
    uit[ref] = sluit(run, gemeente);
  }
  return (s.afgesloten = uit);
}

function sluit(run: Run, gemeente: string): AfgeslotenDecision {
  const dagen = run.ctx.signaalBewaarDagen ?? DEFAULT_SIGNAAL_BEWAAR_DAGEN;
  return { gemeente, sinds: run.ctx.today, opruimdag: addDays(run.ctx.today, dagen) };
}

/** A retraction of `ref` was sent to `gemeente` today: its tombstone is due SIGNAAL_BEWAAR_DAGEN later. */
export function markeerAfgesloten(run: Run, ref: string, gemeente: string): void {
  afgesloten(run)[ref] = sluit(run, gemeente);
}

/** A signal on `ref` was sent (again): the decision is current, no tombstone. */
export function heropend(run: Run, ref: string): void {
  delete afgesloten(run)[ref];
}

/**
 * The tombstones due today: one per retracted reference whose day has come, to the gemeente the reference
 * names (a reference recorded for any other gemeente is dropped, never sent); the reference is then forgotten.
 */
export function ruimOp(run: Run): void {
  const uit = afgesloten(run);
  for (const ref of Object.keys(uit).sort()) {
    const a = uit[ref]!;
    if (a.opruimdag > run.ctx.today) continue;
    delete uit[ref];
    if (gemeenteVan(ref) !== a.gemeente) continue;
    const o: TombstoneOutput = {
      kind: 'tombstone',
      gemeente: a.gemeente,
      subject: ref,
      id: tombstoneId(ref, run.state.lastEventIds[ref] ?? null),
    };
    run.outputs.push(o);
    run.state.history.push({ type: 'tombstone', id: o.id, time: run.ctx.now, subject: ref });
  }
}

/**
 * The days the daily re-evaluation must look at the client for its tombstones: each due day, or tomorrow for a
 * state from before tombstones that has retracted references (its `afgesloten` is then filled).
 */
export function opruimDagen(engine: EngineState | undefined, today: IsoDate): IsoDate[] {
  if (!engine) return [];
  if (!engine.afgesloten) {
    const open = Object.keys(engine.lastEventIds).some((ref) => !engine.decisions[ref]);
    return open ? [addDays(today, 1)] : [];
  }
  return Object.values(engine.afgesloten).map((a) => a.opruimdag);
}
