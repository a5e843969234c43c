/**
 * models/validate.ts by known answers: modelProblems' exact list for a one-unit EGRU broken one way at a time, the
 * six-problem cut of listProblems, and the edges of each check (a mask entry of 1 is allowed and 2 is not, a
 * non-finite value at index 0, a duplicate of word 0, a mask whose matrix is missing).
 *
 * The model: EGRU, V = 2, E = 1, one layer of H = 1, no projection, untied. Its tensors (expectedShapes):
 * embedding 2×1, layers.0.kernel 1×3, layers.0.recurrent_kernel 1×3, layers.0.bias 3, layers.0.recurrent_bias 3,
 * layers.0.thr 1, decoder.weight 1×2, decoder.bias 2; prunable: the kernel, the recurrent kernel and the decoder.
 */
import { ModelConfig, UserError } from '../models/config';
import { LanguageModel } from '../models/model';
import { listProblems, modelProblems, shapeText, validateModel } from '../models/validate';
import { handBuiltModel } from './fixtures/model';
import { zeroParams } from './helpers/arrays';

const config: ModelConfig = { cell: 'egru', vocabSize: 2, emb: 1, layers: [1], tied: false, projection: 0, surrogateGamma: 0.3, surrogateSupport: 1 };

function model(): LanguageModel {
  return handBuiltModel({ ...config, layers: [...config.layers] }, zeroParams(config), ['a', 'b']);
}

