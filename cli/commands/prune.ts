import fs from 'fs';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../../models/config';
import { loadCorpus } from '../../models/data';
import { saveModel } from '../../models/file';
import { PRUNE_SCOPES, type PruneScope } from '../../models/prune';
import { StoppedError } from '../../models/train';
import { Progress } from '../../format/progress';
import { commandLine } from '../../pipeline/provenance';
import { FinetuneBudget, PruneHooks, PruneRound, pruneSteps, resumePruning, roundLine, startPruning } from '../../pipeline/prune';
import { progressCallbacks, untilCtrlC } from '../../pipeline/training';
import { nonNegativeInt, positiveInt } from '../../pipeline/flags';
import { dataDirOf } from './train';
import { resolveModelPath } from '../../models/pretrained';
import { checkOutputs } from '../../format/outputs';

export const pruneCommand: CommandModule = {
  command: 'prune <model>',
  describe: 'Iterative magnitude pruning (one global threshold, or --scope matrix): prune to the next level, fine-tune, repeat up to --sparsity',
  builder: (y: Argv) =>
    y
      .positional('model', { type: 'string', demandOption: true, describe: 'Trained model (*.egru)' })
      .option('sparsity', { type: 'number', describe: 'Target fraction of prunable weights set to zero (all matrices but the embedding); required unless --resume' })
      .option('steps', { type: 'number', default: 3, describe: 'Pruning rounds (cubic schedule: big steps first)' })
      .option('scope', { choices: PRUNE_SCOPES, default: 'global' as PruneScope, describe: 'global: one magnitude threshold over all matrices (the paper’s); matrix: every matrix pruned to --sparsity by its own' })
      .option('finetune-epochs', { type: 'number', default: 1, describe: 'Fine-tuning epochs after each round (ignored with --finetune-tokens)' })
      .option('finetune-tokens', { type: 'number', default: 0, describe: 'Fine-tuning tokens after each round (0: use --finetune-epochs)' })
      .option('lr', { type: 'number', describe: 'Fine-tuning learning rate (default: half the training rate)' })
      .option('data', { type: 'string', describe: 'Corpus directory (default: the one the model was trained on)' })
      .option('out', { type: 'string', demandOption: true, describe: 'Pruned model file to write' })
      .option('resume', { type: 'boolean', default: false, describe: 'Continue from OUT.ckpt (written on Ctrl-C and every --checkpoint-seconds) exactly where a stopped run left off, with its settings' })
      .option('checkpoint-seconds', { type: 'number', default: 60, describe: 'Write a resumable checkpoint (OUT.ckpt) this often while fine-tuning' })
      .example('$0 prune m.egru --sparsity 0.85 --steps 3 --finetune-tokens 200000 --out p.egru', 'three rounds to 85%')
      .example('$0 prune m.egru --sparsity 0.5 --steps 1 --finetune-epochs 0 --out p.egru', 'one-shot pruning, no fine-tuning')
      .example('$0 prune m.egru --out p.egru --resume', 'continue a run stopped with Ctrl-C'),
  handler: async (argv) => {
    const args = argv as unknown as Record<string, unknown>;
    const out = String(args.out);
    const checkpointPath = `${out}.ckpt`;
    // Before fine-tuning starts, not after: the pruned model would be lost at the end.
    checkOutputs([resolveModelPath(String(args.model))], [{ flag: '--out', file: out }, { flag: 'the checkpoint', file: checkpointPath }]);
    const { model, plan } = args.resume
      ? resumePruning(checkpointPath, { sparsity: args.sparsity === undefined ? undefined : Number(args.sparsity), out })
      : startPruning({
        modelFile: String(args.model), target: requiredSparsity(args), steps: positiveInt(args.steps, '--steps'),
        scope: args.scope as PruneScope, finetune: finetuneBudgetFromArgs(args),
      });
    model.provenance.commands.push(commandLine());
    const corpus = loadCorpus({ data: (args.data as string | undefined) ?? dataDirOf(model.provenance.data), vocabSize: model.vocab.length });
    if (corpus.vocab.join('\n') !== model.vocab.join('\n'))
      throw new UserError('the corpus vocabulary differs from the model’s: pass the --data it was trained on');
    const terminal = terminalPruneHooks();
    let result: PruneRound[];
    try {
      result = await untilCtrlC(terminal.log, (shouldStop) =>
        pruneSteps(model, plan.target, plan.steps, plan.finetune, corpus.train, corpus.valid, out, {
          ...terminal, shouldStop, onCheckpoint: (m) => saveModel(checkpointPath, m), checkpointSeconds: Number(args['checkpoint-seconds']),
        }, plan.scope));
    } catch (err) {
      if (err instanceof StoppedError)
        throw new StoppedError(`${err.message}. Checkpoint: ${checkpointPath}. Resume with: neuromap prune ${args.model} --out ${out} --resume`);
      throw err;
    }
    saveModel(out, model);
    fs.rmSync(checkpointPath, { force: true });
    for (const r of result) process.stdout.write(`sparsity ${(100 * r.sparsity).toFixed(1)}%: validation perplexity ${r.validPerplexity.toFixed(2)}\n`);
    process.stdout.write(`wrote ${out}\n`);
  },
};

function requiredSparsity(args: Record<string, unknown>): number {
  if (args.sparsity === undefined) throw new UserError('--sparsity is required (the fraction of prunable weights to set to zero, e.g. --sparsity 0.85)');
  return Number(args.sparsity);
}

/** --finetune-epochs, --finetune-tokens and --lr as a budget; null when both counts are 0 (no fine-tuning). */
function finetuneBudgetFromArgs(args: Record<string, unknown>): FinetuneBudget | null {
  const epochs = nonNegativeInt(args['finetune-epochs'], '--finetune-epochs');
  const tokens = nonNegativeInt(args['finetune-tokens'], '--finetune-tokens');
  if (epochs === 0 && tokens === 0) return null;
  return { epochs, tokens, lr: args.lr !== undefined ? Number(args.lr) : undefined };
}

/** A progress bar per fine-tuning round on stderr, a line per finished round, and `log` for messages that keep the bar intact. */
export function terminalPruneHooks(): Required<Pick<PruneHooks, 'finetuning' | 'onRound'>> & { log(message: string): void } {
  let current: Progress | null = null;
  return {
    finetuning: (_round, _rounds, level) => {
      const label = `prune ${(100 * level).toFixed(1)}%`;
      const progress = (current = new Progress(label));
      return { ...progressCallbacks(progress, label), done: () => progress.done() };
    },
    onRound: (...round) => process.stderr.write(`${roundLine(...round)}\n`),
    log: (message) => (current ? current.log(message) : process.stderr.write(`${message}\n`)),
  };
}
