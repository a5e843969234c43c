/**
 * Pass 1, lower: model → populations and projections (who feeds whom: each projection's from and to).
 *
 * The embedding lookup runs on the host, which injects the token's E values as events into layer 0, so the
 * embedding is a host population whose synapses (layer 0's input kernel) live on layer 0's cores. Each EGRU
 * layer is a chip population with two incoming projections (input, recurrent). The projection (if the model
 * has one) and the decoder run on chip with `--decoder chip` and on the host with `--decoder host`; a
 * projection into a host population is not mapped, its source's events simply go to the host.
 */
import { decoderInputSize, layerInputSize } from '../models/config';
import type { LanguageModel } from '../models/model';
import {
  DECODER_BIAS, DECODER_WEIGHT, EMBEDDING, PROJECTION_BIAS, PROJECTION_WEIGHT,
  biasName, kernelName, layerName, recurrentBiasName, recurrentKernelName, thresholdName,
} from '../models/params';
import { measureActivity } from './activity';
import { resolveContext } from './context';
import { gateRows, matrixRows, transposedRows } from './csr';
import { EGRU_SLOTS, EGRU_SLOT_COUNT, type CompileOptions, type Lowered, type Population, type Projection, type SynapseRows, type Where } from './ir';
import type { Target } from '../targets/schema';

const INPUT_GATE_SLOTS = [EGRU_SLOTS.z, EGRU_SLOTS.r, EGRU_SLOTS.gx];
const RECURRENT_GATE_SLOTS = [EGRU_SLOTS.z, EGRU_SLOTS.r, EGRU_SLOTS.gh];

export function lower(model: LanguageModel, target: Target, options: CompileOptions): Lowered {
  const { config, params } = model;
  const { ctx, notes } = resolveContext(target, config, options);
  const measured = options.calibration ? measureActivity(model, options.calibration) : null;
  const L = config.layers.length;
  const populations: Population[] = [];
  let sources = 0;
  const common = (name: string, size: number, where: Where, slots: number, activity: Float32Array | null | undefined) => {
    const c = { id: populations.length, name, size, where, slots, sourceBase: sources, activity: activity ?? new Float32Array(size).fill(1) };
    sources += size;
    return c;
  };
  populations.push({ kind: 'embedding', ...common('embedding', config.emb, 'host', 0, measured?.embedding) });
  config.layers.forEach((H, l) => {
    const b = params[biasName(l)].data, br = params[recurrentBiasName(l)].data;
    const bias = new Float32Array(H * EGRU_SLOT_COUNT);
    for (let k = 0; k < H; k++) {
      bias[k * 4 + EGRU_SLOTS.z] = b[k] + br[k];
      bias[k * 4 + EGRU_SLOTS.r] = b[H + k] + br[H + k];
      bias[k * 4 + EGRU_SLOTS.gx] = b[2 * H + k];
      bias[k * 4 + EGRU_SLOTS.gh] = br[2 * H + k];
    }
    const thr = params[thresholdName(l)].data;
    populations.push({ kind: 'egru', layer: l, thr, bias, ...common(layerName(l), H, 'chip', EGRU_SLOT_COUNT, measured?.layers[l]) });
  });
  const head: Where = options.decoder;
  if (config.projection > 0)
    populations.push({ kind: 'relu', bias: params[PROJECTION_BIAS].data, ...common('projection', config.projection, head, 1, measured?.projection) });
  // Decoder outputs are logits, sent to the host every step: activity 1.
  populations.push({ kind: 'linear', bias: params[DECODER_BIAS].data, ...common('decoder', config.vocabSize, head, 1, null) });

  const projections: Projection[] = [];
  const connect = (name: string, from: Population, to: Population, matrix: string, inputs: number, rows: () => SynapseRows) => {
    const base = { id: projections.length, name, from: from.id, to: to.id, matrix, inputs };
    projections.push(to.where === 'chip' ? { ...base, where: 'chip', synapses: rows() } : { ...base, where: 'host' });
  };
  for (let l = 0; l < L; l++) {
    const H = config.layers[l];
    const layer = populations[1 + l];
    const I = layerInputSize(config, l);
    connect(`${layerName(l)}.input`, populations[l], layer, kernelName(l), I, () =>
      gateRows(params[kernelName(l)].data, I, H, INPUT_GATE_SLOTS, EGRU_SLOT_COUNT));
    connect(`${layerName(l)}.recurrent`, layer, layer, recurrentKernelName(l), H, () =>
      gateRows(params[recurrentKernelName(l)].data, H, H, RECURRENT_GATE_SLOTS, EGRU_SLOT_COUNT));
  }
  const last = populations[L];
  const decoder = populations[populations.length - 1];
  let decoderSource = last;
  if (config.projection > 0) {
    const proj = populations[L + 1];
    connect('projection', last, proj, PROJECTION_WEIGHT, last.size, () => matrixRows(params[PROJECTION_WEIGHT].data, last.size, proj.size));
    decoderSource = proj;
  }
  const D = decoderInputSize(config);
  connect('decoder', decoderSource, decoder, config.tied ? EMBEDDING : DECODER_WEIGHT, D, () =>
    config.tied ? transposedRows(params[EMBEDDING].data, config.vocabSize, D) : matrixRows(params[DECODER_WEIGHT].data, D, config.vocabSize));

  const host: Record<string, Float32Array> = {};
  if (head === 'host') {
    for (const name of [PROJECTION_WEIGHT, PROJECTION_BIAS, DECODER_WEIGHT, DECODER_BIAS]) if (params[name]) host[name] = params[name].data;
  }
  const diagnostics = [...notes];
  diagnostics.push({
    pass: 'lower',
    level: 'info',
    message: measured
      ? `activity measured on ${measured.tokens} calibration tokens`
      : 'no calibration text: every unit is assumed to fire every step (pass --calibrate TEXTFILE to measure activity)',
  });
  return {
    stage: 'lowered', ctx,
    // Copies of the small containers: immer freezes what passes return, and the caller's model must stay its own.
    model: {
      name: options.modelName, config: { ...config, layers: [...config.layers] }, vocab: [...model.vocab],
      embedding: params[EMBEDDING].data, tensors: Object.fromEntries(Object.entries(params).map(([n, t]) => [n, t.data])), host,
    },
    populations, projections, sources, calibrated: measured !== null, diagnostics,
  };
}
