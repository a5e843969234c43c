/**
 * A dense LSTM baseline (gate order i, f, g, o as in PyTorch): c = f ⊙ c' + i ⊙ g, h = o ⊙ tanh(c), y = h.
 * The carried state puts the cell state in `y` (LayerState has two slots; the output h is in `h`).
 */
import { ActiveSet, ActiveSetBuilder, activeSet, fullSet, sliceRows } from '../kernels/active';
import { accumulateActiveRows, backpropActiveRows, fillRowsWithBias } from '../kernels';
import { accumulateProjectionGrads, inputPreActivations, previousOutputs } from './projections';
import { CellOptions, LayerForward, LayerState, LayerTensors, WindowInput } from './types';

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

export function lstmForward(p: LayerTensors, input: WindowInput, state: LayerState, options: CellOptions): LayerForward {
  const { steps: T, batch: B } = input;
  const { inputSize: I, hidden: H } = options;
  const GH = 4 * H;
  const N = T * B;

  const preX = inputPreActivations(p, input, I, GH);

  const Ig = new Float32Array(N * H), Fg = new Float32Array(N * H), Gg = new Float32Array(N * H), Og = new Float32Array(N * H);
  const CP = new Float32Array(N * H), TC = new Float32Array(N * H);
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
        Ig[u + k] = i; Fg[u + k] = f; Gg[u + k] = g; Og[u + k] = o; CP[u + k] = cp; TC[u + k] = tc;
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
  const previous = previousOutputs(h0, h0Active, Y, yActive, B, H);

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
    // The input and recurrent pre-activations are summed before the gates, so they share one gradient.
    accumulateProjectionGrads({
      p, grads, input, inputSize: I, hidden: H, gateWidth: GH, dPreX: dPre, dPreH: dPre, previous, dx, xNeed,
    });
  }

  return { y: Y, active: yActive, need, events: N * H, finalState, recurrentActive: previous.active, recurrentValues: previous.values, membraneChanges: null, backward };
}
