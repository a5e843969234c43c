/**
 * The map holds everything needed to compute the model for real: the model rebuilt from a map alone
 * (compiler/reference.ts) computes what the input model computes with fp32 arithmetic, and what the
 * quantised weights and parameters compute with int8.
 */
import { compile, nmapBody, referenceModel } from '../compiler';
import type { CompileOptions } from '../compiler/ir';
import { evaluate } from '../models/evaluate';
import type { LanguageModel } from '../models/model';
import { loadTarget } from '../targets/load';
import { fixtureConfig, randomModel } from './fixtures/model';

const tiny = loadTarget('tiny');
const ids = Int32Array.from({ length: 60 }, (_, i) => (i * 5 + 1) % 12);

/** Low thresholds, so that every layer fires and the comparison covers the events. */
function lively(model: LanguageModel): LanguageModel {
  for (const [name, t] of Object.entries(model.params)) if (name.endsWith('.thr')) t.data.fill(0.01);
  return model;
}

function rebuilt(model: LanguageModel, options: Partial<CompileOptions>): LanguageModel {
  return referenceModel(nmapBody(compile(model, tiny, options)));
}

describe('the model a map computes', () => {
  const cases: [string, LanguageModel, Partial<CompileOptions>][] = [
    ['untied, decoder on chip', lively(randomModel(fixtureConfig(), { sparsity: 0.5, seed: 3 })), {}],
    ['tied, decoder on the host', lively(randomModel(fixtureConfig({ layers: [5, 6], tied: true }), { sparsity: 0.3, seed: 4 })), { decoder: 'host' }],
    ['projection on chip', lively(randomModel(fixtureConfig({ projection: 3 }), { sparsity: 0.4, seed: 5 })), {}],
    ['projection on the host', lively(randomModel(fixtureConfig({ projection: 6, tied: true }), { sparsity: 0.4, seed: 6 })), { decoder: 'host' }],
  ];

  it.each(cases)('equals the input model with fp32 (%s)', (_, model, options) => {
    const want = evaluate(model.config, model.params, ids);
    const r = rebuilt(model, { ...options, arith: 'fp32' });
    const got = evaluate(r.config, r.params, ids);
    expect(want.layers.every((l) => l.events > 0)).toBe(true);
    expect(got.layers.map((l) => l.events)).toEqual(want.layers.map((l) => l.events));
    expect(got.perplexity).toBeCloseTo(want.perplexity, 4);
  });

  it('shows what int8 weights and parameters cost, and holds exactly the stored values', () => {
    const model = cases[0][1];
    const q = rebuilt(model, { arith: 'int8' });
    const ir = compile(model, tiny, { arith: 'int8' });
    const scale = ir.weights[ir.projections.find((p) => p.name === 'layer0.recurrent')!.id]!.scale;
    const R = q.params['layers.0.recurrent_kernel'].data;
    expect(R.every((w) => Number.isInteger(w / scale))).toBe(true);
    const want = evaluate(model.config, model.params, ids).perplexity;
    const got = evaluate(q.config, q.params, ids).perplexity;
    expect(got).not.toBe(want);
    expect(Math.abs(got - want) / want).toBeLessThan(0.1);
  });
});
