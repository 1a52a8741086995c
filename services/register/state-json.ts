import type { StateCipher } from './cipher';
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

/** A committed state as its commit sealed it, with the cipher and client it was sealed with. */
interface Sealed {
  cipher: StateCipher;
  clientId: string;
  text: string;
}
const sealedStates = new WeakMap<ClientState, Sealed>();

/**
 * The state sealed for a commit (its JSON as commitJson writes it), remembered with the state object like its
 * JSON: the changelog's record of the same commit carries this sealed text instead of sealing the state again.
 */
export function commitSealed(cipher: StateCipher, clientId: string, state: ClientState): string {
  const text = cipher.seal(clientId, commitJson(state));
  sealedStates.set(state, { cipher, clientId, text });
  return text;
}

/** What the last commit of this very state object sealed, if it was sealed with `cipher` for `clientId`. */
export function committedSealed(cipher: StateCipher, clientId: string, state: ClientState): string | undefined {
  const s = sealedStates.get(state);
  return s !== undefined && s.cipher === cipher && s.clientId === clientId ? s.text : undefined;
}
