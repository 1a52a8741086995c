import { pseudonym } from '../domain/pseudonym';
import { currentFacts, gemeentenOf, type ClientState } from './state';
import type { RegisterStore } from './store';

export interface ClientView {
  clientId: string;
  version: number;
  gemeenten: string[];
  facts: ClientState['facts'][string][];
  engine: ClientState['engine'];
  appliedMessages: number;
}

/** The register view of one client: facts, decisions and message history (the engine state). */
export async function clientView(
  store: RegisterStore,
  secret: string,
  bsn: string,
): Promise<ClientView | undefined> {
  const clientId = pseudonym(secret, bsn);
  const { state, version } = await store.load(clientId);
  if (!state) return undefined;
  const facts = currentFacts(state).map((f) => state.facts[f.key]!);
  return {
    clientId,
    version,
    gemeenten: gemeentenOf(state),
    facts,
    engine: state.engine,
    appliedMessages: Object.keys(state.applied).length,
  };
}
