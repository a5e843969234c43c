/**
 * examples/brown-models/parity/export.ts: what the PyTorch parity trainer reads from neuromap. On a corpus small
 * enough to encode by hand: the id streams, the vocabulary, and the initial parameters `neuromap train` would start
 * from (the decoder bias at the log add-one unigram, the LSTM's forget-gate bias at 1).
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { exportCorpus, exportInit, exportParams } from '../examples/brown-models/parity/export';
import { UserError } from '../models/config';
import { readSafetensors } from '../models/safetensors';

describe('parity export', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-export-'));
    const src = path.join(dir, 'src');
    fs.mkdirSync(src);
    fs.writeFileSync(path.join(src, 'train.txt'), 'a b a\nc a\n');
    fs.writeFileSync(path.join(src, 'valid.txt'), 'a z\n');
    fs.writeFileSync(path.join(src, 'test.txt'), 'b\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('corpus: the vocabulary in id order and each split as int32 ids', () => {
    expect(exportCorpus(path.join(dir, 'ids'), { data: path.join(dir, 'src'), vocabSize: 10 })).toMatch(/vocabulary 5, 7 \/ 3 \/ 2 train/);
    // <eos>, <unk>, then by falling count: a (3), then b and c (1 each) alphabetically.
    expect(fs.readFileSync(path.join(dir, 'ids', 'vocab.txt'), 'utf8')).toBe('<eos>\n<unk>\na\nb\nc\n');
    const ids = (split: string) => [...new Int32Array(new Uint8Array(fs.readFileSync(path.join(dir, 'ids', `${split}.i32`))).buffer)];
    expect(ids('train')).toEqual([2, 3, 2, 0, 4, 2, 0]); // a b a <eos> c a <eos>
    expect(ids('valid')).toEqual([2, 1, 0]); // a z(<unk>) <eos>
    expect(ids('test')).toEqual([3, 0]); // b <eos>
  });

  test("init: neuromap train's starting weights for the same flags", () => {
    const out = path.join(dir, 'init.safetensors');
    // The arguments as yargs hands them to `neuromap train` (flag names, defaults written out).
    exportInit(out, {
      data: path.join(dir, 'src'), 'vocab-size': 10, cell: 'lstm', emb: 2, layers: '2', tied: true, 'threshold-init': 0.05,
      'embedding-init': 0.1, 'decoder-bias-init': 'unigram', 'surrogate-gamma': 0.3, 'surrogate-support': 10, seed: 3,
    });
    const t = readSafetensors(out).tensors;
    expect(Object.keys(t).sort()).toEqual(['decoder.bias', 'embedding', 'layers.0.bias', 'layers.0.kernel', 'layers.0.recurrent_bias', 'layers.0.recurrent_kernel']);
    // Add-one counts over the 7 training tokens: <eos> 2+1, <unk> 0+1, a 3+1, b 1+1, c 1+1; total 7 + 5 = 12.
    const expected = [3, 1, 4, 2, 2].map((c) => Math.log(c / 12));
    [...t['decoder.bias'].data].forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    // Gates i, f, g, o of 2 units: only the forget block of the input bias starts at 1.
    expect([...t['layers.0.bias'].data]).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    expect([...t['layers.0.recurrent_bias'].data]).toEqual(new Array(8).fill(0));
    expect(t['layers.0.kernel'].shape).toEqual([2, 8]);
    // Embedding uniform in ±0.1 (the default --embedding-init); kernels in ±1/√2.
    for (const v of t.embedding.data) expect(Math.abs(v)).toBeLessThanOrEqual(0.1);
    for (const v of t['layers.0.kernel'].data) expect(Math.abs(v)).toBeLessThanOrEqual(Math.SQRT1_2);
  });

  test('a missing model is a UserError naming it, and nothing is written', () => {
    expect(() => exportParams(path.join(dir, 'nope.egru'), path.join(dir, 'x.safetensors'))).toThrow(UserError);
    expect(() => exportParams(path.join(dir, 'nope.egru'), path.join(dir, 'x.safetensors'))).toThrow(/nope\.egru/);
    expect(fs.existsSync(path.join(dir, 'x.safetensors'))).toBe(false);
  });
});
