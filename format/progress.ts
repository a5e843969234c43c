/**
 * Progress for long work: a bar redrawn in place on a terminal, plain lines (at most one every few seconds)
 * when output goes to a file or a pipe, so logs stay readable.
 */
export interface ProgressLine {
  /** fraction done in [0, 1] */
  fraction: number;
  /** short facts shown after the bar, e.g. ['1234 tok/s', 'loss 5.21'] */
  fields: string[];
}

export class Progress {
  private readonly tty: boolean;
  private readonly started = Date.now();
  private lastPlain = 0;
  private drawn = false;

  constructor(private readonly label: string, private readonly stream: NodeJS.WriteStream = process.stderr, private readonly plainEveryMs = 5000) {
    this.tty = Boolean(stream.isTTY);
  }

  update(p: ProgressLine, force = false): void {
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = p.fraction > 0 ? (elapsed * (1 - p.fraction)) / p.fraction : NaN;
    const pct = `${(100 * p.fraction).toFixed(1).padStart(5)}%`;
    const tail = [...p.fields, `ETA ${formatDuration(eta)}`].join(' | ');
    if (this.tty) {
      const width = 24;
      const filled = Math.round(width * Math.min(1, Math.max(0, p.fraction)));
      const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct} ${tail}`;
      const cols = this.stream.columns || 120;
      this.stream.write(`\r${line.slice(0, cols - 1).padEnd(Math.min(cols - 1, line.length))}\x1b[K`);
      this.drawn = true;
    } else if (force || Date.now() - this.lastPlain >= this.plainEveryMs) {
      this.lastPlain = Date.now();
      this.stream.write(`${this.label} ${pct} ${tail}\n`);
    }
  }

  /** A message on its own line (keeps the bar intact on a terminal). */
  log(message: string): void {
    if (this.tty && this.drawn) this.stream.write('\r\x1b[K');
    this.stream.write(`${message}\n`);
    this.drawn = false;
  }

  done(): void {
    if (this.tty && this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
