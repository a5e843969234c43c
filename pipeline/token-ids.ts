/**
 * The token stream a command runs on, mapped through a model's own vocabulary: `--text FILE`, or a split of
 * `--data DIR`, or (neither given) a split of the embedded Brown corpus when the model was trained on it.
 */
import { UserError } from '../models/config';
import { encodeTextFile, loadCorpus } from '../models/data';
import { readPtbDir } from '../models/data/ptb';
import { encode, vocabIndex } from '../models/data/vocab';

export interface TokenSource {
  text?: string;
  data?: string;
  split?: string;
}

export function tokenIds(vocab: string[], source: TokenSource): Int32Array {
  if (source.text) return encodeTextFile(source.text, vocab);
  const split = (source.split ?? 'test') as 'train' | 'valid' | 'test';
  // A vocabulary rebuilt from the directory could differ from the model's, so map through the model's.
  if (source.data) return encode(readPtbDir(source.data)[split], vocabIndex(vocab));
  const corpus = loadCorpus({ vocabSize: vocab.length });
  if (corpus.vocab.join('\n') !== vocab.join('\n'))
    throw new UserError('this model was not trained on the embedded Brown corpus (its vocabulary differs): pass --data DIR or --text FILE');
  return corpus[split];
}
