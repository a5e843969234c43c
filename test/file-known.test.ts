/**
 * models/file.ts, known answers: the record body modelToRecord builds (its keys, which masks it keeps and in which
 * order) and every message modelFromRecord gives for a record that is not a model, each written out in full.
 *
 * The fixture (test/fixtures/model.ts) is an untied two-layer EGRU: vocabulary 12, embedding 6, layers [5, 4], no
 * projection. Its tensors, in expectedShapes' order: embedding 12×6; layers.0.kernel 6×15 (3 gates × 5 units),
 * recurrent_kernel 5×15, bias 15, recurrent_bias 15, thr 5; layers.1.kernel 5×12, recurrent_kernel 4×12,
 * bias 12, recurrent_bias 12, thr 4; decoder.weight 4×12; decoder.bias 12. The prunable matrices (2-D, not the
 * embedding), in that order: layers.0.kernel, layers.0.recurrent_kernel, layers.1.kernel, layers.1.recurrent_kernel,
 * decoder.weight.
 *
 * Every message below is "<file> is not a valid model: " followed by the problems found, joined by "; " in the order
 * the record is read (config first and alone; then tensors, masks, vocab, provenance, metrics, training).
 *
 * Mutants: a Stryker scout of file.ts against file, pretrained and inspect (2026-12-05, 55.07%) left 31 undetected
 * (14 survived, 17 uncovered); this file kills all 31, each applied by hand and seen to fail here. No equivalents.
 */
import { EGRU_KIND, modelFromRecord, modelToRecord } from '../models/file';
import { LanguageModel } from '../models/model';
import { fixtureConfig, randomModel } from './fixtures/model';
import { errorOf } from './helpers/errors';

const CONTEXT = 'm.egru is not a valid model';

/**
 * The record of a valid fixture model (with masks), after `edit`; the edits use `any` to build broken ones. A fresh
 * model each call, so editing the body (which shares the model's arrays) touches nothing else. Not structuredClone:
 * its objects would come from outside jest's realm, and isPlainObject would refuse every map.
 */
function record(edit: (body: Record<string, any>) => void = () => {}): Parameters<typeof modelFromRecord>[0] {
  const body: Record<string, any> = modelToRecord(randomModel(fixtureConfig(), { sparsity: 0.4 }));
  edit(body);
  return { format: EGRU_KIND.format, version: EGRU_KIND.version, ...body };
}

const refusal = (edit: (body: Record<string, any>) => void): string => errorOf(() => modelFromRecord(record(edit), 'm.egru'));

describe('modelToRecord', () => {
  it('writes exactly config, tensors, masks, vocab, provenance and metrics when the model has no training state', () => {
    const body = modelToRecord(randomModel());
    expect(Object.keys(body)).toEqual(['config', 'tensors', 'masks', 'vocab', 'provenance', 'metrics']);
  });

  it('keeps only the masks the model has, in the prunable order whatever order the model holds them in', () => {
    const model = randomModel(fixtureConfig(), { sparsity: 0.4 });
    // The model holds two of the five masks, decoder.weight first.
    const masks = { 'decoder.weight': model.masks['decoder.weight'], 'layers.1.kernel': model.masks['layers.1.kernel'] };
    const body = modelToRecord({ ...model, masks });
    expect(Object.keys(body.masks as object)).toEqual(['layers.1.kernel', 'decoder.weight']);
    expect((body.masks as Record<string, Uint8Array>)['decoder.weight']).toBe(masks['decoder.weight']);
  });
});

