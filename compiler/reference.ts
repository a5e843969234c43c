/**
 * The model a compiled map computes, rebuilt from the map alone as an ordinary LanguageModel: every weight
 * as its cores store it (q · scale), thresholds and biases as the neuron state holds them. It is the
 * software reference a simulator's outputs must equal (models/evaluate.ts runs it): with fp32 arithmetic it
 * computes what the input model computes; with int8 it shows what quantising the weights and parameters
 * costs. Event payload quantisation is the simulator's part and is not applied here.
 *
 * The map keeps z and r biases folded (b + br) and the candidate's two apart (b_g, br_g); the reference puts
 * folded values in `bias` and zeros in `recurrent_bias` for z and r, which computes the same gates. The
 * decoder is untied: the host's embedding stays exact while the cores hold the decoder's stored weights.
 */
import { decoderInputSize, type ModelConfig } from '../models/config';
import type { LanguageModel } from '../models/model';
import {
  DECODER_BIAS, DECODER_WEIGHT, EMBEDDING, PROJECTION_BIAS, PROJECTION_WEIGHT, type ParamSet, type Tensor,
  biasName, expectedShapes, kernelName, recurrentBiasName, recurrentKernelName, thresholdName,
} from '../models/params';
import type { CompiledMap } from './nmap';

export function referenceModel(map: Omit<CompiledMap, 'format' | 'version'>): LanguageModel {
  const config: ModelConfig = { ...map.model.config, layers: [...map.model.config.layers], tied: false };
  const params: ParamSet = {};
  for (const [name, shape] of Object.entries(expectedShapes(config))) params[name] = { shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) };
  params[EMBEDDING].data.set(map.host.embedding);
  const popByName = new Map(map.populations.map((p) => [p.name, p]));
  for (const c of map.cores) {
    const pop = map.populations[c.population];
    const scale = pop.state_scale;
    const n = c.unit_end - c.unit_start;
    if (pop.kind === 'egru') {
      const H = pop.size, l = pop.layer!;
      const b = params[biasName(l)].data, br = params[recurrentBiasName(l)].data, thr = params[thresholdName(l)].data;
      for (let u = 0; u < n; u++) {
        const k = c.unit_start + u;
        thr[k] = c.thr![u] * scale;
        b[k] = c.bias![u * 4] * scale;
        b[H + k] = c.bias![u * 4 + 1] * scale;
        b[2 * H + k] = c.bias![u * 4 + 2] * scale;
        br[2 * H + k] = c.bias![u * 4 + 3] * scale;
      }
    } else {
      const bias = params[pop.kind === 'relu' ? PROJECTION_BIAS : DECODER_BIAS].data;
      for (let u = 0; u < n; u++) bias[c.unit_start + u] = c.bias![u] * scale;
    }
    for (let r = 0; r < c.row_source.length; r++) {
      if (c.row_plane && c.row_plane[r] !== 0) continue; // other planes repeat plane 0's weights
      const from = map.populations.find((p) => c.row_source[r] >= p.source_base && c.row_source[r] < p.source_base + p.size)!;
      const j = c.row_source[r] - from.source_base;
      const proj = map.projections.find((p) => p.from === from.id && p.to === pop.id)!;
      const { matrix, column } = target(config, proj.name, pop.size);
      const W = params[matrix].data, width = params[matrix].shape[1];
      for (let e = c.row_ptr[r]; e < c.row_ptr[r + 1]; e++) {
        const local = c.post[e];
        W[j * width + column(c.unit_start + Math.floor(local / pop.slots), local % pop.slots)] = c.weight[e] * proj.weight_scale;
      }
    }
  }
  // Whatever runs on the host comes from the map's host tensors, exact.
  for (const [name, data] of Object.entries(map.host.tensors)) if (params[name] && !popOnChip(popByName, name)) params[name].data.set(data);
  if (map.host.tensors[DECODER_WEIGHT] === undefined && popByName.get('decoder')!.where === 'host') {
    transposeInto(map.host.embedding, config.vocabSize, decoderInputSize(config), params[DECODER_WEIGHT]);
  }
  return {
    config, params, masks: {}, vocab: [...map.model.vocab],
    provenance: {
      data: `compiled map for ${map.target.name}`, seed: map.compiler.seed, steps: 0, tokens: 0, commands: [], createdAt: '', neuromapVersion: map.compiler.neuromap_version,
      settings: { arithmetic: map.compiler.arithmetic },
    },
    metrics: {},
  };
}

/** Where a projection's weight for (unit, slot) sits in the model's input-major matrices. */
function target(config: ModelConfig, name: string, size: number): { matrix: string; column: (unit: number, slot: number) => number } {
  const layer = /^layer(\d+)\.(input|recurrent)$/.exec(name);
  if (layer) {
    const l = Number(layer[1]);
    // Slots z, r, W_g·x, R_g·y: both g slots are gate 2 of their own matrix.
    return { matrix: layer[2] === 'input' ? kernelName(l) : recurrentKernelName(l), column: (k, slot) => Math.min(slot, 2) * size + k };
  }
  return { matrix: name === 'projection' ? PROJECTION_WEIGHT : DECODER_WEIGHT, column: (k) => k };
}

function popOnChip(pops: Map<string, { where: string }>, tensor: string): boolean {
  const pop = tensor.startsWith('projection.') ? pops.get('projection') : pops.get('decoder');
  return pop?.where === 'chip';
}

function transposeInto(M: Float32Array, rows: number, cols: number, out: Tensor): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out.data[c * rows + r] = M[r * cols + c];
}
