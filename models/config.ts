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

/** Throws a user-facing message when a configuration cannot describe a real model. */
export function validateConfig(config: ModelConfig): void {
  const problems: string[] = [];
  if (!['egru', 'gru', 'lstm'].includes(config.cell)) problems.push(`cell must be egru, gru or lstm (got ${config.cell})`);
  if (!(config.vocabSize >= 2)) problems.push(`vocabulary size must be at least 2 (got ${config.vocabSize})`);
  if (!(config.emb >= 1)) problems.push(`embedding size must be positive (got ${config.emb})`);
  if (config.layers.length === 0 || config.layers.some((h) => !(Number.isInteger(h) && h >= 1)))
    problems.push(`layers must be a non-empty list of positive integers (got ${config.layers.join(',')})`);
  if (config.tied && decoderInputSize(config) !== config.emb)
    problems.push(
      `a tied decoder needs the last layer (or projection) size ${decoderInputSize(config)} to equal the embedding size ${config.emb}: ` +
        `use --emb ${decoderInputSize(config)}, end --layers with ${config.emb}, or pass --no-tied`,
    );
  if (problems.length) throw new UserError(problems.join('; '));
}

// UserError lives on the lowest floor (format/) so every stage, format/ included, can throw it; re-exported here
// because most of the code imports it from models/config.
import { UserError } from '../format/user-error';

export { UserError };
