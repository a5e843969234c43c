/**
 * Interop with the state dict of EvNN's `LanguageModel` (benchmarks/lm/models.py), saved as safetensors, and
 * its vocabulary as VOCAB.txt (one word a line, id order).
 *
 * EvNN names and layouts, and how they map to ours (params.ts):
 *   embeddings.weight                  [V, E]         → embedding
 *   rnns.{l}.kernel                    [in, 3H]       → layers.{l}.kernel            (same layout, gates z, r, g)
 *   rnns.{l}.recurrent_kernel          [H, 3H]        → layers.{l}.recurrent_kernel
 *   rnns.{l}.bias / recurrent_bias     [3H]           → layers.{l}.bias / recurrent_bias
 *   rnns.{l}.thr                       [H]            → layers.{l}.thr  (absent in every layer: a dense GRU)
 *   rnns.{l}.dampening_factor          [1]            → config.surrogateGamma    (EvNN stores these two as
 *   rnns.{l}.pseudo_derivative_support [1]            → config.surrogateSupport   frozen parameters per layer)
 *   rnns.{l}._max_norm                 [1]            gradient-clipping setting: read into provenance only
 *   decoder.projection.weight / .bias  [P, H] / [P]   → projection.weight [H, P] (transposed) / projection.bias
 *   decoder.decoder.weight / .bias     [V, D] / [V]   → decoder.weight [D, V] (transposed) / decoder.bias
 * A tied decoder is recognised three ways: no decoder weight; a decoder weight equal to the embedding (EvNN ties
 * them, and torch's state_dict lists the shared tensor under both names); or no embedding but a [V, E] decoder
 * weight (safetensors' save_model keeps only one name of a shared tensor).
 */
import * as path from 'path';
import { version as NEUROMAP_VERSION } from '../package.json';
import { formatCountOf } from '../format/table';
import { ModelConfig, UserError } from './config';
import { readFileForUser, writeFilesAtomic } from './atomic';
import { transpose } from './lm';
import { LanguageModel, recordedTime } from './model';
import {
  DECODER_BIAS, DECODER_WEIGHT, EMBEDDING, PROJECTION_BIAS, PROJECTION_WEIGHT, ParamSet, Tensor,
  biasName, kernelName, recurrentBiasName, recurrentKernelName, tensor, thresholdName,
} from './params';
import { Safetensors, encodeSafetensors, readSafetensors } from './safetensors';
import { measureWeightSparsity } from './sparsity';
import { shapeText, validateModel } from './validate';

export interface EvnnImportOptions {
  /** Surrogate dampening γ; else the file's rnns.{l}.dampening_factor; else 0.3. */
  surrogateGamma?: number;
  /** Surrogate support s; else the file's rnns.{l}.pseudo_derivative_support; else 1. */
  surrogateSupport?: number;
  /** The command line to record in the provenance. */
  command?: string;
}

const EVNN_EMBEDDING = 'embeddings.weight';
const EVNN_DECODER_WEIGHT = 'decoder.decoder.weight';
const EVNN_DECODER_BIAS = 'decoder.decoder.bias';
const EVNN_PROJECTION_WEIGHT = 'decoder.projection.weight';
const EVNN_PROJECTION_BIAS = 'decoder.projection.bias';
const LAYER_KEY = /^rnns\.(\d+)\.(kernel|recurrent_kernel|bias|recurrent_bias|thr|dampening_factor|pseudo_derivative_support|_max_norm)$/;
const TOP_KEYS = new Set([EVNN_EMBEDDING, EVNN_DECODER_WEIGHT, EVNN_DECODER_BIAS, EVNN_PROJECTION_WEIGHT, EVNN_PROJECTION_BIAS]);

export function importEvnn(safetensorsPath: string, vocabPath: string, options: EvnnImportOptions = {}): LanguageModel {
  const st = readSafetensors(safetensorsPath);
  const vocab = readVocabFile(vocabPath);
  const model = evnnToModel(st, vocab, safetensorsPath, options);
  const V = model.config.vocabSize;
  if (vocab.length !== V)
    throw new UserError(`${vocabPath} has ${vocab.length} words (lines) but the model in ${safetensorsPath} has a vocabulary of ${V}`);
  model.provenance.settings.vocabulary = vocabPath;
  validateModel(model, `${safetensorsPath} does not make a valid model`);
  return model;
}

