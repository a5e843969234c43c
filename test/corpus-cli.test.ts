/** `neuromap corpus`: the embedded Brown corpus's text, read back through the vocabulary, is the split the models use. */
import * as fs from 'fs';
import * as path from 'path';
import { runCorpus } from '../cli/commands/corpus';
import { encodeTextFile, loadCorpus } from '../models/data';
import { useTempDir } from './fixtures/tmp';

const tmp = useTempDir();

describe('neuromap corpus', () => {
  it('writes a split whose text encodes to exactly the ids the models train and evaluate on', () => {
    const file = path.join(tmp(), 'test.txt');
    const line = runCorpus({ split: 'test', out: file, tokens: 0 });
    const corpus = loadCorpus({ vocabSize: 10000 });
    const ids = encodeTextFile(file, corpus.vocab);
    expect(Array.from(ids)).toEqual(Array.from(corpus.test));
    // README: the test split has 106,782 tokens (each sentence's <eos> counted).
    expect(line).toMatch(/: [\d,]+ sentences, 106,782 tokens .* test split$/);
  });

  it('stops after the sentence that reaches --tokens, and leaves no temp file', () => {
    const file = path.join(tmp(), 'valid1k.txt');
    runCorpus({ split: 'valid', out: file, tokens: 1000 });
    const sentences = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    const tokens = sentences.reduce((a, s) => a + s.split(' ').length + 1, 0);
    const withoutLast = tokens - (sentences[sentences.length - 1].split(' ').length + 1);
    expect(tokens).toBeGreaterThanOrEqual(1000);
    expect(withoutLast).toBeLessThan(1000);
    expect(fs.readdirSync(tmp()).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
