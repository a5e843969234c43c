/**
 * `neuromap corpus --split test --out F [--tokens N]`: the embedded Brown corpus's text, one sentence a line (as
 * the models read it: normalised, without <eos>), for `compile --calibrate F`, `simulate --text F` and `eval --text F`.
 */
import type { Argv, CommandModule } from 'yargs';
import { writeFileAtomic } from '../../models/atomic';
import { readBrown } from '../../models/data/brown';
import { nonNegativeInt } from '../../pipeline/flags';

export interface CorpusArgs {
  split: 'train' | 'valid' | 'test';
  out: string;
  tokens: number;
}

export const corpusCommand: CommandModule<object, CorpusArgs> = {
  command: 'corpus',
  describe: 'Write a split of the embedded Brown corpus as text, one sentence a line (e.g. the calibration text of compile --calibrate)',
  builder: (y: Argv) =>
    y
      .option('split', { choices: ['train', 'valid', 'test'] as const, default: 'test' as const, describe: 'Which split (documents i%10==8 valid, i%10==9 test, as Penn Treebank)' })
      .option('out', { type: 'string', demandOption: true, describe: 'Text file to write' })
      .option('tokens', { type: 'number', default: 0, describe: 'Whole sentences up to at least this many tokens, each sentence’s end counted as one (0: the whole split)' })
      .example('$0 corpus --split valid --tokens 1000 --out valid1k.txt', 'calibration text for compile --strategy balance --calibrate valid1k.txt')
      .example('$0 corpus --split test --out test.txt', 'the whole test split, for simulate --text test.txt'),
  handler: (args) => {
    process.stdout.write(`${runCorpus(args)}\n`);
  },
};

/** Writes the text and returns the line to print. */
export function runCorpus(args: CorpusArgs): string {
  const want = nonNegativeInt(args.tokens, '--tokens');
  const sentences = readBrown().splits[args.split];
  const lines: string[] = [];
  let tokens = 0;
  for (const s of sentences) {
    if (want > 0 && tokens >= want) break;
    lines.push(s.slice(0, -1).join(' ')); // the sentence without its <eos>, which reading the file adds back
    tokens += s.length;
  }
  writeFileAtomic(args.out, lines.join('\n') + '\n');
  return `wrote ${args.out}: ${lines.length.toLocaleString('en-US')} sentences, ${tokens.toLocaleString('en-US')} tokens (each sentence's end counted) of the Brown corpus's ${args.split} split`;
}
