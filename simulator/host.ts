/**
 * The host's side of a token: it looks the token up (the embedding, no MACs) and, at the other end, turns
 * what it receives into the next-token distribution. With the decoder on chip it receives every logit;
 * with the decoder on the host (`--decoder host`) it receives the last chip layer's events and runs the
 * projection (linear + ReLU) and the decoder itself, on the active inputs only, counting their MACs as
 * models/macs.ts does (Σ over non-zero inputs of the non-zero weights in their rows).
 */
import { decoderInputSize, UserError } from '../models/config';
import { transpose } from '../models/lm';
import { nonZerosPerRow } from '../models/macs';
import { isBinaryInput } from '../models/neurobench';
import { DECODER_BIAS, DECODER_WEIGHT, PROJECTION_BIAS, PROJECTION_WEIGHT } from '../models/params';
import type { HostModel } from './from-nmap';
import type { SimMap } from './map';

/** A projection the host computes: out = b + Σ_{j active} x_j · W[j, :], W input-major [inputs, outputs]. */
export interface HostLayer {
  name: string;
  W: Float32Array;
  b: Float32Array;
  inputs: number;
  outputs: number;
  relu: boolean;
  /** Non-zero weights of each input row: the effective MACs of one active input. */
  rowNonZeros: Int32Array;
  /** Σ over tokens of effective MACs and of active inputs. */
  macs: number;
  activeInputs: number;
  /** The part of `macs` from tokens whose inputs were all 0 or ±1 (NeuroBench's ACs, models/neurobench.ts). */
  binaryMacs: number;
}

export class HostSide {
  /** The population whose events the host receives (the decoder's logits, or the decoder's chip input). */
  readonly from: number;
  readonly layers: HostLayer[];
  private readonly x: Float32Array;
  private readonly active: Int32Array;
  private count = 0;
  private readonly logits: Float32Array;
  private received = 0;

  constructor(host: HostModel, map: SimMap) {
    const pops = map.populations;
    const decoder = pops.findIndex((p) => p.kind === 'linear');
    const config = host.config;
    this.layers = [];
    if (pops[decoder].where === 'chip') {
      this.from = decoder;
    } else {
      // The last chip population feeds the host-side head.
      this.from = pops.reduce((last, p, i) => (p.where === 'chip' ? i : last), -1);
      const t = host.tensors;
      const H = pops[this.from].size, D = decoderInputSize(config), V = config.vocabSize;
      if (config.projection > 0) this.layers.push(hostLayer('projection', t[PROJECTION_WEIGHT], t[PROJECTION_BIAS], H, D, true));
      // A tied decoder is the embedding transposed to input-major [E, V].
      const W = t[DECODER_WEIGHT] ?? transpose(host.embedding, V, D);
      this.layers.push(hostLayer('decoder', W, t[DECODER_BIAS], D, V, false));
    }
    const width = pops[this.from].size;
    this.x = new Float32Array(width);
    this.active = new Int32Array(width);
    this.logits = new Float32Array(config.vocabSize);
  }

  /** An event of unit `unit` of the population the host listens to. */
  receive(unit: number, value: number): void {
    if (this.layers.length === 0) {
      this.logits[unit] = value;
      this.received++;
      return;
    }
    if (value === 0) return;
    if (this.x[unit] === 0) this.active[this.count++] = unit;
    this.x[unit] = value;
  }

  /** Effective MACs of the host-side layers so far. */
  macs(): number {
    return this.layers.reduce((a, l) => a + l.macs, 0);
  }

  /** Weights of the host-side layers: what the host's processor must hold. */
  weights(): number {
    return this.layers.reduce((a, l) => a + l.inputs * l.outputs, 0);
  }

  /** log p(target) of the token whose events were received, then ready for the next. */
  logProb(target: number): number {
    let logits = this.logits;
    if (this.layers.length === 0) {
      if (this.received !== logits.length) throw new Error(`the host received ${this.received} of ${logits.length} logits`);
    } else {
      logits = this.runHead();
    }
    this.received = 0;
    let max = -Infinity;
    for (let v = 0; v < logits.length; v++) if (logits[v] > max) max = logits[v];
    let sum = 0;
    for (let v = 0; v < logits.length; v++) sum += Math.exp(logits[v] - max);
    return logits[target] - max - Math.log(sum);
  }

  /** The host-side projection and decoder on the received events; clears the inputs. */
  private runHead(): Float32Array {
    let x = this.x, active = this.active, count = this.count;
    let out = x;
    for (const layer of this.layers) {
      out = new Float32Array(layer.b);
      let macs = 0;
      for (let q = 0; q < count; q++) {
        const j = active[q], v = x[j], row = j * layer.outputs;
        for (let o = 0; o < layer.outputs; o++) out[o] += v * layer.W[row + o];
        macs += layer.rowNonZeros[j];
      }
      layer.macs += macs;
      if (isBinaryInput(x, active, 0, count)) layer.binaryMacs += macs;
      layer.activeInputs += count;
      if (layer.relu) {
        const next = new Int32Array(layer.outputs);
        let n = 0;
        for (let o = 0; o < layer.outputs; o++) if (out[o] > 0) next[n++] = o;
        else out[o] = 0;
        (active = next), (count = n);
      }
      x = out;
    }
    this.x.fill(0);
    this.count = 0;
    return out;
  }
}

function hostLayer(name: string, W: Float32Array | undefined, b: Float32Array | undefined, inputs: number, outputs: number, relu: boolean): HostLayer {
  // A UserError: the file's fault (the CLI prints it on one line), not the program's.
  if (!W || !b) throw new UserError(`the map runs ${name} on the host but holds no ${name} tensors: recompile it from its model`);
  // A map file's tensors are not checked against the model's shapes on load: a longer bias would add logits, a
  // shorter weight read past its end (NaN).
  if (W.length !== inputs * outputs || b.length !== outputs)
    throw new UserError(`the map's host ${name} has ${W.length} weights and a bias of ${b.length}; a ${inputs}×${outputs} layer has ${inputs * outputs} weights and a bias of ${outputs}`);
  return { name, W, b, inputs, outputs, relu, rowNonZeros: nonZerosPerRow(W, inputs, outputs), macs: 0, activeInputs: 0, binaryMacs: 0 };
}
