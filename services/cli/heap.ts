import { setFlagsFromString } from 'node:v8';

/**
 * Sets how far V8 lets the old generation grow past what its last full collection kept (HEAP_GROWING_PERCENT,
 * services/config): 100 lets the heap reach twice its live data before the next full collection. V8 reads the
 * flag each time it sets that limit, so setting it at the start of the process takes effect at the first
 * collection; node does not accept the flag in NODE_OPTIONS, so the processor sets it itself. 0 leaves V8's
 * own choice (a factor between 1.1 and 4, larger when collections are cheap). Returns the flag set, if any.
 */
export function limitHeapGrowth(percent: number): string | undefined {
  if (percent <= 0) return undefined;
  const flag = `--heap-growing-percent=${Math.floor(percent)}`;
  setFlagsFromString(flag);
  return flag;
}
