import * as fs from 'fs';
import * as path from 'path';
import { Packr } from 'msgpackr';
import { UserError } from '../models/config';
import { packContainer } from '../models/container';
import { EGRU_KIND, loadModel, modelToRecord, saveModel } from '../models/file';
import { LanguageModel } from '../models/model';
import { fixtureConfig, randomModel } from './fixtures/model';
import { useTempDir } from './fixtures/tmp';

const tmp = useTempDir();

function expectUserError(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UserError);
  expect((caught as Error).message).toMatch(message);
}

/** Writes a record built from a valid model after `edit` has changed it, and returns the path. */
function writeEdited(edit: (body: Record<string, any>) => void, model = randomModel(fixtureConfig(), { sparsity: 0.4 })): string {
  // The body is edited freely to build broken files; `any` keeps those edits short.
  const body = structuredClone(modelToRecord(model));
  edit(body);
  const file = path.join(tmp(), 'bad.egru');
  fs.writeFileSync(file, packContainer(EGRU_KIND, body));
  return file;
}

describe('*.egru model file', () => {
  const variants: [string, Parameters<typeof fixtureConfig>[0]][] = [
    ['untied egru', {}],
    ['tied gru with projection', { cell: 'gru', tied: true, projection: 6, layers: [5, 7] }],
    ['lstm', { cell: 'lstm', layers: [3] }],
  ];

  it.each(variants)('round-trips a %s with masks and a nested training record', (_, overrides) => {
    const model = randomModel(fixtureConfig(overrides), { seed: 3, sparsity: 0.5, training: true });
    const file = path.join(tmp(), 'm.egru');
    saveModel(file, model);
    const loaded = loadModel(file);
    expect(loaded).toStrictEqual(model);
    for (const t of Object.values(loaded.params)) expect(t.data).toBeInstanceOf(Float32Array);
    for (const m of Object.values(loaded.masks)) expect(m.constructor).toBe(Uint8Array);
    // The fixture's training record is any nested map (the container stores whatever it is given), not a TrainingState.
    const training = loaded.training as unknown as { optimizer: { m: Record<string, unknown> }; rng: { dropout: unknown }; data: { offsets: unknown; seen: unknown } };
    expect(training.optimizer.m['layers.0.kernel']).toBeInstanceOf(Float32Array);
    expect(training.rng.dropout).toBeInstanceOf(Float64Array);
    expect(training.data.offsets).toBeInstanceOf(Uint32Array);
    expect(training.data.seen!.constructor).toBe(Uint8Array);
    expect(fs.readdirSync(tmp())).toEqual(['m.egru']);
  });

  it('re-saves a loaded model byte for byte', () => {
    const model = randomModel(fixtureConfig(), { sparsity: 0.3, training: true });
    const a = path.join(tmp(), 'a.egru');
    const b = path.join(tmp(), 'b.egru');
    saveModel(a, model);
    saveModel(b, loadModel(a));
    expect(fs.readFileSync(b).equals(fs.readFileSync(a))).toBe(true);
  });

  it('writes tensors in canonical order whatever order the model holds them in', () => {
    const model = randomModel();
    const reversed: LanguageModel = { ...model, params: Object.fromEntries(Object.entries(model.params).reverse()) };
    const a = path.join(tmp(), 'a.egru');
    const b = path.join(tmp(), 'b.egru');
    saveModel(a, model);
    saveModel(b, reversed);
    expect(fs.readFileSync(b).equals(fs.readFileSync(a))).toBe(true);
  });

  describe('rejects bad files with a clear UserError', () => {
    const valid = () => {
      const file = path.join(tmp(), 'ok.egru');
      saveModel(file, randomModel(fixtureConfig(), { sparsity: 0.4 }));
      return file;
    };
    const raw = (bytes: Uint8Array) => {
      const file = path.join(tmp(), 'bad.egru');
      fs.writeFileSync(file, bytes);
      return file;
    };
    const cases: [string, () => string, RegExp][] = [
      ['a missing file', () => path.join(tmp(), 'nope.egru'), /cannot read neuromap model file .*nope\.egru: no such file/],
      ['a directory', () => tmp(), /it is a directory/],
      ['an empty file', () => raw(new Uint8Array(0)), /is empty \(0 bytes\)/],
      ['a truncated file', () => raw(fs.readFileSync(valid()).subarray(0, 300)), /truncated, corrupt or not msgpack/],
      ['random bytes', () => raw(Buffer.from('this is plain text, not a model\n')), /is not a neuromap model file/],
      ['a foreign msgpack file', () => raw(new Packr().pack({ hello: 'world' })), /msgpack data without a `format` field/],
      ['a msgpack list', () => raw(new Packr().pack([1, 2, 3])), /without a `format` field/],
      ['another neuromap format', () => raw(new Packr().pack({ format: 'neuromap-nmap', version: 1 })), /it is a 'neuromap-nmap' file, expected 'neuromap-egru'/],
      [
        'a newer version',
        () => raw(new Packr().pack({ format: 'neuromap-egru', version: 3 })),
        /written by a newer neuromap \(format version 3, this one reads 2\): upgrade neuromap/,
      ],
      ['a bad version', () => raw(new Packr().pack({ format: 'neuromap-egru', version: 'one' })), /format version "one" is not a positive integer/],
      ['a bad config', () => writeEdited((b) => (b.config.layers = [5, 'four'])), /config\.layers\.1: .*expected number/],
      ['an impossible config', () => writeEdited((b) => (b.config.tied = true)), /invalid config: a tied decoder needs/],
      [
        'a surrogate no model can have',
        () => writeEdited((b) => (b.config.surrogateSupport = 0)),
        /invalid config: surrogate support must be a finite number greater than 0 \(got 0\)/,
      ],
      ['a wrong tensor shape', () => writeEdited((b) => (b.tensors['layers.1.kernel'].shape = [4, 15])), /tensor layers\.1\.kernel has shape 4×15, the config needs 5×12/],
      ['a missing tensor', () => writeEdited((b) => delete b.tensors['layers.0.thr']), /missing tensors: layers\.0\.thr/],
      ['an extra tensor', () => writeEdited((b) => (b.tensors.extra = { shape: [1], data: new Float32Array(1) })), /tensors this config does not have: extra/],
      ['a tensor as a plain list', () => writeEdited((b) => (b.tensors['decoder.bias'].data = [1, 2])), /tensor decoder\.bias: its data is a plain list, expected a Float32Array/],
      ['a NaN weight', () => writeEdited((b) => (b.tensors['layers.0.bias'].data[4] = NaN)), /tensor layers\.0\.bias holds a non-finite value \(NaN at index 4\)/],
      ['a mask of the wrong length', () => writeEdited((b) => (b.masks['layers.0.kernel'] = new Uint8Array(3))), /mask of layers\.0\.kernel has 3 entries, the matrix has 90/],
      ['a mask on the embedding', () => writeEdited((b) => (b.masks.embedding = new Uint8Array(72).fill(1))), /mask on embedding, which is not a prunable matrix/],
      ['a mask that is not a Uint8Array', () => writeEdited((b) => (b.masks['decoder.weight'] = [1, 0])), /mask of decoder\.weight: it is a plain list, expected a Uint8Array/],
      ['a pruned weight that is not 0', () => writeEdited(breakPrunedWeight), /is pruned by its mask but is 0\.5, not 0/],
      ['a vocabulary of the wrong length', () => writeEdited((b) => b.vocab.pop()), /the vocabulary has 11 words, the config says 12/],
      ['a duplicated word', () => writeEdited((b) => (b.vocab[5] = 'w3')), /holds "w3" twice \(ids 3 and 5\)/],
      ['bad provenance', () => writeEdited((b) => delete b.provenance.seed), /provenance\.seed: /],
    ];

    it.each(cases)('%s', (_, makeFile, message) => {
      const file = makeFile();
      const before = fs.readdirSync(tmp()).sort();
      expectUserError(() => loadModel(file), message);
      expect(fs.readdirSync(tmp()).sort()).toEqual(before);
      expect(before.some((f) => f.endsWith('.tmp'))).toBe(false);
    });
  });

  it('refuses to save an invalid model and leaves nothing behind', () => {
    const model = randomModel();
    model.params['decoder.bias'].data[0] = Infinity;
    const file = path.join(tmp(), 'm.egru');
    expectUserError(() => saveModel(file, model), /refusing to write .*m\.egru.*decoder\.bias holds a non-finite value \(Infinity at index 0\)/);
    expect(fs.readdirSync(tmp())).toEqual([]);
  });

  it('removes its temp file when the final rename fails', () => {
    const target = path.join(tmp(), 'taken');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'x'), 'keeps the directory non-empty');
    expectUserError(() => saveModel(target, randomModel()), /cannot write .*taken: /);
    expect(fs.readdirSync(tmp())).toEqual(['taken']);
  });

  it('reports a missing directory on save', () => {
    expectUserError(() => saveModel(path.join(tmp(), 'no', 'such', 'm.egru'), randomModel()), /cannot write .*m\.egru: no such file or directory/);
    expect(fs.readdirSync(tmp())).toEqual([]);
  });
});

function breakPrunedWeight(body: Record<string, any>): void {
  // Body edits in tests use `any` (see writeEdited).
  const mask: Uint8Array = body.masks['layers.1.recurrent_kernel'];
  const i = mask.indexOf(0);
  body.tensors['layers.1.recurrent_kernel'].data[i] = 0.5;
}