/** Builds a model from the EvNN tensors read from `source` (a file name, for messages and provenance). */
export function evnnToModel(st: Safetensors, vocab: string[], source: string, options: EvnnImportOptions = {}): LanguageModel {
  const fail = (why: string) => new UserError(`${source} is not an EvNN LanguageModel state dict: ${why}`);
  const t = st.tensors;
  checkKeys(Object.keys(t), fail);
  const layers = readLayers(t, fail);
  const H = layers.map((l) => l.H);
  const last = H[H.length - 1];
  const { embedding, tied } = readEmbedding(t, fail);
  const [V, E] = embedding.shape;
  const need = (name: string, shape: number[]) => {
    const x = t[name];
    if (!x) throw fail(`missing ${name}`);
    if (!sameShape(x.shape, shape)) throw fail(`${name} has shape ${shapeText(x.shape)}, expected ${shapeText(shape)}`);
    return x;
  };
  if (layers[0].inputs !== E) throw fail(`rnns.0.kernel has ${layers[0].inputs} inputs but the embedding width is ${E}`);

  const params: ParamSet = { [EMBEDDING]: tensor([V, E], embedding.data) };
  const cell = layers[0].thr ? 'egru' : 'gru';
  layers.forEach((layer, l) => {
    params[kernelName(l)] = layer.kernel;
    params[recurrentKernelName(l)] = layer.recurrentKernel;
    params[biasName(l)] = layer.bias;
    params[recurrentBiasName(l)] = layer.recurrentBias;
    if (layer.thr) params[thresholdName(l)] = layer.thr;
  });
  let P = 0;
  if (t[EVNN_PROJECTION_WEIGHT] || t[EVNN_PROJECTION_BIAS]) {
    const w = t[EVNN_PROJECTION_WEIGHT];
    if (!w || w.shape.length !== 2) throw fail(`${EVNN_PROJECTION_WEIGHT} must be a matrix [P, ${last}] when ${EVNN_PROJECTION_BIAS} is present`);
    P = w.shape[0];
    need(EVNN_PROJECTION_WEIGHT, [P, last]);
    params[PROJECTION_WEIGHT] = tensor([last, P], transpose(w.data, P, last));
    params[PROJECTION_BIAS] = need(EVNN_PROJECTION_BIAS, [P]);
  }
  const D = P || last;
  if (tied && D !== E)
    throw fail(`without its own ${EVNN_DECODER_WEIGHT} the decoder is tied to the embedding, but it reads ${formatCountOf(D, 'value')} and the embedding width is ${E}`);
  if (!tied) params[DECODER_WEIGHT] = tensor([D, V], transpose(need(EVNN_DECODER_WEIGHT, [V, D]).data, V, D));
  params[DECODER_BIAS] = need(EVNN_DECODER_BIAS, [V]);

  const surrogate = readSurrogate(t, layers.length, fail);
  const config: ModelConfig = {
    cell,
    vocabSize: V,
    emb: E,
    layers: H,
    tied,
    projection: P,
    surrogateGamma: options.surrogateGamma ?? surrogate.gamma ?? 0.3,
    surrogateSupport: options.surrogateSupport ?? surrogate.support ?? 1,
  };
  const settings: Record<string, unknown> = { importedFrom: source, evnnMetadata: st.metadata, dtypes: [...new Set(Object.values(st.dtypes))] };
  if (surrogate.maxNorm !== undefined) settings.evnnGradClip = surrogate.maxNorm;
  return {
    config,
    params,
    masks: {},
    vocab,
    provenance: {
      data: `evnn:${path.basename(source)}`,
      seed: 0,
      steps: 0,
      tokens: 0,
      commands: options.command ? [options.command] : [],
      ...recordedTime(),
      neuromapVersion: NEUROMAP_VERSION,
      settings,
    },
    metrics: { weightSparsity: measureWeightSparsity(config, params) },
  };
}

