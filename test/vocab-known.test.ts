/**
 * Known answers for models/data/vocab.ts: the order of a vocabulary whose ties come in every order, and the
 * messages for a vocabulary that breaks the `<eos>`, `<unk>` convention (a bad model file).
 */
import { buildVocab, encode, EOS, UNK, vocabIndex } from '../models/data';
import { errorOf } from './helpers/errors';

describe('buildVocab orders by falling count, ties in code-unit order', () => {
  test('ties met in reverse, in order and mixed all come out sorted', () => {
    // counts: the 4; dog 2, cat 2, ant 2 (met in reverse order); eel 1, fox 1, gnu 1 (met in order);
    // yak 1, Bee 1, hen 1 (mixed; 'B' 0x42 sorts before every lower-case letter)
    const train = [
      ['the', 'dog', 'cat', 'ant', EOS],
      ['the', 'dog', 'cat', 'ant', EOS],
      ['the', 'eel', 'fox', 'gnu', EOS],
      ['the', 'yak', 'Bee', 'hen', EOS],
    ];
    const expected = [EOS, UNK, 'the', 'ant', 'cat', 'dog', 'Bee', 'eel', 'fox', 'gnu', 'hen', 'yak'];
    expect(buildVocab(train)).toEqual(expected);
    // the same sentences in reverse order give the same vocabulary
    expect(buildVocab([...train].reverse())).toEqual(expected);
    // a cut inside a tie keeps the alphabetically first: size 7 = <eos>, <unk>, the, 3 of count 2, Bee
    expect(buildVocab(train, 7)).toEqual([EOS, UNK, 'the', 'ant', 'cat', 'dog', 'Bee']);
  });

  test('ids follow the order; a word outside it is <unk>', () => {
    const index = vocabIndex(buildVocab([['b', 'a', 'b', EOS]]));
    // vocabulary <eos> 0, <unk> 1, b 2 (count 2), a 3 (count 1)
    expect(Array.from(encode([['a', 'b', 'c', EOS]], index))).toEqual([3, 2, 1, 0]);
  });
});

describe('vocabIndex refuses a vocabulary that breaks the convention', () => {
  test('the first two entries must be <eos> and <unk>, each checked on its own', () => {
    const msg = (first: string) => `a vocabulary must start with <eos> and <unk> (ids 0 and 1); this one starts with ${first}`;
    expect(errorOf(() => vocabIndex(['the', UNK, 'cat']))).toBe(msg('the, <unk>'));
    expect(errorOf(() => vocabIndex([EOS, 'the', 'cat']))).toBe(msg('<eos>, the'));
    expect(errorOf(() => vocabIndex([UNK, EOS, 'cat']))).toBe(msg('<unk>, <eos>'));
    expect(errorOf(() => vocabIndex(['cat']))).toBe(msg('cat'));
  });

  test('a repeated word is refused with the counts', () => {
    expect(errorOf(() => vocabIndex([EOS, UNK, 'a', 'b', 'a']))).toBe('the vocabulary repeats words (5 entries, 4 distinct)');
    expect(errorOf(() => vocabIndex([EOS, UNK, EOS]))).toBe('the vocabulary repeats words (3 entries, 2 distinct)');
  });

  test('a good vocabulary maps each word to its position', () => {
    expect([...vocabIndex([EOS, UNK, 'x', 'y'])]).toEqual([[EOS, 0], [UNK, 1], ['x', 2], ['y', 3]]);
  });
});
