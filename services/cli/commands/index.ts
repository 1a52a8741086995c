import type { Command } from 'commander';
import type { CliContext } from '../program';
import { registerTopics } from './topics';

/** Every subcommand of `samenloop`. */
export function registerCommands(program: Command, ctx: CliContext): void {
  registerTopics(program, ctx);
}
