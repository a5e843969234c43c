/**
 * What the main thread and a training worker share. Everything lives in SharedArrayBuffers: the parameters
 * (written by the main thread's optimiser step, read by every shard), each worker's gradient and statistics, the
 * full-batch recurrent states (each shard owns its rows), the batched training data and a control block. Steps
 * are handed over with Atomics.wait/notify, not messages, so the main thread can block synchronously inside the
 * training generator and a step costs no event-loop turn.
 */
import type { MessagePort } from 'worker_threads';
import { ModelConfig } from '../config';
import { Regularisation } from '../lm';
import { Shard } from './shards';

/** Control block (Int32Array): the step sequence number and the window it asks for. */
export const CTRL_SEQ = 0;
export const CTRL_POSITION = 1;
export const CTRL_LENGTH = 2;
export const CTRL_STEP = 3;
export const CTRL_EXIT = 4;
export const CTRL_SIZE = 5;

/** A worker's slot in the done block: the last sequence number it finished, or FAILED. */
export const FAILED = -1;

export interface WorkerSetup {
  config: ModelConfig;
  /** Parameter name → [shape, buffer], in the ParamSet's order. */
  params: [string, number[], SharedArrayBuffer][];
  grads: SharedArrayBuffer[];
  /** Per layer: h and y of all B streams. */
  states: [SharedArrayBuffer, SharedArrayBuffer][];
  data: SharedArrayBuffer;
  dataSteps: number;
  batch: number;
  shard: Shard;
  /** Shard index (0 is the main thread). */
  index: number;
  seed: number;
  regularisation: Regularisation;
  ctrl: SharedArrayBuffer;
  done: SharedArrayBuffer;
  /** Float64Array [lossSum, events per layer …]. */
  stats: SharedArrayBuffer;
  /** Where a failing worker posts its error message (the main thread reads it with receiveMessageOnPort). */
  errors: MessagePort;
}
