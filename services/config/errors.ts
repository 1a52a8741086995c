/** A bad configuration: the processor exits 2, a command exits 2 (REJECTED). Names the variables, never a secret. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}
