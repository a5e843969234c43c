/** What every recurrent cell offers the language model: a forward pass over a window that can be reversed. */
import { ActiveSet } from '../kernels/active';

/** Parameters (or their gradients) of one layer, in the layout of models/params.ts. */
export interface LayerTensors {
  kernel: Float32Array; // [in, G·H]
  recurrentKernel: Float32Array; // [H, G·H]
  bias: Float32Array; // [G·H]
  recurrentBias: Float32Array; // [G·H]
  thr?: Float32Array; // [H], EGRU only
}

/** Carried between windows: h and y for (E)GRU (y is the sparse output), h and c for LSTM. */
export interface LayerState {
  h: Float32Array; // [B, H]
  y: Float32Array; // [B, H]  (LSTM: the cell state c)
}

export interface CellOptions {
  inputSize: number;
  hidden: number;
  /** Surrogate gradient of the EGRU event function. */
  gamma: number;
  support: number;
}

export interface WindowInput {
  x: Float32Array; // [T·B, in], row t·B + b
  active: ActiveSet; // non-zero entries of x
  steps: number; // T
  batch: number; // B
}

export interface LayerForward {
  y: Float32Array; // [T·B, H]
  /** Non-zero outputs (events for EGRU). */
  active: ActiveSet;
  /** Outputs whose gradient can be non-zero; the layer above only needs dy there. */
  need: ActiveSet;
  /** Events emitted (EGRU: threshold crossings; dense cells: every unit every step). */
  events: number;
  finalState: LayerState;
  /** Non-zero inputs of the recurrent product, y_{t−1} for every row (the carried-in state first). */
  recurrentActive: ActiveSet;
  /** The recurrent product's inputs themselves, [T·B, H], rows as recurrentActive's. */
  recurrentValues: Float32Array;
  /**
   * EGRU: per row, the units whose state h (the membrane potential, after the soft reset) differs from the
   * row's carried-in h (NeuroBench's membrane updates). Dense cells have no spiking neurons: null.
   */
  membraneChanges: Int32Array | null;
  /**
   * Accumulates parameter gradients into `grads` given dL/dy (read only where `need` is set) and, when `dx`
   * is given, writes dL/dx at the entries of `xNeed`. `activityPenalty` (EGRU) adds λ·mean(y) to the loss.
   */
  backward(dy: Float32Array, grads: LayerTensors, dx: Float32Array | null, xNeed: ActiveSet | null, activityPenalty: number): void;
}

export type CellForward = (params: LayerTensors, input: WindowInput, state: LayerState, options: CellOptions) => LayerForward;

export function zeroState(batch: number, hidden: number): LayerState {
  return { h: new Float32Array(batch * hidden), y: new Float32Array(batch * hidden) };
}
