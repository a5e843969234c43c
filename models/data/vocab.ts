/**
 * The vocabulary: `<eos>` (id 0), `<unk>` (id 1), then the most frequent training words, most frequent first,
 * ties broken alphabetically — the PTB convention, so perplexities compare with the literature.
 */
import { UserError } from '../config';
import { EOS, UNK } from './tokenize';

/** PTB's size: `<eos>`, `<unk>` and 9,998 words. */
export const DEFAULT_VOCAB_SIZE = 10000;

/** Throws unless `size` can hold `<eos>` and `<unk>` (the flag name makes the message actionable). */
export function checkVocabSize(size: number): void {
  if (!Number.isInteger(size) || size < 2)
    throw new UserError(`--vocab-size must be an integer of at least 2 (<eos> and <unk> take two ids); got ${size}`);
}

/**
 * Builds the vocabulary from training sentences: `<eos>`, `<unk>`, then up to `size − 2` words by falling count,
 * ties in JavaScript string order (UTF-16 code units). `<eos>` and `<unk>` are never counted, so a PTB train file
 * that itself contains `<unk>` maps it to id 1. With fewer word types than `size − 2`, the vocabulary is smaller.
 */
export function buildVocab(train: readonly (readonly string[])[], size: number = DEFAULT_VOCAB_SIZE): string[] {
  checkVocabSize(size);
  const counts = new Map<string, number>();
  for (const sentence of train)
    for (const w of sentence) counts.set(w, (counts.get(w) ?? 0) + 1);
  counts.delete(EOS);
  counts.delete(UNK);
  // Sort [word, count] pairs: a comparator doing Map look-ups would cost ~1M of them for 40k types.
  const entries = [...counts];
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const words = entries.slice(0, size - 2).map((e) => e[0]);
  return [EOS, UNK, ...words];
}

/** word → id. Throws if `vocab` does not follow the `<eos>`, `<unk>` convention or repeats a word (a bad model file). */
export function vocabIndex(vocab: readonly string[]): Map<string, number> {
  if (vocab[0] !== EOS || vocab[1] !== UNK)
    throw new UserError(`a vocabulary must start with ${EOS} and ${UNK} (ids 0 and 1); this one starts with ${vocab.slice(0, 2).join(', ')}`);
  const index = new Map<string, number>();
  vocab.forEach((w, i) => index.set(w, i));
  if (index.size !== vocab.length) throw new UserError(`the vocabulary repeats words (${vocab.length} entries, ${index.size} distinct)`);
  return index;
}

/** Sentences → one flat id stream (sentences already end with `<eos>`); unknown words become `<unk>`. */
export function encode(sentences: readonly (readonly string[])[], index: ReadonlyMap<string, number>): Int32Array {
  let total = 0;
  for (const s of sentences) total += s.length;
  const ids = new Int32Array(total);
  const unk = index.get(UNK)!;
  let k = 0;
  for (const s of sentences) for (const w of s) ids[k++] = index.get(w) ?? unk;
  return ids;
}
