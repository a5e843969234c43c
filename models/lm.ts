/**
 * One window of the language model: embedding → recurrent layers → (projection) → decoder → softmax
 * cross-entropy, forward, with a closure that runs the same window backwards. Used by training (batch B,
 * BPTT window T, dropout on) and evaluation (batch 1, dropout off).
 */
import { ModelConfig, decoderInputSize, layerInputSize } from './config';
import { LayerForward, LayerState, LayerTensors, cellForward, zeroState } from './cells';
import { ActiveSet, activeSet, byColumn, fullSet, keepWhereNonZero } from './kernels/active';
import { accumulateActiveRows, accumulateBiasGrad, accumulateWeightGrad, backpropActiveRows, fillRowsWithBias } from './kernels';
import {
  DECODER_BIAS, DECODER_WEIGHT, EMBEDDING, PROJECTION_BIAS, PROJECTION_WEIGHT, ParamSet,
  biasName, kernelName, layerName, recurrentBiasName, recurrentKernelName, thresholdName,
} from './params';
import { Rng } from './rng';
import { softmaxCrossEntropyInPlace } from './softmax';

export interface Regularisation {
  /** Dropout on the embedding output, between layers, and before the decoder. */
  dropoutEmbedding: number;
  dropoutHidden: number;
  dropoutOutput: number;
  /** DropConnect on recurrent weights, resampled every window. */
  dropConnect: number;
  /** λ of the activity penalty λ·mean(y), an L1 penalty on each EGRU layer's graded events (0: off). */
  activityPenalty: number;
}

export const NO_REGULARISATION: Regularisation = {
  dropoutEmbedding: 0, dropoutHidden: 0, dropoutOutput: 0, dropConnect: 0, activityPenalty: 0,
};

/** The input of one weight projection during the window: what the MAC accounting needs. */
export interface ProjectionInput {
  /** Parameter name of the matrix (input-major [inputs, outputs]), or EMBEDDING for a tied decoder. */
  matrix: string;
  name: string;
  inputs: number;
  outputs: number;
  active: ActiveSet;
  /** The input values, [rows, inputs] (NeuroBench's AC test reads them). */
  values: Float32Array;
}

export interface WindowResult {
  /** Σ −log p(target) over the window. */
  lossSum: number;
  /** The activity penalty's contribution to the loss (Σ over EGRU layers of λ·mean(y)); 0 when off. */
  penaltyLoss: number;
  /** log p(target) per position (row t·B + b). */
  targetLogProbs: Float32Array;
  eventsPerLayer: number[];
  /** Per layer, its non-zero outputs (events for an EGRU), rows t·B + b. */
  outputActive: ActiveSet[];
  /** Per EGRU layer and row, the units whose state h changed (LayerForward.membraneChanges); null for dense cells. */
  membraneChanges: (Int32Array | null)[];
  /** Outputs per layer whose gradient can be non-zero (fired, or inside the surrogate window): the backward cost. */
  needPerLayer: number[];
  states: LayerState[];
  projections: ProjectionInput[];
  /** Adds this window's gradients of mean loss (+ regularisers) to `grads` (same names and shapes as params). */
  backward(grads: ParamSet): void;
}

export function initialStates(config: ModelConfig, batch: number): LayerState[] {
  return config.layers.map((H) => zeroState(batch, H));
}

export function layerTensors(params: ParamSet, l: number, withThreshold: boolean): LayerTensors {
  return {
    kernel: params[kernelName(l)].data,
    recurrentKernel: params[recurrentKernelName(l)].data,
    bias: params[biasName(l)].data,
    recurrentBias: params[recurrentBiasName(l)].data,
    thr: withThreshold ? params[thresholdName(l)].data : undefined,
  };
}

/** Inverted-dropout mask: 0 or 1/(1−p). */
function dropoutMask(size: number, p: number, rng: Rng): Float32Array {
  const mask = new Float32Array(size);
  const keep = 1 / (1 - p);
  for (let i = 0; i < size; i++) mask[i] = rng.next() >= p ? keep : 0;
  return mask;
}

function multiplyInto(values: Float32Array, mask: Float32Array | null): Float32Array {
  if (!mask) return values;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] * mask[i];
  return out;
}

/** [rows, cols] → [cols, rows]. */
export function transpose(m: Float32Array, rows: number, cols: number, out = new Float32Array(rows * cols)): Float32Array {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c];
  return out;
}

