/**
 * Parameters of a language model as named float32 tensors, in one layout every stage shares.
 *
 * Every weight matrix is stored input-major, [inputs, outputs], row-major: the row of input j is the
 * contiguous list of weights that j feeds. That is the layout event-driven code wants (an event from
 * input j touches one row) and it is EvNN's own layout for kernels. Names:
 *   embedding                      [V, E]
 *   layers.{l}.kernel              [in, G·H]   gate blocks z,r,g (GRU/EGRU) or i,f,g,o (LSTM)
 *   layers.{l}.recurrent_kernel    [H, G·H]
 *   layers.{l}.bias                [G·H]
 *   layers.{l}.recurrent_bias      [G·H]
 *   layers.{l}.thr                 [H]         EGRU only: the threshold ϑ itself
 *   projection.weight              [H_last, P] only when config.projection > 0
 *   projection.bias                [P]
 *   decoder.weight                 [D, V]      only when the decoder is not tied
 *   decoder.bias                   [V]
 */
import { ModelConfig, decoderInputSize, gateCount, layerInputSize } from './config';
import { Rng } from './rng';

export interface Tensor {
  shape: number[];
  data: Float32Array;
}

/** Insertion-ordered, so iteration (and therefore files and optimiser state) is deterministic. */
export type ParamSet = Record<string, Tensor>;

/** Masks for pruned matrices: 1 keeps a weight, 0 forces it to exactly zero. */
export type MaskSet = Record<string, Uint8Array>;

export const EMBEDDING = 'embedding';
export const kernelName = (l: number) => `layers.${l}.kernel`;
export const recurrentKernelName = (l: number) => `layers.${l}.recurrent_kernel`;
export const biasName = (l: number) => `layers.${l}.bias`;
export const recurrentBiasName = (l: number) => `layers.${l}.recurrent_bias`;
export const thresholdName = (l: number) => `layers.${l}.thr`;
export const PROJECTION_WEIGHT = 'projection.weight';
export const PROJECTION_BIAS = 'projection.bias';
export const DECODER_WEIGHT = 'decoder.weight';
export const DECODER_BIAS = 'decoder.bias';
/** A recurrent layer as reports, the compiler's populations and the simulator name it: layer0, layer1, … */
export const layerName = (l: number) => `layer${l}`;

export function tensor(shape: number[], data?: Float32Array): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (data && data.length !== size) throw new Error(`tensor data has ${data.length} values, shape ${shape.join('×')} needs ${size}`);
  return { shape, data: data ?? new Float32Array(size) };
}

export interface InitOptions {
  /**
   * Mean of the initial EGRU thresholds. As in EvNN 0.2, each unit's threshold is drawn from a Beta
   * distribution with this mean (β = 3), so units start with different thresholds.
   */
  thresholdInit: number;
  /** Embedding values start uniform in ±embeddingInit (default 0.1, as in AWD-LSTM). */
  embeddingInit?: number;
  /**
   * When given, the decoder bias starts at the log of these tokens' add-one unigram distribution instead of 0:
   * the model then predicts word frequencies from the first step, where Adam would need hundreds of steps of
   * about the learning rate each to move ten thousand biases that far (measured: the default recipe sat at a
   * unigram model's perplexity for its first epoch).
   */
  unigramTokens?: Int32Array;
}

/** The expected tensor shapes of a configuration, in canonical order. */
export function expectedShapes(config: ModelConfig): Record<string, number[]> {
  const G = gateCount(config.cell);
  const shapes: Record<string, number[]> = { [EMBEDDING]: [config.vocabSize, config.emb] };
  config.layers.forEach((H, l) => {
    shapes[kernelName(l)] = [layerInputSize(config, l), G * H];
    shapes[recurrentKernelName(l)] = [H, G * H];
    shapes[biasName(l)] = [G * H];
    shapes[recurrentBiasName(l)] = [G * H];
    if (config.cell === 'egru') shapes[thresholdName(l)] = [H];
  });
  const last = config.layers[config.layers.length - 1];
  if (config.projection > 0) {
    shapes[PROJECTION_WEIGHT] = [last, config.projection];
    shapes[PROJECTION_BIAS] = [config.projection];
  }
  if (!config.tied) shapes[DECODER_WEIGHT] = [decoderInputSize(config), config.vocabSize];
  shapes[DECODER_BIAS] = [config.vocabSize];
  return shapes;
}

/** Fresh parameters: uniform(±1/√fan) like PyTorch's RNN layers, small uniform embedding, zero biases. */
export function initParams(config: ModelConfig, rng: Rng, options: InitOptions): ParamSet {
  const params: ParamSet = {};
  for (const [name, shape] of Object.entries(expectedShapes(config))) {
    const t = tensor(shape);
    const d = t.data;
    if (name === EMBEDDING) {
      const a = options.embeddingInit ?? 0.1;
      for (let i = 0; i < d.length; i++) d[i] = rng.uniform(-a, a);
    } else if (name.endsWith('.thr')) {
      const mean = options.thresholdInit;
      const beta = 3;
      for (let i = 0; i < d.length; i++) d[i] = rng.beta((beta * mean) / (1 - mean), beta);
    } else if (shape.length === 2) {
      const bound = name.startsWith('layers.') ? 1 / Math.sqrt(shape[1] / gateCount(config.cell)) : 1 / Math.sqrt(shape[0]);
      for (let i = 0; i < d.length; i++) d[i] = rng.uniform(-bound, bound);
    } else if (config.cell === 'lstm' && name.startsWith('layers.') && name.endsWith('.bias')) {
      // A forget-gate bias of 1 lets gradients through time early in training (a layer's gate biases only: the
      // projection and decoder biases also end in ".bias").
      const H = shape[0] / 4;
      for (let i = H; i < 2 * H; i++) d[i] = 1;
    }
    params[name] = t;
  }
  if (options.unigramTokens) params[DECODER_BIAS].data.set(logUnigram(options.unigramTokens, config.vocabSize));
  return params;
}

/** log p(v) of the add-one unigram distribution of `tokens` over a vocabulary of `vocabSize` ids. */
export function logUnigram(tokens: Int32Array, vocabSize: number): Float32Array {
  const counts = new Float64Array(vocabSize).fill(1);
  for (let i = 0; i < tokens.length; i++) counts[tokens[i]]++;
  const logTotal = Math.log(tokens.length + vocabSize);
  const out = new Float32Array(vocabSize);
  for (let v = 0; v < vocabSize; v++) out[v] = Math.log(counts[v]) - logTotal;
  return out;
}

/** Names of the matrices that magnitude pruning may touch: every weight matrix except the embedding. */
export function prunableNames(config: ModelConfig): string[] {
  return Object.entries(expectedShapes(config))
    .filter(([name, shape]) => shape.length === 2 && name !== EMBEDDING)
    .map(([name]) => name);
}

export function cloneParams(params: ParamSet): ParamSet {
  const out: ParamSet = {};
  for (const [name, t] of Object.entries(params)) out[name] = { shape: [...t.shape], data: new Float32Array(t.data) };
  return out;
}

export function countParams(params: ParamSet): number {
  let n = 0;
  for (const t of Object.values(params)) n += t.data.length;
  return n;
}
