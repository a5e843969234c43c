/** The shape of a language model: what a model file's `config` holds and what every stage reads. */
export type CellKind = 'egru' | 'gru' | 'lstm';

export interface ModelConfig {
  cell: CellKind;
  vocabSize: number;
  /** Embedding width E. */
  emb: number;
  /** Hidden size of each recurrent layer, first to last. */
  layers: number[];
  /** Decoder reuses the embedding matrix (needs last layer size == emb, or a projection). */
  tied: boolean;
  /** Width of an optional projection (linear, then ReLU, as in EvNN) between the last layer and the decoder (0: none). */
  projection: number;
  /** EGRU surrogate gradient: dH/dc ≈ gamma · max(0, 1 − support·|c − ϑ|). */
  surrogateGamma: number;
  surrogateSupport: number;
}

/** Number of gate blocks per layer: z, r, g for (E)GRU; i, f, g, o for LSTM. */
export function gateCount(cell: CellKind): number {
  return cell === 'lstm' ? 4 : 3;
}

/** Input width of layer l. */
export function layerInputSize(config: ModelConfig, l: number): number {
  return l === 0 ? config.emb : config.layers[l - 1];
}

/** Width of the vector the decoder consumes. */
export function decoderInputSize(config: ModelConfig): number {
  return config.projection > 0 ? config.projection : config.layers[config.layers.length - 1];
}

/**
 * Upper bounds on a model's shape, so that a typo (`--emb 1000000000`, `--layers 100000000`) or a hostile file is
 * refused before anything is allocated rather than exhausting memory. Far above anything neuromap trains (the
 * shipped models: vocabulary 10,000, widths ≤ 512, ~8M weights); a trained model's parameters and their optimiser
 * moments take ~16 bytes a weight, so the weight limit keeps training within ~3 GB.
 */
export const MODEL_LIMITS = { width: 65_536, layers: 64, vocabSize: 1_048_576, weights: 200_000_000 } as const;

/** Weights of a configuration (embedding, every layer's kernels and biases, an EGRU's thresholds, projection, decoder). */
export function weightCount(config: ModelConfig): number {
  const g = gateCount(config.cell);
  const thresholds = config.cell === 'egru' ? 1 : 0;
  let n = config.vocabSize * config.emb;
  config.layers.forEach((h, l) => (n += g * h * (layerInputSize(config, l) + h + 2) + thresholds * h));
  if (config.projection > 0) n += config.layers[config.layers.length - 1] * config.projection + config.projection;
  if (!config.tied) n += decoderInputSize(config) * config.vocabSize;
  return n + config.vocabSize;
}

/** Throws a user-facing message when a configuration cannot describe a real model. */
export function validateConfig(config: ModelConfig): void {
  const problems: string[] = [];
  const limit = (what: string, value: number, max: number) => {
    if (value > max) problems.push(`${what} ${value} is larger than neuromap's limit of ${max.toLocaleString('en-US')}`);
  };
  limit('vocabulary size', config.vocabSize, MODEL_LIMITS.vocabSize);
  limit('embedding size', config.emb, MODEL_LIMITS.width);
  limit('projection size', config.projection, MODEL_LIMITS.width);
  limit('number of layers', config.layers.length, MODEL_LIMITS.layers);
  config.layers.forEach((h, l) => limit(`layer ${l} size`, h, MODEL_LIMITS.width));
  if (!problems.length) limit('number of weights', weightCount(config), MODEL_LIMITS.weights);
  if (!['egru', 'gru', 'lstm'].includes(config.cell)) problems.push(`cell must be egru, gru or lstm (got ${config.cell})`);
  // Whole numbers: a fractional size passes every comparison and fails later, as a typed array's length; a negative
  // projection is read as none by some code and not by other.
  const whole = (x: number, min: number) => Number.isInteger(x) && x >= min;
  const embValid = whole(config.emb, 1), projectionValid = whole(config.projection, 0);
  const layersValid = config.layers.length > 0 && config.layers.every((h) => whole(h, 1));
  if (!whole(config.vocabSize, 2)) problems.push(`vocabulary size must be an integer of at least 2 (got ${config.vocabSize})`);
  if (!embValid) problems.push(`embedding size must be a positive integer (got ${config.emb})`);
  if (!projectionValid) problems.push(`projection size must be 0 (none) or a positive integer (got ${config.projection})`);
  if (!layersValid) problems.push(`layers must be a non-empty list of positive integers (got ${config.layers.length ? config.layers.join(',') : 'an empty list'})`);
  // Only between valid sizes: the advice would otherwise read "end --layers with 0" or "size undefined".
  if (config.tied && embValid && projectionValid && layersValid && decoderInputSize(config) !== config.emb)
    problems.push(
      `a tied decoder needs the last layer (or projection) size ${decoderInputSize(config)} to equal the embedding size ${config.emb}: ` +
        `use --emb ${decoderInputSize(config)}, end --layers with ${config.emb}, or pass --no-tied`,
    );
  // The ranges `neuromap train` gives these (models/settings.ts, whose flag check comes first there), for what
  // never passes it: `neuromap import --surrogate-gamma`, an EvNN file's own values, a model file from elsewhere.
  // A negative γ turns the surrogate gradient around; a support of 0 or less gives it to every unit however far from
  // its threshold.
  if (!(Number.isFinite(config.surrogateGamma) && config.surrogateGamma >= 0))
    problems.push(`surrogate gamma must be a finite number of 0 or more (got ${config.surrogateGamma})`);
  if (!(Number.isFinite(config.surrogateSupport) && config.surrogateSupport > 0))
    problems.push(`surrogate support must be a finite number greater than 0 (got ${config.surrogateSupport})`);
  if (problems.length) throw new UserError(problems.join('; '));
}

// UserError lives on the lowest floor (format/) so every stage, format/ included, can throw it; re-exported here
// because most of the code imports it from models/config.
import { UserError } from '../format/user-error';

export { UserError };
