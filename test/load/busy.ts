import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Busy loops that keep the cores loaded while a test runs, as on a shared CI machine with other work:
 * `node -e 'for(;;){}'` processes, killed when stopped or when this process exits.
 */
export function startBusyLoops(n: number): { stop: () => void } {
  const loops: ChildProcess[] = [];
  for (let i = 0; i < n; i++) {
    loops.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
  }
  const stop = () => {
    for (const l of loops) if (l.exitCode === null) l.kill('SIGKILL');
  };
  process.once('exit', stop);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      stop();
      process.exit(130);
    });
  }
  return { stop };
}

/** `--name value` from argv, or the default. */
export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) ? v : fallback;
}
