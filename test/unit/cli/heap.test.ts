import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../services/config';
import { limitHeapGrowth } from '../../../services/cli/heap';

/**
 * HEAP_GROWING_PERCENT: how far the processor's heap may grow past its live data (services/cli/heap.ts). What
 * it saves is measured by the benchmark (README, Performance, thirteenth round); here: the setting, and that
 * this V8 knows the flag (an unknown flag is reported on the output and ignored).
 */
describe('HEAP_GROWING_PERCENT', () => {
  it('is 100 unless set; 0 leaves the heap to V8; out of range or not a number is a configuration error', () => {
    expect(loadConfig({}).HEAP_GROWING_PERCENT).toBe(100);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).HEAP_GROWING_PERCENT).toBe(0);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '250' }).HEAP_GROWING_PERCENT).toBe(250);
    for (const bad of ['-1', '401', '1.5', 'twice']) {
      expect(() => loadConfig({ HEAP_GROWING_PERCENT: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ HEAP_GROWING_PERCENT: bad })).toThrow(/HEAP_GROWING_PERCENT/);
    }
  });

  it('sets no flag for 0', () => {
    expect(limitHeapGrowth(0)).toBeUndefined();
  });

  it("sets V8's --heap-growing-percent, a flag this node knows", () => {
    const heap = path.resolve(__dirname, '../../../services/cli/heap.ts');
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import(${JSON.stringify(heap)}).then(({ default: m }) => console.log(m.limitHeapGrowth(100)))`,
      ],
      { encoding: 'utf8' },
    );
    expect(child.status).toBe(0);
    expect(`${child.stdout}${child.stderr}`.trim()).toBe('--heap-growing-percent=100');
  });
});
