/** Weight sparsity as measured on the values themselves (exact zeros), whether or not a mask says they are pruned. */
import { ModelConfig } from './config';
import { ParamSet, prunableNames } from './params';

export function countNonZeros(data: Float32Array): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) n++;
  return n;
}

export interface WeightSparsity {
  /** Zeros / weights over all prunable matrices together. */
  overall: number;
  /** Zeros / weights of each prunable matrix. */
  matrices: Record<string, number>;
}

/** Fraction of exact zeros in each prunable matrix (every weight matrix except the embedding) and overall. */
export function measureWeightSparsity(config: ModelConfig, params: ParamSet): WeightSparsity {
  const matrices: Record<string, number> = {};
  let zeros = 0;
  let total = 0;
  for (const name of prunableNames(config)) {
    const data = params[name].data;
    const z = data.length - countNonZeros(data);
    matrices[name] = data.length ? z / data.length : 0;
    zeros += z;
    total += data.length;
  }
  return { overall: total ? zeros / total : 0, matrices };
}
