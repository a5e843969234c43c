/**
 * Known answers for simulator/run-model.ts: which tokens a run predicts (maxTokens), the refusals and their
 * default file name, the host's MAC price only when a host-side layer exists, the wall clock, the progress
 * callbacks, and above all the effective MACs it attributes to each projection and the part of them whose
 * source sent only 0 or ±1 (binaryMacsByPair), under both schedules, also for a lagged population that reads
 * the host's injection. Every run happens inside its test (Stryker credits only code run there); every
 * figure is worked out by hand in the comments.
 *
 * The model (vocabulary 3, embedding 2, EGRU layers of 2 and 1 units, decoder on chip, fp32, dense random
 * weights, none 0) is made so that what fires is known without running it:
 * - embedding rows: id 0 = [1, 0], id 1 = [0.5, −1], id 2 = [1, −1]. The host injects the non-zero values,
 *   so token id 0 sends 1 value (binary), id 1 two (0.5 is not binary), id 2 two (binary).
 * - every EGRU unit: update-gate bias −100 (z = σ(≈ −100) ≈ 4e−44, so 1 − z is 1 and z·h vanishes next to
 *   1), candidate bias +100 (g = tanh(≈ 100) = 1 exactly in float64), threshold 0.5. So c = 1 > 0.5 at every
 *   token, whatever the small random weights (|w| < 1) add to those ±100: every unit fires value 1 (binary)
 *   at every token.
 * - the decoder's logits are random sums, not ±1: its events are not binary.
 * Populations: 0 embedding (host), 1 layer0, 2 layer1, 3 decoder; P = 4, pair = from · 4 + to.
 * Synapses per source row (an EGRU input feeds 3 gate rows per unit): embedding → layer0 3 · 2 = 6,
 * layer0 → layer0 6, layer0 → layer1 3 · 1 = 3, layer1 → layer1 3, layer1 → decoder 3 (vocabulary).
 */
import { compile, nmapBody } from '../compiler';
import { emit } from '../compiler/emit';
import { lower } from '../compiler/lower';
import type { NmapBody } from '../compiler/nmap';
import { partition } from '../compiler/partition';
import { DEFAULT_OPTIONS } from '../compiler/pipeline';
import { place } from '../compiler/place';
import { quantize } from '../compiler/quantize';
import { route } from '../compiler/route';
import { verify } from '../compiler/verify';
import type { LanguageModel } from '../models/model';
import { biasName, EMBEDDING, recurrentBiasName, thresholdName } from '../models/params';
import { HOST_PROCESSOR, runModel } from '../simulator/run-model';
import { SCHEDULES } from '../simulator/schedule';
import { loadBaseline } from '../targets/baseline-schema';
import { loadTarget } from '../targets/load';
import { fixtureConfig, randomModel } from './fixtures/model';

const tiny = loadTarget('tiny');
/** Token ids 0, 1, 2, 0: three tokens to predict (ids 1, 2, 0), as embedding rows 0, 1, 2. */
const ids = Int32Array.of(0, 1, 2, 0);

function knownModel(): LanguageModel {
  const config = fixtureConfig({ vocabSize: 3, emb: 2, layers: [2, 1] });
  const model = randomModel(config, { seed: 5 });
  const p = model.params;
  p[EMBEDDING].data.set([1, 0, 0.5, -1, 1, -1]);
  config.layers.forEach((H, l) => {
    const b = p[biasName(l)].data;
    b.fill(0);
    b.fill(-100, 0, H); // z
    b.fill(100, 2 * H, 3 * H); // g
    p[recurrentBiasName(l)].data.fill(0);
    p[thresholdName(l)].data.fill(0.5);
  });
  return model;
}

function knownMap(decoder: 'chip' | 'host' = 'chip'): NmapBody {
  return nmapBody(compile(knownModel(), tiny, { arith: 'fp32', decoder }));
}

/**
 * knownMap plus a projection the compiler never makes: the embedding straight into layer1 (both sources into
 * layer1's update gate, weight 0.25, one synapse each), put through the compiler's passes after lower. Under
 * `pipelined` layer1 lags 1 yet reads the host's injection in the step it is sent: the only way a population
 * with a lag receives same-step MACs. Layer1 still fires 1 at every token (its z stays near σ(−100)).
 */
