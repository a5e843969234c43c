/**
 * NeuroBench's metrics (models/neurobench.ts) against answers worked out by hand: NeuroBench's own documented
 * example (docs/metrics/workload_metrics/synaptic_operations.rst), then a hand-built EGRU of two units whose every
 * event and state change is worked out below, through `neuromap eval`'s code (evaluate) and through the simulator
 * on an fp32 map of the same model (the same answers: the chip computes the same model).
 */
import { evaluationJson } from '../cli/commands/eval';
import { compile, nmapBody } from '../compiler';
import { ModelConfig } from '../models/config';
import { evaluate } from '../models/evaluate';
import { connectionCounts, tallyRows, type ProjectionTally } from '../models/macs';
import type { LanguageModel } from '../models/model';
import { activationSparsity, connectionSparsity, membraneUpdates, synapticOperations } from '../models/neurobench';
import { zeroParams } from './helpers/arrays';
import { simulationReport } from '../simulator/report';
import { runModel } from '../simulator/run-model';
import { loadTarget } from '../targets/load';
import { fixtureVocab } from './fixtures/model';

describe("NeuroBench's documented synaptic-operations example", () => {
  // W (outputs × inputs) = [[1.3, 0, −3.2], [0, 1.2, −5.1], [−1.1, 2.7, 0]], x = [0, 1.3, −1]. Binarised:
  // [[1,0,1],[0,1,1],[1,1,0]] · [0,1,1] = [1, 2, 1]: 4 effective ops; all-ones: 9 dense. x holds 1.3, so MACs.
  // Input-major (neuromap's layout), input j feeds the outputs of column j: 2, 2 and 2 non-zero weights.
  const tally = (): ProjectionTally => ({
    name: 'linear', matrix: 'w', inputs: 3, outputs: 3, rowNonZeros: Int32Array.of(2, 2, 2), activeInputs: 0, effective: 0, binaryEffective: 0, tokens: 0,
  });
  const active = { ptr: Int32Array.of(0, 2), idx: Int32Array.of(1, 2) };

  it('graded inputs: 4 effective MACs, no ACs, 9 dense', () => {
    const t = tally();
    tallyRows(t, active, 0, 1, Float32Array.of(0, 1.3, -1));
    const { ops, connections } = connectionCounts([t]);
    expect(synapticOperations(ops, 1)).toEqual({ Effective_MACs: 4, Effective_ACs: 0, Dense: 9 });
    // 3 of the 9 weights are zero: 0.3333 after NeuroBench's rounding to 4 decimals.
    expect(connectionSparsity(connections)).toBe(0.3333);
  });

  it('inputs of 0 and ±1 are spikes: the same 4 ops are ACs', () => {
    const t = tally();
    tallyRows(t, active, 0, 1, Float32Array.of(0, 1, -1));
    expect(synapticOperations(connectionCounts([t]).ops, 1)).toEqual({ Effective_MACs: 0, Effective_ACs: 4, Dense: 9 });
  });

  it('activation sparsity and membrane updates divide as NeuroBench does', () => {
    // 2 layers of 4 and 6 units over 5 tokens: 50 outputs, 7 non-zero: 43/50 zero.
    expect(activationSparsity([{ units: 4, events: 3 }, { units: 6, events: 4 }], 5)).toBe(0.86);
    expect(membraneUpdates(12, 4)).toBe(3);
    expect(synapticOperations([], 0)).toEqual({ Effective_MACs: 0, Effective_ACs: 0, Dense: 0 });
  });
});

