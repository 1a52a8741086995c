/** The q-quantile (0–1) of an ascending list, by rank; NaN for an empty list. */
export const pct = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
