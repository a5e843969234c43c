/**
 * Sweep progress: one line per worker plus a total. On a terminal the block is redrawn in place (at most ~10
 * times a second); otherwise a plain line is printed when a worker starts a phase or finishes a point, so a
 * log stays short and readable.
 */
import { formatDuration } from '../format/progress';

export class Board {
  private readonly tty: boolean;
  private readonly lines: string[];
  private drawnHeight = 0;
  private lastDraw = 0;
  private readonly started = Date.now();
  private finished = 0;
  private failed = 0;

  constructor(private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, workers: number, private readonly toRun: number, private readonly alreadyDone: number, private readonly total: number) {
    this.tty = Boolean(stream.isTTY);
    this.lines = Array.from({ length: workers }, (_, i) => `worker ${i + 1}: idle`);
  }

  /** A worker's line; `milestone` marks a new phase or point (printed in plain mode). */
  worker(w: number, text: string, milestone: boolean): void {
    const line = `worker ${w}: ${text}`;
    const changed = line !== this.lines[w - 1];
    this.lines[w - 1] = line;
    if (this.tty) this.draw(false);
    else if (milestone && changed) this.stream.write(`${line}\n`);
  }

  pointEnded(ok: boolean): void {
    if (ok) this.finished++;
    else this.failed++;
    if (this.tty) this.draw(true);
    else this.stream.write(`${this.totalLine()}\n`);
  }

  /** A message above the block. */
  log(message: string): void {
    this.clear();
    this.stream.write(`${message}\n`);
    if (this.tty) this.draw(true);
  }

  done(): void {
    if (this.tty) this.draw(true);
    if (this.pendingDraw) clearTimeout(this.pendingDraw);
    this.pendingDraw = null;
    this.drawnHeight = 0;
  }

  private totalLine(): string {
    const elapsed = (Date.now() - this.started) / 1000;
    const ended = this.finished + this.failed;
    const eta = ended > 0 ? (elapsed * (this.toRun - ended)) / ended : NaN;
    return `sweep: ${this.alreadyDone + this.finished}/${this.total} points done (${this.finished}/${this.toRun} this run` +
      `${this.failed ? `, ${this.failed} failed` : ''}), elapsed ${formatDuration(elapsed)}, ETA ${formatDuration(eta)}`;
  }

  private clear(): void {
    if (this.tty && this.drawnHeight > 0) this.stream.write(`\x1b[${this.drawnHeight}A\r\x1b[J`);
    this.drawnHeight = 0;
  }

  private pendingDraw: NodeJS.Timeout | null = null;

  private draw(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) {
      // Throttled: draw the latest state a little later, so the block never stays stale.
      this.pendingDraw ??= setTimeout(() => {
        this.pendingDraw = null;
        this.draw(true);
      }, 100).unref();
      return;
    }
    if (this.pendingDraw) clearTimeout(this.pendingDraw);
    this.pendingDraw = null;
    this.lastDraw = now;
    const cols = (this.stream.columns || 120) - 1;
    const block = [...this.lines, this.totalLine()].map((l) => `${l.slice(0, cols)}\x1b[K`);
    const up = this.drawnHeight > 0 ? `\x1b[${this.drawnHeight}A\r` : '';
    this.stream.write(`${up}${block.join('\n')}\n`);
    this.drawnHeight = block.length;
  }
}
