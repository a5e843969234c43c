import fs from 'fs';
import path from 'path';
import type { Argv, CommandModule } from 'yargs';
import { writeFileAtomic } from '../../models/atomic';
import { UserError } from '../../models/config';
import { loadCorpus } from '../../models/data';
import { Evaluation, evaluate } from '../../models/evaluate';
import { loadModel, saveModel } from '../../models/file';
import { LanguageModel } from '../../models/model';
import { initParams } from '../../models/params';
import { Rng } from '../../models/rng';
import { DEFAULT_TRAIN_SETTINGS, TrainSettings } from '../../models/train';
import { newProvenance } from '../model-info';
import { nonNegativeInt, positiveInt } from '../options';
import { Progress } from '../progress';
import { comparisonTable } from '../reports';
import { runTraining } from '../run-training';
import { evaluationJson } from './eval';
import { pruneModel } from './prune';
import { describeModel } from './train';

export const demoCommand: CommandModule = {
  command: 'demo',
  describe: 'The main job on the embedded Brown corpus: train a small EGRU, prune it, evaluate both, summarise',
  builder: (y: Argv) =>
    y
      .option('out-dir', { type: 'string', default: 'neuromap-out', describe: 'Folder for the models and report.json' })
      .option('model', { type: 'string', describe: 'Skip training and start from this model (trained or imported)' })
      .option('tokens', { type: 'number', default: 150000, describe: 'Training tokens (the default takes a few minutes on 2 cores)' })
      .option('sparsity', { type: 'number', default: 0.8, describe: 'Pruning target' })
      .option('eval-tokens', { type: 'number', default: 5000, describe: 'Test tokens evaluated at batch 1' })
      .option('seed', { type: 'number', default: 1, describe: 'Seed of every random choice' })
      .example('$0 demo', 'the quick start: a few minutes on the embedded corpus')
      .example('$0 demo --model m.egru --out-dir run1', 'prune and evaluate a model you trained'),
  handler: (argv) => {
    const args = argv as unknown as Record<string, unknown>;
    const outDir = String(args['out-dir']);
    const seed = nonNegativeInt(args.seed, '--seed');
    const tokens = positiveInt(args.tokens, '--tokens');
    const evalTokens = positiveInt(args['eval-tokens'], '--eval-tokens');
    fs.mkdirSync(outDir, { recursive: true });
    const given = args.model ? loadModel(String(args.model)) : null;
    const corpus = loadCorpus({ vocabSize: given ? given.vocab.length : 5000 });
    if (given && corpus.vocab.join('\n') !== given.vocab.join('\n'))
      throw new UserError(`${args.model} was not trained on the embedded Brown corpus (its vocabulary differs); the demo evaluates on Brown`);
    const settings: TrainSettings = {
      ...DEFAULT_TRAIN_SETTINGS, maxTokens: tokens, validTokens: 10000, weightDecay: 0.1, seed,
      dropoutEmbedding: 0.05, dropoutHidden: 0.05, dropoutOutput: 0.1,
    };
    let model: LanguageModel;
    if (given) {
      model = given;
    } else {
      const config = {
        cell: 'egru' as const, vocabSize: corpus.vocab.length, emb: 64, layers: [128, 128], tied: false, projection: 0,
        surrogateGamma: 0.3, surrogateSupport: 10,
      };
      model = {
        config, params: initParams(config, new Rng(seed), { thresholdInit: 0.02 }), masks: {}, vocab: corpus.vocab,
        provenance: newProvenance(corpus.source, seed, { ...settings, thresholdInit: 0.02 }), metrics: {},
      };
      process.stderr.write(`demo: training ${describeModel(model)} on ${tokens} tokens of ${corpus.source}\n`);
      const r = runTraining(model, corpus.train, corpus.valid, settings, { label: 'train' });
      model.provenance.steps += r.steps;
      model.provenance.tokens += r.tokens;
      saveModel(path.join(outDir, 'model.egru'), model);
    }
    const dense = evaluateWithProgress(model, corpus.test, evalTokens, 'eval (unpruned)');
    const pruned: LanguageModel = structuredClone(model);
    process.stderr.write(`demo: pruning to ${(100 * Number(args.sparsity)).toFixed(0)}% in 2 rounds, fine-tuning ${Math.round(tokens / 5)} tokens each\n`);
    const prunedFile = path.join(outDir, `model-p${Math.round(100 * Number(args.sparsity))}.egru`);
    pruneModel(pruned, Number(args.sparsity), 2, { ...settings, maxTokens: Math.round(tokens / 5), lr: settings.lr / 2, constantFraction: 0 },
      corpus.train, corpus.valid, prunedFile);
    saveModel(prunedFile, pruned);
    const sparse = evaluateWithProgress(pruned, corpus.test, evalTokens, 'eval (pruned)');
    const report = {
      corpus: corpus.source, seed, eval_tokens: evalTokens,
      models: [
        { file: given ? String(args.model) : path.join(outDir, 'model.egru'), ...evaluationJson(model, dense, 'unpruned') },
        { file: prunedFile, ...evaluationJson(pruned, sparse, 'pruned') },
      ],
    };
    writeFileAtomic(path.join(outDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
    process.stdout.write(comparisonTable([['unpruned', dense], [`pruned ${(100 * Number(args.sparsity)).toFixed(0)}%`, sparse]]) + `\nwrote ${outDir}/report.json\n`);
  },
};

function evaluateWithProgress(model: LanguageModel, ids: Int32Array, maxTokens: number, label: string): Evaluation {
  const progress = new Progress(label);
  const e = evaluate(model.config, model.params, ids, {
    maxTokens, onProgress: (done, total) => progress.update({ fraction: done / total, fields: [`${done}/${total} tokens`] }),
  });
  progress.done();
  return e;
}
