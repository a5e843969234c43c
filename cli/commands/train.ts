import fs from 'fs';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../../models/config';
import { loadCorpus } from '../../models/data';
import { loadModel, saveModel } from '../../models/file';
import { LanguageModel, isPruningResume } from '../../models/model';
import { checkWeightDecay } from '../../models/optim/adamw';
import { TrainSettings, validationLoss } from '../../models/train';
import { batchify } from '../../models/data/batches';
import { commandLine, newProvenance } from '../../pipeline/provenance';
import { configFromArgs, dataOptions, initialModelFromArgs, modelOptions, nonNegativeInt, trainSettingsFromArgs, trainingOptions } from '../../pipeline/flags';
import { loadCheckpoint, runTrainingUntilCtrlC } from '../../pipeline/training';
import { checkOutputs } from '../../format/outputs';
import { oldName } from '../old-names';
import { checkResumeFlags } from './train-resume';

export const trainCommand: CommandModule = {
  command: 'train',
  describe: 'Train an EGRU (or dense GRU/LSTM) language model',
  builder: (y: Argv) =>
    oldName(trainingOptions(modelOptions(dataOptions(y))), 'max-tokens', 'train-tokens', 'number')
      .option('out', { type: 'string', demandOption: true, describe: 'Model file to write (*.egru)' })
      .option('resume', { type: 'boolean', default: false, describe: 'Continue from OUT.ckpt exactly where a stopped run left off' })
      .option('final-eval-tokens', {
        type: 'number', default: 20000,
        describe: 'Tokens of the validation and of the test split evaluated after training (0: the whole splits, minutes at vocabulary 10k; `neuromap eval` gives batch-1 figures)',
      })
      .option('checkpoint-seconds', { type: 'number', default: 60, describe: 'Write a resumable checkpoint (OUT.ckpt) this often' })
      .example('$0 train --out m.egru --train-tokens 200000 --vocab-size 2000', 'a quick model on the embedded Brown corpus')
      .example('$0 train --data ptb/ --layers 512,512 --emb 256 --epochs 5 --weight-decay 0.05 --out m.egru', 'Penn Treebank, sparser activity')
      .example('$0 train --layers 128,128 --weight-decay 1,3 --out m.egru', 'decay the last layer 3x as hard as the first (per-layer weight decay)')
      .example('$0 train --out m.egru --resume', 'continue a run stopped with Ctrl-C'),
  handler: async (argv) => {
    const args = argv as unknown as Record<string, unknown>;
    const out = String(args.out);
    const checkpointPath = `${out}.ckpt`;
    // Before training starts, not after: hours of training would be lost to a missing or read-only folder.
    checkOutputs([], [{ flag: '--out', file: out }]);
    let model: LanguageModel;
    let settings: TrainSettings;
    if (args.resume) {
      const checkpoint = loadCheckpoint(checkpointPath);
      if (isPruningResume(checkpoint.training)) throw new UserError(`${checkpointPath} is a pruning checkpoint: resume it with neuromap prune … --out ${out} --resume`);
      model = checkpoint;
      settings = checkpoint.training.settings;
      checkResumeFlags(args, model.config, settings, checkpointPath);
      model.provenance.commands.push(commandLine());
    } else {
      settings = trainSettingsFromArgs(args);
      // Check the model flags before the corpus loads (seconds), with the vocabulary size asked for.
      checkWeightDecay(settings.weightDecay, configFromArgs(args, Number(args['vocab-size'])).layers.length);
      model = undefined as unknown as LanguageModel;
    }
    const corpus = loadCorpus({
      data: args.resume ? dataDirOf(model.provenance.data) : (args.data as string | undefined),
      vocabSize: args.resume ? model.config.vocabSize : Number(args['vocab-size']),
    });
    if (!args.resume) {
      const { config, init, params } = initialModelFromArgs(args, corpus, settings.seed);
      model = {
        config, params, masks: {}, vocab: corpus.vocab,
        provenance: newProvenance(corpus.source, settings.seed, { ...settings, ...init, decoderBiasInit: args['decoder-bias-init'] }),
        metrics: {},
      };
    } else if (corpus.vocab.join('\n') !== model.vocab.join('\n')) {
      throw new UserError(`the corpus vocabulary differs from the checkpoint's; resume with the same data`);
    }
    process.stderr.write(`training ${describeModel(model)} on ${corpus.source}: ${corpus.train.length} training tokens, seed ${settings.seed}\n`);
    const result = await runTrainingUntilCtrlC(model, corpus.train, corpus.valid, settings, {
      label: 'train', checkpointPath, checkpointSeconds: Number(args['checkpoint-seconds']),
      resumeHint: `Resume with: neuromap train --out ${out} --resume`,
    });
    const budget = nonNegativeInt(args['final-eval-tokens'], '--final-eval-tokens');
    const test = validationLoss(model.config, model.params, batchify(corpus.test, 10, 'the test split'), settings.bptt, budget);
    const valid = validationLoss(model.config, model.params, batchify(corpus.valid, 10, 'the validation split'), settings.bptt, budget);
    const over = `over ${valid.tokens} validation and ${test.tokens} test tokens${budget > 0 ? ' (--final-eval-tokens)' : ''}`;
    model.provenance.steps += result.steps;
    model.provenance.tokens += result.tokens;
    model.metrics = {
      ...model.metrics,
      valid_perplexity: Math.exp(valid.loss), test_perplexity: Math.exp(test.loss), activity: test.activity,
      perplexity_note: `batch-10 streams ${over}; \`neuromap eval\` gives batch-1 numbers and MACs`,
      history: result.history,
    };
    saveModel(out, model);
    process.stdout.write(
      `wrote ${out}: validation perplexity ${Math.exp(valid.loss).toFixed(2)}, test perplexity ${Math.exp(test.loss).toFixed(2)} ${over}, ` +
        `activity ${test.activity.map((a) => a.toFixed(3)).join(',')}\n`,
    );
  },
};

export function describeModel(model: LanguageModel): string {
  const c = model.config;
  return `${c.cell.toUpperCase()} ${c.layers.join('×')} (emb ${c.emb}, vocab ${c.vocabSize}${c.tied ? ', tied' : ''})`;
}

/** Provenance records 'ptb:<dir>' for a --data corpus and 'brown …' for the embedded one. */
export function dataDirOf(source: string): string | undefined {
  return source.startsWith('ptb:') ? source.slice(4) : undefined;
}
