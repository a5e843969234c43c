/**
 * The coordinator's progress across all workers: done / running / failed / waiting and an ETA from this run's
 * pace. On a terminal one line is redrawn in place; otherwise a line is printed whenever the counts change.
 */
import { formatDuration } from '../../format/progress';

export interface QueueCounts {
  /** Finished this run (results written). */
  finished: number;
  failed: number;
  running: number;
  waiting: number;
}

export class QueueStatus {
  private readonly tty: boolean;
  private readonly started = Date.now();
  private last = '';
  private drawn = false;

  constructor(private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, private readonly total: number, private readonly alreadyDone: number, private readonly toRun: number) {
    this.tty = Boolean(stream.isTTY);
  }

  /** The status line for these counts; `ended` points of this run set the pace for the ETA. */
  line(c: QueueCounts): string {
    const elapsed = (Date.now() - this.started) / 1000;
    const ended = c.finished + c.failed;
    const eta = ended > 0 ? (elapsed * (this.toRun - ended)) / ended : NaN;
    return `sweep: ${this.alreadyDone + c.finished}/${this.total} done, ${c.running} running, ${c.failed} failed, ${c.waiting} waiting` +
      ` | elapsed ${formatDuration(elapsed)}, ETA ${formatDuration(eta)}`;
  }

  update(c: QueueCounts): void {
    const text = this.line(c);
    if (this.tty) {
      const cols = (this.stream.columns || 120) - 1;
      this.stream.write(`\r${text.slice(0, cols)}\x1b[K`);
      this.drawn = true;
      return;
    }
    // Plain output: only when a count changed (the elapsed time alone is not news).
    const counts = text.slice(0, text.indexOf(' | '));
    if (counts !== this.last) this.stream.write(`${text}\n`);
    this.last = counts;
  }

  /** A message on its own line. */
  log(message: string): void {
    this.end();
    this.stream.write(`${message}\n`);
  }

  end(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
