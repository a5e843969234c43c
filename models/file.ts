/**
 * The `*.egru` model file: one msgpack record
 *   { format: 'neuromap-egru', version: 2, config, tensors: { name: { shape, data: Float32Array } },
 *     masks: { name: Uint8Array }, vocab, provenance, metrics, training?, checksum }
 * Tensors are written in the canonical order of expectedShapes and masks in the order of prunableNames, so the
 * same model always gives the same bytes. Loading checks the whole record and reports what is wrong as a
 * UserError; saving checks the model first and writes atomically.
 */
import { z } from 'zod';
import { ModelConfig, UserError } from './config';
import { ContainerKind, ContainerRecord, isPlainObject, openContainer, writeContainer } from './container';
import { LanguageModel, Provenance, ResumeState } from './model';
import { MaskSet, ParamSet, expectedShapes, prunableNames } from './params';
import { resolveModelPath } from './pretrained';
import { listProblems, validateModel } from './validate';

export const EGRU_FORMAT = 'neuromap-egru';
// Version 2 ends with a checksum (format/checksum.ts); version 1 files (no checksum) still load, unchecked.
export const EGRU_VERSION = 2;
export const EGRU_KIND: ContainerKind = { format: EGRU_FORMAT, version: EGRU_VERSION, noun: 'neuromap model file', checksumSince: 2 };

export function saveModel(file: string, model: LanguageModel): void {
  validateModel(model, `refusing to write ${file}, the model is not valid`);
  writeContainer(file, EGRU_KIND, modelToRecord(model));
}

/** Reads a model file; `pretrained:NAME` names a model shipped with neuromap (models/pretrained.ts). */
export function loadModel(file: string): LanguageModel {
  const resolved = resolveModelPath(file);
  return modelFromRecord(openContainer(resolved, EGRU_KIND), file);
}

/** The record body (everything but format and version), in canonical order. */
export function modelToRecord(model: LanguageModel): Record<string, unknown> {
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const name of Object.keys(expectedShapes(model.config))) {
    const t = model.params[name];
    tensors[name] = { shape: [...t.shape], data: t.data };
  }
  const masks: MaskSet = {};
  for (const name of prunableNames(model.config)) if (model.masks[name]) masks[name] = model.masks[name];
  const body: Record<string, unknown> = {
    config: model.config,
    tensors,
    masks,
    vocab: model.vocab,
    provenance: model.provenance,
    metrics: model.metrics,
  };
  if (model.training !== undefined) body.training = model.training;
  return body;
}

/** Checks a decoded record of the right format and version and turns it into a model. */
export function modelFromRecord(record: ContainerRecord, file: string): LanguageModel {
  const context = `${file} is not a valid model`;
  const fail = (problems: string[]) => new UserError(`${context}: ${listProblems(problems)}`);
  const config = configSchema.safeParse(record.config);
  if (!config.success) throw fail(zodProblems('config', config.error));
  const problems: string[] = [];
  const params = readTensors(record.tensors, problems);
  const masks = readMasks(record.masks, problems);
  const vocab = vocabSchema.safeParse(record.vocab);
  if (!vocab.success) problems.push(...zodProblems('vocab', vocab.error));
  const provenance = provenanceSchema.safeParse(record.provenance);
  if (!provenance.success) problems.push(...zodProblems('provenance', provenance.error));
  if (!isPlainObject(record.metrics)) problems.push('metrics: expected a map');
  if (record.training !== undefined && !isPlainObject(record.training)) problems.push('training: expected a map');
  if (problems.length) throw fail(problems);
  // The schemas only check; the model keeps the decoded objects themselves, so their key order (and therefore
  // the bytes of a re-save) is exactly what the file held.
  const model: LanguageModel = {
    config: record.config as ModelConfig,
    params,
    masks,
    vocab: record.vocab as string[],
    provenance: record.provenance as Provenance,
    metrics: record.metrics as Record<string, unknown>,
  };
  // A map (checked above) that only saveModel writes, under the file's checksum: the trainer's or the pruner's own
  // resume state, read back by them.
  if (record.training !== undefined) model.training = record.training as unknown as ResumeState;
  validateModel(model, context);
  return model;
}

const finite = () => z.number().refine(Number.isFinite, 'expected a finite number');

const configSchema = z.looseObject({
  cell: z.enum(['egru', 'gru', 'lstm']),
  vocabSize: z.number().int(),
  emb: z.number().int(),
  layers: z.array(z.number().int()),
  tied: z.boolean(),
  projection: z.number().int().min(0),
  surrogateGamma: finite(),
  surrogateSupport: finite(),
}) satisfies z.ZodType<ModelConfig>;

const provenanceSchema = z.looseObject({
  data: z.string(),
  seed: z.number(),
  steps: z.number(),
  tokens: z.number(),
  commands: z.array(z.string()),
  createdAt: z.string().optional(),
  neuromapVersion: z.string(),
  settings: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<Provenance>;

const vocabSchema = z.array(z.string());

function zodProblems(field: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => `${[field, ...issue.path.map(String)].join('.')}: ${issue.message}`);
}

function readTensors(value: unknown, problems: string[]): ParamSet {
  const params: ParamSet = {};
  if (!isPlainObject(value)) {
    problems.push('tensors: expected a map from tensor name to { shape, data }');
    return params;
  }
  for (const [name, t] of Object.entries(value)) {
    if (!isPlainObject(t)) {
      problems.push(`tensor ${name}: expected { shape, data }`);
      continue;
    }
    const shape = t.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      problems.push(`tensor ${name}: its shape is not a list of non-negative integers`);
      continue;
    }
    if (!(t.data instanceof Float32Array)) {
      problems.push(`tensor ${name}: its data is ${typeName(t.data)}, expected a Float32Array`);
      continue;
    }
    params[name] = { shape: shape as number[], data: t.data };
  }
  return params;
}

function readMasks(value: unknown, problems: string[]): MaskSet {
  const masks: MaskSet = {};
  if (!isPlainObject(value)) {
    problems.push('masks: expected a map from matrix name to Uint8Array');
    return masks;
  }
  for (const [name, mask] of Object.entries(value)) {
    if (mask instanceof Uint8Array && !Buffer.isBuffer(mask)) masks[name] = mask;
    else problems.push(`mask of ${name}: it is ${typeName(mask)}, expected a Uint8Array`);
  }
  return masks;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'a plain list';
  if (typeof value === 'object') return withArticle((value as object).constructor?.name ?? 'object');
  return withArticle(typeof value);
}

/** "an object", "an Int32Array", "a Float64Array", "a Uint16Array" (said "you-int"). */
function withArticle(noun: string): string {
  return `${/^[aeio]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}
