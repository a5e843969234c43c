/**
 * Synapse rows (CSR by presynaptic unit) from the model's input-major matrices: the layout cores store and
 * event-driven work reads. Entries of a row are ordered by postsynaptic accumulator (unit × slots + slot),
 * so the synapses a row holds for a contiguous range of units (one core's slice) are one contiguous segment.
 * Only non-zero weights become synapses. Hot loops over the dense matrices: run once per compile.
 */
import type { SynapseRows } from './ir';

/**
 * A gate-blocked matrix [inputs, G·H] (columns z…, r…, g… as in models/params.ts) whose gate g feeds
 * accumulator slot gateSlots[g] (increasing) of unit k: post = k · slots + gateSlots[g].
 */
export function gateRows(W: Float32Array, inputs: number, H: number, gateSlots: readonly number[], slots: number): SynapseRows {
  const G = gateSlots.length;
  const cols = G * H;
  let nnz = 0;
  for (let i = 0; i < inputs * cols; i++) if (W[i] !== 0) nnz++;
  const rowPtr = new Int32Array(inputs + 1);
  const post = new Int32Array(nnz);
  const weight = new Float32Array(nnz);
  let q = 0;
  for (let j = 0; j < inputs; j++) {
    rowPtr[j] = q;
    const base = j * cols;
    for (let k = 0; k < H; k++) {
      for (let g = 0; g < G; g++) {
        const w = W[base + g * H + k];
        if (w !== 0) {
          post[q] = k * slots + gateSlots[g];
          weight[q] = w;
          q++;
        }
      }
    }
  }
  rowPtr[inputs] = q;
  return { rowPtr, post, weight };
}

/** A plain input-major matrix [inputs, outputs] into single-accumulator units: post = output index. */
export function matrixRows(W: Float32Array, inputs: number, outputs: number): SynapseRows {
  return gateRows(W, inputs, outputs, [0], 1);
}

/**
 * The transpose of an output-major matrix M [outputs, inputs] (a tied decoder is the embedding [V, E]):
 * row j holds M[v, j] for every v with a non-zero entry. Reads M once, in memory order.
 */
export function transposedRows(M: Float32Array, outputs: number, inputs: number): SynapseRows {
  const rowPtr = new Int32Array(inputs + 1);
  for (let v = 0; v < outputs; v++) {
    const base = v * inputs;
    for (let j = 0; j < inputs; j++) if (M[base + j] !== 0) rowPtr[j + 1]++;
  }
  for (let j = 0; j < inputs; j++) rowPtr[j + 1] += rowPtr[j];
  const nnz = rowPtr[inputs];
  const post = new Int32Array(nnz);
  const weight = new Float32Array(nnz);
  const cursor = rowPtr.slice(0, inputs);
  for (let v = 0; v < outputs; v++) {
    const base = v * inputs;
    for (let j = 0; j < inputs; j++) {
      const w = M[base + j];
      if (w !== 0) {
        const q = cursor[j]++;
        post[q] = v;
        weight[q] = w;
      }
    }
  }
  return { rowPtr, post, weight };
}

/** First entry of row j whose postsynaptic accumulator is ≥ from (binary search: entries are increasing). */
export function lowerBound(rows: SynapseRows, j: number, from: number): number {
  let lo = rows.rowPtr[j];
  let hi = rows.rowPtr[j + 1];
  const post = rows.post;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (post[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
