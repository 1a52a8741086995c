import type { ClientState } from './state';

/**
 * The JSON of a client state as its commit wrote it to the register, kept with the state object (weakly: gone
 * with the object). The changelog's record of the same commit (./changelog.ts) carries that state again: it takes
 * this text instead of serialising the state a second time (a whole client state, ≈5 KB, per applied record).
 */
const written = new WeakMap<ClientState, string>();

/** The state's JSON for a commit; remembered for the changelog's record of the same state object. */
export function commitJson(state: ClientState): string {
  const json = JSON.stringify(state);
  written.set(state, json);
  return json;
}

/** The JSON the last commit of this very state object wrote; else the state's JSON now. */
export function stateJson(state: ClientState): string {
  return written.get(state) ?? JSON.stringify(state);
}
