/** Messages between the sweep's main thread and its workers. */
import type { SweepPoint } from './grid';
import type { ResultLine } from './line';

export interface WorkerData {
  /** Worker number, from 1. */
  worker: number;
  /** Absolute sweep folder. */
  outDir: string;
  /** Int32Array(1) over this: 1 once the user asked to stop (Ctrl-C). */
  stop: SharedArrayBuffer;
}

/** `outDir` overrides the worker's folder for one point (a queued point's shared artifacts folder). */
export type ToWorker = { type: 'run'; point: SweepPoint; outDir?: string } | { type: 'exit' };

export type FromWorker =
  | { type: 'phase'; key: string; phase: string; fraction: number; fields: string[] }
  /** The point's training key now has a cached model: points waiting for it may start. */
  | { type: 'trained'; key: string; trainKey: string }
  | { type: 'done'; key: string; line: ResultLine }
  /** Training or pruning stopped at a checkpoint because the user asked to stop. */
  | { type: 'stopped'; key: string }
  | { type: 'failed'; key: string; message: string; user: boolean };
