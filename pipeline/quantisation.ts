/**
 * What quantisation costs in quality: the perplexity of the fp32 model a map was compiled from, on the tokens
 * a simulation of the (int8, …) map predicted, next to the simulated perplexity. The map holds only the
 * quantised weights, so the fp32 model comes from the caller: the model in hand (demo, sweep), `--model`,
 * or the file the map names when it sits next to the map.
 */
import fs from 'fs';
import path from 'path';
import { evaluate } from '../models/evaluate';
import type { LanguageModel } from '../models/model';
import { UserError, type ModelConfig } from '../models/config';
import type { QuantisationCost, SimReport } from '../simulator/report';


/** Null for fp32 maps: nothing was quantised. */
export function quantisationCost(model: LanguageModel, reference: string, ids: Int32Array, report: SimReport): QuantisationCost | null {
  if (report.arithmetic === 'fp32') return null;
  const fp32 = evaluate(model.config, model.params, ids, { maxTokens: report.tokens });
  if (fp32.tokens !== report.tokens) throw new Error(`the fp32 reference predicted ${fp32.tokens} tokens, the simulation ${report.tokens}`);
  return { reference, arithmetic: report.arithmetic, fp32_perplexity: fp32.perplexity, perplexity: report.perplexity, ratio: report.perplexity / fp32.perplexity };
}

/** A model given as a map's source must have the map's shape, or its perplexity compares nothing. */
export function checkSameModel(model: LanguageModel, file: string, config: ModelConfig, mapFile: string): void {
  const shape = (c: ModelConfig) => `${c.cell} vocabulary ${c.vocabSize}, embedding ${c.emb}, layers ${c.layers.join(',')}`;
  if (shape(model.config) !== shape(config))
    throw new UserError(`${file} (${shape(model.config)}) is not the model ${mapFile} was compiled from (${shape(config)}): pass that model with --model`);
}

/** The model file a map was compiled from, if it is where the map says: next to the map, or relative to the working directory. */
export function findSourceModel(mapFile: string, modelName: string): string | null {
  for (const candidate of [path.join(path.dirname(mapFile), modelName), modelName]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

export function quantisationLine(q: QuantisationCost | null | undefined): string[] {
  if (!q) return [];
  const change = (q.ratio - 1) * 100;
  return [`quantisation (${q.arithmetic}): perplexity ${q.perplexity.toFixed(2)} against ${q.fp32_perplexity.toFixed(2)} for the fp32 model ` +
    `${q.reference} on the same tokens (${change >= 0 ? '+' : ''}${change.toFixed(2)}%)`];
}
