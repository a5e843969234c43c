/**
 * Bit-plane maps next to what they encode: the int "twin" of a bit-plane map (the same compiled map with
 * one row per source instead of one per plane, and each population's planes as a `planes`-bit integer
 * payload of the same scale), whose accumulator sums a bit-plane simulation must reproduce, and the
 * quantised model computed in software.
 */
import { referenceModel } from '../../compiler';
import type { Emitted, EventEncoding } from '../../compiler/ir';
import type { NmapBody } from '../../compiler/nmap';
import {
  DECODER_BIAS, DECODER_WEIGHT, EMBEDDING, biasName, kernelName, recurrentBiasName, recurrentKernelName, thresholdName,
} from '../../models/params';

export function intTwin(ir: Emitted): Emitted {
  const asInt = (e: EventEncoding): EventEncoding => (e.kind === 'planes' ? { kind: 'int', bits: e.planes, signed: e.signed, scale: e.scale } : e);
  return {
    ...ir,
    ctx: { ...ir.ctx, encoding: 'native', planes: 1 },
    neurons: ir.neurons.map((n) => ({ ...n, event: asInt(n.event) })),
    cores: ir.cores.map((c) => {
      const keep = Array.from(c.rowSource.keys()).filter((r) => !c.rowPlane || c.rowPlane[r] === 0);
      const rowPtr = new Int32Array(keep.length + 1);
      keep.forEach((r, i) => (rowPtr[i + 1] = rowPtr[i] + c.rowPtr[r + 1] - c.rowPtr[r]));
      const entries = keep.flatMap((r) => Array.from({ length: c.rowPtr[r + 1] - c.rowPtr[r] }, (_, k) => c.rowPtr[r] + k));
      const pick = <T extends { length: number; [i: number]: number }>(a: T): T => {
        const out = new (a.constructor as new (n: number) => T)(entries.length);
        entries.forEach((e, i) => (out[i] = a[e]));
        return out;
      };
      return { ...c, rowSource: Int32Array.from(keep, (r) => c.rowSource[r]), rowPlane: null, rowPtr, post: pick(c.post), weight: pick(c.weight) };
    }),
  };
}

/**
 * The quantised model a map computes, run in plain software: referenceModel's weights, thresholds and
 * biases (compiler/reference.ts), plus what the reference leaves to the simulator, each population's event
 * payload (q · scale, q rounded and clamped to the encoding's integers; logits too when the decoder is on
 * chip). EGRU as in compiler/README.md "Computing the model from a map"; the state is kept in float32 as a
 * core keeps it. Returns log p(ids[t + 1]) per token and the events of each EGRU layer.
 */
export function quantisedReference(nmap: NmapBody, ids: Int32Array, tokens: number): { logProbs: Float64Array; events: number[] } {
  const { config, params } = referenceModel(nmap);
  if (config.projection > 0) throw new Error('quantisedReference: no projection layer');
  const pop = (name: string) => nmap.populations.find((p) => p.name === name)!;
  const payload = (e: EventEncoding) => (v: number): number => {
    if (e.kind === 'float') return v;
    const bits = e.kind === 'int' ? e.bits : e.planes;
    const hi = e.signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
    return Math.min(hi, Math.max(e.signed ? -hi : 0, Math.round(v / e.scale))) * e.scale;
  };
  const E = config.emb, V = config.vocabSize, L = config.layers.length;
  const h = config.layers.map((H) => new Float32Array(H)), y = config.layers.map((H) => new Float32Array(H));
  const events = new Array<number>(L).fill(0), logProbs = new Float64Array(tokens);
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  const decoder = pop('decoder');
  const logit = decoder.where === 'chip' ? payload(decoder.event) : (v: number) => v;
  for (let t = 0; t < tokens; t++) {
    const embed = payload(pop('embedding').event);
    let x = Float32Array.from(params[EMBEDDING].data.subarray(ids[t] * E, (ids[t] + 1) * E), embed);
    for (let l = 0; l < L; l++) {
      const H = config.layers[l], W = params[kernelName(l)].data, R = params[recurrentKernelName(l)].data;
      const b = params[biasName(l)].data, br = params[recurrentBiasName(l)].data, thr = params[thresholdName(l)].data;
      const encode = payload(pop(`layer${l}`).event), next = new Float32Array(H);
      for (let k = 0; k < H; k++) {
        const dot = (M: Float32Array, v: Float32Array, gate: number) => v.reduce((a, vj, j) => a + vj * M[j * 3 * H + gate * H + k], 0);
        const z = sigmoid(dot(W, x, 0) + dot(R, y[l], 0) + b[k] + br[k]);
        const r = sigmoid(dot(W, x, 1) + dot(R, y[l], 1) + b[H + k] + br[H + k]);
        const g = Math.tanh(dot(W, x, 2) + b[2 * H + k] + r * (dot(R, y[l], 2) + br[2 * H + k]));
        const c = z * h[l][k] + (1 - z) * g;
        if (c > thr[k]) (next[k] = encode(c)), (h[l][k] = c - thr[k]), events[l]++;
        else h[l][k] = c;
      }
      y[l] = next;
      x = next;
    }
    const Wd = params[DECODER_WEIGHT].data, bd = params[DECODER_BIAS].data;
    const logits = Array.from({ length: V }, (_, v) => logit(x.reduce((a, xj, j) => a + xj * Wd[j * V + v], bd[v])));
    const max = Math.max(...logits);
    logProbs[t] = logits[ids[t + 1]] - max - Math.log(logits.reduce((a, z) => a + Math.exp(z - max), 0));
  }
  return { logProbs, events };
}
