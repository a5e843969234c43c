import * as fs from 'fs';
import * as path from 'path';
import { ModelConfig, UserError } from '../models/config';
import { exportEvnn, importEvnn, modelToEvnn, readVocabFile } from '../models/evnn';
import { Tensor, tensor } from '../models/params';
import { writeSafetensors } from '../models/safetensors';
import { fixtureConfig, fixtureVocab, randomModel } from './fixtures/model';
import { useTempDir } from './fixtures/tmp';

const tmp = useTempDir();
const file = (name: string) => path.join(tmp(), name);

/** A tensor whose element at index i (row-major) is f(i). */
const filled = (shape: number[], f: (i: number) => number): Tensor => {
  const t = tensor(shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = f(i);
  return t;
};

/** A hand-made EvNN state dict: V 4, E 3, one EGRU layer of H 2, projection P 5, untied decoder. */
function evnnStateDict(): Record<string, Tensor> {
  const [V, E, H, P] = [4, 3, 2, 5];
  return {
    'embeddings.weight': filled([V, E], (i) => i / 10),
    'rnns.0._max_norm': filled([1], () => 2),
    'rnns.0.kernel': filled([E, 3 * H], (i) => 0.01 * i),
    'rnns.0.recurrent_kernel': filled([H, 3 * H], (i) => -0.01 * i),
    'rnns.0.bias': filled([3 * H], (i) => i),
    'rnns.0.recurrent_bias': filled([3 * H], (i) => -i),
    'rnns.0.dampening_factor': filled([1], () => 0.7),
    'rnns.0.pseudo_derivative_support': filled([1], () => 1),
    'rnns.0.thr': filled([H], () => 0.25),
    // PyTorch Linear layout, out × in: element [p, h] = 100 + 10p + h, [v, p] = 10v + p.
    'decoder.projection.weight': filled([P, H], (i) => 100 + 10 * Math.floor(i / H) + (i % H)),
    'decoder.projection.bias': filled([P], (i) => i),
    'decoder.decoder.weight': filled([V, P], (i) => 10 * Math.floor(i / P) + (i % P)),
    'decoder.decoder.bias': filled([V], () => 0),
  };
}

function writeEvnn(tensors: Record<string, Tensor>, words = fixtureVocab(tensors['decoder.decoder.bias'].shape[0])): [string, string] {
  writeSafetensors(file('m.safetensors'), tensors, { format: 'pt' });
  fs.writeFileSync(file('VOCAB.txt'), words.join('\n') + '\n');
  return [file('m.safetensors'), file('VOCAB.txt')];
}

function importError(tensors: Record<string, Tensor>): string {
  try {
    importEvnn(...writeEvnn(tensors));
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('import succeeded');
}

describe('EvNN interop', () => {
  const variants: [string, Partial<ModelConfig>][] = [
    ['untied egru', {}],
    ['tied egru', { tied: true, layers: [5, 6] }],
    ['untied egru with projection and its own surrogate', { projection: 7, surrogateGamma: 0.7, surrogateSupport: 2 }],
    ['tied egru with projection', { tied: true, projection: 6, layers: [4, 3] }],
    ['untied gru', { cell: 'gru' }],
    ['tied gru with projection', { cell: 'gru', tied: true, projection: 6 }],
  ];

  it.each(variants)('export → import gives back the %s exactly', (_, overrides) => {
    const model = randomModel(fixtureConfig(overrides), { seed: 11 });
    exportEvnn(model, file('m.safetensors'), file('VOCAB.txt'));
    const back = importEvnn(file('m.safetensors'), file('VOCAB.txt'));
    expect(back.config).toEqual(model.config);
    expect(back.params).toStrictEqual(model.params);
    expect(Object.keys(back.params)).toEqual(Object.keys(model.params));
    expect(back.vocab).toEqual(model.vocab);
    expect(back.masks).toEqual({});
    expect(fs.readdirSync(tmp()).sort()).toEqual(['VOCAB.txt', 'm.safetensors']);
  });

  it('writes the vocabulary one word a line with a final newline', () => {
    const model = randomModel();
    exportEvnn(model, file('m.safetensors'), file('v.txt'));
    expect(fs.readFileSync(file('v.txt'), 'utf8')).toBe(model.vocab.join('\n') + '\n');
  });

  it('imports a hand-built EvNN state dict into the input-major layout', () => {
    const model = importEvnn(...writeEvnn(evnnStateDict()));
    expect(model.config).toEqual({
      cell: 'egru', vocabSize: 4, emb: 3, layers: [2], tied: false, projection: 5, surrogateGamma: 0.7, surrogateSupport: 1,
    });
    const [V, H, P] = [4, 2, 5];
    // decoder.weight is [P, V]: element [p=3, v=2] came from EvNN's [v=2, p=3] = 23.
    expect(model.params['decoder.weight'].shape).toEqual([P, V]);
    expect(model.params['decoder.weight'].data[3 * V + 2]).toBe(23);
    // projection.weight is [H, P]: element [h=1, p=4] came from EvNN's [p=4, h=1] = 141.
    expect(model.params['projection.weight'].shape).toEqual([H, P]);
    expect(model.params['projection.weight'].data[1 * P + 4]).toBe(141);
    // Kernels keep EvNN's own layout.
    expect(model.params['layers.0.kernel'].data[7]).toBe(Math.fround(0.07));
    expect(model.provenance.settings.evnnGradClip).toBe(2);
    expect(model.provenance.data).toBe('evnn:m.safetensors');
  });

  it('lets explicit surrogate options override the values in the file', () => {
    const model = importEvnn(...writeEvnn(evnnStateDict()), { surrogateGamma: 0.3, surrogateSupport: 2 });
    expect([model.config.surrogateGamma, model.config.surrogateSupport]).toEqual([0.3, 2]);
  });

  it('refuses a surrogate no model can have, from the file or from the options', () => {
    const sd = evnnStateDict();
    sd['rnns.0.dampening_factor'].data[0] = -0.7;
    const refusal = (why: string) => new UserError(`${file('m.safetensors')} does not make a valid model: invalid config: ${why}`);
    expect(() => importEvnn(...writeEvnn(sd))).toThrow(refusal('surrogate gamma must be a finite number of 0 or more (got -0.7)'));
    expect(() => importEvnn(...writeEvnn(evnnStateDict()), { surrogateSupport: 0 })).toThrow(
      refusal('surrogate support must be a finite number greater than 0 (got 0)'),
    );
  });

  it('uses the defaults 0.3 and 1 when neither the file nor the options set the surrogate', () => {
    const sd = evnnStateDict();
    delete sd['rnns.0.dampening_factor'];
    delete sd['rnns.0.pseudo_derivative_support'];
    const model = importEvnn(...writeEvnn(sd));
    expect([model.config.surrogateGamma, model.config.surrogateSupport]).toEqual([0.3, 1]);
  });

  it('recognises a tied decoder stored under both names, or under the decoder name only', () => {
    const model = randomModel(fixtureConfig({ tied: true, layers: [5, 6] }));
    const { tensors } = modelToEvnn(model);
    const both = { ...tensors, 'decoder.decoder.weight': tensors['embeddings.weight'] };
    expect(importEvnn(...writeEvnn(both)).params).toStrictEqual(model.params);
    const { 'embeddings.weight': embedding, ...rest } = tensors;
    const decoderOnly = { ...rest, 'decoder.decoder.weight': embedding };
    const back = importEvnn(...writeEvnn(decoderOnly));
    expect(back.config.tied).toBe(true);
    expect(back.params).toStrictEqual(model.params);
  });

  it('records measured weight sparsity without assuming exact zeros are pruned', () => {
    const sd = evnnStateDict();
    sd['rnns.0.recurrent_kernel'].data.fill(0, 0, 6); // half of its 12 weights
    const model = importEvnn(...writeEvnn(sd));
    expect(model.masks).toEqual({});
    const sparsity = model.metrics.weightSparsity as { overall: number; matrices: Record<string, number> };
    // rnns.0.kernel also holds one exact zero (element 0) of 18; projection 0 of 10; decoder 1 of 20.
    expect(sparsity.matrices['layers.0.recurrent_kernel']).toBe(0.5);
    expect(sparsity.matrices['layers.0.kernel']).toBeCloseTo(1 / 18);
    expect(sparsity.overall).toBeCloseTo((6 + 1 + 0 + 1) / (12 + 18 + 10 + 20));
  });

  describe('clear errors', () => {
    it('a vocabulary of the wrong length names both numbers', () => {
      const [st, vocab] = writeEvnn(evnnStateDict(), fixtureVocab(5));
      expect(() => importEvnn(st, vocab)).toThrow(/VOCAB\.txt has 5 words \(lines\) but the model in .*m\.safetensors has a vocabulary of 4/);
    });

    it('an empty line in the vocabulary', () => {
      fs.writeFileSync(file('v.txt'), 'a\n\nb\n');
      expect(() => readVocabFile(file('v.txt'))).toThrow(/line 2 is empty/);
    });

    it('reads CRLF vocabularies and files without a final newline', () => {
      fs.writeFileSync(file('v.txt'), 'a\r\nb\r\nc');
      expect(readVocabFile(file('v.txt'))).toEqual(['a', 'b', 'c']);
    });

    it('unknown tensors are listed', () => {
      const sd = { ...evnnStateDict(), 'rnns.0.alpha': tensor([1]), 'layernorm.weight': tensor([2]) };
      expect(importError(sd)).toMatch(/tensors neuromap does not understand: rnns\.0\.alpha, layernorm\.weight$/);
    });

    it('torch.nn.GRU parameters get a hint', () => {
      const sd = { ...evnnStateDict(), 'rnns.1.weight_ih_l0': tensor([6, 2]) };
      expect(importError(sd)).toMatch(/rnns\.1\.weight_ih_l0 \(these look like torch\.nn\.GRU\/LSTM parameters/);
    });

    it('thresholds in some layers only', () => {
      const model = randomModel(fixtureConfig());
      const { tensors } = modelToEvnn(model);
      delete tensors['rnns.1.thr'];
      expect(importError(tensors)).toMatch(/rnns\.1\.thr is absent but rnns\.0\.thr is present/);
    });

    it('a missing tensor and a wrong shape', () => {
      const sd = evnnStateDict();
      delete sd['decoder.decoder.bias'];
      expect(importError({ ...sd, 'decoder.decoder.bias': tensor([4]), 'rnns.0.bias': tensor([5]) })).toMatch(/rnns\.0\.bias has shape 5, expected 6/);
      const sd2 = evnnStateDict();
      delete sd2['rnns.0.recurrent_bias'];
      expect(importError(sd2)).toMatch(/missing rnns\.0\.recurrent_bias/);
    });

    it('LSTM-shaped kernels', () => {
      const sd = { ...evnnStateDict(), 'rnns.0.recurrent_kernel': tensor([2, 8]) };
      expect(importError(sd)).toMatch(/expected \[H, 3H\] \(4H columns: an LSTM/);
    });

    it('an LSTM model cannot be exported', () => {
      const model = randomModel(fixtureConfig({ cell: 'lstm' }));
      expect(() => exportEvnn(model, file('m.safetensors'))).toThrow(/an LSTM model cannot be exported to EvNN/);
      expect(fs.readdirSync(tmp())).toEqual([]);
    });
  });
});
