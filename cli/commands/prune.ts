import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../../models/config';
import { loadCorpus } from '../../models/data';
import { batchify } from '../../models/data/batches';
import { loadModel, saveModel } from '../../models/file';
import { LanguageModel } from '../../models/model';
import { globalMagnitudeMasks, prunableSparsity, pruningSchedule } from '../../models/prune';
import { DEFAULT_TRAIN_SETTINGS, TrainSettings, applyMasks, validationLoss } from '../../models/train';
import { commandLine } from '../model-info';
import { nonNegativeInt, positiveInt } from '../options';
import { runTraining } from '../run-training';
import { dataDirOf } from './train';

export const pruneCommand: CommandModule = {
  command: 'prune <model>',
  describe: 'Iterative global magnitude pruning: prune to the next level, fine-tune, repeat up to --sparsity',
  builder: (y: Argv) =>
    y
      .positional('model', { type: 'string', demandOption: true, describe: 'Trained model (*.egru)' })
      .option('sparsity', { type: 'number', demandOption: true, describe: 'Target fraction of prunable weights set to zero (all matrices but the embedding)' })
      .option('steps', { type: 'number', default: 3, describe: 'Pruning rounds (cubic schedule: big steps first)' })
      .option('finetune-epochs', { type: 'number', default: 1, describe: 'Fine-tuning epochs after each round (ignored with --finetune-tokens)' })
      .option('finetune-tokens', { type: 'number', default: 0, describe: 'Fine-tuning tokens after each round (0: use --finetune-epochs)' })
      .option('lr', { type: 'number', describe: 'Fine-tuning learning rate (default: half the training rate)' })
      .option('data', { type: 'string', describe: 'Corpus directory (default: the one the model was trained on)' })
      .option('out', { type: 'string', demandOption: true, describe: 'Pruned model file to write' })
      .example('$0 prune m.egru --sparsity 0.85 --steps 3 --finetune-tokens 200000 --out p.egru', 'three rounds to 85%')
      .example('$0 prune m.egru --sparsity 0.5 --steps 1 --finetune-epochs 0 --out p.egru', 'one-shot pruning, no fine-tuning'),
  handler: (argv) => {
    const args = argv as unknown as Record<string, unknown>;
    const model = loadModel(String(args.model));
    const target = Number(args.sparsity);
    const steps = positiveInt(args.steps, '--steps');
    const finetuneEpochs = nonNegativeInt(args['finetune-epochs'], '--finetune-epochs');
    const finetuneTokens = nonNegativeInt(args['finetune-tokens'], '--finetune-tokens');
    const corpus = loadCorpus({ data: (args.data as string | undefined) ?? dataDirOf(model.provenance.data), vocabSize: model.vocab.length });
    if (corpus.vocab.join('\n') !== model.vocab.join('\n'))
      throw new UserError('the corpus vocabulary differs from the model’s: pass the --data it was trained on');
    const base = { ...DEFAULT_TRAIN_SETTINGS, ...(model.provenance.settings as Partial<TrainSettings>) };
    const settings: TrainSettings = {
      ...base, lr: args.lr !== undefined ? Number(args.lr) : base.lr / 2, minLr: base.minLr / 2,
      epochs: Math.max(1, finetuneEpochs), maxTokens: finetuneTokens, constantFraction: 0,
    };
    const finetune = finetuneEpochs > 0 || finetuneTokens > 0;
    const result = pruneModel(model, target, steps, finetune ? settings : null, corpus.train, corpus.valid, String(args.out));
    model.provenance.commands.push(commandLine());
    saveModel(String(args.out), model);
    for (const r of result) process.stdout.write(`sparsity ${(100 * r.sparsity).toFixed(1)}%: validation perplexity ${r.validPerplexity.toFixed(2)}\n`);
    process.stdout.write(`wrote ${args.out}\n`);
  },
};

export interface PruneRound {
  sparsity: number;
  validPerplexity: number;
  activity: number[];
}

/** Runs the schedule in place; records each round in model.metrics.pruning. */
export function pruneModel(
  model: LanguageModel, target: number, steps: number, finetune: TrainSettings | null,
  trainIds: Int32Array, validIds: Int32Array, out: string,
): PruneRound[] {
  const start = prunableSparsity(model.config, model.params);
  const levels = pruningSchedule(target, steps, start);
  const valid = batchify(validIds, 10, 'the validation split');
  const rounds: PruneRound[] = [];
  for (const [i, level] of levels.entries()) {
    model.masks = globalMagnitudeMasks(model.config, model.params, level);
    applyMasks(model.params, model.masks);
    if (finetune) {
      const r = runTraining(model, trainIds, validIds, { ...finetune, seed: finetune.seed + i + 1 }, {
        label: `prune ${(100 * level).toFixed(1)}%`, checkpointPath: undefined,
      });
      model.provenance.steps += r.steps;
      model.provenance.tokens += r.tokens;
    }
    const v = validationLoss(model.config, model.params, valid, 35, 0);
    rounds.push({ sparsity: prunableSparsity(model.config, model.params), validPerplexity: Math.exp(v.loss), activity: v.activity });
    process.stderr.write(`prune: round ${i + 1}/${levels.length} at ${(100 * level).toFixed(1)}% → validation perplexity ${Math.exp(v.loss).toFixed(2)}\n`);
  }
  model.metrics = { ...model.metrics, pruning: rounds, sparsity: prunableSparsity(model.config, model.params), pruned_to: out };
  return rounds;
}
