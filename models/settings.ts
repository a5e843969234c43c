/**
 * Every model and training setting a user chooses, written once: its name (the flag of `neuromap train` and the
 * key of a sweep file), the range it must lie in (a zod schema whose message reads after the name), its default
 * and its help text. The CLI's options and checks (pipeline/flags.ts), the sweep file's schema (sweep/config.ts)
 * and DEFAULT_TRAIN_SETTINGS all derive from these tables, so a default or a range cannot differ between
 * `neuromap train` and a sweep (they did: the threshold's range, and the decoder bias, which sweeps started at 0).
 */
import { z } from 'zod';
import type { TrainSettings } from './train';

const positiveInt = () => z.number({ error: 'must be a positive integer' }).int('must be a positive integer').min(1, 'must be a positive integer');
const nonNegativeInt = () =>
  z.number({ error: 'must be a non-negative integer' }).int('must be a non-negative integer').min(0, 'must be a non-negative integer');
const positive = () => z.number({ error: 'must be greater than 0' }).gt(0, 'must be greater than 0');
const nonNegative = () => z.number({ error: 'must be 0 or more' }).min(0, 'must be 0 or more');
/** A probability-like setting: [0, 1), or [0, 1] where 1 makes sense (a constant phase of the whole run). */
const fraction = (closed = false) =>
  closed
    ? z.number({ error: 'must be in [0, 1]' }).min(0, 'must be in [0, 1]').max(1, 'must be in [0, 1]')
    : z.number({ error: 'must be in [0, 1)' }).min(0, 'must be in [0, 1)').lt(1, 'must be in [0, 1)');
const openFraction = () => z.number({ error: 'must be in (0, 1)' }).gt(0, 'must be in (0, 1)').lt(1, 'must be in (0, 1)');
/** One weight decay, or one per recurrent layer (the list's length is checked against the model's layers). */
const weightDecay = () =>
  z.union([nonNegative(), z.array(nonNegative()).min(1, 'must have at least one value')], {
    error: 'must be a number ≥ 0, or a list of them, one per recurrent layer',
  });

/**
 * How a setting is written on the command line: the yargs type of its flag, or `list` for a comma-separated list
 * (`--layers 256,256`, `--weight-decay 0.1,0.5`) that the sweep file writes as a YAML/JSON list.
 */
export type FlagKind = 'number' | 'boolean' | 'choice' | 'list';

export interface Setting<S extends z.ZodType = z.ZodType> {
  schema: S;
  default: z.output<S>;
  flag: FlagKind;
  describe: string;
}

function setting<S extends z.ZodType>(flag: FlagKind, schema: S, value: z.output<S>, describe: string): Setting<S> {
  return { schema, default: value, flag, describe };
}

/** The model's shape and initialisation (the sweep file's `model:` section). */
export const MODEL_SETTINGS = {
  cell: setting('choice', z.enum(['egru', 'gru', 'lstm']), 'egru', 'Recurrent cell (gru and lstm are dense baselines)'),
  emb: setting('number', positiveInt(), 128, 'Embedding size'),
  layers: setting('list', z.array(positiveInt()).min(1, 'must name at least one layer'), [256, 256], 'Hidden size of each layer, comma-separated'),
  tied: setting('boolean', z.boolean(), false, 'Tie the decoder to the embedding (last layer size must equal --emb)'),
  'threshold-init': setting('number', openFraction(), 0.05, 'Mean initial EGRU threshold ϑ (per unit, Beta-distributed as in EvNN)'),
  'embedding-init': setting('number', positive(), 0.1, 'Embedding values start uniform in ±this'),
  'decoder-bias-init': setting(
    'choice', z.enum(['unigram', 'zero']), 'unigram',
    'Decoder bias at the start: the log unigram distribution of the training split (learns from word frequencies on step 1), or 0',
  ),
  'surrogate-gamma': setting('number', nonNegative(), 0.3, 'Surrogate gradient dampening γ'),
  'surrogate-support': setting('number', positive(), 10, 'Surrogate support s: dH/dc ≈ γ·max(0, 1 − s·|c − ϑ|)'),
};

/** A training setting and the TrainSettings field it fills. */
export interface TrainingSetting<S extends z.ZodType = z.ZodType> extends Setting<S> {
  field: keyof TrainSettings;
}

function training<S extends z.ZodType>(field: keyof TrainSettings, flag: FlagKind, schema: S, value: z.output<S>, describe: string): TrainingSetting<S> {
  return { ...setting(flag, schema, value, describe), field };
}

