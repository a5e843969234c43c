/**
 * The paper's MAC accounting, per token at batch 1. For a projection with weight matrix W [inputs, outputs]:
 * dense MACs = inputs × outputs; effective MACs = Σ over non-zero inputs j of the non-zero weights in row j
 * (the weights input j feeds). λ_activity is the fraction of inputs that are non-zero, λ_weight the fraction
 * of weights that are non-zero; if activity and weights were independent, effective ≈ λ_a·λ_w·dense.
 */
import { ModelConfig } from './config';
import { ActiveSet, activeCount } from './kernels/active';
import { ProjectionInput, transpose } from './lm';
import { ConnectionOps, isBinaryInput } from './neurobench';
import { EMBEDDING, ParamSet } from './params';

/** Non-zero weights per input row of an input-major matrix. */
export function nonZerosPerRow(W: Float32Array, inputs: number, outputs: number): Int32Array {
  const out = new Int32Array(inputs);
  for (let j = 0; j < inputs; j++) {
    let n = 0;
    const base = j * outputs;
    for (let o = 0; o < outputs; o++) if (W[base + o] !== 0) n++;
    out[j] = n;
  }
  return out;
}

/** Input-major weights of a projection (the tied decoder is the embedding transposed). */
export function projectionWeights(config: ModelConfig, params: ParamSet, p: { matrix: string; inputs: number; outputs: number }): Float32Array {
  if (p.matrix === EMBEDDING) return transpose(params[EMBEDDING].data, config.vocabSize, config.emb);
  return params[p.matrix].data;
}

/** Running totals for one projection over many windows. */
export interface ProjectionTally {
  name: string;
  matrix: string;
  inputs: number;
  outputs: number;
  rowNonZeros: Int32Array;
  /** Σ over tokens of active inputs. */
  activeInputs: number;
  /** Σ over tokens of effective MACs. */
  effective: number;
  /** The part of `effective` from tokens whose inputs were all 0 or ±1: NeuroBench's ACs (models/neurobench.ts). */
  binaryEffective: number;
  tokens: number;
}

export function newTally(config: ModelConfig, params: ParamSet, p: ProjectionInput): ProjectionTally {
  return {
    name: p.name, matrix: p.matrix, inputs: p.inputs, outputs: p.outputs,
    rowNonZeros: nonZerosPerRow(projectionWeights(config, params, p), p.inputs, p.outputs),
    activeInputs: 0, effective: 0, binaryEffective: 0, tokens: 0,
  };
}

/**
 * Adds the rows r0 … r1−1 of a window's active inputs (one row per token at batch 1); `values` ([rows, inputs])
 * tells which rows' inputs were all 0 or ±1.
 */
export function tallyRows(t: ProjectionTally, active: ActiveSet, r0: number, r1: number, values: Float32Array): void {
  const { ptr, idx } = active;
  for (let r = r0; r < r1; r++) {
    let effective = 0;
    for (let q = ptr[r]; q < ptr[r + 1]; q++) effective += t.rowNonZeros[idx[q]];
    t.effective += effective;
    if (isBinaryInput(values.subarray(r * t.inputs, (r + 1) * t.inputs), idx, ptr[r], ptr[r + 1])) t.binaryEffective += effective;
  }
  t.activeInputs += ptr[r1] - ptr[r0];
  t.tokens += r1 - r0;
}

export interface ProjectionMacs {
  name: string;
  dense: number;
  effective: number;
  lambda_activity: number;
  lambda_weight: number;
  lambda_product: number;
  reduction: number;
}

export interface MacReport {
  dense_per_token: number;
  effective_per_token: number;
  reduction: number;
  lambda_activity: number;
  lambda_weight: number;
  lambda_product: number;
  by_projection: ProjectionMacs[];
  by_layer: { name: string; dense: number; effective: number; reduction: number }[];
}

export function macReport(tallies: ProjectionTally[]): MacReport {
  const by_projection = tallies.map((t): ProjectionMacs => {
    const dense = t.inputs * t.outputs;
    const effective = t.tokens ? t.effective / t.tokens : 0;
    const nnz = t.rowNonZeros.reduce((a, b) => a + b, 0);
    const la = t.tokens ? t.activeInputs / (t.tokens * t.inputs) : 0;
    const lw = nnz / dense;
    return {
      name: t.name, dense, effective, lambda_activity: la, lambda_weight: lw, lambda_product: la * lw,
      reduction: effective > 0 ? dense / effective : Infinity,
    };
  });
  const dense = by_projection.reduce((a, p) => a + p.dense, 0);
  const effective = by_projection.reduce((a, p) => a + p.effective, 0);
  // Totals weight each projection by its dense size, so λ_activity × λ_weight is comparable with the measured ratio.
  const la = by_projection.reduce((a, p) => a + p.lambda_activity * p.dense, 0) / dense;
  const lw = by_projection.reduce((a, p) => a + p.lambda_weight * p.dense, 0) / dense;
  const layers = new Map<string, { dense: number; effective: number }>();
  for (const p of by_projection) {
    const layer = p.name.split('.')[0];
    const e = layers.get(layer) ?? { dense: 0, effective: 0 };
    e.dense += p.dense;
    e.effective += p.effective;
    layers.set(layer, e);
  }
  return {
    dense_per_token: dense, effective_per_token: effective, reduction: effective > 0 ? dense / effective : Infinity,
    lambda_activity: la, lambda_weight: lw, lambda_product: la * lw, by_projection,
    by_layer: [...layers].map(([name, e]) => ({ name, ...e, reduction: e.effective > 0 ? e.dense / e.effective : Infinity })),
  };
}

export { activeCount };

/**
 * The connection layers of NeuroBench's ConnectionSparsity and SynapticOperations (models/neurobench.ts), one per
 * projection: its zero weights, and its ops over the run (dense, and effective split into MACs and ACs).
 */
export function connectionCounts(tallies: ProjectionTally[]): { connections: { zeros: number; weights: number }[]; ops: ConnectionOps[] } {
  return {
    connections: tallies.map((t) => ({ zeros: t.inputs * t.outputs - t.rowNonZeros.reduce((a, b) => a + b, 0), weights: t.inputs * t.outputs })),
    ops: tallies.map((t) => ({ dense: t.inputs * t.outputs * t.tokens, effectiveMacs: t.effective - t.binaryEffective, effectiveAcs: t.binaryEffective })),
  };
}
