/**
 * A gemeente's commands on a proposed beëindiging: confirm (the WMO301 is sent) or reject. A command can
 * only touch a beëindiging of the gemeente that sends it; an unknown, foreign or stale id gets a
 * `nl.samenloop.opdracht.afgewezen` event on that gemeente's channel and changes nothing.
 */
import type { Fact } from '../domain/facts';
import { maskBsnLike } from '../domain/bsn';
import { BEEINDIGING_ID_PATTERN, COMMAND_TYPES, DOOR_MAX } from '../domain/commands';
import { verstuurBeeindiging } from './beeindigingen';
import { finish, notification, reconcile } from './evaluate';
import type { AfgewezenData, AfgewezenOutput } from './outputs';
import { cloneState, emptyEngineState, type EngineState } from './state';
import type { EngineContext, GemeenteCommand, Output, Run } from './types';

const TYPES: ReadonlySet<string> = new Set(COMMAND_TYPES);

/** Never a BSN, in any form (spaced, dotted, clipped to eight digits), in what a gemeente gets back. */
const zonderNummers = maskBsnLike;

export function rejectCommand(gemeente: string, cmd: unknown, reason: string): AfgewezenOutput {
  const o = cmd !== null && typeof cmd === 'object' ? (cmd as Record<string, unknown>) : {};
  const type = typeof o['type'] === 'string' && TYPES.has(o['type']) ? o['type'] : null;
  const id = o['beeindigingId'];
  const beeindigingId = typeof id === 'string' && BEEINDIGING_ID_PATTERN.test(id) ? id : null;
  const rawDoor = o['door'];
  const door =
    typeof rawDoor === 'string' && rawDoor.trim() !== '' && rawDoor.length <= DOOR_MAX
      ? zonderNummers(rawDoor.trim())
      : null;
  const data: AfgewezenData = {
    gemeente,
    opdracht: { type, beeindigingId, door },
    reden: zonderNummers(reason),
  };
  const subject = beeindigingId ? `opdracht/${beeindigingId}` : `opdracht/${gemeente}`;
  return notification<AfgewezenOutput>('opdracht-afgewezen', gemeente, subject, data, null);
}

export const ONBEKEND = 'onbekende beeindigingId';

export function handleCommand(
  bsn: string,
  facts: Fact[],
  prev: EngineState | undefined,
  gemeente: string,
  cmd: GemeenteCommand,
  ctx: EngineContext,
): { state: EngineState; outputs: Output[] } {
  const bekend = prev?.beeindigingen[cmd.beeindigingId];
  // the same answer for another gemeente's id as for an unknown one: nothing about another gemeente leaks
  if (!prev || !bekend || bekend.gemeente !== gemeente) {
    return { state: prev ?? emptyEngineState(), outputs: [rejectCommand(gemeente, cmd, ONBEKEND)] };
  }
  const run: Run = { bsn, facts, state: cloneState(prev), ctx, outputs: [], wmo301: new Map() };
  reconcile(run); // the proposal may have lapsed since it was made
  const r = run.state.beeindigingen[cmd.beeindigingId]!;
  if (r.status !== 'voorgesteld') {
    run.outputs.push(
      rejectCommand(gemeente, cmd, `beeindiging is niet (meer) voorgesteld: status ${r.status}`),
    );
    return finish(run);
  }
  run.state.history.push({
    type: `opdracht.${cmd.type.split('.')[1]}`,
    id: r.id,
    time: ctx.now,
    subject: r.referentie,
  });
  r.besluit = { door: cmd.door, ...(cmd.toelichting ? { toelichting: cmd.toelichting } : {}) };
  if (cmd.type === 'beeindiging.bevestigen') verstuurBeeindiging(run, r);
  else r.status = 'afgewezen';
  reconcile(run); // the signal now shows the new status
  return finish(run);
}