function checkKeys(keys: string[], fail: (why: string) => UserError): void {
  const unknown = keys.filter((k) => !TOP_KEYS.has(k) && !LAYER_KEY.test(k));
  if (!unknown.length) return;
  const hint = unknown.some((k) => /weight_[ih]h_l\d|\.module\./.test(k))
    ? " (these look like torch.nn.GRU/LSTM parameters, which EvNN's gru and lstm baselines use; only the EvNN kernel layout is read)"
    : '';
  throw fail(`it holds tensors neuromap does not understand: ${unknown.join(', ')}${hint}`);
}

interface EvnnLayer {
  H: number;
  inputs: number;
  kernel: Tensor;
  recurrentKernel: Tensor;
  bias: Tensor;
  recurrentBias: Tensor;
  thr?: Tensor;
}

function readLayers(t: Record<string, Tensor>, fail: (why: string) => UserError): EvnnLayer[] {
  const indices = new Set(Object.keys(t).flatMap((k) => (LAYER_KEY.exec(k) ? [Number(LAYER_KEY.exec(k)![1])] : [])));
  const count = indices.size;
  if (!count) throw fail('it has no recurrent layers (no rnns.0.kernel)');
  for (let l = 0; l < count; l++) if (!indices.has(l)) throw fail(`its layers are not numbered 0…${count - 1} (rnns.${l} is missing)`);
  const layers: EvnnLayer[] = [];
  for (let l = 0; l < count; l++) {
    const get = (field: string) => {
      const x = t[`rnns.${l}.${field}`];
      if (!x) throw fail(`missing rnns.${l}.${field}`);
      return x;
    };
    const recurrentKernel = get('recurrent_kernel');
    const [H, width] = recurrentKernel.shape;
    if (recurrentKernel.shape.length !== 2 || width !== 3 * H)
      throw fail(
        `rnns.${l}.recurrent_kernel has shape ${shapeText(recurrentKernel.shape)}, expected [H, 3H]` +
          (width === 4 * H ? ' (4H columns: an LSTM, which the EvNN layout does not have)' : ''),
      );
    const inputs = l === 0 ? get('kernel').shape[0] : layers[l - 1].H;
    const expect = (field: string, shape: number[]) => {
      const x = get(field);
      if (!sameShape(x.shape, shape)) throw fail(`rnns.${l}.${field} has shape ${shapeText(x.shape)}, expected ${shapeText(shape)}`);
      return x;
    };
    const thr = t[`rnns.${l}.thr`] ? expect('thr', [H]) : undefined;
    if (l > 0 && !thr !== !layers[0].thr) throw fail(`rnns.${l}.thr is ${thr ? 'present' : 'absent'} but rnns.0.thr is ${thr ? 'absent' : 'present'}: either every layer has thresholds (EGRU) or none (GRU)`);
    layers.push({
      H,
      inputs,
      kernel: expect('kernel', [inputs, 3 * H]),
      recurrentKernel,
      bias: expect('bias', [3 * H]),
      recurrentBias: expect('recurrent_bias', [3 * H]),
      thr,
    });
  }
  return layers;
}

function readEmbedding(t: Record<string, Tensor>, fail: (why: string) => UserError): { embedding: Tensor; tied: boolean } {
  const embedding = t[EVNN_EMBEDDING];
  const decoder = t[EVNN_DECODER_WEIGHT];
  if (!embedding && !decoder) throw fail(`it has neither ${EVNN_EMBEDDING} nor ${EVNN_DECODER_WEIGHT}`);
  const matrix = embedding ?? decoder;
  const name = embedding ? EVNN_EMBEDDING : EVNN_DECODER_WEIGHT;
  if (matrix.shape.length !== 2) throw fail(`${name} has shape ${shapeText(matrix.shape)}, expected [V, E]`);
  const tied = !embedding || !decoder || (sameShape(embedding.shape, decoder.shape) && sameValues(embedding.data, decoder.data));
  return { embedding: matrix, tied };
}

