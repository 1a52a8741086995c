import type { Writable } from 'node:stream';

/**
 * Progress of a long command on stderr: a bar redrawn in place on a terminal, plain lines (one every
 * `everyMs`) when not a terminal (a log, CI). `total` may be unknown (bytes are then the measure).
 */
export class Progress {
  private last: number;
  private drawn = false;

  constructor(
    private readonly out: Writable & { isTTY?: boolean },
    private readonly what: string,
    private readonly total: number,
    private readonly everyMs = 5000,
    private readonly now: () => number = Date.now,
  ) {
    this.last = now();
  }

  update(done: number, detail: string): void {
    const t = this.now();
    const tty = this.out.isTTY === true;
    if (t - this.last < (tty ? 200 : this.everyMs)) return;
    this.last = t;
    const pct = this.total > 0 ? Math.min(100, Math.floor((100 * done) / this.total)) : 0;
    if (tty) {
      const width = 30;
      const full = Math.round((pct / 100) * width);
      this.out.write(
        `\r${this.what} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${pct}% ${detail}\x1b[K`,
      );
    } else {
      this.out.write(`${this.what}: ${pct}% ${detail}\n`);
    }
    this.drawn = true;
  }

  done(detail: string): void {
    if (!this.drawn) return;
    if (this.out.isTTY === true) {
      this.out.write(`\r${this.what} [${'#'.repeat(30)}] 100% ${detail}\x1b[K\n`);
    } else {
      this.out.write(`${this.what}: 100% ${detail}\n`);
    }
  }
}