/**
 * The hand-built EGRU: vocabulary 3, embedding 2, one layer of 2 units, untied decoder. Embedding rows: token 0 =
 * [1, 0], token 1 = [0, 1], token 2 = [0, 0]. Gate order z, r, g (columns 0–1, 2–3, 4–5 of the kernels).
 *   kernel: only W[input 0 → g of unit 0] = 3.             recurrent kernel: only R[unit 0 → z of unit 1] = 1.
 *   bias: b_z = −200 for both units (z = σ(−200) ≈ 1.4e−87: c = (1 − z)·g + z·h ≈ g, and z·h rounds to 0 in float32).
 *   thresholds 0.5. decoder.weight: unit 0 feeds logits 0 and 2 (1 and 2); unit 1 feeds nothing.
 * Tokens [0, 2, 2, 1]: 3 predicted tokens with inputs 0, 2, 2.
 *   t = 0: x = [1, 0]. Unit 0: c = tanh(3) = 0.995 > 0.5, an event; h = 0.495. Unit 1: g = tanh(0) = 0, c = 0, h stays 0.
 *   t = 1: x = [0, 0]. Unit 0: g = 0, c = z·0.495 → 0 in float32: no event, h changes 0.495 → 0. Unit 1: its z gate
 *          gets R·y = 0.995 but g = 0 and h = 0, so c = 0: unchanged.
 *   t = 2: x = [0, 0], y_{t−1} = 0: both units at c = 0 = h: unchanged.
 * Footprint: parameters 6 (embedding) + 12 (kernel) + 12 (recurrent) + 6 + 6 (biases) + 2 (thresholds) + 6 + 3
 *   (decoder weight and bias) = 53 floats = 212 bytes; state h and y_{t−1}: 2 × 2 floats = 16 bytes: 228 bytes.
 * ConnectionSparsity: kernel 12 + recurrent 12 + decoder 6 = 30 weights, 1 + 1 + 2 non-zero: 26/30 = 0.8667.
 * ActivationSparsity: 2 units × 3 tokens = 6 outputs, 1 event: 5/6.
 * SynapticOperations per token: t = 0 the kernel sees x = [1, 0], all 0/±1: 1 AC; the decoder sees y = [0.995, 0]:
 *   2 MACs. t = 1 the recurrent kernel sees y_{t−1} = [0.995, 0]: 1 MAC. Nothing else is non-zero.
 *   Effective_MACs 3/3 = 1, Effective_ACs 1/3, Dense 12 + 12 + 6 = 30.
 * MembraneUpdates: t = 0 counts both units (NeuroBench's first call counts every neuron), t = 1 unit 0, t = 2 none:
 *   3 over 3 tokens = 1 (counting only changes would give 1/3).
 */
function handModel(): LanguageModel {
  const config: ModelConfig = {
    cell: 'egru', vocabSize: 3, emb: 2, layers: [2], tied: false, projection: 0, surrogateGamma: 0.3, surrogateSupport: 1,
  };
  const params = zeroParams(config);
  params['embedding'].data.set([1, 0, 0, 1, 0, 0]);
  params['layers.0.kernel'].data[0 * 6 + 4] = 3;
  params['layers.0.recurrent_kernel'].data[0 * 6 + 1] = 1;
  params['layers.0.bias'].data.set([-200, -200], 0);
  params['layers.0.thr'].data.set([0.5, 0.5]);
  params['decoder.weight'].data.set([1, 0, 2, 0, 0, 0]);
  return {
    config, params, masks: {}, vocab: fixtureVocab(3), metrics: {},
    provenance: { data: 'hand', seed: 0, steps: 0, tokens: 0, commands: [], createdAt: '2026-01-01T00:00:00.000Z', neuromapVersion: '0.0.0-test', settings: {} },
  };
}

const ids = Int32Array.of(0, 2, 2, 1);
const expected = {
  Footprint: 228,
  ConnectionSparsity: 0.8667,
  SynapticOperations: { Effective_MACs: 1, Effective_ACs: 1 / 3, Dense: 30 },
  MembraneUpdates: 1,
};

describe('the hand-built EGRU', () => {
  it('neuromap eval carries the hand-worked metrics', () => {
    const e = evaluate(handModel().config, handModel().params, ids);
    expect(e.layers[0].events).toBe(1);
    expect(e.neurobench).toMatchObject({ sample: 'token', samples: 3, ...expected });
    expect(e.neurobench.ActivationSparsity).toBeCloseTo(5 / 6, 12);
    expect(e.neurobench.source).toMatch(/^NeuroBench\/neurobench@e521c28f/);
    expect(evaluationJson(handModel(), e, 'hand.egru').neurobench).toEqual(e.neurobench);
  });

  it('the simulator, on an fp32 map of it, finds the same', () => {
    const model = handModel();
    const nmap = nmapBody(compile(model, loadTarget('tiny'), { arith: 'fp32', decoder: 'chip' }));
    const report = simulationReport(nmap, runModel(nmap, ids), 'hand.nmap');
    expect(report.neurobench).toMatchObject({ sample: 'token', samples: 3, ...expected });
    expect(report.neurobench.ActivationSparsity).toBeCloseTo(5 / 6, 12);
  });
});
