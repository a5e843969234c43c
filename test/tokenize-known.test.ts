/**
 * Known answers for models/data/tokenize.ts: which characters separate tokens and which stay inside one, and the
 * Brown token rule at its edges. The reference is Python 3, which /work/shared/bench/brown.py uses:
 * `chr(c).isspace()` was printed for every character below (python3 -c "print(chr(0x1c).isspace())" → True, …).
 */
import { brownTextToSentences, EOS, normalizeBrownToken, NUMBER, textToSentences } from '../models/data';

const hex = (c: number) => `U+${c.toString(16).padStart(4, '0')}`;

describe("separators are Python's str.isspace() characters", () => {
  // isspace() True, and none of them ends a line (only \n and \r do), so 'a' SEP 'b' is one sentence of two words.
  const spaces = [
    0x09, 0x0b, 0x0c, // \t \v \f: the run 0x09…0x0d without the line ends \n and \r
    0x1c, 0x1d, 0x1e, 0x1f, // the information separators
    0x20,
    0x85, 0xa0, 0x1680, // NEL, no-break space, ogham space mark
    0x2000, 0x2005, 0x200a, // the run of typographic spaces U+2000…U+200A, both ends and the middle
    0x2028, 0x2029, 0x202f, 0x205f, 0x3000, // line and paragraph separators, narrow nbsp, math space, ideographic
  ];
  test.each(spaces.map((c) => [hex(c), c]))('%s separates two words on one line', (_, c) => {
    expect(textToSentences(`a${String.fromCharCode(c)}b`)).toEqual([['a', 'b', EOS]]);
  });

  // isspace() False: each stays inside the word, so 'a' C 'b' is a single three-character token.
  const inside = [
    0x00, 0x01, 0x08, // below the run \t…\r
    0x0e, 0x1b, // between \r and the separators \x1c…\x1f
    0x84, 0x9f, 0xe9, // latin-1 around NEL and no-break space (é)
    0x167f, 0x1fff, // just below the ogham space mark and the U+2000 run
    0x200b, 0x2027, 0x2030, // zero-width space, just before U+2028, after U+202F
    0x2fff, 0x3001, 0xfeff, // around the ideographic space; the BOM, which JavaScript's \s counts
  ];
  test.each(inside.map((c) => [hex(c), c]))('%s is part of the word', (_, c) => {
    const word = `a${String.fromCharCode(c)}b`;
    expect(textToSentences(word)).toEqual([[word, EOS]]);
  });

  test('\\r and \\n end a line; \\v and \\f do not', () => {
    expect(textToSentences('a\rb\nc\x0bd\x0ce')).toEqual([['a', EOS], ['b', EOS], ['c', 'd', 'e', EOS]]);
  });
});

describe('Brown tokens at the edges of the rule', () => {
  test.each([
    ['0/cd', NUMBER], // the first digit
    ['9/cd', NUMBER], // the last
    ['²/cd', NUMBER], // Python's isdigit() counts the three latin-1 superscripts
    ['³/cd', NUMBER],
    ['¹/cd', NUMBER],
    ['x¹/nn', NUMBER], // a digit anywhere in the word
    ['a/at', 'a'], // the first and last lower-case letters keep a word
    ['z/nn', 'z'],
    ['zz-top/np', 'zz-top'],
  ])('%s → %s', (token, expected) => {
    expect(normalizeBrownToken(token)).toBe(expected);
  });

  // Neighbours of 0-9 and a-z in ASCII (/ : @ [ ` {) and the superscript's neighbour ´ (0xb4) are punctuation.
  test.each([':/:', '@[`{/sym', '´/x', '¼/cd'])('%s is dropped (no letter, no digit)', (token) => {
    expect(normalizeBrownToken(token)).toBeNull();
  });

  test("a word's tag is looked for within the word only, not in the next token", () => {
    // The next token starts with '/': 'the/at' still loses only its own tag, and the bare '/nn' is dropped.
    expect(brownTextToSentences('The/at /nn jury/nn\n/x')).toEqual([['the', 'jury', EOS]]);
  });
});
