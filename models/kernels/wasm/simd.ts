/**
 * The sparse kernels of ../sparse.ts with their inner loops in WebAssembly SIMD (four float32 lanes). The outer
 * loops over active entries stay in JS and call one wasm function per group of four rows; the operands are
 * copied into the module's memory once per call (O(size), small against the O(active × cols) work).
 * Results equal the JS kernels up to float32 rounding: wasm rounds every product and sum to float32, where
 * JS sums four products in double precision before storing.
 */
import { ActiveSet, ColumnSet } from '../active';
import { SIMD_WASM_BASE64 } from './simd-bytes';

interface SimdExports {
  memory: WebAssembly.Memory;
  axpy4(out: number, w0: number, w1: number, w2: number, w3: number, a0: number, a1: number, a2: number, a3: number, n: number): void;
  axpy1(out: number, w: number, a: number, n: number): void;
  dot4(d: number, w0: number, w1: number, w2: number, w3: number, n: number, res: number): void;
  dot1(d: number, w: number, n: number): number;
}

let instance: SimdExports | null = null;

function simd(): SimdExports {
  if (!instance) {
    const module = new WebAssembly.Module(Buffer.from(SIMD_WASM_BASE64, 'base64'));
    instance = new WebAssembly.Instance(module).exports as unknown as SimdExports;
  }
  return instance;
}

/** Whether this runtime can run the SIMD module (Node ≥ 16.4 can). */
export function simdAvailable(): boolean {
  try {
    simd();
    return true;
  } catch {
    return false;
  }
}

/** Lays out arrays one after another (16-byte aligned) in wasm memory, growing it as needed. */
function arena(sizes: number[]): { mem: Float32Array; offsets: number[]; ex: SimdExports } {
  const ex = simd();
  const offsets: number[] = [];
  let end = 0;
  for (const n of sizes) {
    offsets.push(end);
    end += Math.ceil((n * 4) / 16) * 16;
  }
  const have = ex.memory.buffer.byteLength;
  if (end > have) ex.memory.grow(Math.ceil((end - have) / 65536));
  return { mem: new Float32Array(ex.memory.buffer), offsets, ex };
}

export function accumulateActiveRowsSimd(
  x: Float32Array, inW: number, active: ActiveSet, W: Float32Array, cols: number, out: Float32Array, rows: number,
): void {
  const { ptr, idx } = active;
  const { mem, offsets: [wOff, oOff], ex } = arena([W.length, rows * cols]);
  mem.set(W, wOff / 4);
  mem.set(out.subarray(0, rows * cols), oOff / 4);
  const rowBytes = cols * 4;
  for (let r = 0; r < rows; r++) {
    const o = oOff + r * rowBytes;
    const xb = r * inW;
    let k = ptr[r];
    const end = ptr[r + 1];
    for (; k + 3 < end; k += 4) {
      const j0 = idx[k], j1 = idx[k + 1], j2 = idx[k + 2], j3 = idx[k + 3];
      ex.axpy4(o, wOff + j0 * rowBytes, wOff + j1 * rowBytes, wOff + j2 * rowBytes, wOff + j3 * rowBytes,
        x[xb + j0], x[xb + j1], x[xb + j2], x[xb + j3], cols);
    }
    for (; k < end; k++) ex.axpy1(o, wOff + idx[k] * rowBytes, x[xb + idx[k]], cols);
  }
  out.set(mem.subarray(oOff / 4, oOff / 4 + rows * cols));
}

export function accumulateWeightGradSimd(
  x: Float32Array, inW: number, byCol: ColumnSet, dOut: Float32Array, cols: number, dW: Float32Array, inputs: number,
): void {
  const { ptr, rows } = byCol;
  const { mem, offsets: [dOff, wOff], ex } = arena([dOut.length, inputs * cols]);
  mem.set(dOut, dOff / 4);
  mem.set(dW.subarray(0, inputs * cols), wOff / 4);
  const rowBytes = cols * 4;
  for (let j = 0; j < inputs; j++) {
    const w = wOff + j * rowBytes;
    let k = ptr[j];
    const end = ptr[j + 1];
    for (; k + 3 < end; k += 4) {
      const r0 = rows[k], r1 = rows[k + 1], r2 = rows[k + 2], r3 = rows[k + 3];
      ex.axpy4(w, dOff + r0 * rowBytes, dOff + r1 * rowBytes, dOff + r2 * rowBytes, dOff + r3 * rowBytes,
        x[r0 * inW + j], x[r1 * inW + j], x[r2 * inW + j], x[r3 * inW + j], cols);
    }
    for (; k < end; k++) ex.axpy1(w, dOff + rows[k] * rowBytes, x[rows[k] * inW + j], cols);
  }
  dW.set(mem.subarray(wOff / 4, wOff / 4 + inputs * cols));
}

export function backpropActiveRowsSimd(
  W: Float32Array, cols: number, dOut: Float32Array, need: ActiveSet, dx: Float32Array, inW: number, rows: number,
): void {
  const { ptr, idx } = need;
  const { mem, offsets: [wOff, dOff, resOff], ex } = arena([W.length, rows * cols, 4]);
  mem.set(W, wOff / 4);
  mem.set(dOut.subarray(0, rows * cols), dOff / 4);
  const rowBytes = cols * 4;
  const res = resOff / 4;
  for (let r = 0; r < rows; r++) {
    const d = dOff + r * rowBytes;
    const xb = r * inW;
    let k = ptr[r];
    const end = ptr[r + 1];
    for (; k + 3 < end; k += 4) {
      const j0 = idx[k], j1 = idx[k + 1], j2 = idx[k + 2], j3 = idx[k + 3];
      ex.dot4(d, wOff + j0 * rowBytes, wOff + j1 * rowBytes, wOff + j2 * rowBytes, wOff + j3 * rowBytes, cols, resOff);
      dx[xb + j0] = mem[res]; dx[xb + j1] = mem[res + 1]; dx[xb + j2] = mem[res + 2]; dx[xb + j3] = mem[res + 3];
    }
    for (; k < end; k++) dx[xb + idx[k]] = ex.dot1(d, wOff + idx[k] * rowBytes, cols);
  }
}
