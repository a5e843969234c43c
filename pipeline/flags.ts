/**
 * Flag-named settings: the option groups several commands share (data, model shape, training), their conversion
 * into a model config and training settings, and the range checks of single flags. The options, their defaults and
 * ranges come from models/settings.ts, which the sweep file's schema reads too; sweep/grid.ts converts through
 * here, so a sweep point trains what `neuromap train` would.
 */
import { availableParallelism } from 'os';
import type { Argv, Options } from 'yargs';
import type { z } from 'zod';
import { CellKind, ModelConfig, UserError, validateConfig } from '../models/config';
import { WeightDecay } from '../models/optim/adamw';
import { ParamSet, initParams } from '../models/params';
import { Rng } from '../models/rng';
import { MODEL_SETTINGS, ModelSettingName, Setting, TRAINING_SETTINGS, checkSetting, trainSettingsFrom } from '../models/settings';
import type { TrainSettings } from '../models/train';

export function dataOptions<T>(y: Argv<T>) {
  return y
    .option('data', { type: 'string', describe: 'Directory with train.txt, valid.txt, test.txt (Penn Treebank format); default: the embedded Brown corpus' })
    .option('vocab-size', { type: 'number', default: 10000, describe: 'Vocabulary size: <eos>, <unk> and the N−2 most frequent training words' });
}

export function modelOptions<T>(y: Argv<T>) {
  return optionsOf(y, MODEL_SETTINGS);
}

export function trainingOptions<T>(y: Argv<T>) {
  return optionsOf(y, TRAINING_SETTINGS, {
    threads: { default: availableParallelism(), defaultDescription: `this machine's cores (${availableParallelism()})` },
  });
}

/** One yargs option per setting, as models/settings.ts describes it; `overrides` change a flag's default only. */
function optionsOf<T>(y: Argv<T>, table: Record<string, Setting>, overrides: Record<string, Options> = {}): Argv<T> {
  for (const [name, d] of Object.entries(table)) y = y.option(name, { ...flagOption(d), ...overrides[name] });
  return y;
}

function flagOption(d: Setting): Options {
  const base = { describe: d.describe };
  if (d.flag === 'boolean') return { ...base, type: 'boolean', default: d.default };
  if (d.flag === 'number') return { ...base, type: 'number', default: d.default };
  if (d.flag === 'choice') return { ...base, choices: (d.schema as z.ZodEnum).options, default: d.default };
  const text = Array.isArray(d.default) ? d.default.join(',') : String(d.default);
  return { ...base, type: 'string', default: text, defaultDescription: text };
}

/** A rejected flag value, in the CLI's words: `--lr must be greater than 0 (got -1)`. */
const flagProblem = (name: string, message: string, value: unknown) => new UserError(`--${name} ${message} (got ${String(value)})`);

type Loose = Record<string, unknown>;

export function parseLayers(text: string): number[] {
  const layers = String(text).split(',').map((s) => Number(s.trim()));
  if (!layers.length || layers.some((h) => !Number.isInteger(h) || h < 1))
    throw new UserError(`--layers must be comma-separated positive integers, e.g. --layers 256,256 (got "${text}")`);
  return layers;
}

export function configFromArgs(args: Loose, vocabSize: number): ModelConfig {
  const config: ModelConfig = {
    cell: modelSetting(args, 'cell'),
    vocabSize,
    emb: modelSetting(args, 'emb'),
    layers: parseLayers(String(args.layers ?? MODEL_SETTINGS.layers.default.join(','))),
    tied: modelSetting(args, 'tied'),
    projection: 0,
    surrogateGamma: modelSetting(args, 'surrogate-gamma'),
    surrogateSupport: modelSetting(args, 'surrogate-support'),
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
  const init = initFromArgs(args);
  const unigram = modelSetting(args, 'decoder-bias-init') === 'unigram';
  const params: ParamSet = initParams(config, new Rng(seed), { ...init, unigramTokens: unigram ? corpus.train : undefined });
  return { config, init, params };
}

/** The initialisation flags (the threshold's mean and the embedding's range), checked. */
export function initFromArgs(args: Loose): { thresholdInit: number; embeddingInit: number } {
  return { thresholdInit: modelSetting(args, 'threshold-init'), embeddingInit: modelSetting(args, 'embedding-init') };
}

/** A model flag's value (its default when absent), checked against its range. */
function modelSetting<K extends ModelSettingName>(args: Loose, name: K): z.output<(typeof MODEL_SETTINGS)[K]['schema']> {
  const d: Setting = MODEL_SETTINGS[name];
  // The schema of MODEL_SETTINGS[name] parsed the value, so it has that schema's output type; TypeScript cannot
  // carry the output type through a generic index into the table.
  return checkSetting(name, d, args[name] ?? d.default, flagProblem) as z.output<(typeof MODEL_SETTINGS)[K]['schema']>;
}

/**
 * `neuromap import`'s surrogate flags, checked as `train` checks them (so a bad value is named as the flag, not as
 * the imported file); an absent one stays undefined, for the file's own value.
 */
export function surrogateFromArgs(args: Loose): { surrogateGamma?: number; surrogateSupport?: number } {
  return {
    surrogateGamma: args['surrogate-gamma'] === undefined ? undefined : modelSetting(args, 'surrogate-gamma'),
    surrogateSupport: args['surrogate-support'] === undefined ? undefined : modelSetting(args, 'surrogate-support'),
  };
}

/** TrainSettings from flag-named values (`lr`, `train-tokens`, …); an absent one takes its default. */
export function trainSettingsFromArgs(args: Loose): TrainSettings {
  const values: Loose = {};
  for (const name of Object.keys(TRAINING_SETTINGS)) if (args[name] !== undefined) values[name] = args[name];
  if (values['weight-decay'] !== undefined) values['weight-decay'] = parseWeightDecay(values['weight-decay']);
  return trainSettingsFrom(values, flagProblem);
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
