/**
 * models/evnn.ts, known answers on state dicts small enough to write out: every refusal of evnnToModel in full, the
 * config, tensors and provenance it builds, the surrogate scalars read across layers (and the shortest decimal of a
 * float32 that has none of 8 digits or fewer), the tied-decoder test, modelToEvnn's tensors and metadata,
 * exportEvnn's files and vocabulary refusals, and readVocabFile's lines.
 *
 * The base dict (gru1): V 3 words, E 2, one GRU layer of H 1 (3 gate columns), untied, no projection:
 *   embeddings.weight [3, 2] = 1..6, rnns.0.kernel [2, 3], rnns.0.recurrent_kernel [1, 3], rnns.0.bias [3],
 *   rnns.0.recurrent_bias [3], decoder.decoder.weight [3, 1] = 7, 8, 9 (PyTorch's out × in), decoder.decoder.bias [3].
 * Its decoder.weight in neuromap's in × out layout is [1, 3] = 7, 8, 9 (a one-row transpose keeps the order).
 * Every refusal reads "SOURCE is not an EvNN LanguageModel state dict: WHY".
 *
 * Mutants: a Stryker scout of evnn.ts against evnn and inspect (2026-12-05, 76.84%) left 66 undetected (46
 * survived, 20 uncovered); this file kills 62, each applied by hand and seen to fail here. 4 are equivalent:
 *   - evnn.ts:210 `l <= layers`: readLayers has already refused any rnns.N key with N ≥ the layer count (the layer
 *     indices are exactly 0…count−1), so rnns.{count}.FIELD is never there and the extra pass does nothing.
 *   - evnn.ts:296 `false` for `a.length !== b.length`, and its `return true`: sameValues is only called after
 *     sameShape, and a Tensor's data length is the product of its shape (tensor() and the safetensors reader both
 *     ensure it), so the lengths are always equal there.
 *   - evnn.ts:297 `i <= a.length`: reached only when every value matched; a[len] and b[len] are both undefined.
 */
import * as fs from 'fs';
import * as path from 'path';
import { version as NEUROMAP_VERSION } from '../package.json';
import { evnnToModel, exportEvnn, importEvnn, modelToEvnn, readVocabFile } from '../models/evnn';
import { Tensor, tensor } from '../models/params';
import { Safetensors, writeSafetensors } from '../models/safetensors';
import { fixtureConfig, randomModel } from './fixtures/model';
import { useTempDir } from './fixtures/tmp';
import { errorOf } from './helpers/errors';

const tmp = useTempDir();
const file = (name: string) => path.join(tmp(), name);

const t = (shape: number[], values?: number[]): Tensor => tensor(shape, values ? new Float32Array(values) : undefined);