export interface WindowOptions {
  steps: number;
  batch: number;
  /** Dropout is applied only when training (rng given). */
  regularisation: Regularisation;
  rng: Rng | null;
  /** The tied decoder as [E, V]; pass it in to reuse one transpose over many windows (e.g. evaluation). */
  tiedDecoder?: Float32Array;
}

export function runWindow(
  config: ModelConfig, params: ParamSet, inputs: Int32Array, targets: Int32Array, states: LayerState[], options: WindowOptions,
): WindowResult {
  const { steps: T, batch: B, rng } = options;
  const reg = rng ? options.regularisation : NO_REGULARISATION;
  const N = T * B;
  const E = config.emb;
  const V = config.vocabSize;
  const L = config.layers.length;
  const spiking = config.cell === 'egru';
  const cell = cellForward[config.cell];
  const projections: ProjectionInput[] = [];

  // Embedding lookup (no MACs), then dropout.
  const emb = params[EMBEDDING].data;
  const x0raw = new Float32Array(N * E);
  for (let n = 0; n < N; n++) x0raw.set(emb.subarray(inputs[n] * E, (inputs[n] + 1) * E), n * E);
  const embMask = reg.dropoutEmbedding > 0 && rng ? dropoutMask(N * E, reg.dropoutEmbedding, rng) : null;
  let x = multiplyInto(x0raw, embMask);
  let xActive = activeSet(x, N, E);

  const layers: { fwd: LayerForward; tensors: LayerTensors }[] = [];
  const inputMasks: (Float32Array | null)[] = [embMask];
  const dropConnectMasks: (Float32Array | null)[] = [];
  const finalStates: LayerState[] = [];
  let penaltyLoss = 0;
  for (let l = 0; l < L; l++) {
    const H = config.layers[l];
    const I = layerInputSize(config, l);
    const tensors = layerTensors(params, l, spiking);
    let dcMask: Float32Array | null = null;
    if (reg.dropConnect > 0 && rng) {
      dcMask = dropoutMask(tensors.recurrentKernel.length, reg.dropConnect, rng);
      tensors.recurrentKernel = multiplyInto(tensors.recurrentKernel, dcMask);
    }
    dropConnectMasks.push(dcMask);
    projections.push({ matrix: kernelName(l), name: `${layerName(l)}.input`, inputs: I, outputs: tensors.bias.length, active: xActive, values: x });
    const fwd = cell(tensors, { x, active: xActive, steps: T, batch: B }, states[l], {
      inputSize: I, hidden: H, gamma: config.surrogateGamma, support: config.surrogateSupport,
    });
    // The recurrent product's inputs are y_{t−1}: the carried-in state then all outputs but the last.
    projections.push({
      matrix: recurrentKernelName(l), name: `${layerName(l)}.recurrent`, inputs: H, outputs: tensors.bias.length,
      active: fwd.recurrentActive, values: fwd.recurrentValues,
    });
    layers.push({ fwd, tensors });
    if (spiking && reg.activityPenalty > 0) {
      let sum = 0;
      for (let i = 0; i < fwd.y.length; i++) sum += fwd.y[i];
      penaltyLoss += (reg.activityPenalty * sum) / (N * H);
    }
    finalStates.push(fwd.finalState);
    const p = l < L - 1 ? reg.dropoutHidden : reg.dropoutOutput;
    const mask = p > 0 && rng ? dropoutMask(N * H, p, rng) : null;
    inputMasks.push(mask);
    x = multiplyInto(fwd.y, mask);
    xActive = mask ? activeSet(x, N, H) : fwd.active;
  }

  // Optional projection, then the decoder.
  const lastH = config.layers[L - 1];
  let decIn = x;
  let decActive = xActive;
  const D = decoderInputSize(config);
  if (config.projection > 0) {
    projections.push({ matrix: PROJECTION_WEIGHT, name: 'projection', inputs: lastH, outputs: D, active: xActive, values: x });
    decIn = new Float32Array(N * D);
    fillRowsWithBias(decIn, params[PROJECTION_BIAS].data, N);
    accumulateActiveRows(x, lastH, xActive, params[PROJECTION_WEIGHT].data, D, decIn, N);
    // EvNN's projection is followed by a ReLU; keeping it makes imported models compute the same outputs.
    for (let i = 0; i < decIn.length; i++) if (decIn[i] < 0) decIn[i] = 0;
    decActive = activeSet(decIn, N, D);
  }
  const decW = config.tied ? options.tiedDecoder ?? transpose(emb, V, E) : params[DECODER_WEIGHT].data;
  projections.push({ matrix: config.tied ? EMBEDDING : DECODER_WEIGHT, name: 'decoder', inputs: D, outputs: V, active: decActive, values: decIn });
  const logits = new Float32Array(N * V);
  fillRowsWithBias(logits, params[DECODER_BIAS].data, N);
  accumulateActiveRows(decIn, D, decActive, decW, V, logits, N);
  const targetLogProbs = new Float32Array(N);
  // After this call `logits` holds dL/dlogits of the mean loss.
  const lossSum = softmaxCrossEntropyInPlace(logits, N, V, targets, 1 / N, targetLogProbs);

  function backward(grads: ParamSet): void {
    const dLogits = logits;
    accumulateBiasGrad(dLogits, N, grads[DECODER_BIAS].data);
    if (config.tied) {
      const dDecT = new Float32Array(D * V);
      accumulateWeightGrad(decIn, D, byColumn(decActive, D), dLogits, V, dDecT, D);
      const gEmb = grads[EMBEDDING].data;
      for (let e = 0; e < D; e++) for (let v = 0; v < V; v++) gEmb[v * E + e] += dDecT[e * V + v];
    } else {
      accumulateWeightGrad(decIn, D, byColumn(decActive, D), dLogits, V, grads[DECODER_WEIGHT].data, D);
    }
    // Gradient into the last layer's (dropped-out) output, only where the layer can use it.
    const lastNeed = layers[L - 1].fwd.need;
    let dx = new Float32Array(N * lastH);
    if (config.projection > 0) {
      const dProj = new Float32Array(N * D);
      backpropActiveRows(decW, V, dLogits, decActive, dProj, D, N); // ReLU: zero outputs pass no gradient
      accumulateBiasGrad(dProj, N, grads[PROJECTION_BIAS].data);
      accumulateWeightGrad(x, lastH, byColumn(xActive, lastH), dProj, D, grads[PROJECTION_WEIGHT].data, lastH);
      backpropActiveRows(params[PROJECTION_WEIGHT].data, D, dProj, maskedNeed(lastNeed, inputMasks[L], lastH), dx, lastH, N);
    } else {
      backpropActiveRows(decW, V, dLogits, maskedNeed(lastNeed, inputMasks[L], lastH), dx, lastH, N);
    }
    for (let l = L - 1; l >= 0; l--) {
      const I = layerInputSize(config, l);
      const dy = multiplyInto(dx, inputMasks[l + 1]);
      const g = layerTensors(grads, l, spiking);
      const dcMask = dropConnectMasks[l];
      const gRec = g.recurrentKernel;
      if (dcMask) g.recurrentKernel = new Float32Array(gRec.length);
      const inputNeed = l > 0 ? maskedNeed(layers[l - 1].fwd.need, inputMasks[l], I) : fullSet(N, I);
      dx = new Float32Array(N * I);
      layers[l].fwd.backward(dy, g, dx, inputNeed, reg.activityPenalty);
      if (dcMask) for (let i = 0; i < gRec.length; i++) gRec[i] += g.recurrentKernel[i] * dcMask[i];
    }
    // Embedding rows receive the input gradient of the words that were looked up.
    const dEmb = multiplyInto(dx, inputMasks[0]);
    const gEmb = grads[EMBEDDING].data;
    for (let n = 0; n < N; n++) {
      const row = inputs[n] * E, d = n * E;
      for (let e = 0; e < E; e++) gEmb[row + e] += dEmb[d + e];
    }
  }

  return {
    lossSum, penaltyLoss, targetLogProbs, eventsPerLayer: layers.map((l) => l.fwd.events), outputActive: layers.map((l) => l.fwd.active), membraneChanges: layers.map((l) => l.fwd.membraneChanges),
    needPerLayer: layers.map((l) => l.fwd.need.ptr[l.fwd.need.ptr.length - 1] - l.fwd.need.ptr[0]), states: finalStates, projections, backward,
  };
}

function maskedNeed(need: ActiveSet, mask: Float32Array | null, width: number): ActiveSet {
  return mask ? keepWhereNonZero(need, mask, width) : need;
}
