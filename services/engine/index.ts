/**
 * The pure engine core: decide(facts, today), the diff into outputs (evaluate), and the gemeente commands.
 * No I/O, no clock, no randomness: today and now are parameters.
 */
import type { EngineState } from './state';

export type { EngineContext, GemeenteCommand, Output, Policy } from './types';
export type {
  BeeindigingRecord,
  BeeindigingStatus,
  EmittedDecision,
  EngineState,
  HistoryEntry,
  VerzondenBericht,
} from './state';
export { emptyEngineState } from './state';
export { decide, type Decision, type Voorstel } from './decide';
export { wlzGronden, type WlzGrond } from './wlz';
export { evaluate } from './evaluate';
export { volgendeDag } from './dagen';
export { DEFAULT_SIGNAAL_BEWAAR_DAGEN, gemeenteVan } from './opruimen';
export { handleCommand, ONBEKEND, rejectCommand } from './commands';
export type * from './outputs';
export { EVENT_TYPE, SIGNAAL, VERVALLEN, OPDRACHT_AFGEWEZEN } from './outputs';

/** Every beëindiging id of the client, in any status, so the shell can route a command to the client. */
export const beeindigingIds = (state: EngineState): string[] => Object.keys(state.beeindigingen).sort();
