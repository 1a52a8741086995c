import { spawn } from 'node:child_process';
import * as os from 'node:os';
import { arg, startBusyLoops } from './busy';

/**
 * `npm run test:loaded [-- --runs 3 --busy 2]`: the README's test command (`npm test`) several times in a
 * row while busy loops keep the cores loaded, as on a busy CI machine. Prints each run's result and time
 * and exits non-zero when any run failed.
 */
async function main(): Promise<void> {
  const runs = arg('runs', 3);
  const busy = arg('busy', 2);
  const loops = startBusyLoops(busy);
  console.log(
    `[test:loaded] ${runs} run(s) of npm test beside ${busy} busy loop(s) on ${os.cpus().length} cores`,
  );
  const results: Array<{ run: number; code: number | null; seconds: number; load: string }> = [];
  for (let run = 1; run <= runs; run++) {
    const t0 = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn('npm', ['test'], { stdio: 'inherit', env: process.env });
      child.on('exit', (c) => resolve(c));
    });
    const seconds = (Date.now() - t0) / 1000;
    const load = os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ');
    results.push({ run, code, seconds, load });
    console.log(
      `[test:loaded] run ${run}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds.toFixed(0)} s, load average ${load}`,
    );
  }
  loops.stop();
  console.log('\n[test:loaded] summary');
  for (const r of results) {
    console.log(
      `  run ${r.run}: ${r.code === 0 ? 'passed' : 'FAILED'} in ${r.seconds.toFixed(0)} s (load average ${r.load})`,
    );
  }
  const failed = results.filter((r) => r.code !== 0).length;
  console.log(`${runs - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

void main();
