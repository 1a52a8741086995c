import type { Command } from 'commander';
import type { CliContext } from '../program';
import { registerConsole } from './console';
import { registerAcls } from './acls';
import { registerDecide } from './decide';
import { registerDlq } from './dlq';
import { registerImport } from './import';
import { registerInspect } from './inspect';
import { registerReplay } from './replay';
import { registerRegister } from './register';
import { registerReport } from './report';
import { registerTopics } from './topics';

/** Every subcommand of `samenloop`. */
export function registerCommands(program: Command, ctx: CliContext): void {
  registerImport(program, ctx);
  registerDecide(program, ctx);
  registerInspect(program, ctx);
  registerReplay(program, ctx);
  registerReport(program, ctx);
  registerDlq(program, ctx);
  registerTopics(program, ctx);
  registerConsole(program, ctx);
  registerAcls(program, ctx);
  registerRegister(program, ctx);
}