describe('modelFromRecord', () => {
  it('gives a model with no training key when the record has none', () => {
    const model: LanguageModel = modelFromRecord(record(), 'm.egru');
    expect(Object.keys(model)).toEqual(['config', 'params', 'masks', 'vocab', 'provenance', 'metrics']);
    expect('training' in model).toBe(false);
  });

  it('refuses metrics or a training state that are not maps, naming the file', () => {
    expect(refusal((b) => (b.metrics = [1, 2]))).toBe(`${CONTEXT}: metrics: expected a map`);
    expect(refusal((b) => (b.training = 5))).toBe(`${CONTEXT}: training: expected a map`);
    // Both at once: listed in the order read, joined by "; ".
    expect(refusal((b) => ((b.metrics = 'x'), (b.training = [])))).toBe(`${CONTEXT}: metrics: expected a map; training: expected a map`);
  });

  it('refuses tensors that are not a map, or an entry that is not { shape, data }', () => {
    expect(refusal((b) => (b.tensors = []))).toBe(`${CONTEXT}: tensors: expected a map from tensor name to { shape, data }`);
    expect(refusal((b) => (b.tensors['decoder.bias'] = 3))).toBe(`${CONTEXT}: tensor decoder.bias: expected { shape, data }`);
  });

  it('refuses a shape that is not a list of non-negative integers', () => {
    const notShape = `${CONTEXT}: tensor decoder.bias: its shape is not a list of non-negative integers`;
    expect(refusal((b) => (b.tensors['decoder.bias'].shape = '12'))).toBe(notShape);
    expect(refusal((b) => (b.tensors['decoder.bias'].shape = [2.5]))).toBe(notShape);
    expect(refusal((b) => (b.tensors['decoder.bias'].shape = [-1]))).toBe(notShape);
    // One good dimension is not enough: every one must be.
    expect(refusal((b) => (b.tensors['decoder.bias'].shape = [12, -1]))).toBe(notShape);
  });

  it('takes a dimension of 0 as a shape, so the shape check is the one against the config that refuses it', () => {
    // decoder.bias of shape [0] and no values: a well-formed tensor; the config needs 12 values.
    expect(refusal((b) => (b.tensors['decoder.bias'] = { shape: [0], data: new Float32Array(0) }))).toBe(
      `${CONTEXT}: tensor decoder.bias has shape 0, the config needs 12`,
    );
  });

  it('names what the data is when it is not a Float32Array', () => {
    const dataIs = (what: string) => `${CONTEXT}: tensor decoder.bias: its data is ${what}, expected a Float32Array`;
    expect(refusal((b) => (b.tensors['decoder.bias'].data = null))).toBe(dataIs('null'));
    expect(refusal((b) => (b.tensors['decoder.bias'].data = new Float64Array(12)))).toBe(dataIs('a Float64Array'));
    expect(refusal((b) => (b.tensors['decoder.bias'].data = 'twelve'))).toBe(dataIs('a string'));
    // "an" before a, e, i, o; "a" before a U said "you".
    expect(refusal((b) => (b.tensors['decoder.bias'].data = new Int32Array(12)))).toBe(dataIs('an Int32Array'));
    expect(refusal((b) => (b.tensors['decoder.bias'].data = new Uint16Array(12)))).toBe(dataIs('a Uint16Array'));
    expect(refusal((b) => delete b.tensors['decoder.bias'].data)).toBe(dataIs('missing'));
  });

  it('refuses masks that are not a map, or a mask that is not a plain Uint8Array', () => {
    expect(refusal((b) => (b.masks = 7))).toBe(`${CONTEXT}: masks: expected a map from matrix name to Uint8Array`);
    const maskIs = (what: string) => `${CONTEXT}: mask of decoder.weight: it is ${what}, expected a Uint8Array`;
    // An object with no prototype has no constructor to name.
    expect(refusal((b) => (b.masks['decoder.weight'] = Object.create(null)))).toBe(maskIs('an object'));
    expect(refusal((b) => (b.masks['decoder.weight'] = Buffer.alloc(48)))).toBe(maskIs('a Buffer'));
    expect(refusal((b) => (b.masks['decoder.weight'] = 1))).toBe(maskIs('a number'));
  });

  it('names a vocabulary entry that is not a word by its index', () => {
    expect(refusal((b) => (b.vocab[3] = 7))).toMatch(new RegExp(`^${CONTEXT.replace('.', '\\.')}: vocab\\.3: `));
  });
});