function readSurrogate(t: Record<string, Tensor>, layers: number, fail: (why: string) => UserError) {
  const scalar = (field: string): number | undefined => {
    let value: number | undefined;
    for (let l = 0; l < layers; l++) {
      const x = t[`rnns.${l}.${field}`];
      if (!x) continue;
      if (x.data.length !== 1) throw fail(`rnns.${l}.${field} has shape ${shapeText(x.shape)}, expected a single value`);
      if (value !== undefined && x.data[0] !== value)
        throw fail(`${field} differs between layers (${value} and ${x.data[0]}); neuromap has one value for the whole model`);
      value = x.data[0];
    }
    return value === undefined ? undefined : shortestDecimal(value);
  };
  return { gamma: scalar('dampening_factor'), support: scalar('pseudo_derivative_support'), maxNorm: scalar('_max_norm') };
}

/** The EvNN state dict of a model (tensors and safetensors metadata). */
export function modelToEvnn(model: LanguageModel): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  const { config, params } = model;
  if (config.cell === 'lstm')
    throw new UserError('an LSTM model cannot be exported to EvNN: its LanguageModel layout holds EGRU or GRU kernels only; export an egru or gru model');
  const V = config.vocabSize;
  const last = config.layers[config.layers.length - 1];
  const tensors: Record<string, Tensor> = { [EVNN_EMBEDDING]: params[EMBEDDING] };
  config.layers.forEach((_, l) => {
    tensors[`rnns.${l}.kernel`] = params[kernelName(l)];
    tensors[`rnns.${l}.recurrent_kernel`] = params[recurrentKernelName(l)];
    tensors[`rnns.${l}.bias`] = params[biasName(l)];
    tensors[`rnns.${l}.recurrent_bias`] = params[recurrentBiasName(l)];
    if (config.cell === 'egru') {
      tensors[`rnns.${l}.thr`] = params[thresholdName(l)];
      tensors[`rnns.${l}.dampening_factor`] = tensor([1], new Float32Array([config.surrogateGamma]));
      tensors[`rnns.${l}.pseudo_derivative_support`] = tensor([1], new Float32Array([config.surrogateSupport]));
    }
  });
  if (config.projection > 0) {
    const P = config.projection;
    tensors[EVNN_PROJECTION_WEIGHT] = tensor([P, last], transpose(params[PROJECTION_WEIGHT].data, last, P));
    tensors[EVNN_PROJECTION_BIAS] = params[PROJECTION_BIAS];
  }
  if (!config.tied) {
    const D = config.projection || last;
    tensors[EVNN_DECODER_WEIGHT] = tensor([V, D], transpose(params[DECODER_WEIGHT].data, D, V));
  }
  tensors[EVNN_DECODER_BIAS] = params[DECODER_BIAS];
  return { tensors, metadata: { format: 'pt', producer: `neuromap ${NEUROMAP_VERSION}` } };
}

/** Writes the state dict and (if asked) the vocabulary file: both or neither. */
export function exportEvnn(model: LanguageModel, outPath: string, vocabOutPath?: string): void {
  const { tensors, metadata } = modelToEvnn(model);
  writeFilesAtomic([
    { file: outPath, data: encodeSafetensors(tensors, metadata) },
    ...(vocabOutPath ? [{ file: vocabOutPath, data: vocabText(model.vocab) }] : []),
  ]);
}

/** One word a line, id order; a final newline is optional, a CR before it is dropped, an empty line is an error. */
export function readVocabFile(file: string): string[] {
  const lines = readFileForUser(file, 'vocabulary file').toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line, i) => {
    const word = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (!word) throw new UserError(`${file}: line ${i + 1} is empty (a vocabulary file holds one word a line)`);
    return word;
  });
}

/** The vocabulary file's text: one word a line, id order. */
function vocabText(vocab: string[]): string {
  const bad = vocab.findIndex((w) => !w || /[\r\n]/.test(w));
  if (bad >= 0) throw new UserError(`word ${bad} (${JSON.stringify(vocab[bad])}) cannot be written one word a line`);
  return vocab.join('\n') + '\n';
}

/** The shortest decimal that rounds to the same float32 (0.699999988079071 → 0.7), as EvNN's setting was written. */
function shortestDecimal(x: number): number {
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(x.toPrecision(digits));
    if (Math.fround(candidate) === x) return candidate;
  }
  return x;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function sameValues(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
