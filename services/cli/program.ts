import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config';
import { MissingTopicsError } from '../kafka/topics';
import { CliError, EXIT, type ExitCode } from './errors';
import { writeLine, type CliIo } from './io';
import { registerCommands } from './commands';

/** What every command gets: the streams, and the configuration read from the environment when first asked. */
export interface CliContext {
  io: CliIo;
  config(): Config;
}

const DESCRIPTION = [
  'The command line of the samenloop processor (Wlz/Wmo samenloop signals).',
  'Configuration comes from the environment, as for the processor (README, "Configuration").',
  '',
  'Exit codes:',
  '  0  done',
  '  1  usage: unknown command or option, a missing argument (or an unexpected failure: please report it)',
  '  2  input rejected: a file, a value or the configuration',
  '  3  Kafka or Redis could not be reached',
].join('\n');

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('samenloop')
    .description(DESCRIPTION)
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true);
  program.command('help [command]', { hidden: true }).action(() => program.help());
  registerCommands(program, ctx);
  configure(program, ctx.io);
  return program;
}

/** Commander writes through our streams and throws instead of calling process.exit, on every level. */
function configure(cmd: Command, io: CliIo): void {
  cmd.exitOverride();
  cmd.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
  });
  for (const sub of cmd.commands) configure(sub, io);
}

/** Runs the command line; resolves to the exit code. Never rejects. */
export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  let cfg: Config | undefined;
  const ctx: CliContext = {
    io,
    config: () => {
      cfg ??= loadConfig(io.env);
      return cfg;
    },
  };
  const program = buildProgram(ctx);
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.USAGE;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with code 0; every parse error is a usage error.
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (err instanceof CliError) {
      writeLine(io.stderr, `samenloop: ${err.message}`);
      return err.exitCode;
    }
    if (err instanceof MissingTopicsError) {
      writeLine(io.stderr, `samenloop: ${err.message}`);
      return EXIT.REJECTED;
    }
    if (err instanceof ConfigError) {
      writeLine(io.stderr, `samenloop: ${err.message}\nfix the variable(s) named above and run again`);
      return EXIT.REJECTED;
    }
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    writeLine(io.stderr, `samenloop: unexpected failure (${message.slice(0, 300)}); please report it`);
    return EXIT.USAGE;
  }
}
