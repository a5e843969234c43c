/**
 * What the PyTorch parity trainer (torch_lm.py, next to this file) reads from neuromap, so that both trainers see
 * the same tokens in the same order and can start from, or evaluate, the same weights:
 *
 *   export.ts corpus DIR                      DIR/vocab.txt (one word a line, id order) and DIR/{train,valid,test}.i32:
 *                                             the id streams neuromap trains and evaluates on (int32 little-endian)
 *   export.ts init OUT.safetensors [FLAGS]    the parameters `neuromap train FLAGS` starts from (same model flags,
 *                                             --seed, --embedding-init, --decoder-bias-init)
 *   export.ts params M.egru OUT.safetensors   a trained model's parameters
 *
 * Parameters keep neuromap's names and layout (models/params.ts: matrices input-major [in, 4H], gates i, f, g, o;
 * two biases per layer), written as safetensors F32; torch_lm.py transposes them into torch.nn.LSTM's layout.
 * Run with: node -r ts-node/register/transpile-only examples/brown-models/parity/export.ts …
 */
import fs from 'fs';
import path from 'path';
import yargs from 'yargs';
import type { Argv, CommandModule } from 'yargs';
import { writeFileAtomic } from '../../../models/atomic';
import { LoadOptions, loadCorpus } from '../../../models/data';
import { UserError } from '../../../models/config';
import { loadModel } from '../../../models/file';
import { ParamSet } from '../../../models/params';
import { writeSafetensors } from '../../../models/safetensors';
import { reportError } from '../../../cli/main';
import { dataOptions, initialModelFromArgs, modelOptions, nonNegativeInt } from '../../../pipeline/flags';

/** Writes vocab.txt and {train,valid,test}.i32 of the corpus `options` selects into `dir`; returns a summary line. */
export function exportCorpus(dir: string, options: LoadOptions): string {
  const corpus = loadCorpus(options);
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomic(path.join(dir, 'vocab.txt'), corpus.vocab.join('\n') + '\n');
  for (const split of ['train', 'valid', 'test'] as const) {
    const ids = corpus[split];
    // Node's typed arrays are little-endian on every platform it runs on here (x86, arm64).
    writeFileAtomic(path.join(dir, `${split}.i32`), new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength));
  }
  return `wrote ${dir}: ${corpus.source}, vocabulary ${corpus.vocab.length}, ` +
    `${corpus.train.length} / ${corpus.valid.length} / ${corpus.test.length} train / valid / test tokens`;
}

/** Writes the parameters `neuromap train` starts from for these (train-style, flag-named) arguments. */
export function exportInit(out: string, args: Record<string, unknown>): string {
  const corpus = loadCorpus({ data: args.data as string | undefined, vocabSize: Number(args['vocab-size']) });
  const seed = nonNegativeInt(args.seed, '--seed');
  return writeParams(out, initialModelFromArgs(args, corpus, seed).params, `neuromap train initial parameters, seed ${seed}`);
}

/** Writes a trained model's parameters. */
export function exportParams(model: string, out: string): string {
  return writeParams(out, loadModel(model).params, model);
}

function writeParams(file: string, params: ParamSet, source: string): string {
  writeSafetensors(file, params, { source, layout: 'neuromap models/params.ts: matrices input-major [in, out]' });
  return `wrote ${file}: ${Object.keys(params).length} tensors (${source})`;
}

const say = (line: string): void => {
  process.stdout.write(line + '\n');
};

type Args = Record<string, unknown>;
const commands: CommandModule[] = [
  {
    command: 'corpus <dir>', describe: 'vocabulary and id streams of the corpus',
    builder: (y: Argv) => dataOptions(y.positional('dir', { type: 'string', demandOption: true })),
    handler: (argv) => {
      const a = argv as unknown as Args;
      say(exportCorpus(String(a.dir), { data: a.data as string | undefined, vocabSize: Number(a['vocab-size']) }));
    },
  },
  {
    command: 'init <out>', describe: 'the initial parameters of `neuromap train` with the same model flags and seed',
    builder: (y: Argv) => modelOptions(dataOptions(y.positional('out', { type: 'string', demandOption: true })))
      .option('seed', { type: 'number', default: 1, describe: 'as neuromap train --seed' }),
    handler: (argv) => say(exportInit(String((argv as unknown as Args).out), argv as unknown as Args)),
  },
  {
    command: 'params <model> <out>', describe: "a trained model's parameters",
    builder: (y: Argv) => y.positional('model', { type: 'string', demandOption: true }).positional('out', { type: 'string', demandOption: true }),
    handler: (argv) => {
      const a = argv as unknown as Args;
      say(exportParams(String(a.model), String(a.out)));
    },
  },
];

async function main(): Promise<void> {
  const parser = yargs(process.argv.slice(2))
    .scriptName('export.ts')
    .strict()
    .demandCommand(1, 'name what to export: corpus, init or params')
    .fail((msg, err) => {
      throw err ?? new UserError(`${msg}; run with --help to see the commands`);
    });
  for (const c of commands) parser.command(c);
  await parser.parseAsync();
}

if (require.main === module)
  main().catch((err) => {
    process.exitCode = reportError(err);
  });
