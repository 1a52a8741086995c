import type { StateCipher } from './cipher';
import { isSealed } from './keys';
import type { ClientState } from './state';

/**
 * What a commit wrote for a client state, kept with the state object (weakly: gone with the object). The
 * changelog's record of the same commit (./changelog.ts) carries that state again: it takes what the commit
 * wrote instead of serialising (and sealing) the state a second time — a whole client state, ≈5 KB, per applied
 * record — and what the commit wrote, even when the object changed after it.
 *
 * One of the two per state: the sealed text when the register is encrypted at rest (its JSON is the sealed
 * text opened), else the JSON.
 */
const written = new WeakMap<ClientState, string>();

/** A committed state as its commit sealed it, with the cipher and client it was sealed with. */
interface Sealed {
  cipher: StateCipher;
  clientId: string;
  text: string;
}
const sealedStates = new WeakMap<ClientState, Sealed>();

/** The state sealed for a commit; kept with the state object (the sealed text, or the JSON if it is not sealed). */
export function commitSealed(cipher: StateCipher, clientId: string, state: ClientState): string {
  const json = JSON.stringify(state);
  const text = cipher.seal(clientId, json);
  if (isSealed(text)) {
    sealedStates.set(state, { cipher, clientId, text });
    written.delete(state);
  } else {
    written.set(state, json);
    sealedStates.delete(state);
  }
  return text;
}

/** What the last commit of this very state object sealed, if it was sealed with `cipher` for `clientId`. */
export function committedSealed(
  cipher: StateCipher,
  clientId: string,
  state: ClientState,
): string | undefined {
  const s = sealedStates.get(state);
  return s !== undefined && s.cipher === cipher && s.clientId === clientId ? s.text : undefined;
}

/** The JSON the last commit of this very state object wrote; else the state's JSON now. */
export function stateJson(state: ClientState): string {
  const s = sealedStates.get(state);
  if (s !== undefined) return s.cipher.open(s.clientId, s.text);
  return written.get(state) ?? JSON.stringify(state);
}
