/** `neuromap import FILE.safetensors --vocab VOCAB.txt --out M.egru`: an EvNN LanguageModel state dict as a model file. */
import type { Argv, CommandModule } from 'yargs';
import { importEvnn } from '../../models/evnn';
import { saveModel } from '../../models/file';
import { formatPercent } from '../../format/table';
import { checkOutputs } from '../../format/outputs';
import { surrogateFromArgs } from '../../pipeline/flags';
import { commandLine } from '../../pipeline/provenance';

interface ImportArgs {
  file: string;
  vocab: string;
  out: string;
  'surrogate-gamma'?: number;
  'surrogate-support'?: number;
}

export const importCommand: CommandModule<object, ImportArgs> = {
  command: 'import <file>',
  describe: 'Import an EvNN LanguageModel state dict (safetensors) and its vocabulary as a model file',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'EvNN state dict saved as safetensors' })
      .option('vocab', { type: 'string', demandOption: true, describe: 'VOCAB.txt: one word a line, in id order' })
      .option('out', { type: 'string', demandOption: true, describe: 'Model file to write (*.egru)' })
      .option('surrogate-gamma', { type: 'number', describe: 'Surrogate dampening γ (default: the file’s dampening_factor, else 0.3)' })
      .option('surrogate-support', { type: 'number', describe: 'Surrogate support s (default: the file’s pseudo_derivative_support, else 1)' })
      .example('$0 import lm.safetensors --vocab VOCAB.txt --out lm.egru', 'import a model trained with EvNN')
      .epilogue(
        'Reads embeddings.weight, rnns.{l}.kernel/recurrent_kernel/bias/recurrent_bias/thr and decoder.decoder.weight/bias ' +
          '(plus decoder.projection.*): thresholds in every layer make an EGRU, none a dense GRU; no decoder weight means ' +
          'a decoder tied to the embedding. Exact zeros are not taken as pruned: no masks are made, the measured sparsity ' +
          'is recorded in the metrics.',
      ),
  handler: (args) => {
    checkOutputs([args.file, args.vocab], [{ flag: '--out', file: args.out }]);
    const model = importEvnn(args.file, args.vocab, { ...surrogateFromArgs(args), command: commandLine() });
    saveModel(args.out, model);
    const c = model.config;
    const sparsity = (model.metrics.weightSparsity as { overall: number }).overall;
    process.stdout.write(
      `${args.out}: ${c.cell}, vocabulary ${c.vocabSize}, embedding ${c.emb}, layers ${c.layers.join(',')}` +
        `${c.projection ? `, projection ${c.projection}` : ''}, ${c.tied ? 'tied' : 'untied'} decoder; ` +
        `weight sparsity ${formatPercent(sparsity)}\n`,
    );
    if (c.projection) process.stderr.write(PROJECTION_NOTE);
  },
};

export const PROJECTION_NOTE =
  'note: EvNN applies a ReLU after decoder.projection; neuromap’s projection is linear, so outputs differ between the two\n';
