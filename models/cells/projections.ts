/**
 * The two weight projections every recurrent cell has (input W·x and recurrent R·y_{t−1}), shared by the
 * GRU family and the LSTM: the window's input pre-activations, the recurrent inputs as one row set, and the
 * gradients of both projections once the per-step pre-activation gradients are known.
 */
import { ActiveSet, byColumn, concatRows, sliceRows } from '../kernels/active';
import {
  accumulateActiveRows, accumulateBiasGrad, accumulateWeightGrad, backpropActiveRows, fillRowsWithBias,
} from '../kernels';
import { LayerTensors, WindowInput } from './types';

/** b + W·x for every row of the window at once: it does not depend on the recurrence. */
export function inputPreActivations(p: LayerTensors, input: WindowInput, inputSize: number, gateWidth: number): Float32Array {
  const rows = input.steps * input.batch;
  const pre = new Float32Array(rows * gateWidth);
  fillRowsWithBias(pre, p.bias, rows);
  accumulateActiveRows(input.x, inputSize, input.active, p.kernel, gateWidth, pre, rows);
  return pre;
}

/** The recurrent product's inputs y_{t−1} for every row: the carried-in state, then all outputs but the last step's. */
export function previousOutputs(y0: Float32Array, y0Active: ActiveSet, Y: Float32Array, yActive: ActiveSet, batch: number, hidden: number) {
  const rows = Y.length / hidden;
  const values = new Float32Array(rows * hidden);
  values.set(y0);
  values.set(Y.subarray(0, (rows - batch) * hidden), batch * hidden);
  return { values, active: concatRows(y0Active, sliceRows(yActive, 0, rows - batch)) };
}

export interface ProjectionGrads {
  p: LayerTensors;
  grads: LayerTensors;
  input: WindowInput;
  inputSize: number;
  hidden: number;
  gateWidth: number;
  /** dL/d(pre-activation) of the input and of the recurrent projection, [rows, gateWidth]. */
  dPreX: Float32Array;
  dPreH: Float32Array;
  previous: { values: Float32Array; active: ActiveSet };
  dx: Float32Array | null;
  xNeed: ActiveSet | null;
}

/** Bias, W and R gradients, and dL/dx where the layer below needs it. */
export function accumulateProjectionGrads(a: ProjectionGrads): void {
  const rows = a.input.steps * a.input.batch;
  accumulateBiasGrad(a.dPreX, rows, a.grads.bias);
  accumulateBiasGrad(a.dPreH, rows, a.grads.recurrentBias);
  accumulateWeightGrad(a.input.x, a.inputSize, byColumn(a.input.active, a.inputSize), a.dPreX, a.gateWidth, a.grads.kernel, a.inputSize);
  accumulateWeightGrad(a.previous.values, a.hidden, byColumn(a.previous.active, a.hidden), a.dPreH, a.gateWidth, a.grads.recurrentKernel, a.hidden);
  if (a.dx && a.xNeed) backpropActiveRows(a.p.kernel, a.gateWidth, a.dPreX, a.xNeed, a.dx, a.inputSize, rows);
}