function skipMap(): NmapBody {
  const lowered = lower(knownModel(), tiny, { ...DEFAULT_OPTIONS, arith: 'fp32' });
  const skip = {
    id: lowered.projections.length, name: 'skip', from: 0, to: 2, matrix: 'skip', inputs: 2, where: 'chip' as const,
    synapses: { rowPtr: Int32Array.of(0, 1, 2), post: Int32Array.of(0, 0), weight: Float32Array.of(0.25, 0.25) },
  };
  // The tensor [2 inputs, 3 gates × 1 unit] the verifier checks the rows against: z column 0.25, r and g 0.
  const tensors = { ...lowered.model.tensors, skip: Float32Array.of(0.25, 0, 0, 0.25, 0, 0) };
  const withSkip = { ...lowered, projections: [...lowered.projections, skip], model: { ...lowered.model, tensors } };
  verify(withSkip);
  const emitted = emit(route(place(partition(quantize(withSkip)))));
  verify(emitted);
  return nmapBody(emitted);
}

const pair = (from: number, to: number) => from * 4 + to;

describe('effective MACs by projection, and their binary part', () => {
  it.each(SCHEDULES)('%s: every event times its row, each credited to the token it serves', (schedule) => {
    const run = runModel(knownMap(), ids, { schedule });
    // pipelined: layer0 lags 0, layer1 1, the decoder 2 (schedule.test), so 3 + 2 steps; sequential 3.
    expect([...run.lag]).toEqual(schedule === 'pipelined' ? [0, 0, 1, 2] : [0, 0, 0, 0]);
    expect(run.steps.length).toBe(schedule === 'pipelined' ? 5 : 3);
    // What fired, as made above: layer0 2 events and layer1 1 at each of the 3 tokens; 1, 2, 2 injected.
    expect(run.activity.hostInjected).toBe(5);
    expect([0, 1, 2].map((t) => [run.activity.eventsByToken[t * 4 + 1], run.activity.eventsByToken[t * 4 + 2]])).toEqual([[2, 1], [2, 1], [2, 1]]);
    // Binary flags per token (embedding, layer0, layer1, decoder): the embedding's follow its rows.
    expect([...run.activity.binaryByToken]).toEqual([1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 1, 0]);

    const macs = new Array(16).fill(0), binary = new Array(16).fill(0);
    // embedding → layer0: 1 + 2 + 2 values × 6 = 30; binary tokens 0 and 2: (1 + 2) × 6 = 18.
    macs[pair(0, 1)] = 30, binary[pair(0, 1)] = 18;
    // layer0 → layer0: 2 events × 6, for tokens 0 and 1 only (token 2's recurrent events serve nobody) = 24, all binary.
    macs[pair(1, 1)] = 24, binary[pair(1, 1)] = 24;
    // layer0 → layer1: 2 events × 3 at each of 3 tokens = 18, all binary.
    macs[pair(1, 2)] = 18, binary[pair(1, 2)] = 18;
    // layer1 → layer1: 1 event × 3 for tokens 0 and 1 = 6, all binary.
    macs[pair(2, 2)] = 6, binary[pair(2, 2)] = 6;
    // layer1 → decoder: 1 event × 3 at each of 3 tokens = 9, all binary.
    macs[pair(2, 3)] = 9, binary[pair(2, 3)] = 9;
    expect([...run.macsByPair]).toEqual(macs);
    expect([...run.binaryMacsByPair]).toEqual(binary);
  });
});

