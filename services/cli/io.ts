import type { Readable, Writable } from 'node:stream';

/** What a command reads and writes besides Kafka and Redis: injected, so tests run the program in-process. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

export function writeLine(stream: Writable, line = ''): void {
  stream.write(`${line}\n`);
}