describe('modelProblems', () => {
  it('finds nothing wrong with a valid model, masks included', () => {
    const m = model();
    m.masks['decoder.weight'] = Uint8Array.from([1, 0]);
    expect(modelProblems(m)).toEqual([]);
    expect(() => validateModel(m, 'x')).not.toThrow();
  });

  it('names an invalid config alone, and lets an error that is not the user\'s through', () => {
    const m = model();
    m.config.surrogateSupport = 0;
    delete m.params.embedding; // not reported: the config comes first
    expect(modelProblems(m)).toEqual(['invalid config: surrogate support must be a finite number greater than 0 (got 0)']);
    const broken = model();
    (broken.config as { layers: unknown }).layers = undefined;
    expect(() => modelProblems(broken)).toThrow(TypeError);
  });

  it('lists missing and unexpected tensors by name, comma-separated', () => {
    const m = model();
    delete m.params['layers.0.thr'];
    delete m.params['decoder.bias'];
    m.params.extra = { shape: [1], data: new Float32Array(1) };
    m.params.other = { shape: [1], data: new Float32Array(1) };
    expect(modelProblems(m)).toEqual(['missing tensors: layers.0.thr, decoder.bias', 'tensors this config does not have: extra, other']);
  });

  it('tells a wrong shape (rank or size) from a right shape with the wrong number of values', () => {
    const m = model();
    m.params['layers.0.kernel'] = { shape: [1], data: new Float32Array(3) }; // rank 1 for 1×3, its one size right
    m.params['layers.0.recurrent_kernel'] = { shape: [1, 4], data: new Float32Array(4) }; // same rank, one size off
    m.params['layers.0.bias'] = { shape: [3, 1], data: new Float32Array(3) }; // 3 values, rank 2 for 3
    m.params['decoder.bias'] = { shape: [2], data: new Float32Array(3) }; // right shape, 3 values for 2
    m.params.embedding = { shape: [2, 1], data: new Float32Array(2) }; // right
    expect(modelProblems(m)).toEqual([
      'tensor layers.0.kernel has shape 1, the config needs 1×3',
      'tensor layers.0.recurrent_kernel has shape 1×4, the config needs 1×3',
      'tensor layers.0.bias has shape 3×1, the config needs 3',
      'tensor decoder.bias holds 3 values, its shape needs 2',
    ]);
  });

  it('reports the first non-finite value of each tensor, index 0 included', () => {
    const m = model();
    m.params.embedding.data.set([-Infinity, NaN]);
    m.params['layers.0.thr'].data[0] = Infinity;
    m.params['decoder.bias'].data[1] = NaN;
    expect(modelProblems(m)).toEqual([
      'tensor embedding holds a non-finite value (-Infinity at index 0)',
      'tensor layers.0.thr holds a non-finite value (Infinity at index 0)',
      'tensor decoder.bias holds a non-finite value (NaN at index 1)',
    ]);
  });

  it('checks masks: only on prunable matrices, of their length, 0 or 1, one problem per mask', () => {
    const m = model();
    m.masks.embedding = Uint8Array.from([1, 1]);
    m.masks['layers.0.bias'] = Uint8Array.from([1, 1, 1]);
    m.masks['layers.0.kernel'] = Uint8Array.from([1, 2, 3]); // 2 at index 1 (1 at index 0 is fine); 3 not reported
    m.masks['layers.0.recurrent_kernel'] = Uint8Array.from([1, 1]);
    m.params['decoder.weight'].data.set([0.5, 0.25]);
    m.masks['decoder.weight'] = Uint8Array.from([0, 0]); // both pruned weights are not 0: the first is reported
    expect(modelProblems(m)).toEqual([
      'mask on embedding, which is not a prunable matrix (prunable: layers.0.kernel, layers.0.recurrent_kernel, decoder.weight)',
      'mask on layers.0.bias, which is not a prunable matrix (prunable: layers.0.kernel, layers.0.recurrent_kernel, decoder.weight)',
      'mask of layers.0.kernel holds 2 at index 1 (only 0 and 1 are allowed)',
      'mask of layers.0.recurrent_kernel has 2 entries, the matrix has 3',
      'weight 0 of decoder.weight is pruned by its mask but is 0.5, not 0',
    ]);
  });

  it('skips the mask of a missing matrix (the missing tensor is the problem)', () => {
    const m = model();
    delete m.params['decoder.weight'];
    m.masks['decoder.weight'] = Uint8Array.from([1, 0]);
    expect(modelProblems(m)).toEqual(['missing tensors: decoder.weight']);
  });

  it('checks the vocabulary\'s size, then its words, a repeat of word 0 included', () => {
    const m = model();
    m.vocab = ['a', 'b', 'c'];
    expect(modelProblems(m)).toEqual(['the vocabulary has 3 words, the config says 2']);
    m.vocab = ['a', 'a'];
    expect(modelProblems(m)).toEqual(['the vocabulary holds "a" twice (ids 0 and 1)']);
    // Only the first repeat: ids 2 and 3 repeat too.
    const big = model();
    big.config.vocabSize = 4;
    big.params = zeroParams(big.config);
    big.vocab = ['x', 'y', 'y', 'y'];
    expect(modelProblems(big)).toEqual(['the vocabulary holds "y" twice (ids 1 and 2)']);
  });
});

describe('listProblems and validateModel', () => {
  const p = (n: number) => Array.from({ length: n }, (_, i) => `p${i + 1}`);

  it('lists up to six problems and counts the rest', () => {
    expect(listProblems([])).toBe('');
    expect(listProblems(p(1))).toBe('p1');
    expect(listProblems(p(6))).toBe('p1; p2; p3; p4; p5; p6');
    expect(listProblems(p(7))).toBe('p1; p2; p3; p4; p5; p6; and 1 more');
    expect(listProblems(p(9))).toBe('p1; p2; p3; p4; p5; p6; and 3 more');
  });

  it('throws a UserError naming the context and the problems', () => {
    const m = model();
    m.vocab = ['a', 'a'];
    m.params.embedding.data[1] = NaN;
    expect(() => validateModel(m, 'reading m.egru')).toThrow(UserError);
    expect(() => validateModel(m, 'reading m.egru')).toThrow(
      /^reading m\.egru: tensor embedding holds a non-finite value \(NaN at index 1\); the vocabulary holds "a" twice \(ids 0 and 1\)$/,
    );
  });

  it('writes shapes with × and a scalar by name', () => {
    expect(shapeText([])).toBe('scalar');
    expect(shapeText([7])).toBe('7');
    expect(shapeText([2, 3, 4])).toBe('2×3×4');
  });
});
