import fs from 'fs';
import path from 'path';
import { ActiveSet, activeFromFlags, byColumn } from '../models/kernels/active';
import * as js from '../models/kernels/sparse';
import * as simd from '../models/kernels/wasm/simd';
import { Rng } from '../models/rng';
import { assembleSimd, bytesModuleText } from '../scripts/build-wasm';

function problem(rng: Rng, rows: number, inW: number, cols: number, density: number) {
  const flags = Uint8Array.from({ length: rows * inW }, () => (rng.next() < density ? 1 : 0));
  const x = Float32Array.from(flags, (f) => (f ? rng.uniform(-1, 1) : 0));
  const W = Float32Array.from({ length: inW * cols }, () => rng.uniform(-1, 1));
  const dOut = Float32Array.from({ length: rows * cols }, () => rng.uniform(-1, 1));
  const active: ActiveSet = activeFromFlags(flags, rows, inW);
  return { x, W, dOut, active };
}

function expectClose(a: Float32Array, b: Float32Array, tol: number) {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(a[i])));
  expect(worst).toBeLessThan(tol);
}

describe('WebAssembly SIMD kernels', () => {
  it('are assembled from the committed source (run `npm run build:wasm` after editing simd.wat)', async () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', 'models', 'kernels', 'wasm', 'simd-bytes.ts'), 'utf8');
    expect(committed).toBe(bytesModuleText(await assembleSimd()));
  });

  // Column counts that are and are not multiples of four exercise the vector loop and the scalar tail.
  for (const [rows, inW, cols, density] of [[5, 9, 12, 0.4], [7, 13, 37, 0.7], [3, 6, 3, 1], [4, 5, 8, 0]] as const) {
    it(`equal the JS kernels (rows ${rows}, inputs ${inW}, cols ${cols}, density ${density})`, () => {
      const rng = new Rng(rows * 100 + cols);
      const { x, W, dOut, active } = problem(rng, rows, inW, cols, density);
      const base = Float32Array.from({ length: rows * cols }, () => rng.uniform(-1, 1));
      const o1 = new Float32Array(base), o2 = new Float32Array(base);
      js.accumulateActiveRows(x, inW, active, W, cols, o1, rows);
      simd.accumulateActiveRowsSimd(x, inW, active, W, cols, o2, rows);
      expectClose(o1, o2, 1e-5);
      const g0 = Float32Array.from({ length: inW * cols }, () => rng.uniform(-1, 1));
      const g1 = new Float32Array(g0), g2 = new Float32Array(g0);
      js.accumulateWeightGrad(x, inW, byColumn(active, inW), dOut, cols, g1, inW);
      simd.accumulateWeightGradSimd(x, inW, byColumn(active, inW), dOut, cols, g2, inW);
      expectClose(g1, g2, 1e-5);
      const d1 = new Float32Array(rows * inW).fill(7), d2 = new Float32Array(rows * inW).fill(7);
      js.backpropActiveRows(W, cols, dOut, active, d1, inW, rows);
      simd.backpropActiveRowsSimd(W, cols, dOut, active, d2, inW, rows);
      expectClose(d1, d2, 1e-5);
      // Entries outside the set are left alone by both.
      for (let i = 0; i < d2.length; i++) if (x[i] === 0 && density < 1) expect(d2[i]).toBe(7);
    });
  }
});

it('adds four active rows\' products together before adding them to the output (axpy4: one rounding, not four)', () => {
  // out = 1, four active inputs of 1, weights e = 2^−24 for inputs 0 and 1, 0 for 2 and 3, in 4 columns (the vector
  // loop) and 5 (plus the scalar tail). axpy4 forms (e + e) + (0 + 0) = 2^−23 first: 1 + 2^−23 is a float32. Adding
  // the products one at a time (four axpy1 calls) gives 1 + e = 1 (a tie, rounded to even) four times over: 1.
  const e = 2 ** -24;
  for (const cols of [4, 5]) {
    const x = new Float32Array([1, 1, 1, 1]);
    const W = new Float32Array(4 * cols);
    W.fill(e, 0, 2 * cols);
    const out = new Float32Array(cols).fill(1);
    simd.accumulateActiveRowsSimd(x, 4, activeFromFlags(new Uint8Array([1, 1, 1, 1]), 1, 4), W, cols, out, 1);
    expect(Array.from(out)).toEqual(new Array(cols).fill(1 + 2 ** -23));
  }
});

it('says SIMD is unavailable when the runtime cannot compile the module (so models/kernels falls back to the JS kernels)', () => {
  // Only simd.ts is reloaded, with bytes that are not a WebAssembly module: what a runtime without SIMD meets.
  jest.isolateModules(() => {
    jest.doMock('../models/kernels/wasm/simd-bytes', () => ({ SIMD_WASM_BASE64: Buffer.from('not wasm').toString('base64') }));
    // require inside isolateModules: the fresh module, with the stand-in bytes, and nothing else reloaded.
    const { simdAvailable } = require('../models/kernels/wasm/simd') as typeof import('../models/kernels/wasm/simd');
    expect(simdAvailable()).toBe(false);
  });
  jest.dontMock('../models/kernels/wasm/simd-bytes');
});
