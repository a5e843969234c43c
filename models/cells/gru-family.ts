/**
 * The EGRU of ARCHITECTURE.md (EvNN form) and, with events switched off, the dense GRU it extends:
 *   z = σ(W_z x + R_z y' + b_z + br_z),  r = σ(W_r x + R_r y' + b_r + br_r)
 *   g = tanh(W_g x + b_g + r ⊙ (R_g y' + br_g)),  c = z ⊙ h' + (1 − z) ⊙ g
 *   EGRU: o = H(c − ϑ), y = o ⊙ c, h = c − o ⊙ ϑ      GRU: y = h = c
 * Recurrent input is the sparse output y of the previous step, so the recurrent product only touches the
 * rows of units that fired. Backward uses the surrogate dH/dc ≈ γ·max(0, 1 − s·|c − ϑ|); a unit whose
 * output neither fired nor has a non-zero surrogate passes no gradient through y, so dL/dy is only
 * computed for the others (`need`).
 */
import { ActiveSet, ActiveSetBuilder, activeSet, fullSet, sliceRows } from '../kernels/active';
import { accumulateActiveRows, backpropActiveRows, fillRowsWithBias } from '../kernels';
import { accumulateProjectionGrads, inputPreActivations, previousOutputs } from './projections';
import { CellOptions, LayerForward, LayerState, LayerTensors, WindowInput } from './types';

export function egruForward(p: LayerTensors, input: WindowInput, state: LayerState, options: CellOptions): LayerForward {
  return gruFamilyForward(p, input, state, options, true);
}

export function gruForward(p: LayerTensors, input: WindowInput, state: LayerState, options: CellOptions): LayerForward {
  return gruFamilyForward(p, input, state, options, false);
}

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

