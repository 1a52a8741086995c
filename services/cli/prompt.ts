import { createInterface } from 'node:readline';
import type { CliIo } from './io';

/** Reads one line from stdin (a terminal or a pipe), after writing `question` to stderr. */
export async function askLine(io: CliIo, question: string, hidden = false): Promise<string | undefined> {
  io.stderr.write(question);
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    const line = await new Promise<string | undefined>((resolve) => {
      rl.once('line', (l) => resolve(l));
      rl.once('close', () => resolve(undefined));
    });
    if (hidden && io.stderr.isTTY) io.stderr.write('\n');
    return line;
  } finally {
    rl.close();
  }
}

/** A yes (j, ja, y, yes) on stdin. */
export async function askYes(io: CliIo, question: string): Promise<boolean> {
  const answer = (await askLine(io, question))?.trim().toLowerCase();
  return answer === 'j' || answer === 'ja' || answer === 'y' || answer === 'yes';
}
