/** The shape of one results.jsonl line: what a finished sweep point reports. */
import type { MacReport } from '../models/macs';
import type { SweepPoint } from './grid';

export interface TargetResult {
  target: string;
  /** Set when the model could not be compiled or simulated for this target (e.g. it does not fit). */
  error?: string;
  cores?: number;
  arithmetic?: string;
  /** Where the decoder ran: 'host' or 'chip'. */
  decoder?: string;
  tokens?: number;
  perplexity?: number;
  energy_per_token_j?: number;
  breakdown?: Record<string, number>;
  latency_per_token_s?: number;
  effective_macs_per_token?: number;
  activity?: number[];
  /** Files relative to the sweep folder. */
  map?: string;
  report?: string;
}

export interface ResultLine {
  key: string;
  train_key: string;
  /** The grid values of the point. */
  point: SweepPoint['axes'];
  /** Seeds used: training (shared by every point of train_key) and this point's own. */
  seed: { config: number; train: number; point: number };
  corpus: string;
  model: {
    config: SweepPoint['train']['config'];
    /** Files relative to the sweep folder: the trained model, and the pruned one (same as trained at sparsity 0). */
    trained: string;
    file: string;
    train_tokens: number;
    best_valid_perplexity: number | null;
    sparsity: number;
    pruning: { sparsity: number; validPerplexity: number; activity: number[] }[];
  };
  eval: {
    tokens: number;
    loss: number;
    perplexity: number;
    mean_activity: number;
    activity: number[];
    macs: MacReport;
  };
  targets: TargetResult[];
  baselines: { baseline: string; energy_per_token_j: number; latency_per_token_s: number; dense_macs_per_token: number }[];
  /**
   * How this run went (differs between runs and worker counts; everything outside `run` is deterministic):
   * worker, whether the model was trained by this point or reused from the cache, wall-clock seconds per phase.
   */
  run: {
    worker: number;
    trained_here: boolean;
    started_at: string;
    finished_at: string;
    seconds: { train: number; prune: number; eval: number; simulate: number };
    /** Queued sweeps only: the worker that ran the point, `hostname:pid` (`worker` is its thread number there). */
    host?: string;
  };
}
