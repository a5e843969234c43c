/**
 * The sparse kernels side by side: plain JS (models/kernels/sparse.ts) against WebAssembly SIMD
 * (models/kernels/wasm/simd.ts), on the decoder shape of bench/train (1,120 tokens × 256 inputs × 10,000
 * outputs) and on one recurrent step (32 × 256 × 768), at 30% input activity. Prints times and ratios.
 *
 *   npm run bench:kernels
 */
import { activeFromFlags, byColumn } from '../models/kernels/active';
import * as js from '../models/kernels/sparse';
import * as simd from '../models/kernels/wasm/simd';
import { Rng } from '../models/rng';

const rng = new Rng(1);
for (const [cols, inW, rows, reps] of [[10000, 256, 1120, 2], [768, 256, 32, 200]]) {
  const W = Float32Array.from({ length: inW * cols }, () => rng.uniform(-1, 1));
  const dOut = Float32Array.from({ length: rows * cols }, () => rng.uniform(-1, 1));
  const flags = Uint8Array.from({ length: rows * inW }, () => (rng.next() < 0.3 ? 1 : 0));
  const x = Float32Array.from(flags, (f) => (f ? rng.uniform(-1, 1) : 0));
  const active = activeFromFlags(flags, rows, inW);
  const byCol = byColumn(active, inW);
  const time = (f: () => void) => {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    return (performance.now() - t0) / reps;
  };
  const out = new Float32Array(rows * cols), dW = new Float32Array(inW * cols), dx = new Float32Array(rows * inW);
  const cases: [string, () => void, () => void][] = [
    ['forward (active rows)', () => js.accumulateActiveRows(x, inW, active, W, cols, out, rows), () => simd.accumulateActiveRowsSimd(x, inW, active, W, cols, out, rows)],
    ['weight gradient', () => js.accumulateWeightGrad(x, inW, byCol, dOut, cols, dW, inW), () => simd.accumulateWeightGradSimd(x, inW, byCol, dOut, cols, dW, inW)],
    ['input gradient (dots)', () => js.backpropActiveRows(W, cols, dOut, active, dx, inW, rows), () => simd.backpropActiveRowsSimd(W, cols, dOut, active, dx, inW, rows)],
  ];
  console.log(`[${rows} × ${inW}] · [${inW} × ${cols}], 30% active inputs, mean of ${reps} runs`);
  for (const [name, a, b] of cases) {
    const tj = time(a), ts = time(b);
    console.log(`  ${name.padEnd(24)} js ${tj.toFixed(2).padStart(8)} ms   wasm-simd ${ts.toFixed(2).padStart(8)} ms   ${(tj / ts).toFixed(2)}×`);
  }
}
