/**
 * A dense LSTM baseline (gate order i, f, g, o as in PyTorch): c = f ⊙ c' + i ⊙ g, h = o ⊙ tanh(c), y = h.
 * The carried state puts the cell state in `y` (LayerState has two slots; the output h is in `h`).
 */
import { ActiveSet, ActiveSetBuilder, activeSet, byColumn, concatRows, fullSet, sliceRows } from '../kernels/active';
import {
  accumulateActiveRows, accumulateBiasGrad, accumulateWeightGrad, backpropActiveRows, fillRowsWithBias,
} from '../kernels';
import { CellOptions, LayerForward, LayerState, LayerTensors, WindowInput } from './types';

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

export function lstmForward(p: LayerTensors, input: WindowInput, state: LayerState, options: CellOptions): LayerForward {
  const { x, active: xActive, steps: T, batch: B } = input;
  const { inputSize: I, hidden: H } = options;
  const GH = 4 * H;
  const N = T * B;

  const preX = new Float32Array(N * GH);
  fillRowsWithBias(preX, p.bias, N);
  accumulateActiveRows(x, I, xActive, p.kernel, GH, preX, N);

  const Ig = new Float32Array(N * H), Fg = new Float32Array(N * H), Gg = new Float32Array(N * H), Og = new Float32Array(N * H);
  const C = new Float32Array(N * H), CP = new Float32Array(N * H), TC = new Float32Array(N * H);
  const Y = new Float32Array(N * H);
  const preH = new Float32Array(B * GH);
  const h0 = new Float32Array(state.h);
  const c = new Float32Array(state.y);
  const h0Active = activeSet(h0, B, H);
  const activeB = new ActiveSetBuilder(N, N * H);

  for (let t = 0; t < T; t++) {
    const hPrev = t === 0 ? h0 : Y.subarray((t - 1) * B * H, t * B * H);
    const hPrevActive = t === 0 ? h0Active : sliceRows(activeB.view(), (t - 1) * B, t * B);
    fillRowsWithBias(preH, p.recurrentBias, B);
    accumulateActiveRows(hPrev, H, hPrevActive, p.recurrentKernel, GH, preH, B);
    for (let b = 0; b < B; b++) {
      const row = t * B + b;
      const ax = row * GH, ah = b * GH, u = row * H;
      for (let k = 0; k < H; k++) {
        const i = sigmoid(preX[ax + k] + preH[ah + k]);
        const f = sigmoid(preX[ax + H + k] + preH[ah + H + k]);
        const g = Math.tanh(preX[ax + 2 * H + k] + preH[ah + 2 * H + k]);
        const o = sigmoid(preX[ax + 3 * H + k] + preH[ah + 3 * H + k]);
        const cp = c[b * H + k];
        const cn = f * cp + i * g;
        const tc = Math.tanh(cn);
        const hv = o * tc;
        Ig[u + k] = i; Fg[u + k] = f; Gg[u + k] = g; Og[u + k] = o; CP[u + k] = cp; C[u + k] = cn; TC[u + k] = tc;
        c[b * H + k] = cn;
        Y[u + k] = hv;
        if (hv !== 0) activeB.push(k);
      }
      activeB.endRow();
    }
  }
  const yActive = activeB.finish();
  const need = fullSet(N, H);
  const finalState: LayerState = { h: new Float32Array(Y.subarray((T - 1) * B * H)), y: c };

  function backward(dy: Float32Array, grads: LayerTensors, dx: Float32Array | null, xNeed: ActiveSet | null): void {
    const dPre = new Float32Array(N * GH);
    const dc = new Float32Array(B * H);
    const dhRec = new Float32Array(B * H);
    for (let t = T - 1; t >= 0; t--) {
      for (let b = 0; b < B; b++) {
        const row = t * B + b;
        const u = row * H, s = b * H, d0 = row * GH;
        for (let k = 0; k < H; k++) {
          const dH = dy[u + k] + dhRec[s + k];
          const i = Ig[u + k], f = Fg[u + k], g = Gg[u + k], o = Og[u + k], tc = TC[u + k];
          const dC = dH * o * (1 - tc * tc) + dc[s + k];
          dPre[d0 + k] = dC * g * i * (1 - i);
          dPre[d0 + H + k] = dC * CP[u + k] * f * (1 - f);
          dPre[d0 + 2 * H + k] = dC * i * (1 - g * g);
          dPre[d0 + 3 * H + k] = dH * tc * o * (1 - o);
          dc[s + k] = dC * f;
        }
      }
      dhRec.fill(0);
      if (t > 0) backpropActiveRows(p.recurrentKernel, GH, dPre.subarray(t * B * GH, (t + 1) * B * GH), sliceRows(need, (t - 1) * B, t * B), dhRec, H, B);
    }
    accumulateBiasGrad(dPre, N, grads.bias);
    accumulateBiasGrad(dPre, N, grads.recurrentBias);
    accumulateWeightGrad(x, I, byColumn(xActive, I), dPre, GH, grads.kernel, I);
    const hPrevAll = new Float32Array(N * H);
    hPrevAll.set(h0);
    hPrevAll.set(Y.subarray(0, (N - B) * H), B * H);
    const prevActive = concatRows(h0Active, sliceRows(yActive, 0, N - B));
    accumulateWeightGrad(hPrevAll, H, byColumn(prevActive, H), dPre, GH, grads.recurrentKernel, H);
    if (dx && xNeed) backpropActiveRows(p.kernel, GH, dPre, xNeed, dx, I, N);
  }

  return { y: Y, active: yActive, need, events: N * H, finalState, backward };
}
