/**
 * The three products of training and inference, written for sparse (event) inputs on typed arrays.
 * Matrices are input-major, W[j * cols + o]: the row of input j. Each kernel is unrolled four ways,
 * which lets V8 keep four partial terms in registers and cuts loads and stores of the accumulator
 * by four (plain JS float32 products run ~3 GFLOP/s this way against ~1.2 naively, FACTS.md).
 */
import { ActiveSet, ColumnSet } from './active';

/**
 * out[r, :] += Σ_{j ∈ active(r)} x[r, j] · W[j, :] for every row r of x ([rows, inW] → [rows, cols]).
 * Cost: active entries × cols multiply-adds — the effective MACs of the paper.
 */
export function accumulateActiveRows(
  x: Float32Array, inW: number, active: ActiveSet,
  W: Float32Array, cols: number,
  out: Float32Array, rows: number,
): void {
  const { ptr, idx } = active;
  for (let r = 0; r < rows; r++) {
    const o0 = r * cols;
    const xb = r * inW;
    let k = ptr[r];
    const end = ptr[r + 1];
    for (; k + 3 < end; k += 4) {
      const j0 = idx[k], j1 = idx[k + 1], j2 = idx[k + 2], j3 = idx[k + 3];
      const a0 = x[xb + j0], a1 = x[xb + j1], a2 = x[xb + j2], a3 = x[xb + j3];
      const w0 = j0 * cols, w1 = j1 * cols, w2 = j2 * cols, w3 = j3 * cols;
      for (let o = 0; o < cols; o++) {
        out[o0 + o] += a0 * W[w0 + o] + a1 * W[w1 + o] + a2 * W[w2 + o] + a3 * W[w3 + o];
      }
    }
    for (; k < end; k++) {
      const j = idx[k];
      const a = x[xb + j];
      const w = j * cols;
      for (let o = 0; o < cols; o++) out[o0 + o] += a * W[w + o];
    }
  }
}

/**
 * dW[j, :] += Σ_{r : j ∈ active(r)} x[r, j] · dOut[r, :]. Walks columns of x (rows of W) so each weight row
 * is loaded once per four contributing samples.
 */
export function accumulateWeightGrad(
  x: Float32Array, inW: number, byCol: ColumnSet,
  dOut: Float32Array, cols: number,
  dW: Float32Array, inputs: number,
): void {
  const { ptr, rows } = byCol;
  for (let j = 0; j < inputs; j++) {
    const w = j * cols;
    let k = ptr[j];
    const end = ptr[j + 1];
    for (; k + 3 < end; k += 4) {
      const r0 = rows[k], r1 = rows[k + 1], r2 = rows[k + 2], r3 = rows[k + 3];
      const a0 = x[r0 * inW + j], a1 = x[r1 * inW + j], a2 = x[r2 * inW + j], a3 = x[r3 * inW + j];
      const d0 = r0 * cols, d1 = r1 * cols, d2 = r2 * cols, d3 = r3 * cols;
      for (let o = 0; o < cols; o++) {
        dW[w + o] += a0 * dOut[d0 + o] + a1 * dOut[d1 + o] + a2 * dOut[d2 + o] + a3 * dOut[d3 + o];
      }
    }
    for (; k < end; k++) {
      const r = rows[k];
      const a = x[r * inW + j];
      const d = r * cols;
      for (let o = 0; o < cols; o++) dW[w + o] += a * dOut[d + o];
    }
  }
}

/**
 * dx[r, j] = W[j, :] · dOut[r, :] for the entries j ∈ need(r) only (elsewhere dx is left untouched: the
 * caller knows those gradients are zero, e.g. an EGRU unit that neither fired nor was near its threshold).
 */
export function backpropActiveRows(
  W: Float32Array, cols: number,
  dOut: Float32Array, need: ActiveSet,
  dx: Float32Array, inW: number, rows: number,
): void {
  const { ptr, idx } = need;
  for (let r = 0; r < rows; r++) {
    const d = r * cols;
    const xb = r * inW;
    let k = ptr[r];
    const end = ptr[r + 1];
    for (; k + 3 < end; k += 4) {
      const j0 = idx[k], j1 = idx[k + 1], j2 = idx[k + 2], j3 = idx[k + 3];
      const w0 = j0 * cols, w1 = j1 * cols, w2 = j2 * cols, w3 = j3 * cols;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let o = 0; o < cols; o++) {
        const g = dOut[d + o];
        s0 += W[w0 + o] * g;
        s1 += W[w1 + o] * g;
        s2 += W[w2 + o] * g;
        s3 += W[w3 + o] * g;
      }
      dx[xb + j0] = s0;
      dx[xb + j1] = s1;
      dx[xb + j2] = s2;
      dx[xb + j3] = s3;
    }
    for (; k < end; k++) {
      const j = idx[k];
      const w = j * cols;
      let s = 0;
      for (let o = 0; o < cols; o++) s += W[w + o] * dOut[d + o];
      dx[xb + j] = s;
    }
  }
}

/** out[r, :] = bias for every row (the starting point of an affine map). */
export function fillRowsWithBias(out: Float32Array, bias: Float32Array, rows: number): void {
  const cols = bias.length;
  for (let r = 0; r < rows; r++) out.set(bias, r * cols);
}

/** db += Σ_r dOut[r, :]. */
export function accumulateBiasGrad(dOut: Float32Array, rows: number, db: Float32Array): void {
  const cols = db.length;
  for (let r = 0; r < rows; r++) {
    const d = r * cols;
    for (let o = 0; o < cols; o++) db[o] += dOut[d + o];
  }
}