/** The base dict described above, a fresh copy each call. */
function gru1(): Record<string, Tensor> {
  return {
    'embeddings.weight': t([3, 2], [1, 2, 3, 4, 5, 6]),
    'rnns.0.kernel': t([2, 3], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
    'rnns.0.recurrent_kernel': t([1, 3], [-1, -2, -3]),
    'rnns.0.bias': t([3], [1, 0, 0]),
    'rnns.0.recurrent_bias': t([3], [0, 1, 0]),
    'decoder.decoder.weight': t([3, 1], [7, 8, 9]),
    'decoder.decoder.bias': t([3], [0.5, 0, -0.5]),
  };
}

const st = (tensors: Record<string, Tensor>, dtypes: Record<string, string> = {}): Safetensors => ({ tensors, dtypes, metadata: { format: 'pt' } });
const VOCAB = ['<eos>', '<unk>', 'a'];
const build = (tensors: Record<string, Tensor>) => evnnToModel(st(tensors), VOCAB, 'm.safetensors');
const PREFIX = 'm.safetensors is not an EvNN LanguageModel state dict: ';
const refusal = (tensors: Record<string, Tensor>): string => errorOf(() => build(tensors));

describe('evnnToModel builds', () => {
  it('the config, the tensors in neuromap order and layout, and the provenance of a one-unit GRU', () => {
    const model = evnnToModel(st(gru1(), { a: 'F32', b: 'F16', c: 'F32' }), VOCAB, 'dir/m.safetensors', { command: 'neuromap import m' });
    expect(model.config).toStrictEqual({ cell: 'gru', vocabSize: 3, emb: 2, layers: [1], tied: false, projection: 0, surrogateGamma: 0.3, surrogateSupport: 1 });
    expect(Object.keys(model.params)).toEqual([
      'embedding', 'layers.0.kernel', 'layers.0.recurrent_kernel', 'layers.0.bias', 'layers.0.recurrent_bias', 'decoder.weight', 'decoder.bias',
    ]);
    expect(model.params['embedding']).toEqual(t([3, 2], [1, 2, 3, 4, 5, 6]));
    expect(model.params['decoder.weight']).toEqual(t([1, 3], [7, 8, 9]));
    expect(model.params['decoder.bias']).toEqual(t([3], [0.5, 0, -0.5]));
    expect(model.masks).toEqual({});
    expect(model.vocab).toBe(VOCAB);
    const { createdAt, ...provenance } = model.provenance;
    // toStrictEqual: a key set to undefined (evnnGradClip) would not be equal.
    expect(provenance).toStrictEqual({
      data: 'evnn:m.safetensors', seed: 0, steps: 0, tokens: 0, commands: ['neuromap import m'], neuromapVersion: NEUROMAP_VERSION,
      // dtypes: each stored dtype once, in first-seen order; no evnnGradClip without a _max_norm.
      settings: { importedFrom: 'dir/m.safetensors', evnnMetadata: { format: 'pt' }, dtypes: ['F32', 'F16'] },
    });
    expect(createdAt === undefined || typeof createdAt === 'string').toBe(true);
    expect(build(gru1()).provenance.commands).toEqual([]);
  });

  it('a two-layer EGRU with a projection: layer 1 reads layer 0, thresholds kept, the projection transposed', () => {
    // E 2, H [1, 2], P 2: rnns.1.kernel is [1, 6]; projection [P, H1] = [2, 2] with [p, h] = 10p + h.
    const sd: Record<string, Tensor> = {
      ...gru1(),
      'rnns.0.thr': t([1], [0.25]),
      'rnns.1.kernel': t([1, 6]),
      'rnns.1.recurrent_kernel': t([2, 6]),
      'rnns.1.bias': t([6]),
      'rnns.1.recurrent_bias': t([6]),
      'rnns.1.thr': t([2], [0.5, 0.75]),
      'decoder.projection.weight': t([2, 2], [0, 1, 10, 11]),
      'decoder.projection.bias': t([2], [3, 4]),
      'decoder.decoder.weight': t([3, 2], [1, 2, 3, 4, 5, 7]), // not the embedding (last value 7, not 6): untied
    };
    const model = build(sd);
    expect(model.config).toEqual({ cell: 'egru', vocabSize: 3, emb: 2, layers: [1, 2], tied: false, projection: 2, surrogateGamma: 0.3, surrogateSupport: 1 });
    expect(model.params['layers.1.thr']).toEqual(t([2], [0.5, 0.75]));
    expect(model.params['layers.0.thr']).toEqual(t([1], [0.25]));
    // [h, p] = EvNN's [p, h]: row h=0 is 0, 10; row h=1 is 1, 11.
    expect(model.params['projection.weight']).toEqual(t([2, 2], [0, 10, 1, 11]));
    expect(model.params['projection.bias']).toEqual(t([2], [3, 4]));
    // decoder [D, V] = [2, 3] from EvNN's [3, 2] rows (1, 2), (3, 4), (5, 7): columns become rows.
    expect(model.params['decoder.weight']).toEqual(t([2, 3], [1, 3, 5, 2, 4, 7]));
  });

  it('a decoder weight equal to the embedding as tied; one value apart as untied', () => {
    // E 2 = H: a tied decoder reads H = 2 values. Layer of H 2: kernel [2, 6], recurrent [2, 6].
    const base = (): Record<string, Tensor> => ({
      ...gru1(),
      'rnns.0.kernel': t([2, 6]),
      'rnns.0.recurrent_kernel': t([2, 6]),
      'rnns.0.bias': t([6]),
      'rnns.0.recurrent_bias': t([6]),
      'decoder.decoder.weight': t([3, 2], [1, 2, 3, 4, 5, 6]),
    });
    const tied = build(base());
    expect(tied.config.tied).toBe(true);
    expect('decoder.weight' in tied.params).toBe(false);
    const apart = base();
    apart['decoder.decoder.weight'].data[5] = 6.5;
    const untied = build(apart);
    expect(untied.config.tied).toBe(false);
    expect(untied.params['decoder.weight']).toEqual(t([2, 3], [1, 3, 5, 2, 4, 6.5]));
    // Only a decoder weight (no embedding): it is the embedding, tied.
    const { 'embeddings.weight': _, ...decoderOnly } = base();
    expect(build(decoderOnly).config.tied).toBe(true);
    expect(build(decoderOnly).params['embedding']).toEqual(t([3, 2], [1, 2, 3, 4, 5, 6]));
  });

  it('the surrogate from whichever layers hold it, as the shortest decimal of the float32', () => {
    const sd: Record<string, Tensor> = {
      ...gru1(),
      'rnns.1.kernel': t([1, 3]), 'rnns.1.recurrent_kernel': t([1, 3]), 'rnns.1.bias': t([3]), 'rnns.1.recurrent_bias': t([3]),
      // Only layer 1 holds dampening_factor; both hold the same support.
      'rnns.1.dampening_factor': t([1], [0.7]),
      'rnns.0.pseudo_derivative_support': t([1], [0.9]),
      'rnns.1.pseudo_derivative_support': t([1], [0.9]),
      // 1000 + 2^-14 (float32 spacing in [512, 1024) is 2^-14): its 8-digit decimal 1000.0001 is nearer to
      // 1000 + 2·2^-14 = 1000.000122 than to 1000.000061, so no decimal of 8 digits or fewer rounds back to it, and
      // the float itself, 1000.00006103515625, is kept.
      'rnns.0._max_norm': t([1], [1000 + 2 ** -14]),
    };
    const model = build(sd);
    // float32(0.7) = 0.699999988…, float32(0.9) = 0.899999976…: both given back as one digit.
    expect([model.config.surrogateGamma, model.config.surrogateSupport]).toEqual([0.7, 0.9]);
    expect(model.provenance.settings.evnnGradClip).toBe(1000.00006103515625);
    // Options win over the file.
    const own = evnnToModel(st(sd), VOCAB, 'm.safetensors', { surrogateGamma: 0.1, surrogateSupport: 3 });
    expect([own.config.surrogateGamma, own.config.surrogateSupport]).toEqual([0.1, 3]);
  });
});

describe('evnnToModel refuses', () => {
  it('a dict with no layers, layers with a gap, or a layer missing a tensor', () => {
    const { 'rnns.0.kernel': _k, 'rnns.0.recurrent_kernel': _r, 'rnns.0.bias': _b, 'rnns.0.recurrent_bias': _rb, ...noLayers } = gru1();
    expect(refusal(noLayers)).toBe(PREFIX + 'it has no recurrent layers (no rnns.0.kernel)');
    const gap = { ...gru1(), 'rnns.2.kernel': t([1, 3]) };
    expect(refusal(gap)).toBe(PREFIX + 'its layers are not numbered 0…1 (rnns.1 is missing)');
    const { 'rnns.0.kernel': _k2, ...noKernel } = gru1();
    expect(refusal(noKernel)).toBe(PREFIX + 'missing rnns.0.kernel');
  });

  it('a recurrent kernel that is not [H, 3H], with the LSTM hint only for 4H columns', () => {
    expect(refusal({ ...gru1(), 'rnns.0.recurrent_kernel': t([1, 4]) })).toBe(
      PREFIX + 'rnns.0.recurrent_kernel has shape 1×4, expected [H, 3H] (4H columns: an LSTM, which the EvNN layout does not have)',
    );
    expect(refusal({ ...gru1(), 'rnns.0.recurrent_kernel': t([1, 5]) })).toBe(PREFIX + 'rnns.0.recurrent_kernel has shape 1×5, expected [H, 3H]');
    // A vector of 3: H would be 3, and it is not a matrix.
    expect(refusal({ ...gru1(), 'rnns.0.recurrent_kernel': t([3]) })).toBe(PREFIX + 'rnns.0.recurrent_kernel has shape 3, expected [H, 3H]');
    // 1×3×2: its first two dimensions alone would pass for [H, 3H] with H 1, but it is not a matrix.
    expect(refusal({ ...gru1(), 'rnns.0.recurrent_kernel': t([1, 3, 2]) })).toBe(PREFIX + 'rnns.0.recurrent_kernel has shape 1×3×2, expected [H, 3H]');
  });

  it('a kernel, bias or threshold of the wrong shape, and thresholds in one layer only', () => {
    expect(refusal({ ...gru1(), 'rnns.0.kernel': t([2, 4]) })).toBe(PREFIX + 'rnns.0.kernel has shape 2×4, expected 2×3');
    expect(refusal({ ...gru1(), 'rnns.0.recurrent_bias': t([4]) })).toBe(PREFIX + 'rnns.0.recurrent_bias has shape 4, expected 3');
    expect(refusal({ ...gru1(), 'rnns.0.thr': t([2]) })).toBe(PREFIX + 'rnns.0.thr has shape 2, expected 1');
    const layer1 = { 'rnns.1.kernel': t([1, 3]), 'rnns.1.recurrent_kernel': t([1, 3]), 'rnns.1.bias': t([3]), 'rnns.1.recurrent_bias': t([3]) };
    // Layer 1 reads layer 0's H = 1 inputs: a kernel of 2 rows is refused.
    expect(refusal({ ...gru1(), ...layer1, 'rnns.1.kernel': t([2, 3]) })).toBe(PREFIX + 'rnns.1.kernel has shape 2×3, expected 1×3');
    expect(refusal({ ...gru1(), ...layer1, 'rnns.1.thr': t([1]) })).toBe(
      PREFIX + 'rnns.1.thr is present but rnns.0.thr is absent: either every layer has thresholds (EGRU) or none (GRU)',
    );
    expect(refusal({ ...gru1(), ...layer1, 'rnns.0.thr': t([1]) })).toBe(
      PREFIX + 'rnns.1.thr is absent but rnns.0.thr is present: either every layer has thresholds (EGRU) or none (GRU)',
    );
  });

  it('no embedding and no decoder weight, or one that is not a matrix', () => {
    const { 'embeddings.weight': _e, 'decoder.decoder.weight': _d, ...neither } = gru1();
    expect(refusal(neither)).toBe(PREFIX + 'it has neither embeddings.weight nor decoder.decoder.weight');
    expect(refusal({ ...gru1(), 'embeddings.weight': t([6]) })).toBe(PREFIX + 'embeddings.weight has shape 6, expected [V, E]');
    const { 'embeddings.weight': _e2, ...decoderOnly } = gru1();
    expect(refusal({ ...decoderOnly, 'decoder.decoder.weight': t([3]) })).toBe(PREFIX + 'decoder.decoder.weight has shape 3, expected [V, E]');
  });

  it('a first layer whose inputs are not the embedding width', () => {
    expect(refusal({ ...gru1(), 'embeddings.weight': t([3, 4]) })).toBe(PREFIX + 'rnns.0.kernel has 2 inputs but the embedding width is 4');
  });

  it('a projection bias without a projection matrix, or either of the wrong shape', () => {
    const why = 'decoder.projection.weight must be a matrix [P, 1] when decoder.projection.bias is present';
    expect(refusal({ ...gru1(), 'decoder.projection.bias': t([2]) })).toBe(PREFIX + why);
    expect(refusal({ ...gru1(), 'decoder.projection.weight': t([2]), 'decoder.projection.bias': t([2]) })).toBe(PREFIX + why);
    expect(refusal({ ...gru1(), 'decoder.projection.weight': t([2, 1]) })).toBe(PREFIX + 'missing decoder.projection.bias');
    expect(refusal({ ...gru1(), 'decoder.projection.weight': t([2, 1]), 'decoder.projection.bias': t([3]) })).toBe(
      PREFIX + 'decoder.projection.bias has shape 3, expected 2',
    );
    expect(refusal({ ...gru1(), 'decoder.projection.weight': t([2, 2]), 'decoder.projection.bias': t([2]) })).toBe(
      PREFIX + 'decoder.projection.weight has shape 2×2, expected 2×1',
    );
  });

  it('a tied decoder that reads another width than the embedding, a decoder of the wrong shape, a missing decoder bias', () => {
    const { 'decoder.decoder.weight': _d, ...noDecoder } = gru1();
    expect(refusal(noDecoder)).toBe(
      PREFIX + 'without its own decoder.decoder.weight the decoder is tied to the embedding, but it reads 1 value and the embedding width is 2',
    );
    // [3, 2] like the embedding but other values: untied, and it must be [V, D] = [3, 1].
    expect(refusal({ ...gru1(), 'decoder.decoder.weight': t([3, 2]) })).toBe(PREFIX + 'decoder.decoder.weight has shape 3×2, expected 3×1');
    // A vector of 3 values where [V, D] = [3, 1] is needed: the same values, one dimension short.
    expect(refusal({ ...gru1(), 'decoder.decoder.weight': t([3], [7, 8, 9]) })).toBe(PREFIX + 'decoder.decoder.weight has shape 3, expected 3×1');
    const { 'decoder.decoder.bias': _b, ...noBias } = gru1();
    expect(refusal(noBias)).toBe(PREFIX + 'missing decoder.decoder.bias');
  });

  it('tensors it does not know, with the torch hint for .module. names too', () => {
    expect(refusal({ ...gru1(), 'rnns.0.alpha': t([1]) })).toBe(PREFIX + 'it holds tensors neuromap does not understand: rnns.0.alpha');
    expect(refusal({ ...gru1(), 'rnn.module.weight': t([1]) })).toBe(
      PREFIX +
        "it holds tensors neuromap does not understand: rnn.module.weight (these look like torch.nn.GRU/LSTM parameters, which EvNN's gru and lstm baselines use; only the EvNN kernel layout is read)",
    );
    // One torch-looking name among others is enough for the hint.
    expect(refusal({ ...gru1(), 'rnns.0.alpha': t([1]), 'rnn.weight_hh_l0': t([1]) })).toBe(
      PREFIX +
        "it holds tensors neuromap does not understand: rnns.0.alpha, rnn.weight_hh_l0 (these look like torch.nn.GRU/LSTM parameters, which EvNN's gru and lstm baselines use; only the EvNN kernel layout is read)",
    );
  });

  it('a surrogate scalar that is not one value, or that differs between layers', () => {
    const layer1 = { 'rnns.1.kernel': t([1, 3]), 'rnns.1.recurrent_kernel': t([1, 3]), 'rnns.1.bias': t([3]), 'rnns.1.recurrent_bias': t([3]) };
    expect(refusal({ ...gru1(), 'rnns.0.dampening_factor': t([2]) })).toBe(PREFIX + 'rnns.0.dampening_factor has shape 2, expected a single value');
    expect(refusal({ ...gru1(), ...layer1, 'rnns.0.pseudo_derivative_support': t([1], [0.5]), 'rnns.1.pseudo_derivative_support': t([1], [0.25]) })).toBe(
      PREFIX + 'pseudo_derivative_support differs between layers (0.5 and 0.25); neuromap has one value for the whole model',
    );
  });
});

describe('modelToEvnn and exportEvnn', () => {
  it('a GRU gets no thresholds or surrogate scalars; an EGRU gets both, per layer, as float32 singles', () => {
    const gru = modelToEvnn(randomModel(fixtureConfig({ cell: 'gru', layers: [3] })));
    expect(Object.keys(gru.tensors)).toEqual([
      'embeddings.weight', 'rnns.0.kernel', 'rnns.0.recurrent_kernel', 'rnns.0.bias', 'rnns.0.recurrent_bias', 'decoder.decoder.weight', 'decoder.decoder.bias',
    ]);
    expect(gru.metadata).toEqual({ format: 'pt', producer: `neuromap ${NEUROMAP_VERSION}` });
    const egru = modelToEvnn(randomModel(fixtureConfig({ layers: [3], surrogateGamma: 0.7, surrogateSupport: 2, tied: true, projection: 6 })));
    expect(Object.keys(egru.tensors)).toEqual([
      'embeddings.weight', 'rnns.0.kernel', 'rnns.0.recurrent_kernel', 'rnns.0.bias', 'rnns.0.recurrent_bias', 'rnns.0.thr',
      'rnns.0.dampening_factor', 'rnns.0.pseudo_derivative_support', 'decoder.projection.weight', 'decoder.projection.bias', 'decoder.decoder.bias',
    ]);
    expect(egru.tensors['rnns.0.dampening_factor']).toEqual(t([1], [0.7]));
    expect(egru.tensors['rnns.0.pseudo_derivative_support']).toEqual(t([1], [2]));
  });

  it('writes only the state dict when no vocabulary file is asked for', () => {
    exportEvnn(randomModel(), file('m.safetensors'));
    expect(fs.readdirSync(tmp())).toEqual(['m.safetensors']);
  });

  it('refuses a word that cannot be written one word a line, and writes nothing', () => {
    const model = randomModel();
    model.vocab[4] = 'a\nb';
    expect(errorOf(() => exportEvnn(model, file('m.safetensors'), file('v.txt')))).toBe('word 4 ("a\\nb") cannot be written one word a line');
    model.vocab[4] = 'w4';
    model.vocab[2] = 'a\r';
    expect(errorOf(() => exportEvnn(model, file('m.safetensors'), file('v.txt')))).toBe('word 2 ("a\\r") cannot be written one word a line');
    model.vocab[2] = '';
    expect(errorOf(() => exportEvnn(model, file('m.safetensors'), file('v.txt')))).toBe('word 2 ("") cannot be written one word a line');
    model.vocab[2] = 'w2';
    model.vocab[0] = '';
    expect(errorOf(() => exportEvnn(model, file('m.safetensors'), file('v.txt')))).toBe('word 0 ("") cannot be written one word a line');
    expect(fs.readdirSync(tmp())).toEqual([]);
  });
});

describe('importEvnn and readVocabFile', () => {
  it('records the vocabulary file and checks its length against the model', () => {
    writeSafetensors(file('m.safetensors'), gru1(), { format: 'pt' });
    fs.writeFileSync(file('v.txt'), '<eos>\n<unk>\na\n');
    const model = importEvnn(file('m.safetensors'), file('v.txt'));
    expect(model.provenance.settings.vocabulary).toBe(file('v.txt'));
    expect(model.vocab).toEqual(['<eos>', '<unk>', 'a']);
    fs.writeFileSync(file('v.txt'), '<eos>\n<unk>\n');
    expect(errorOf(() => importEvnn(file('m.safetensors'), file('v.txt')))).toBe(
      `${file('v.txt')} has 2 words (lines) but the model in ${file('m.safetensors')} has a vocabulary of 3`,
    );
    // The vocabulary repeats a word: the model check refuses it, naming the state dict.
    fs.writeFileSync(file('v.txt'), 'a\nb\na\n');
    expect(errorOf(() => importEvnn(file('m.safetensors'), file('v.txt')))).toMatch(
      new RegExp(`^${file('m.safetensors').replace(/[.\\/]/g, '\\$&')} does not make a valid model: .*"a" twice`),
    );
  });

  it('reads one word a line: a final newline optional, a CR before a newline dropped, an empty line named', () => {
    fs.writeFileSync(file('v.txt'), 'a\r\nb\rc\n');
    // "b\rc" keeps its CR: only one at the end of a line is dropped.
    expect(readVocabFile(file('v.txt'))).toEqual(['a', 'b\rc']);
    fs.writeFileSync(file('v.txt'), 'a\n\r\n');
    expect(errorOf(() => readVocabFile(file('v.txt')))).toBe(`${file('v.txt')}: line 2 is empty (a vocabulary file holds one word a line)`);
    fs.writeFileSync(file('v.txt'), '\n');
    expect(errorOf(() => readVocabFile(file('v.txt')))).toBe(`${file('v.txt')}: line 1 is empty (a vocabulary file holds one word a line)`);
    fs.writeFileSync(file('v.txt'), 'x');
    expect(readVocabFile(file('v.txt'))).toEqual(['x']);
    expect(errorOf(() => readVocabFile(file('none.txt')))).toMatch(/vocabulary file .*none\.txt/);
  });
});

