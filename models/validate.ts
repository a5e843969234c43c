/**
 * The invariants of an in-memory LanguageModel, checked before a model is written and after one is read or
 * imported: a valid configuration, exactly the tensors it needs in the right shapes, finite values, masks only
 * on prunable matrices with a pruned weight exactly 0, and one distinct word per vocabulary id.
 */
import { UserError, validateConfig } from './config';
import { LanguageModel } from './model';
import { expectedShapes, prunableNames } from './params';

const MAX_LISTED = 6;

export function validateModel(model: LanguageModel, context: string): void {
  const problems = modelProblems(model);
  if (problems.length) throw new UserError(`${context}: ${listProblems(problems)}`);
}

export function listProblems(problems: string[]): string {
  const shown = problems.slice(0, MAX_LISTED).join('; ');
  return problems.length > MAX_LISTED ? `${shown}; and ${problems.length - MAX_LISTED} more` : shown;
}

/** Everything wrong with a model, one message each (empty when it is valid). */
export function modelProblems(model: LanguageModel): string[] {
  try {
    validateConfig(model.config);
  } catch (err) {
    if (err instanceof UserError) return [`invalid config: ${err.message}`];
    throw err;
  }
  return [...tensorProblems(model), ...maskProblems(model), ...vocabProblems(model)];
}

export const shapeText = (shape: readonly number[]) => (shape.length ? shape.join('×') : 'scalar');

function tensorProblems(model: LanguageModel): string[] {
  const problems: string[] = [];
  const expected = expectedShapes(model.config);
  const missing = Object.keys(expected).filter((name) => !(name in model.params));
  const unexpected = Object.keys(model.params).filter((name) => !(name in expected));
  if (missing.length) problems.push(`missing tensors: ${missing.join(', ')}`);
  if (unexpected.length) problems.push(`tensors this config does not have: ${unexpected.join(', ')}`);
  for (const [name, shape] of Object.entries(expected)) {
    const t = model.params[name];
    if (!t) continue;
    const size = shape.reduce((a, b) => a * b, 1);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
      problems.push(`tensor ${name} has shape ${shapeText(t.shape)}, the config needs ${shapeText(shape)}`);
    else if (t.data.length !== size) problems.push(`tensor ${name} holds ${t.data.length} values, its shape needs ${size}`);
    const bad = firstNonFinite(t.data);
    if (bad >= 0) problems.push(`tensor ${name} holds a non-finite value (${t.data[bad]} at index ${bad})`);
  }
  return problems;
}

function maskProblems(model: LanguageModel): string[] {
  const problems: string[] = [];
  const prunable = new Set(prunableNames(model.config));
  for (const [name, mask] of Object.entries(model.masks)) {
    if (!prunable.has(name)) {
      problems.push(`mask on ${name}, which is not a prunable matrix (prunable: ${[...prunable].join(', ')})`);
      continue;
    }
    const t = model.params[name];
    if (!t) continue;
    if (mask.length !== t.data.length) {
      problems.push(`mask of ${name} has ${mask.length} entries, the matrix has ${t.data.length}`);
      continue;
    }
    for (let i = 0; i < mask.length; i++) {
      if (mask[i] > 1) {
        problems.push(`mask of ${name} holds ${mask[i]} at index ${i} (only 0 and 1 are allowed)`);
        break;
      }
      if (mask[i] === 0 && t.data[i] !== 0) {
        problems.push(`weight ${i} of ${name} is pruned by its mask but is ${t.data[i]}, not 0`);
        break;
      }
    }
  }
  return problems;
}

function vocabProblems(model: LanguageModel): string[] {
  const { vocab, config } = model;
  if (vocab.length !== config.vocabSize)
    return [`the vocabulary has ${vocab.length} words, the config says ${config.vocabSize}`];
  const seen = new Map<string, number>();
  for (let id = 0; id < vocab.length; id++) {
    const first = seen.get(vocab[id]);
    if (first !== undefined) return [`the vocabulary holds "${vocab[id]}" twice (ids ${first} and ${id})`];
    seen.set(vocab[id], id);
  }
  return [];
}

function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}
