/**
 * Flag-named settings: the option groups several commands share (data, model shape, training), their conversion
 * into a model config and training settings, and the range checks of single flags. The sweep file uses the same
 * names, so sweep/grid.ts converts through here too and a sweep point trains what `neuromap train` would.
 */
import { availableParallelism } from 'os';
import type { Argv } from 'yargs';
import { CellKind, ModelConfig, UserError, validateConfig } from '../models/config';
import { WeightDecay } from '../models/optim/adamw';
import { ParamSet, initParams } from '../models/params';
import { Rng } from '../models/rng';
import { DEFAULT_TRAIN_SETTINGS, TrainSettings } from '../models/train';

export function dataOptions<T>(y: Argv<T>) {
  return y
    .option('data', { type: 'string', describe: 'Directory with train.txt, valid.txt, test.txt (Penn Treebank format); default: the embedded Brown corpus' })
    .option('vocab-size', { type: 'number', default: 10000, describe: 'Vocabulary size: <eos>, <unk> and the N−2 most frequent training words' });
}

export function modelOptions<T>(y: Argv<T>) {
  return y
    .option('cell', { choices: ['egru', 'gru', 'lstm'] as const, default: 'egru' as const, describe: 'Recurrent cell (gru and lstm are dense baselines)' })
    .option('emb', { type: 'number', default: 128, describe: 'Embedding size' })
    .option('layers', { type: 'string', default: '256,256', describe: 'Hidden size of each layer, comma-separated' })
    .option('tied', { type: 'boolean', default: false, describe: 'Tie the decoder to the embedding (last layer size must equal --emb)' })
    .option('threshold-init', { type: 'number', default: 0.05, describe: 'Mean initial EGRU threshold ϑ (per unit, Beta-distributed as in EvNN)' })
    .option('embedding-init', { type: 'number', default: 0.1, describe: 'Embedding values start uniform in ±this' })
    .option('decoder-bias-init', {
      choices: ['unigram', 'zero'] as const, default: 'unigram',
      describe: 'Decoder bias at the start: the log unigram distribution of the training split (learns from word frequencies on step 1), or 0',
    })
    .option('surrogate-gamma', { type: 'number', default: 0.3, describe: 'Surrogate gradient dampening γ' })
    .option('surrogate-support', { type: 'number', default: 10, describe: 'Surrogate support s: dH/dc ≈ γ·max(0, 1 − s·|c − ϑ|)' });
}

export function trainingOptions<T>(y: Argv<T>) {
  const d = DEFAULT_TRAIN_SETTINGS;
  return y
    .option('epochs', { type: 'number', default: d.epochs, describe: 'Passes over the training split (ignored with --train-tokens)' })
    .option('train-tokens', { type: 'number', default: d.maxTokens, describe: 'Train on this many tokens in all (0: use --epochs)' })
    .option('batch', { type: 'number', default: d.batch, describe: 'Parallel streams per step' })
    .option('bptt', { type: 'number', default: d.bptt, describe: 'Truncated BPTT window (time steps)' })
    .option('lr', { type: 'number', default: d.lr, describe: 'Peak learning rate (AdamW)' })
    .option('min-lr', { type: 'number', default: d.minLr, describe: 'Learning rate at the end of the cosine decay' })
    .option('constant-fraction', { type: 'number', default: d.constantFraction, describe: 'Fraction of steps at the peak rate before the cosine decay' })
    .option('weight-decay', {
      type: 'string', default: String(d.weightDecay), defaultDescription: String(d.weightDecay),
      describe: 'AdamW weight decay, the knob for EGRU activity sparsity (thresholds are not decayed): one value, or one per recurrent layer ' +
        '(e.g. 0.5,2 for --layers 256,256: each layer’s kernels and biases take its value; embedding, projection and decoder take the first)',
    })
    .option('clip', { type: 'number', default: d.clip, describe: 'Clip the global gradient norm to this (0: off)' })
    .option('dropout-emb', { type: 'number', default: d.dropoutEmbedding, describe: 'Dropout on the embedding output' })
    .option('dropout-hidden', { type: 'number', default: d.dropoutHidden, describe: 'Dropout between recurrent layers' })
    .option('dropout-out', { type: 'number', default: d.dropoutOutput, describe: 'Dropout before the decoder' })
    .option('dropconnect', { type: 'number', default: d.dropConnect, describe: 'DropConnect on recurrent weights' })
    .option('activity-penalty', { type: 'number', default: d.activityPenalty, describe: 'λ of an L1 activity penalty λ·mean(y) on each EGRU layer’s graded events' })
    .option('threshold-lr-scale', { type: 'number', default: d.thresholdLrScale, describe: 'Learning-rate multiplier for EGRU thresholds' })
    .option('valid-tokens', { type: 'number', default: d.validTokens, describe: 'Validation tokens per evaluation during training (0: the whole split)' })
    .option('eval-every', { type: 'number', default: d.evalEvery, describe: 'Also evaluate every this many steps (0: at epoch ends and the end)' })
    .option('seed', { type: 'number', default: d.seed, describe: 'Seed of every random choice (recorded in the model file)' })
    .option('threads', {
      type: 'number', default: availableParallelism(), defaultDescription: `this machine's cores (${availableParallelism()})`,
      describe: 'Data-parallel training threads (the same seed and thread count give the same model, byte for byte)',
    });
}

type Loose = Record<string, unknown>;