function gruFamilyForward(
  p: LayerTensors, input: WindowInput, state: LayerState, options: CellOptions, spiking: boolean,
): LayerForward {
  const { steps: T, batch: B } = input;
  const { inputSize: I, hidden: H, gamma, support } = options;
  const GH = 3 * H;
  const N = T * B;
  const thr = p.thr;
  if (spiking && !thr) throw new Error('EGRU layer without thresholds');

  const preX = inputPreActivations(p, input, I, GH);

  const Z = new Float32Array(N * H), Rg = new Float32Array(N * H), G = new Float32Array(N * H);
  const HG = new Float32Array(N * H), C = new Float32Array(N * H), HP = new Float32Array(N * H);
  const Y = new Float32Array(N * H);
  const preH = new Float32Array(B * GH);
  const h = new Float32Array(state.h);
  const y0 = new Float32Array(state.y);
  const y0Active = activeSet(y0, B, H);
  const activeB = new ActiveSetBuilder(N, spiking ? (N * H) >> 2 : N * H);
  const needB = spiking ? new ActiveSetBuilder(N, (N * H) >> 1) : null;
  let events = 0;
  const changes = spiking ? new Int32Array(N) : null;

  for (let t = 0; t < T; t++) {
    const yPrev = t === 0 ? y0 : Y.subarray((t - 1) * B * H, t * B * H);
    const yPrevActive = t === 0 ? y0Active : sliceRows(activeB.view(), (t - 1) * B, t * B);
    fillRowsWithBias(preH, p.recurrentBias, B);
    accumulateActiveRows(yPrev, H, yPrevActive, p.recurrentKernel, GH, preH, B);
    for (let b = 0; b < B; b++) {
      const row = t * B + b;
      const ax = row * GH, ah = b * GH, u = row * H;
      for (let k = 0; k < H; k++) {
        const z = sigmoid(preX[ax + k] + preH[ah + k]);
        const r = sigmoid(preX[ax + H + k] + preH[ah + H + k]);
        const hg = preH[ah + 2 * H + k];
        const g = Math.tanh(preX[ax + 2 * H + k] + r * hg);
        const hp = h[b * H + k];
        const c = z * hp + (1 - z) * g;
        Z[u + k] = z; Rg[u + k] = r; G[u + k] = g; HG[u + k] = hg; C[u + k] = c; HP[u + k] = hp;
        if (spiking) {
          const th = thr![k];
          if (c > th) {
            Y[u + k] = c;
            h[b * H + k] = c - th;
            if (h[b * H + k] !== hp) changes![row]++; // compared as stored (float32)
            activeB.push(k);
            needB!.push(k);
            events++;
          } else {
            h[b * H + k] = c;
            if (h[b * H + k] !== hp) changes![row]++;
            if (gamma > 0 && support * Math.abs(c - th) < 1) needB!.push(k);
          }
        } else {
          Y[u + k] = c;
          h[b * H + k] = c;
          if (c !== 0) activeB.push(k);
        }
      }
      activeB.endRow();
      needB?.endRow();
    }
  }
  const yActive = activeB.finish();
  const need = needB ? needB.finish() : fullSet(N, H);
  const finalState: LayerState = { h, y: new Float32Array(Y.subarray((T - 1) * B * H, T * B * H)) };
  const previous = previousOutputs(y0, y0Active, Y, yActive, B, H);
  if (!spiking) events = N * H;

  function backward(dy: Float32Array, grads: LayerTensors, dx: Float32Array | null, xNeed: ActiveSet | null, activityPenalty: number): void {
    const dPreX = new Float32Array(N * GH);
    const dPreH = new Float32Array(N * GH);
    const dh = new Float32Array(B * H); // dL/dh_t carried backwards through the state
    const dyRec = new Float32Array(B * H); // dL/dy_t through the next step's recurrent product
    const penalty = spiking ? activityPenalty / (N * H) : 0;
    for (let t = T - 1; t >= 0; t--) {
      for (let b = 0; b < B; b++) {
        const row = t * B + b;
        const u = row * H, s = b * H, dx0 = row * GH;
        for (let k = 0; k < H; k++) {
          const c = C[u + k];
          // The activity penalty λ·mean(y) is an L1 penalty on the graded events: for a unit that fires it pushes
          // the state itself down (dy/dc = 1), not only through the surrogate, so units far above their
          // threshold (which the surrogate window does not reach) are penalised too.
          const dY = dy[u + k] + dyRec[s + k] + penalty;
          let dc: number;
          if (spiking) {
            const th = thr![k];
            const o = c > th ? 1 : 0;
            const dist = support * Math.abs(c - th);
            const sg = dist < 1 ? gamma * (1 - dist) : 0;
            const dH = dh[s + k];
            dc = dY * (o + c * sg) + dH * (1 - th * sg);
            grads.thr![k] += -dY * c * sg + dH * (th * sg - o);
          } else {
            dc = dY + dh[s + k];
          }
          const z = Z[u + k], r = Rg[u + k], g = G[u + k];
          const dz = dc * (HP[u + k] - g);
          const dag = dc * (1 - z) * (1 - g * g);
          const dr = dag * HG[u + k];
          const daz = dz * z * (1 - z);
          const dar = dr * r * (1 - r);
          dPreX[dx0 + k] = daz; dPreX[dx0 + H + k] = dar; dPreX[dx0 + 2 * H + k] = dag;
          dPreH[dx0 + k] = daz; dPreH[dx0 + H + k] = dar; dPreH[dx0 + 2 * H + k] = dag * r;
          dh[s + k] = dc * z;
        }
      }
      // Gradient into y_{t−1} through R, only where y_{t−1} can pass it on. Truncated BPTT stops at t = 0.
      dyRec.fill(0);
      if (t > 0) {
        backpropActiveRows(
          p.recurrentKernel, GH, dPreH.subarray(t * B * GH, (t + 1) * B * GH),
          sliceRows(need, (t - 1) * B, t * B), dyRec, H, B,
        );
      }
    }
    accumulateProjectionGrads({
      p, grads, input, inputSize: I, hidden: H, gateWidth: GH, dPreX, dPreH, previous, dx, xNeed,
    });
  }

  return { y: Y, active: yActive, need, events, finalState, recurrentActive: previous.active, recurrentValues: previous.values, membraneChanges: changes, backward };
}
