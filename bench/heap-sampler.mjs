/**
 * Preloaded into a processor by `npm run bench -- --heap` (node --import): V8's sampling heap profiler from the
 * start, keeping the samples of objects that the young and the old collections freed, so the profile shows
 * where the allocations are made (what the garbage collector then pays for), not only what stays alive.
 * At exit it writes `<pid>.heapprofile` (Chrome DevTools' format) to HEAP_PROFILE_DIR. The in-process
 * inspector session answers synchronously, so it can be read out in the exit handler.
 */
import { Session } from 'node:inspector';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.HEAP_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 64 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  process.once('exit', () => {
    session.post('HeapProfiler.stopSampling', (err, res) => {
      if (err || !res) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${process.pid}.heapprofile`), JSON.stringify(res.profile));
    });
  });
}