/** The training run (the sweep file's `train:` section; `seed` and `threads` are set apart there). */
export const TRAINING_SETTINGS = {
  epochs: training('epochs', 'number', positiveInt(), 1, 'Passes over the training split (ignored with --train-tokens)'),
  'train-tokens': training('maxTokens', 'number', nonNegativeInt(), 0, 'Train on this many tokens in all (0: use --epochs)'),
  batch: training('batch', 'number', positiveInt(), 32, 'Parallel streams per step'),
  bptt: training('bptt', 'number', positiveInt(), 35, 'Truncated BPTT window (time steps)'),
  lr: training('lr', 'number', positive(), 2e-3, 'Peak learning rate (AdamW)'),
  'min-lr': training('minLr', 'number', nonNegative(), 1e-4, 'Learning rate at the end of the cosine decay'),
  'constant-fraction': training('constantFraction', 'number', fraction(true), 0.5, 'Fraction of steps at the peak rate before the cosine decay'),
  'weight-decay': training(
    'weightDecay', 'list', weightDecay(), 0.01 as number | number[],
    'AdamW weight decay, the knob for EGRU activity sparsity (thresholds are not decayed): one value, or one per recurrent layer ' +
      '(e.g. 0.5,2 for --layers 256,256: each layer’s kernels and biases take its value; embedding, projection and decoder take the first)',
  ),
  clip: training('clip', 'number', nonNegative(), 0.25, 'Clip the global gradient norm to this (0: off)'),
  'dropout-emb': training('dropoutEmbedding', 'number', fraction(), 0.1, 'Dropout on the embedding output'),
  'dropout-hidden': training('dropoutHidden', 'number', fraction(), 0.1, 'Dropout between recurrent layers'),
  'dropout-out': training('dropoutOutput', 'number', fraction(), 0.2, 'Dropout before the decoder'),
  dropconnect: training('dropConnect', 'number', fraction(), 0, 'DropConnect on recurrent weights'),
  'activity-penalty': training('activityPenalty', 'number', nonNegative(), 0, 'λ of an L1 activity penalty λ·mean(y) on each EGRU layer’s graded events'),
  'threshold-lr-scale': training('thresholdLrScale', 'number', nonNegative(), 1, 'Learning-rate multiplier for EGRU thresholds'),
  'valid-tokens': training('validTokens', 'number', nonNegativeInt(), 0, 'Validation tokens per evaluation during training (0: the whole split)'),
  'eval-every': training('evalEvery', 'number', nonNegativeInt(), 0, 'Also evaluate every this many steps (0: at epoch ends and the end)'),
  seed: training('seed', 'number', nonNegativeInt(), 1, 'Seed of every random choice (recorded in the model file)'),
  threads: training(
    'threads', 'number', positiveInt(), 1,
    'Data-parallel training threads (the same seed and thread count give the same model, byte for byte)',
  ),
};

export type ModelSettingName = keyof typeof MODEL_SETTINGS;
export type TrainingSettingName = keyof typeof TRAINING_SETTINGS;

/** The AdamW moment decays: fixed, not user settings (every recipe here uses Adam's published values). */
const ADAM_BETAS = { beta1: 0.9, beta2: 0.999 };

/** TrainSettings from setting values by name, each checked against its range; `problem` words a rejected one. */
export function trainSettingsFrom(
  values: Partial<Record<TrainingSettingName, unknown>>, problem: (name: string, message: string, value: unknown) => Error,
): TrainSettings {
  const s: Record<string, unknown> = { ...ADAM_BETAS };
  for (const [name, d] of Object.entries(TRAINING_SETTINGS) as [TrainingSettingName, TrainingSetting][]) {
    const value = values[name] === undefined ? d.default : values[name];
    s[d.field] = checkSetting(name, d, value, problem);
  }
  // Every field of TrainSettings is a setting above or a beta (a test checks the fields against the tables).
  return s as unknown as TrainSettings;
}

/** The value, if its setting's schema accepts it; otherwise `problem`'s error with the schema's first message. */
export function checkSetting<S extends z.ZodType>(
  name: string, d: Setting<S>, value: unknown, problem: (name: string, message: string, value: unknown) => Error,
): z.output<S> {
  const parsed = d.schema.safeParse(value);
  if (!parsed.success) throw problem(name, parsed.error.issues[0]?.message ?? 'is not valid', value);
  return parsed.data;
}

/** The defaults of every training setting, as a TrainSettings. */
export const DEFAULT_TRAIN_SETTINGS: TrainSettings = trainSettingsFrom({}, (name, message) => new Error(`default of ${name} ${message}`));
