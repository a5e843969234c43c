/**
 * The kernels the model uses: WebAssembly SIMD when the runtime supports it (3.6–20× faster than the plain JS
 * kernels in bench/kernels.ts), else the plain JS ones in sparse.ts, which stay the reference that
 * test/simd.test.ts compares against. NEUROMAP_KERNELS=js forces the JS kernels.
 */
import * as js from './sparse';
import * as wasm from './wasm/simd';

const useSimd = process.env.NEUROMAP_KERNELS !== 'js' && wasm.simdAvailable();

export const accumulateActiveRows = useSimd ? wasm.accumulateActiveRowsSimd : js.accumulateActiveRows;
export const accumulateWeightGrad = useSimd ? wasm.accumulateWeightGradSimd : js.accumulateWeightGrad;
export const backpropActiveRows = useSimd ? wasm.backpropActiveRowsSimd : js.backpropActiveRows;
export const fillRowsWithBias = js.fillRowsWithBias;
export const accumulateBiasGrad = js.accumulateBiasGrad;