export function parseLayers(text: string): number[] {
  const layers = String(text).split(',').map((s) => Number(s.trim()));
  if (!layers.length || layers.some((h) => !Number.isInteger(h) || h < 1))
    throw new UserError(`--layers must be comma-separated positive integers, e.g. --layers 256,256 (got "${text}")`);
  return layers;
}

export function configFromArgs(args: Loose, vocabSize: number): ModelConfig {
  const config: ModelConfig = {
    cell: args.cell as CellKind,
    vocabSize,
    emb: positiveInt(args.emb, '--emb'),
    layers: parseLayers(String(args.layers)),
    tied: Boolean(args.tied),
    projection: 0,
    surrogateGamma: nonNegative(args['surrogate-gamma'], '--surrogate-gamma'),
    surrogateSupport: positive(args['surrogate-support'], '--surrogate-support'),
  };
  validateConfig(config);
  return config;
}

/**
 * What `neuromap train` starts from for these flags: the config, the init options it records, and the parameters
 * drawn from `seed` (the decoder bias at the log unigram distribution of `corpus.train` unless
 * --decoder-bias-init zero). One function, so that an export of the initial weights (examples/brown-models/parity)
 * is the model train would start from.
 */
export function initialModelFromArgs(args: Loose, corpus: { vocab: string[]; train: Int32Array }, seed: number) {
  const config = configFromArgs(args, corpus.vocab.length);
  const init = { thresholdInit: fraction(args['threshold-init'], '--threshold-init'), embeddingInit: positive(args['embedding-init'], '--embedding-init') };
  const unigram = args['decoder-bias-init'] === 'unigram';
  const params: ParamSet = initParams(config, new Rng(seed), { ...init, unigramTokens: unigram ? corpus.train : undefined });
  return { config, init, params };
}

export function trainSettingsFromArgs(args: Loose): TrainSettings {
  const s: TrainSettings = {
    ...DEFAULT_TRAIN_SETTINGS,
    batch: positiveInt(args.batch, '--batch'),
    bptt: positiveInt(args.bptt, '--bptt'),
    lr: positive(args.lr, '--lr'),
    minLr: nonNegative(args['min-lr'], '--min-lr'),
    constantFraction: fraction(args['constant-fraction'], '--constant-fraction', true),
    weightDecay: parseWeightDecay(args['weight-decay']),
    clip: nonNegative(args.clip, '--clip'),
    dropoutEmbedding: fraction(args['dropout-emb'], '--dropout-emb'),
    dropoutHidden: fraction(args['dropout-hidden'], '--dropout-hidden'),
    dropoutOutput: fraction(args['dropout-out'], '--dropout-out'),
    dropConnect: fraction(args.dropconnect, '--dropconnect'),
    activityPenalty: nonNegative(args['activity-penalty'], '--activity-penalty'),
    thresholdLrScale: nonNegative(args['threshold-lr-scale'], '--threshold-lr-scale'),
    epochs: positiveInt(args.epochs, '--epochs'),
    maxTokens: nonNegativeInt(args['train-tokens'], '--train-tokens'),
    validTokens: nonNegativeInt(args['valid-tokens'], '--valid-tokens'),
    evalEvery: nonNegativeInt(args['eval-every'], '--eval-every'),
    seed: nonNegativeInt(args.seed, '--seed'),
    threads: positiveInt(args.threads ?? 1, '--threads'),
  };
  return s;
}

/**
 * `--weight-decay`: one non-negative number, or a comma list of them, one per recurrent layer; a single value
 * comes back as a number (checkWeightDecay checks a list's length against the model).
 */
export function parseWeightDecay(v: unknown): WeightDecay {
  if (Array.isArray(v)) throw new UserError(`give --weight-decay once, with a comma list for one value per layer, e.g. --weight-decay 0.1,0.5 (got ${v.join(' and ')})`);
  const items = typeof v === 'number' ? [v] : String(v).split(',').map((x) => x.trim());
  const values = items.map((x) => (x === '' ? NaN : Number(x)));
  if (values.some((x) => !(Number.isFinite(x) && x >= 0)))
    throw new UserError(`--weight-decay must be a number ≥ 0, or a comma list of them, one per recurrent layer, e.g. 0.1 or 0.1,0.5 (got ${String(v)})`);
  return values.length === 1 ? values[0] : values;
}

function num(v: unknown, flag: string): number {
  const n = Number(v);
  if (v === undefined || v === null || v === '' || !Number.isFinite(n)) throw new UserError(`${flag} must be a number (got ${String(v)})`);
  return n;
}
export function positiveInt(v: unknown, flag: string): number {
  const n = num(v, flag);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} must be a positive integer (got ${String(v)})`);
  return n;
}
export function nonNegativeInt(v: unknown, flag: string): number {
  const n = num(v, flag);
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${flag} must be a non-negative integer (got ${String(v)})`);
  return n;
}
export function positive(v: unknown, flag: string): number {
  const n = num(v, flag);
  if (!(n > 0)) throw new UserError(`${flag} must be greater than 0 (got ${String(v)})`);
  return n;
}
export function nonNegative(v: unknown, flag: string): number {
  const n = num(v, flag);
  if (n < 0) throw new UserError(`${flag} must be 0 or more (got ${String(v)})`);
  return n;
}
export function fraction(v: unknown, flag: string, inclusive = false): number {
  const n = num(v, flag);
  if (n < 0 || n > 1 || (!inclusive && n === 1)) throw new UserError(`${flag} must be in [0, ${inclusive ? '1]' : '1)'} (got ${String(v)})`);
  return n;
}