describe('same-step MACs into a population with a lag', () => {
  it.each(SCHEDULES)('%s: the embedding straight into layer1 counts for the token layer1 computes in that step', (schedule) => {
    const run = runModel(skipMap(), ids, { schedule });
    // The host injects 1, 2, 2 values in steps 0, 1, 2, one synapse each into layer1.
    // sequential: layer1 computes token s in step s: all served, 5; binary tokens 0 and 2: 1 + 2 = 3.
    // pipelined: layer1 (lag 1) computes token s − 1 in step s: step 0's injection serves no token (token −1),
    // steps 1 and 2 serve tokens 0 and 1: 2 + 2 = 4. The binary part follows the injected row (source token
    // = step − lag[embedding] = step): step 1 sends row 1 (0.5: not binary), step 2 row 2 (binary): 2.
    expect([...run.lag]).toEqual(schedule === 'pipelined' ? [0, 0, 1, 2] : [0, 0, 0, 0]);
    expect(run.macsByPair[pair(0, 2)]).toBe(schedule === 'pipelined' ? 4 : 5);
    expect(run.binaryMacsByPair[pair(0, 2)]).toBe(schedule === 'pipelined' ? 2 : 3);
    // The rest as without the skip: layer0 → layer1 18, layer1 → decoder 9.
    expect(run.macsByPair[pair(1, 2)]).toBe(18);
    expect(run.macsByPair[pair(2, 3)]).toBe(9);
  });
});

describe('how many tokens a run predicts', () => {
  it('maxTokens below, at and above the 3 available; 0 and negative mean all', () => {
    const map = knownMap();
    const tokens = (maxTokens: number) => runModel(map, ids, { maxTokens }).tokens;
    expect(tokens(2)).toBe(2);
    expect(tokens(3)).toBe(3);
    expect(tokens(5)).toBe(3);
    expect(tokens(0)).toBe(3);
    expect(tokens(-1)).toBe(3);
    // Two tokens: layer0 → layer1 served 2 × (2 events × 3) = 12 MACs.
    expect(runModel(map, ids, { maxTokens: 2 }).macsByPair[pair(1, 2)]).toBe(12);
  });
});

describe('the host side', () => {
  it('a map with a host-side decoder needs the host\'s processor: refused by the map\'s name, "the map" by default', () => {
    const map = knownMap('host');
    const message = (file: string) => `${file} runs layers on the host: pass the host's processor (hostProcessor: loadBaseline(HOST_PROCESSOR))`;
    expect(() => runModel(map, ids)).toThrow(message('the map'));
    expect(() => runModel(map, ids, {}, 'm.nmap')).toThrow(message('m.nmap'));
  });

  it('prices host MACs only when the map has a host-side layer', () => {
    const dense = loadBaseline(HOST_PROCESSOR);
    // Decoder on chip: no host layer, so a host MAC costs nothing even though a processor was passed.
    const onChip = runModel(knownMap('chip'), ids, { hostProcessor: dense });
    expect(onChip.state.costs.host_mac).toEqual({ latency: 0, energy: 0 });
    expect(onChip.hostProcessor).toBe('dense-cpu');
    // Decoder on the host (1 × 3 weights): it has a price, and the host computed 3 MACs per token.
    const onHost = runModel(knownMap('host'), ids, { hostProcessor: dense });
    expect(onHost.state.costs.host_mac.latency).toBeGreaterThan(0);
    expect(onHost.state.c.hostMacs).toBe(9);
  });

  it('a map that disagrees with its target is refused as "the map" unless a file is named', () => {
    const map = knownMap();
    const wider = { ...map, mesh: { ...map.mesh, width: 3 } };
    expect(() => runModel(wider, ids)).toThrow(/^the map does not match its target tiny: mesh 3×2/);
  });
});

describe('progress callbacks', () => {
  it('onPrepared once with the engine state, onStep at every step: 3 tokens + 2 of drain when pipelined', () => {
    const prepared: unknown[] = [], steps: number[] = [];
    const run = runModel(knownMap(), ids, { schedule: 'pipelined', onPrepared: ({ state }) => prepared.push(state), onStep: (_, step) => steps.push(step) });
    expect(prepared).toEqual([run.state]);
    expect(prepared[0]).toBe(run.state);
    expect(steps).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('wall clock', () => {
  it('prepare and run in seconds from the injected clock (ms)', () => {
    // Read before preparing (1000), before running (3500) and after (7500): 2.5 s and 4 s.
    const clock = [1000, 3500, 7500];
    const run = runModel(knownMap(), ids, { now: () => clock.shift()! });
    expect(run.wall).toEqual({ prepare: 2.5, run: 4 });
  });
});
