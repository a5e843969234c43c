/**
 * The simulator computes the model for real: with fp32 maps its next-token log-probabilities, events per
 * layer and effective MACs equal models/evaluate.ts (what `neuromap eval` runs) on the same model and
 * tokens, over a matrix of model shapes × decoder placement × schedule.
 */
import { compile, nmapBody, referenceModel } from '../compiler';
import type { CompileOptions } from '../compiler/ir';
import { evaluate } from '../models/evaluate';
import { initialStates, runWindow, NO_REGULARISATION } from '../models/lm';
import type { LanguageModel } from '../models/model';
import { loadTarget } from '../targets/load';
import { simulatedMacs } from '../simulator/macs';
import { loadBaseline } from '../targets/baseline-schema';
import { HOST_PROCESSOR, runModel } from '../simulator/run-model';
import { SCHEDULES } from '../simulator/schedule';
import { totals } from '../simulator/energy';
import { fixtureConfig, randomModel } from './fixtures/model';

/** The processor that runs host-side layers, as the CLI passes it. */
const onHost = { hostProcessor: loadBaseline(HOST_PROCESSOR) };

const tiny = loadTarget('tiny');
const ids = Int32Array.from({ length: 41 }, (_, i) => (i * 5 + 1 + (i >> 2)) % 12);

/** Low thresholds, so that every layer fires and the comparison covers the events. */
function lively(model: LanguageModel): LanguageModel {
  for (const [name, t] of Object.entries(model.params)) if (name.endsWith('.thr')) t.data.fill(0.01);
  return model;
}

function referenceLogProbs(model: LanguageModel, tokens: number): Float32Array {
  const r = runWindow(model.config, model.params, ids.subarray(0, tokens), ids.subarray(1, tokens + 1), initialStates(model.config, 1), {
    steps: tokens, batch: 1, rng: null, regularisation: NO_REGULARISATION,
  });
  return r.targetLogProbs;
}

const models: [string, () => LanguageModel, Partial<CompileOptions>][] = [
  ['untied, decoder on chip', () => lively(randomModel(fixtureConfig(), { sparsity: 0.5, seed: 3 })), {}],
  ['tied, decoder on the host', () => lively(randomModel(fixtureConfig({ layers: [5, 6], tied: true }), { sparsity: 0.3, seed: 4 })), { decoder: 'host' }],
  ['projection on chip', () => lively(randomModel(fixtureConfig({ projection: 3 }), { sparsity: 0.4, seed: 5 })), {}],
  ['projection on the host', () => lively(randomModel(fixtureConfig({ projection: 6, tied: true }), { sparsity: 0.4, seed: 6 })), { decoder: 'host' }],
  ['three layers, dense', () => lively(randomModel(fixtureConfig({ layers: [7, 5, 6] }), { seed: 7 })), {}],
];
const matrix = models.flatMap(([name, make, options]) => SCHEDULES.map((schedule) => [name, schedule, make, options] as const));

describe('fp32 equivalence with neuromap eval', () => {
  it.each(matrix)('%s, %s', (_, schedule, make, options) => {
    const model = make();
    const tokens = ids.length - 1;
    const want = evaluate(model.config, model.params, ids);
    const wantLogProbs = referenceLogProbs(model, tokens);
    const nmap = nmapBody(compile(model, tiny, { ...options, arith: 'fp32' }));
    const run = runModel(nmap, ids, { schedule, ...onHost });

    const P = run.map.populations.length;
    const events = run.activity.events();
    const layerEvents = run.map.populations.flatMap((p, i) => (p.kind === 'egru' ? [events[i]] : []));
    expect(want.layers.every((l) => l.events > 0)).toBe(true);
    expect(layerEvents).toEqual(want.layers.map((l) => l.events));
    for (let t = 0; t < tokens; t++) expect(Math.abs(run.activity.logProbs[t] - wantLogProbs[t])).toBeLessThan(1e-4);

    const macs = simulatedMacs(nmap, run);
    expect(macs.by_projection.map((p) => p.name)).toEqual(want.macs.by_projection.map((p) => p.name));
    expect(macs.by_projection.map((p) => p.effective)).toEqual(want.macs.by_projection.map((p) => p.effective));
    expect(macs.by_projection.map((p) => p.dense)).toEqual(want.macs.by_projection.map((p) => p.dense));
    macs.by_projection.forEach((p, i) => {
      expect(p.lambda_activity).toBeCloseTo(want.macs.by_projection[i].lambda_activity, 12);
      expect(p.lambda_weight).toBeCloseTo(want.macs.by_projection[i].lambda_weight, 12);
    });

    // Conservation over the run: every packet delivered, every delivery served, logits all received.
    const t = totals(run.state.c);
    expect(run.state.c.scheduled).toBe(t.eventsIn);
    expect(run.state.inflight.every((n) => n === 0)).toBe(true);
    const decoder = run.map.populations.findIndex((p) => p.kind === 'linear');
    if (run.map.populations[decoder].where === 'chip') expect(t.hostReceived).toBe(tokens * run.map.populations[decoder].size);
    expect(run.steps.length).toBe(tokens + Math.max(...run.lag));
    void P;
  });
});

describe('clear errors', () => {
  const model = () => lively(randomModel(fixtureConfig(), { sparsity: 0.5, seed: 3 }));

  it('refuses a map whose cores disagree with its target', () => {
    const nmap = nmapBody(compile(model(), tiny, { arith: 'fp32' }));
    const moved = { ...nmap, cores: nmap.cores.map((c, i) => (i === 0 ? { ...c, x: c.x + 1 } : c)) };
    expect(() => runModel(moved, ids, onHost)).toThrow(/does not match its target tiny: core \d+ is recorded at/);
    const wider = { ...nmap, mesh: { ...nmap.mesh, width: 3 } };
    expect(() => runModel(wider, ids, onHost)).toThrow(/does not match its target tiny: mesh 3×2/);
  });

  it('refuses a text with no token to predict', () => {
    const nmap = nmapBody(compile(model(), tiny, { arith: 'fp32' }));
    expect(() => runModel(nmap, Int32Array.of(3), onHost)).toThrow(/no tokens to predict/);
  });
});

describe('integer arithmetic', () => {
  const model = () => lively(randomModel(fixtureConfig(), { sparsity: 0.5, seed: 3 }));

  it.each(['chip', 'host'] as const)('int8 weights and state equal the quantised model run in software (decoder on %s)', (decoder) => {
    const nmap = nmapBody(compile(model(), tiny, { arith: 'int8', decoder }));
    const reference = referenceModel(nmap);
    const want = evaluate(reference.config, reference.params, ids);
    // With payloads passed exactly, only the stored weights, thresholds and biases differ from fp32.
    const exact = { ...nmap, populations: nmap.populations.map((p) => ({ ...p, event: { kind: 'float' as const } })) };
    const run = runModel(exact, ids, onHost);
    const events = run.activity.events();
    expect(run.map.populations.flatMap((p, i) => (p.kind === 'egru' ? [events[i]] : []))).toEqual(want.layers.map((l) => l.events));
    const ppl = Math.exp(-run.activity.logProbs.reduce((a, b) => a + b, 0) / run.tokens);
    expect(ppl).toBeCloseTo(want.perplexity, 4);
    // The map's own 8-bit payloads cost a little more.
    const quantised = runModel(nmap, ids, onHost);
    const qppl = Math.exp(-quantised.activity.logProbs.reduce((a, b) => a + b, 0) / quantised.tokens);
    expect(Math.abs(qppl - want.perplexity) / want.perplexity).toBeLessThan(0.05);
  });
});
