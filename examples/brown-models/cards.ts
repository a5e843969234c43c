/**
 * Writes pretrained/README.md, the model cards of the shipped models, from the files themselves (provenance,
 * weight sparsity, sha256) and their batch-1 evaluations over the whole Brown test split (results/*.eval.json).
 *
 *   node -r ts-node/register/transpile-only examples/brown-models/cards.ts "COMMITS"
 *
 * COMMITS says which neuromap commits trained, pruned and evaluated the models (it is not in the files: a run
 * cannot know the commit it will land as).
 */
import { createHash } from 'crypto';
import fs from 'fs';
import path from 'path';
import { loadModel } from '../../models/file';
import { countParams } from '../../models/params';
import { PRETRAINED_DIR, pretrainedNames } from '../../models/pretrained';
import { measureWeightSparsity } from '../../models/sparsity';
import { writeFileAtomic } from '../../models/atomic';

/** Which evaluation belongs to which shipped model. */
const EVALS: Record<string, string> = {
  'brown-egru': 'egru', 'brown-egru-p80': 'egru-p80-global', 'brown-egru-p90': 'egru-p90-global',
};

interface Eval {
  tokens: number;
  perplexity: number;
  mean_activity: number;
  layers: { layer: number; activity: number }[];
  macs: { dense_per_token: number; effective_per_token: number; reduction: number; lambda_activity: number; lambda_weight: number };
}

const commit = process.argv[2];
if (!commit) throw new Error('usage: cards.ts "COMMITS"');
const results = path.join(__dirname, 'results');
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const count = (x: number) => Math.round(x).toLocaleString('en-US');

const cards = pretrainedNames().map((name) => {
  const file = path.join(PRETRAINED_DIR, `${name}.egru`);
  const bytes = fs.readFileSync(file);
  const model = loadModel(file);
  const e = JSON.parse(fs.readFileSync(path.join(results, `${EVALS[name]}.eval.json`), 'utf8')) as Eval;
  const c = model.config;
  const sparsity = measureWeightSparsity(c, model.params);
  const p = model.provenance;
  return [
    `## ${name}`,
    '',
    `\`pretrained:${name}\` — ${c.cell.toUpperCase()}, embedding ${c.emb}${c.tied ? ' tied to the decoder' : ''}, layers ${c.layers.join(',')}, ` +
      `vocabulary ${c.vocabSize.toLocaleString('en-US')}, ${count(countParams(model.params))} parameters; ${(bytes.length / 1e6).toFixed(1)} MB.`,
    '',
    '| | |',
    '|---|---|',
    `| test perplexity | **${e.perplexity.toFixed(1)}** (batch 1 from a zero state, whole test split: ${count(e.tokens)} tokens) |`,
    `| activity per layer | ${e.layers.map((l) => pct(l.activity)).join(', ')} (mean ${pct(e.mean_activity)}) |`,
    `| weight sparsity | ${pct(sparsity.overall)} of the prunable weights (${Object.entries(sparsity.matrices).map(([m, s]) => `${m} ${pct(s)}`).join(', ')}); the embedding (= decoder) is dense |`,
    `| MACs per token | ${count(e.macs.dense_per_token)} dense, ${count(e.macs.effective_per_token)} effective (${e.macs.reduction.toFixed(2)}× fewer; λ_activity ${e.macs.lambda_activity.toFixed(3)}, λ_weight ${e.macs.lambda_weight.toFixed(3)}) |`,
    `| data | ${p.data}, neuromap's PTB-style split |`,
    `| seed | ${p.seed} |`,
    `| training | ${count(p.tokens)} tokens, ${count(p.steps)} optimiser steps |`,
    `| commit | ${commit} |`,
    `| sha256 | \`${createHash('sha256').update(bytes).digest('hex')}\` |`,
    '',
    'Made by:',
    '',
    ...p.commands.map((cmd) => `    ${cmd}`),
    '',
  ].join('\n');
});

const text = [
  '# Pretrained models',
  '',
  'Language models trained by neuromap itself on the embedded Brown corpus, shipped so that the main job (`neuromap demo`)',
  'and the studies start from a model worth mapping. Use them wherever a model file is taken: `--model pretrained:NAME`',
  'or `neuromap eval pretrained:NAME`. The recipe is `examples/brown-models/run.sh`; the figures below are measured on the',
  'files as shipped (`examples/brown-models/cards.ts` writes this page from them).',
  '',
  ...cards,
].join('\n');
writeFileAtomic(path.join(PRETRAINED_DIR, 'README.md'), text);
console.log(`wrote ${path.join(PRETRAINED_DIR, 'README.md')} (${cards.length} models)`);
