/**
 * Progress for long work: a bar redrawn in place on a terminal; elsewhere (a file, a pipe) a plain line when the
 * work starts, at each further tenth of it, and at its end, so logs stay short and still show how it ended. Every
 * line ends with a newline. NEUROMAP_PROGRESS=off silences it (the test suite sets it; messages through `log`
 * still print).
 *
 * The ETA is the rate since this progress began over the work left: a run resumed at step 1040 of 4286 counts its
 * rate from step 1040, not as if it had done 1040 steps in its first second.
 */
export interface ProgressLine {
  /** fraction done in [0, 1] */
  fraction: number;
  /** short facts shown after the bar, e.g. ['1234 tok/s', 'loss 5.21'] */
  fields: string[];
}

/** What Progress writes to: a stream, a terminal when isTTY. */
export type ProgressStream = Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean; columns?: number };

export const PROGRESS_ENV = 'NEUROMAP_PROGRESS';

export class Progress {
  private readonly tty: boolean;
  private readonly quiet: boolean;
  private first: { fraction: number; at: number } | null = null;
  /** The tenth of the work the last plain line reported (-1: none yet). */
  private printedTenth = -1;
  /** The last update not yet printed as a plain line, printed by done(). */
  private pending: string | null = null;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = Date.now,
  ) {
    this.tty = Boolean(stream.isTTY);
    this.quiet = process.env[PROGRESS_ENV] === 'off';
  }

  update(p: ProgressLine, force = false): void {
    if (this.quiet) return;
    const at = this.now();
    if (!this.first) this.first = { fraction: p.fraction, at };
    const pct = `${(100 * p.fraction).toFixed(1).padStart(5)}%`;
    const tail = [...p.fields, `ETA ${formatDuration(etaSeconds(this.first, p.fraction, at))}`].join(' | ');
    if (this.tty) {
      const width = 24;
      const filled = Math.round(width * Math.min(1, Math.max(0, p.fraction)));
      const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct} ${tail}`;
      const cols = this.stream.columns || 120;
      this.stream.write(`\r${line.slice(0, cols - 1).padEnd(Math.min(cols - 1, line.length))}\x1b[K`);
      this.drawn = true;
      return;
    }
    const line = `${this.label} ${pct} ${tail}\n`;
    const tenth = Math.floor(10 * p.fraction + 1e-9);
    if (force || this.printedTenth < 0 || tenth > this.printedTenth) {
      this.stream.write(line);
      this.printedTenth = tenth;
      this.pending = null;
    } else {
      this.pending = line;
    }
  }

  /** A message on its own line (keeps the bar intact on a terminal). */
  log(message: string): void {
    if (this.tty && this.drawn) this.stream.write('\r\x1b[K');
    this.stream.write(`${message}\n`);
    this.drawn = false;
  }

  /** Ends the bar's line on a terminal; elsewhere prints the last update if no line showed it. */
  done(): void {
    if (this.tty && this.drawn) this.stream.write('\n');
    if (!this.tty && this.pending) this.stream.write(this.pending);
    this.pending = null;
    this.drawn = false;
  }
}

/** Seconds left at the rate since `first`: (1 − f) / ((f − f₀) / elapsed); unknown before any progress. */
export function etaSeconds(first: { fraction: number; at: number }, fraction: number, at: number): number {
  const done = fraction - first.fraction, elapsed = (at - first.at) / 1000;
  return done > 0 && elapsed > 0 ? (elapsed * (1 - fraction)) / done : NaN;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
