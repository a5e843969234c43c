/**
 * Which point runs next. Points go out in grid order, except that a point whose trained model is being
 * trained by another worker waits (pruning levels share one trained model; training it twice would waste
 * the time and race on the cache file). Pure bookkeeping: no threads, no files.
 */
import { SweepPoint } from './grid';

type KeyState = 'ready' | 'training' | 'untrained' | 'failed';

export class Scheduler {
  private readonly pending: SweepPoint[];
  private readonly keys = new Map<string, KeyState>();
  /** Points given up without running, because their training key failed. */
  readonly skipped: { point: SweepPoint; reason: string }[] = [];
  private readonly failures = new Map<string, string>();

  constructor(points: SweepPoint[], isCached: (trainKey: string) => boolean) {
    this.pending = [...points];
    for (const p of points) if (!this.keys.has(p.trainKey)) this.keys.set(p.trainKey, isCached(p.trainKey) ? 'ready' : 'untrained');
  }

  /** The next point to run, or null when none can start now (all done, or waiting on a training). */
  next(): SweepPoint | null {
    const i = this.pending.findIndex((p) => this.keys.get(p.trainKey) !== 'training');
    if (i < 0) return null;
    const [p] = this.pending.splice(i, 1);
    if (this.keys.get(p.trainKey) === 'untrained') this.keys.set(p.trainKey, 'training');
    return p;
  }

  trained(trainKey: string): void {
    this.keys.set(trainKey, 'ready');
  }

  /** A point ended without a result. If it was training its key, the key's waiting points are given up too. */
  ended(point: SweepPoint, error: string | null): void {
    if (this.keys.get(point.trainKey) !== 'training') return;
    if (error === null) {
      this.keys.set(point.trainKey, 'untrained');
      return;
    }
    this.keys.set(point.trainKey, 'failed');
    this.failures.set(point.trainKey, error);
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (this.pending[i].trainKey !== point.trainKey) continue;
      this.skipped.push({ point: this.pending[i], reason: `its model's training failed (see point ${point.key})` });
      this.pending.splice(i, 1);
    }
  }

  get remaining(): number {
    return this.pending.length;
  }
}
