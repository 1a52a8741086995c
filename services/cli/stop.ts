/** Exit code of a stop on SIGTERM/SIGINT that finished: the batch in hand committed. */
export const EXIT_STOPPED = 0;
/** Exit code of a stop that did not finish within STOP_TIMEOUT_MS (README, "Start, stop and exit codes"). */
export const EXIT_STOP_TIMEOUT = 4;

/**
 * Runs `stop` but waits at most `timeoutMs` for it: a stop held up (a Redis or broker that no longer
 * answers mid-batch) must not keep an orchestrator waiting until it kills the process without a word.
 * Rejects when `stop` rejects.
 */
export async function boundedStop(
  stop: () => Promise<void>,
  timeoutMs: number,
): Promise<'stopped' | 'timed-out'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), timeoutMs);
  });
  try {
    return await Promise.race([stop().then(() => 'stopped' as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
