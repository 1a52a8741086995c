/**
 * The `samenloop` command (package.json "bin": bin/samenloop.js). Every subcommand has --help; exit codes
 * in ./errors.ts (0 ok, 1 usage, 2 input rejected, 3 Kafka or Redis unreachable).
 */
import { processIo } from './io';
import { runCli } from './program';

void runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
