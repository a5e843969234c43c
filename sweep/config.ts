/**
 * The sweep configuration file (YAML or JSON): base settings plus a grid. Keys are the command-line flag
 * names of `neuromap train` and `neuromap prune` (weight-decay, train-tokens, finetune-tokens, …) so a user who
 * knows the flags knows the file. The zod schema is the source of the types; every problem is reported as a
 * UserError naming the field's path, e.g. `grid.1.sparsity.2: expected a number in [0, 1)`.
 */
import fs from 'fs';
import path from 'path';
import YAML from 'yaml';
import { z } from 'zod';
import { UserError } from '../models/config';
import { MODEL_SETTINGS, Setting, TRAINING_SETTINGS } from '../models/settings';
import { DEFAULT_DECODER } from '../pipeline/chip-runs';

const posInt = () => z.number().int().min(1);
const nonNegInt = () => z.number().int().min(0);
const frac = () => z.number().min(0).lt(1);
const { cell, layers } = MODEL_SETTINGS;

/** A sweep section from a table of settings: every key optional, its default the table's (models/settings.ts). */
function sectionOf<T extends Record<string, Setting>>(table: T) {
  const shape = Object.fromEntries(Object.entries(table).map(([name, d]) => [name, d.schema.default(d.default)])) as {
    [K in keyof T]: z.ZodDefault<T[K]['schema']>;
  };
  return z.strictObject(shape);
}

const modelSection = sectionOf(MODEL_SETTINGS);

/** The training settings but the seed (the sweep's own, at the top level) and threads (a sweep's workers share the cores). */
const { seed: _seed, threads: _threads, ...sweepTrainingSettings } = TRAINING_SETTINGS;
const trainFields = sectionOf(sweepTrainingSettings);

/** `max-tokens`, the old name of `train-tokens` (as the train command's flag), is still read. */
const trainSection = z.preprocess((v) => {
  if (!v || typeof v !== 'object' || !('max-tokens' in v) || 'train-tokens' in v) return v;
  const { 'max-tokens': tokens, ...rest } = v as Record<string, unknown>;
  return { ...rest, 'train-tokens': tokens };
}, trainFields);

const pruneSection = z.strictObject({
  /** Pruning rounds per level (cubic schedule), as `prune --steps`. */
  steps: posInt().default(2),
  /** Fine-tuning tokens after each round (0: one-shot pruning). */
  'finetune-tokens': nonNegInt().default(0),
  /** Fine-tuning learning rate (default: half the training rate, as `prune`). */
  lr: z.number().gt(0).optional(),
  /** As `prune --scope`: one global magnitude threshold, or every matrix pruned to the level by its own. */
  scope: z.enum(['global', 'matrix']).default('global'),
});

/** One grid entry: every list is an axis and the entry's points are their cross product. */
const gridEntry = z.strictObject({
  cell: z.array(cell.schema).min(1).optional(),
  layers: z.array(layers.schema).min(1).optional(),
  /** Axis values: numbers, or lists of one value per recurrent layer (`[0.1, [0.1, 0.5]]`: uniform, then per layer). */
  'weight-decay': z.array(TRAINING_SETTINGS['weight-decay'].schema).min(1).optional(),
  'activity-penalty': z.array(TRAINING_SETTINGS['activity-penalty'].schema).min(1).optional(),
  sparsity: z.array(frac()).min(1).optional(),
  /** Not an axis: every point of the entry is compiled and simulated on each of these targets. */
  targets: z.array(z.string().min(1)).optional(),
});

export const sweepSchema = z.strictObject({
  /** A Penn-Treebank-format directory, relative to the config file; absent: the embedded Brown corpus. */
  data: z.string().min(1).optional(),
  'vocab-size': z.number().int().min(3).default(10000),
  seed: TRAINING_SETTINGS.seed.schema.default(TRAINING_SETTINGS.seed.default),
  model: modelSection.prefault({}),
  train: trainSection.prefault({}),
  prune: pruneSection.prefault({}),
  eval: z.strictObject({ tokens: posInt().default(5000) }).prefault({}),
  simulate: z.strictObject({
    tokens: posInt().default(300), targets: z.array(z.string().min(1)).default([]),
    /** As `compile --decoder`, with the same default (pipeline/chip-runs.ts DEFAULT_DECODER). */
    decoder: z.enum(['host', 'chip']).default(DEFAULT_DECODER),
  }).prefault({}),
  /** One entry or a list of them (points: the union of the entries' cross products); always a list once parsed. */
  grid: z.preprocess((v) => (v === undefined ? [{}] : Array.isArray(v) ? v : [v]), z.array(gridEntry).min(1)),
});

/** The parsed config; `gridIsList` remembers the file's form, so messages name `grid.1` or `grid` as the file does. */
export type SweepConfig = z.output<typeof sweepSchema> & { gridIsList?: boolean };
export type GridEntry = z.output<typeof gridEntry>;

/** Reads, parses and checks a config; `data` comes back resolved against the config file's folder. */
export function loadSweepConfig(file: string): SweepConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read sweep config ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message}`);
  }
  return parseSweepConfig(text, file);
}

export function parseSweepConfig(text: string, file: string): SweepConfig {
  const ext = path.extname(file).toLowerCase();
  if (!['.yaml', '.yml', '.json'].includes(ext)) throw new UserError(`sweep config ${file}: expected a .yaml, .yml or .json file`);
  let raw: unknown;
  try {
    raw = ext === '.json' ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    throw new UserError(`sweep config ${file} is not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (raw === null || raw === undefined) throw new UserError(`sweep config ${file} is empty: write its settings and grid (examples/sweeps/README.md)`);
  const parsed = sweepSchema.safeParse(raw);
  if (!parsed.success) {
    // A single grid entry was wrapped in a list: name its fields grid.x, not grid.0.x.
    const single = !Array.isArray((raw as { grid?: unknown } | null)?.grid);
    const problems = parsed.error.issues.map((i) => {
      const p = single && i.path[0] === 'grid' && i.path[1] === 0 ? ['grid', ...i.path.slice(2)] : i.path;
      return `${p.length ? p.map(String).join('.') : '(top level)'}: ${i.message}`;
    });
    throw new UserError(`sweep config ${file}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`);
  }
  const config: SweepConfig = { ...parsed.data, gridIsList: Array.isArray((raw as { grid?: unknown }).grid) };
  if (config.data !== undefined) config.data = path.resolve(path.dirname(path.resolve(file)), config.data);
  return config;
}
