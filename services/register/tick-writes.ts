import type { Writable } from 'node:stream';

/**
 * One socket write per tick instead of one per command. The first command of a tick corks the connection's
 * socket; the tick's end (process.nextTick, which runs once the promise chain in hand has nothing more to do
 * without I/O) uncorks it, and the commands held meanwhile go out in one writev, in the order they were written.
 *
 * Why: the drain sends a window's commits without waiting for each (pipeline/lookahead.ts), and ioredis writes
 * each command at once: one system call per commit, ≈10 % of the drain's CPU (`writeUtf8String` in the
 * profile, README, Performance). ioredis' own `enableAutoPipelining` coalesces too, but holds its commands
 * until `setImmediate` while an explicit `pipeline()` or `multi()` is written at once and overtakes them (a
 * read sent after a commit could read the state before it). Corking holds every write of the socket, a
 * pipeline's too, so the order on the wire is the order of the calls.
 *
 * Nothing can wait on a held command: whoever awaits its reply yields, the tick ends, and the socket is uncorked
 * before any reply can arrive.
 */
export class TickWrites {
  private held: Writable | undefined;
  private readonly release = (): void => {
    const stream = this.held;
    this.held = undefined;
    stream?.uncork();
  };

  /** Holds the writes to `stream` until the end of this tick (once per tick; a stream not writable is left as it is). */
  hold(stream: Writable | undefined): void {
    if (this.held !== undefined || stream === undefined || !stream.writable) return;
    stream.cork();
    this.held = stream;
    process.nextTick(this.release);
  }
}
