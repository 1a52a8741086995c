/**
 * How client state is sealed before it leaves the process for Redis or the changelog topic. The register
 * stores and the changelog only ever call `seal` and `open`; `plainCipher` keeps the text as it is (tests
 * of code that does not care about encryption at rest).
 */
export interface StateCipher {
  /** `plaintext` sealed for `clientId` (the pseudonym): the stored form, with the id of the key used. */
  seal(clientId: string, plaintext: string): string;
  /** The plaintext of a stored value of `clientId`; throws when it cannot be opened (wrong key or client). */
  open(clientId: string, stored: string): string;
}

export const plainCipher: StateCipher = {
  seal: (_clientId, plaintext) => plaintext,
  open: (_clientId, stored) => stored,
};
