/** `neuromap export M.egru --out M.safetensors [--vocab-out VOCAB.txt]`: a model as an EvNN LanguageModel state dict. */
import * as path from 'path';
import type { Argv, CommandModule } from 'yargs';
import { exportEvnn } from '../../models/evnn';
import { loadModel } from '../../models/file';
import { resolveModelPath } from '../../models/pretrained';
import { checkOutputs } from '../../format/outputs';
import { PROJECTION_NOTE } from './import';

interface ExportArgs {
  model: string;
  out: string;
  'vocab-out'?: string;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <model>',
  describe: 'Export a model as an EvNN LanguageModel state dict (safetensors) plus its vocabulary',
  builder: (y: Argv) =>
    y
      .positional('model', { type: 'string', demandOption: true, describe: 'Model file (*.egru); EGRU or GRU' })
      .option('out', { type: 'string', demandOption: true, describe: 'Safetensors file to write' })
      .option('vocab-out', { type: 'string', describe: 'Vocabulary file to write, one word a line (default: OUT with .vocab.txt)' })
      .example('$0 export m.egru --out m.safetensors', 'writes m.safetensors and m.vocab.txt')
      .example('$0 export m.egru --out lm.safetensors --vocab-out VOCAB.txt', 'choose the vocabulary file name')
      .epilogue(
        'The layout is the one `neuromap import` reads. Pruning masks are not part of it: pruned weights are written as exact zeros. ' +
          'LSTM models cannot be exported (EvNN’s layout holds EGRU/GRU kernels only).',
      ),
  handler: (args) => {
    const vocabOut = args['vocab-out'] ?? defaultVocabPath(args.out);
    checkOutputs([resolveModelPath(args.model)], [{ flag: '--out', file: args.out }, { flag: args['vocab-out'] ? '--vocab-out' : 'the vocabulary file', file: vocabOut }]);
    const model = loadModel(args.model);
    exportEvnn(model, args.out, vocabOut);
    const masked = Object.keys(model.masks).length;
    process.stdout.write(`${args.out}: EvNN state dict of the ${model.config.cell} model; vocabulary (${model.vocab.length} words) in ${vocabOut}\n`);
    if (masked) process.stderr.write(`note: ${masked} pruning masks are not part of the EvNN layout; their pruned weights are written as exact zeros\n`);
    if (model.config.projection) process.stderr.write(PROJECTION_NOTE);
  },
};

export function defaultVocabPath(out: string): string {
  const ext = path.extname(out);
  return (ext ? out.slice(0, -ext.length) : out) + '.vocab.txt';
}
