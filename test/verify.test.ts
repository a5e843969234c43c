/**
 * Negative tests of the verifier (compiler/verify.ts): for every check it makes, a map broken by hand at
 * the stage the check guards must throw with that check's message. A valid map of every stage passes
 * first, so each failure below is the broken part and nothing else. Without these a check could be
 * switched off unnoticed: every real compile passes the verifier, so only broken maps exercise it.
 *
 * The map: the fixture model (embedding 6 on the host; layer0 5, layer1 4 and decoder 12 units on chip) at
 * 50% sparsity on the tiny target with 3 neurons per core, so every chip population spans 2–4 slices.
 */
import { emit } from '../compiler/emit';
import type { IR } from '../compiler/ir';
import { lower } from '../compiler/lower';
import { partition } from '../compiler/partition';
import { DEFAULT_OPTIONS } from '../compiler/pipeline';
import { place } from '../compiler/place';
import { quantize } from '../compiler/quantize';
import { route } from '../compiler/route';
import { verify } from '../compiler/verify';
import { kernelName } from '../models/params';
import { loadTarget, validateTarget } from '../targets/load';
import type { Target } from '../targets/schema';
import { resolveTarget } from '../targets/resolve';
import { fixtureConfig, randomModel } from './fixtures/model';

const tiny = loadTarget('tiny');
const small = validateTarget(
  { ...JSON.parse(JSON.stringify(tiny)), name: 'small-cores', core: { ...JSON.parse(JSON.stringify(tiny.core)), neurons: { value: 3, source: 'assumption: test' } } },
  'small-cores',
);

/** Every stage of one compile, each pass applied by hand (compile() only returns the last). */
function stages(target: Target, arith: string) {
  const model = randomModel(fixtureConfig(), { sparsity: 0.5, seed: 3 });
  const options = { ...DEFAULT_OPTIONS, arith, binaryEncoding: arith === 'binary' };
  const lowered = lower(model, target, options);
  const quantized = quantize(lowered);
  const partitioned = partition(quantized);
  const placed = place(partitioned);
  const routed = route(placed);
  const emitted = emit(routed);
  return { lowered, quantized, partitioned, placed, routed, emitted };
}

/**
 * Every test breaks a stage compiled inside it (each describe's beforeEach): Stryker credits only code run in a
 * test, so a stage compiled once here would leave the passes' mutants untested by the verifier. This compile only
 * gives the describe blocks the indices they name (the same in every compile: it is deterministic).
 */
const int8 = stages(small, 'int8');

/**
 * A deep copy of a stage, broken by `change`. Passes share typed arrays and immer freezes metadata, so the
 * original is never touched. A change to the target's data is resolved again into the plain numbers the passes
 * and the verifier read (ctx.resolved), as a compile for that target would resolve it.
 */
function broken<T extends IR>(ir: T, change: (ir: T) => void): T {
  const copy = structuredClone(ir);
  change(copy);
  copy.ctx.resolved = resolveTarget(copy.ctx.target, copy.ctx.arithName);
  return copy;
}

/** verify must throw the compiler-bug error of this stage, naming what broke. */
function expectRejected(ir: IR, message: string): void {
  expect(() => verify(ir)).toThrow(`compiler bug: after ${ir.stage} the map breaks`);
  expect(() => verify(ir)).toThrow(message);
}

describe('verifier: valid maps of every stage pass', () => {
  test.each(['int8', 'fp32', 'binary'])('%s', (arith) => {
    const s = stages(small, arith);
    for (const ir of Object.values(s)) expect(() => verify(ir)).not.toThrow();
    // The fixture really spreads populations over several slices, or the slice checks below test nothing.
    expect(s.partitioned.slices.filter((x) => x.population === 1).map((x) => [x.start, x.end])).toEqual([[0, 3], [3, 5]]);
  });
});

describe('verifier after lower', () => {
  let L = int8.lowered;
  beforeEach(() => (L = stages(small, 'int8').lowered));
  const input = 0; // projection layer0.input: embedding (6) → layer0 slots z, r, gx

  test('source ids not contiguous', () => {
    expectRejected(broken(L, (ir) => (ir.populations[1].sourceBase = 7)), 'layer0: source ids start at 7, expected 6');
  });

  test('malformed rows: last row pointer short of the entries', () => {
    expectRejected(broken(L, (ir) => {
      const s = ir.projections[input];
      if (s.where === 'chip') s.synapses.rowPtr[s.inputs] -= 1;
    }), 'layer0.input: malformed rows');
  });

  test('malformed rows: weights and targets of different lengths', () => {
    expectRejected(broken(L, (ir) => {
      const s = ir.projections[input];
      if (s.where === 'chip') s.synapses.weight = s.synapses.weight.slice(1);
    }), 'layer0.input: malformed rows');
  });

  test('a non-zero model weight with no synapse', () => {
    const K = kernelName(0);
    const W = L.model.tensors[K];
    const zero = W.indexOf(0);
    const nonZeros = W.filter((w) => w !== 0).length;
    expect(zero).toBeGreaterThanOrEqual(0);
    expectRejected(broken(L, (ir) => (ir.model.tensors[K][zero] = 0.5)),
      `layer0.input: ${nonZeros} synapses, the model's ${K} has ${nonZeros + 1} non-zero weights`);
  });

  test('a row not increasing', () => {
    const p = L.projections[input];
    if (p.where !== 'chip') throw new Error('fixture: layer0.input is on chip');
    // Row 0's first two entries swapped, weights with them: the values still match, the order does not.
    expectRejected(broken(L, (ir) => {
      const s = ir.projections[input];
      if (s.where !== 'chip') return;
      const { post, weight } = s.synapses;
      [post[0], post[1]] = [post[1], post[0]];
      [weight[0], weight[1]] = [weight[1], weight[0]];
    }), 'layer0.input: row 0 not increasing');
  });

  test('a synapse holding another weight than the model', () => {
    const p = L.projections[input];
    if (p.where !== 'chip') throw new Error('fixture: layer0.input is on chip');
    const w = p.synapses.weight[0];
    expectRejected(broken(L, (ir) => {
      const s = ir.projections[input];
      if (s.where === 'chip') s.synapses.weight[0] = w + 1;
    }), `layer0.input: row 0 entry ${p.synapses.post[0]} holds ${Math.fround(w + 1)}, the model has ${w}`);
  });

  test('an input synapse on the recurrent candidate slot (gh), which no input weight feeds', () => {
    const p = L.projections[input];
    if (p.where !== 'chip') throw new Error('fixture: layer0.input is on chip');
    // The first gx entry (slot 2) moved to slot 3 of the same unit: still increasing, but no weight can go there.
    const q = Array.from(p.synapses.post).findIndex((post) => post % 4 === 2);
    const row = Array.from(p.synapses.rowPtr).findIndex((start) => start > q) - 1;
    expectRejected(broken(L, (ir) => {
      const s = ir.projections[input];
      if (s.where === 'chip') s.synapses.post[q] += 1;
    }), `layer0.input: row ${row} entry ${p.synapses.post[q] + 1} holds ${p.synapses.weight[q]}, the model has NaN`);
  });

  test('a synapse beyond the destination population, holding the model weight its index would read', () => {
    const decoder = L.projections.findIndex((p) => p.name === 'decoder');
    const p = L.projections[decoder];
    if (p.where !== 'chip') throw new Error('fixture: decoder is on chip');
    // Row 0's last entry moved to accumulator 12 of the 12-unit decoder, holding W[0 · 12 + 12] = W[1, 0]: the
    // value matches what the flat index reads, so only the range test can tell.
    const last = p.synapses.rowPtr[1] - 1;
    const W = L.model.tensors[p.matrix];
    expectRejected(broken(L, (ir) => {
      const s = ir.projections[decoder];
      if (s.where === 'chip') (s.synapses.post[last] = 12), (s.synapses.weight[last] = W[12]);
    }), `decoder: row 0 entry 12 holds ${W[12]}, the model has ${W[12]}`);
  });
});

describe('verifier after quantize', () => {
  let Q = int8.quantized;
  beforeEach(() => (Q = stages(small, 'int8').quantized));

  test('a chip projection without quantised weights', () => {
    expectRejected(broken(Q, (ir) => (ir.weights[0] = null)), 'layer0.input: no quantised weights');
  });

  test('fewer quantised weights than synapses', () => {
    const n = Q.weights[0]!.values.length;
    expectRejected(broken(Q, (ir) => (ir.weights[0]!.values = ir.weights[0]!.values.slice(1))), `layer0.input: ${n - 1} quantised weights for ${n} synapses`);
  });

  test('a quantised weight one step off its value', () => {
    const q = Q.weights[0]!;
    const i = Array.from(q.values).findIndex((v) => Math.abs(v) < 100);
    expectRejected(broken(Q, (ir) => (ir.weights[0]!.values[i] += 1)), `layer0.input: weight ${i} (`);
  });

  test('a weight outside the quantisation range (8-bit values recorded as 4-bit)', () => {
    // q · scale still equals the weight; only |q| ≤ 2^(bits−1) − 1 = 7 fails, for the first |q| > 7.
    const q = Q.weights[0]!;
    const i = Array.from(q.values).findIndex((v) => Math.abs(v) > 7);
    expect(i).toBeGreaterThanOrEqual(0);
    expectRejected(broken(Q, (ir) => (ir.weights[0]!.bits = 4)), `layer0.input: weight ${i} (`);
  });

  test('the range is ±(2^(bits−1) − 1): 127 fits 8 bits, −128 does not', () => {
    // Weight 0 and its synapse set to agree exactly (q · scale = w), so only the range can fail.
    const at = (q: number) => broken(Q, (ir) => {
      const w = ir.weights[0]!;
      w.values[0] = q;
      const p = ir.projections[0];
      if (p.where === 'chip') p.synapses.weight[0] = q * w.scale;
    });
    expect(() => verify(at(127))).not.toThrow();
    expectRejected(at(-128), 'layer0.input: weight 0 (');
  });

  test('the tolerance is half a step (0.5000001 of the scale, for rounding), a weight exactly that far off still passes', () => {
    // Every weight of layer0.input set to 0 and stored as q = 0, except weight 0 = 0.5 (exact in float32), still q = 0.
    // With scale 0.9999998000000401, 0.5000001 × scale is exactly 0.5 in doubles (0.5 / 0.5000001, rounded, multiplied
    // back): |0 · scale − 0.5| equals the tolerance and passes. Four ulps smaller a scale puts the weight past it.
    const scale = 0.9999998000000401;
    expect(scale * 0.5000001).toBe(0.5);
    const at = (s: number) => broken(Q, (ir) => {
      const w = ir.weights[0]!;
      w.values.fill(0);
      w.scale = s;
      const p = ir.projections[0];
      if (p.where === 'chip') p.synapses.weight.fill(0), (p.synapses.weight[0] = 0.5);
    });
    expect(() => verify(at(scale))).not.toThrow();
    expectRejected(at(scale * (1 - 4 * Number.EPSILON)), 'layer0.input: weight 0 (0.5) stored as 0 × ');
  });

  test('float arithmetic: a stored weight that differs from the model', () => {
    // fp32 stores the synapse array itself: the stored copy is replaced, not written through.
    expectRejected(broken(stages(small, 'fp32').quantized, (ir) => (ir.weights[0]!.values = Float32Array.from(ir.weights[0]!.values, (v, i) => (i === 0 ? v + 0.125 : v)))),
      'layer0.input: weight 0 (');
  });

  test('an EGRU layer without thresholds', () => {
    expectRejected(broken(Q, (ir) => (ir.neurons[1].thr = null)), 'layer0: thresholds missing');
  });

  test('thresholds of the wrong length', () => {
    expectRejected(broken(Q, (ir) => (ir.neurons[2].thr = ir.neurons[2].thr!.slice(1))), 'layer1: thresholds missing');
  });

  test('a chip population without biases', () => {
    expectRejected(broken(Q, (ir) => (ir.neurons[3].bias = null)), 'decoder: biases missing');
  });

  test('biases of one unit only, not one per accumulator', () => {
    expectRejected(broken(Q, (ir) => (ir.neurons[1].bias = ir.neurons[1].bias!.slice(0, 5))), 'layer0: biases missing');
  });
});

describe('verifier after partition', () => {
  let P = int8.partitioned;
  beforeEach(() => (P = stages(small, 'int8').partitioned));
  // Slices (population: units): 0 layer0 0–3, 1 layer0 3–5, 2 layer1 0–3, 3 layer1 3–4, 4–7 decoder by 3.

  test('a host population with a unit in a slice', () => {
    expectRejected(broken(P, (ir) => (ir.unitSlice[0][0] = 0)), 'embedding: a host population has slices');
  });

  test('a host population owning a slice', () => {
    expectRejected(broken(P, (ir) => (ir.slices[7].population = 0)), 'embedding: a host population has slices');
  });

  test('a gap between slices', () => {
    expectRejected(broken(P, (ir) => (ir.slices[1].start = 4)), 'layer0: slice 1 covers 4–5, expected to start at 3');
  });

  test('an empty slice', () => {
    // Slice 1 shrunk to 3–3 and unit 3, 4 handed to nobody: the empty slice is the first thing wrong.
    expectRejected(broken(P, (ir) => (ir.slices[1].end = 3)), 'layer0: slice 1 covers 3–3, expected to start at 3');
  });

  test('slices that stop short of the population', () => {
    expectRejected(broken(P, (ir) => (ir.slices[1].end = 4)), 'layer0: slices cover 4 of 5 units');
  });

  test('a unit recorded in another slice than the one covering it', () => {
    expectRejected(broken(P, (ir) => (ir.unitSlice[1][0] = 1)), 'layer0: unit 0 is not in its slice');
  });

  test('a unit recorded in a slice of another population', () => {
    expectRejected(broken(P, (ir) => (ir.unitSlice[1][4] = 2)), 'layer0: unit 4 is not in its slice');
  });

  test('recorded usage that differs from the recount', () => {
    const u = P.slices[0].usage;
    expectRejected(broken(P, (ir) => (ir.slices[0].usage.synapses += 1)),
      `slice 0: recorded usage ${JSON.stringify({ ...u, synapses: u.synapses + 1 })}, recounted ${JSON.stringify(u)}`);
  });

  /** The partition checked against a target whose one limit is `value`: the slices' usage stays, the limit shrinks. */
  const withLimit = (set: (t: { core: Record<string, unknown> }) => void) =>
    broken(P, (ir) => set(ir.ctx.target as unknown as { core: Record<string, unknown> }));
  const limit = (value: number) => ({ value, source: 'assumption: test' });
  const used = (key: 'neurons' | 'memoryBytes' | 'fanIn' | 'fanOut' | 'addresses') => P.slices[0].usage[key];

  test.each([
    ['neurons', 'neurons', (v: number) => (t: { core: Record<string, unknown> }) => (t.core.neurons = limit(v)), used('neurons')],
    ['memory bytes', 'memoryBytes', (v: number) => (t: { core: Record<string, unknown> }) => (t.core.memory_bytes = limit(v)), used('memoryBytes')],
    ['fan-in (input axons)', 'fanIn', (v: number) => (t: { core: Record<string, unknown> }) => (t.core.fan_in = limit(v)), used('fanIn')],
    ['fan-out (output axons)', 'fanOut', (v: number) => (t: { core: Record<string, unknown> }) => (t.core.fan_out = limit(v)), used('fanOut')],
  ] as const)('a slice over the %s limit, and one exactly at it', (name, key, set, slice0) => {
    // The largest use of this resource over all slices: one below it is exceeded by that slice, at it fits.
    const most = Math.max(...P.slices.map((s) => s.usage[key]));
    const worst = P.slices.findIndex((s) => s.usage[key] === most);
    expect(slice0).toBeGreaterThan(0);
    expectRejected(withLimit(set(most - 1)), `slice ${worst}: ${most} ${name}, limit ${most - 1}`);
    expect(() => verify(withLimit(set(most)))).not.toThrow();
  });

  test('a slice over the postsynaptic addresses its index bits can name, and one exactly at it', () => {
    // 3 index bits name 8 addresses. Slice 0 holds 3 EGRU units × 4 accumulators = 12: over. Slice 1 holds
    // 2 × 4 = 8: exactly at the limit, so it is not listed.
    const bits = broken(P, (ir) => ((ir.ctx.target.core.synapse_encoding as unknown as Record<string, unknown>).index_bits = limit(3)));
    expect([P.slices[0].usage.addresses, P.slices[1].usage.addresses]).toEqual([12, 8]);
    expectRejected(bits, 'slice 0: 12 postsynaptic addresses (index bits), limit 8');
    expect(() => verify(bits)).not.toThrow('slice 1: 8 postsynaptic');
  });
});

describe('verifier after place', () => {
  let P = int8.placed;
  beforeEach(() => (P = stages(small, 'int8').placed));

  test('a slice without a core', () => {
    expectRejected(broken(P, (ir) => (ir.sliceCore = ir.sliceCore.slice(1))), 'not every slice has a core');
  });

  test('two slices on one core', () => {
    const c = P.sliceCore[0];
    expectRejected(broken(P, (ir) => (ir.sliceCore[1] = c)), `slice 1 on core ${c}: outside the ${P.chips * 8} cores or shared`);
  });

  test('a slice beyond the last core, and one before the first', () => {
    const cores = P.chips * 8; // tiny: 2 × 2 tiles of 2 cores per chip
    expectRejected(broken(P, (ir) => (ir.sliceCore[2] = cores)), `slice 2 on core ${cores}: outside the ${cores} cores or shared`);
    expectRejected(broken(P, (ir) => (ir.sliceCore[2] = -1)), `slice 2 on core -1: outside the ${cores} cores or shared`);
  });
});

describe('verifier after route', () => {
  let R = int8.routed;
  beforeEach(() => (R = stages(small, 'int8').routed));
  const r = R.routes;
  /** A source whose events reach cores (layer0 unit 0), and a decoder unit (its events go to the host). */
  const toCores = 6, toHost = 15;

  test('a source with destinations but no route', () => {
    expectRejected(broken(R, (ir) => (ir.routes.unitRoute[toCores] = -1)), `source ${toCores} has destinations but no route`);
  });

  test('a source bound for the host only, with no route', () => {
    expect(R.destinations.ptr[toHost + 1] - R.destinations.ptr[toHost]).toBe(0);
    expectRejected(broken(R, (ir) => (ir.routes.unitRoute[toHost] = -1)), `source ${toHost} has destinations but no route`);
  });

  test('a route reaching other cores than hold its synapses', () => {
    const q = r.unitRoute[toCores];
    const first = r.destCore[r.destPtr[q]];
    const want = Array.from(r.destCore.subarray(r.destPtr[q], r.destPtr[q + 1])).join(',');
    expectRejected(broken(R, (ir) => (ir.routes.destCore[ir.routes.destPtr[q]] = first + 100)),
      `source ${toCores}: route reaches cores ${want.replace(String(first), String(first + 100))}, synapses are on ${want}`);
  });

  test('a route to the host for a source that does not feed it, and none for one that does', () => {
    const q = r.unitRoute[toCores];
    expectRejected(broken(R, (ir) => (ir.routes.toHost[q] = 1)), `source ${toCores}: route reaches cores`);
    const h = r.unitRoute[toHost];
    expectRejected(broken(R, (ir) => (ir.routes.toHost[h] = 0)), `source ${toHost}: route reaches cores`);
  });

  /** The first route with an edge, and the routers its tree reaches. */
  const withEdge = Array.from({ length: r.count }, (_, q) => q).find((q) => r.edgePtr[q + 1] > r.edgePtr[q])!;
  const reached = (q: number) => new Set([r.origin[q], ...Array.from(r.edgeTo.subarray(r.edgePtr[q], r.edgePtr[q + 1]))]);

  test('an edge that starts outside its tree', () => {
    const e = r.edgePtr[withEdge];
    const outside = [...Array(8).keys()].find((x) => !reached(withEdge).has(x))!;
    expectRejected(broken(R, (ir) => (ir.routes.edgeFrom[e] = outside)), `route ${withEdge}: edge ${outside}→${r.edgeTo[e]} is not a tree edge`);
  });

  test('an edge that closes a cycle', () => {
    const e = r.edgePtr[withEdge];
    expectRejected(broken(R, (ir) => (ir.routes.edgeTo[e] = r.origin[withEdge])),
      `route ${withEdge}: edge ${r.edgeFrom[e]}→${r.origin[withEdge]} is not a tree edge`);
  });

  test('a tree that misses a destination core', () => {
    // Route 0: from router 0 to cores on routers 0, 1 (one edge 0→1); the edge bent to router 2 leaves router 1 out.
    expect([r.origin[0], r.edgePtr[1] - r.edgePtr[0], r.edgeFrom[0], r.edgeTo[0]]).toEqual([0, 1, 0, 1]);
    const onRouter1 = Array.from(r.destCore.subarray(r.destPtr[0], r.destPtr[1])).filter((c) => Math.floor(c / 2) === 1);
    expect(onRouter1.length).toBeGreaterThan(0);
    expectRejected(broken(R, (ir) => (ir.routes.edgeTo[0] = 2)), `route 0 misses core ${onRouter1[0]}`);
  });

  test('a route to the host whose tree never reaches router 0', () => {
    // Any route whose tree avoids router 0, turned into a host-bound route for every source using it.
    const q = Array.from({ length: r.count }, (_, i) => i).find((i) => !reached(i).has(0) && !r.toHost[i])!;
    expect(q).toBeDefined();
    expectRejected(broken(R, (ir) => {
      ir.routes.toHost[q] = 1;
      ir.routes.unitRoute.forEach((route, src) => route === q && (ir.destinations.toHost[src] = 1));
    }), `route ${q} misses the host`);
  });

  test('a routing table over the target’s capacity, and one exactly at it', () => {
    const entries = R.tables.entries[0];
    const atLimit = (value: number) => (ir: typeof R) => ((ir.ctx.target.routing as unknown as Record<string, unknown>).table_entries = { value, source: 'assumption: test' });
    expectRejected(broken(R, (ir) => (ir.tables.entries[0] = R.tables.capacity + 1)), `group ${R.tables.owner[0]}: ${R.tables.capacity + 1} routing entries, capacity ${R.tables.capacity}`);
    expectRejected(broken(R, atLimit(entries - 1)), `group ${R.tables.owner[0]}: ${entries} routing entries, capacity ${entries - 1}`);
    expect(() => verify(broken(R, atLimit(Math.max(...R.tables.entries))))).not.toThrow();
  });

  test('a table over the target’s capacity is caught even when the table records a larger one', () => {
    // The capacity the route pass recorded is not trusted: the limit is the target's.
    expectRejected(broken(R, (ir) => ((ir.tables.capacity = 1000), (ir.tables.entries[0] = 65))), `group ${R.tables.owner[0]}: 65 routing entries, capacity 64`);
  });
});

describe('verifier after emit', () => {
  let E = int8.emitted;
  beforeEach(() => (E = stages(small, 'int8').emitted));
  // Core maps are in core order; the first one whose population is an EGRU layer, and its slice.
  const egru = E.cores.findIndex((c) => E.populations[c.population].kind === 'egru');
  const c0 = E.cores[egru];
  const pop = E.populations[c0.population].name;

  test('a slice without a core map', () => {
    expectRejected(broken(E, (ir) => (ir.cores = ir.cores.slice(1))), '7 core maps for 8 slices');
  });

  test('a core map for another core, or other units, than its slice', () => {
    expectRejected(broken(E, (ir) => (ir.cores[egru].core = 15)), 'core 15 does not hold slice');
    expectRejected(broken(E, (ir) => (ir.cores[egru].unitStart += 1)), `core ${c0.core} does not hold slice ${c0.slice}`);
    expectRejected(broken(E, (ir) => (ir.cores[egru].unitEnd -= 1)), `core ${c0.core} does not hold slice ${c0.slice}`);
  });

  test('neuron parameters that differ from the population’s', () => {
    const message = `core ${c0.core}: neuron parameters differ from ${pop}'s`;
    expectRejected(broken(E, (ir) => (ir.cores[egru].thr![0] += 1)), message);
    expectRejected(broken(E, (ir) => (ir.cores[egru].bias![0] += 1)), message);
    expectRejected(broken(E, (ir) => (ir.cores[egru].thr = null)), message);
    expectRejected(broken(E, (ir) => (ir.cores[egru].bias = ir.cores[egru].bias!.slice(1))), message);
  });

  test('rows or synapses that differ from the slice’s usage', () => {
    const message = `core ${c0.core}: rows or synapses differ from its usage`;
    expectRejected(broken(E, (ir) => (ir.slices[c0.slice].usage.fanIn += 1)), message);
    expectRejected(broken(E, (ir) => (ir.slices[c0.slice].usage.synapses += 1)), message);
  });

  test('a row from a source with no projection into the core’s population', () => {
    // Decoder unit 0 (source 15) feeds nothing on chip.
    expectRejected(broken(E, (ir) => (ir.cores[egru].rowSource[0] = 15)), `core ${c0.core}: row from source 15, which has no projection into ${pop}`);
  });

  test('a row holding more synapses than the slice has from its source', () => {
    // Row 0 takes row 1's first entry: row 0 is one longer than the model's run, row 1 one shorter.
    const n = c0.rowPtr[1] - c0.rowPtr[0];
    expectRejected(broken(E, (ir) => (ir.cores[egru].rowPtr[1] += 1)), `core ${c0.core}: row of source ${c0.rowSource[0]} holds ${n + 1} synapses, the slice has ${n}`);
  });

  test('an entry with another weight or another target than the projection', () => {
    const message = `core ${c0.core}: row of source ${c0.rowSource[0]}, entry 0 differs from`;
    expectRejected(broken(E, (ir) => (ir.cores[egru].weight[0] += ir.cores[egru].weight[0] > 0 ? -1 : 1)), message);
    expectRejected(broken(E, (ir) => (ir.cores[egru].post[0] += 1)), message);
  });

  test('a synapse never stored: another core’s map in place of its own', () => {
    // Core A's map repeated in place of core B's (the count of maps still matches): B's synapses are nowhere.
    const other = E.cores.findIndex((c, i) => i !== egru && c.population === c0.population);
    expectRejected(broken(E, (ir) => (ir.cores[other] = ir.cores[egru])), 'layer0.input: synapse 0 stored 0 times, expected 1');
  });

  test('a synapse stored twice: one core’s map and its slice repeated', () => {
    // Slice 0 holds layer0 units 0–2, which hold synapse 0 of layer0.input (input 0 → the first accumulator).
    const k = E.cores.findIndex((c) => c.slice === 0);
    const p = E.projections[0];
    expect(p.where === 'chip' && p.synapses.post[0]).toBeLessThan(3 * 4);
    expectRejected(broken(E, (ir) => (ir.cores.push(ir.cores[k]), ir.slices.push(ir.slices[0]))), 'layer0.input: synapse 0 stored 2 times, expected 1');
  });

  test('bit planes: every synapse once per plane', () => {
    const B = stages(small, 'binary').emitted;
    const i = B.cores.findIndex((c) => E.populations[c.population].kind === 'egru');
    const c = B.cores[i];
    // 4 planes: each source's row appears on planes 0–3. Dropping the last row of the core loses one plane of one synapse row.
    expect(c.rowPlane!.slice(0, 4)).toEqual(new Uint8Array([0, 1, 2, 3]));
    expectRejected(broken(B, (ir) => {
      const k = ir.cores[i];
      k.rowPtr = k.rowPtr.slice(0, -1), k.rowSource = k.rowSource.slice(0, -1), k.rowPlane = k.rowPlane!.slice(0, -1);
    }), 'stored 3 times, expected 4');
  });

  test('bit planes: a source’s row on the same plane twice', () => {
    const B = stages(small, 'binary').emitted;
    const i = B.cores.findIndex((c) => E.populations[c.population].kind === 'egru');
    const c = B.cores[i];
    // Row 1 (plane 1 of the first source) relabelled plane 0: counts per synapse still 4, the planes are not 0–3.
    expectRejected(broken(B, (ir) => (ir.cores[i].rowPlane![1] = 0)), `core ${c.core}: source ${c.rowSource[0]} has a row on plane 0 twice or on a plane beyond its 4`);
    expectRejected(broken(B, (ir) => (ir.cores[i].rowPlane![1] = 4)), `core ${c.core}: source ${c.rowSource[0]} has a row on plane 4 twice or on a plane beyond its 4`);
  });

  test('bit planes: a later source’s row on plane 1 twice (one key per source and plane, any source, any plane)', () => {
    const B = stages(small, 'binary').emitted;
    const i = B.cores.findIndex((c) => E.populations[c.population].kind === 'egru');
    const c = B.cores[i];
    // Rows 4–7 are the second source's planes 0–3; that source is not source 0. Row 6 (plane 2) relabelled plane 1:
    // the count per synapse is still 4, only the (source, plane) pair repeats, and only on a plane above 0.
    const src = c.rowSource[4];
    expect(Array.from(c.rowSource.slice(4, 8))).toEqual([src, src, src, src]);
    expect(Array.from(c.rowPlane!.slice(4, 8))).toEqual([0, 1, 2, 3]);
    expect(src).toBeGreaterThan(0);
    expectRejected(broken(B, (ir) => (ir.cores[i].rowPlane![6] = 1)), `core ${c.core}: source ${src} has a row on plane 1 twice or on a plane beyond its 4`);
  });

  test('parameters cut short at the end: a prefix of the population’s is not equal to them', () => {
    expectRejected(broken(E, (ir) => (ir.cores[egru].bias = ir.cores[egru].bias!.slice(0, -1))), `core ${c0.core}: neuron parameters differ from ${pop}'s`);
  });

  test('the last row one synapse short: its count, and the synapse left unstored, not an entry read past the row', () => {
    // rowPtr's end moves back one: the last row holds one synapse fewer while post and weight keep their length
    // (so the usage check still passes). Two invariants break: the row's count and one synapse stored 0 times.
    // Reading the slice's count of entries instead would take the dropped entry (still in post) as stored.
    const last = c0.rowPtr.length - 1;
    const n = c0.rowPtr[last] - c0.rowPtr[last - 1];
    const ir = broken(E, (x) => (x.cores[egru].rowPtr[last] -= 1));
    expectRejected(ir, `core ${c0.core}: row of source ${c0.rowSource[last - 1]} holds ${n - 1} synapses, the slice has ${n}`);
    expect(() => verify(ir)).toThrow(/breaks 2 invariant\(s\): .*; layer\d\.(input|recurrent): synapse \d+ stored 0 times, expected 1$/);
  });

  test('the last row one synapse long: its count only, no entry read past the slice’s part of the row', () => {
    // One entry appended to the core's post and weight (a copy of the last), the last row's end and the slice's
    // synapse count moved up one (so the usage check still passes). One invariant breaks: the row's count. Reading
    // the row's own count of entries instead of the slice's would compare the extra entry with a synapse outside
    // the row's part of the slice (its source is not the projection's first, so the slice's part starts past 0).
    const last = c0.rowPtr.length - 1;
    const n = c0.rowPtr[last] - c0.rowPtr[last - 1];
    const grow = <T extends { length: number; set(a: ArrayLike<number>): void; [i: number]: number }>(a: T): T => {
      const out = new (a.constructor as new (n: number) => T)(a.length + 1);
      out.set(a), (out[a.length] = a[a.length - 1]);
      return out;
    };
    const ir = broken(E, (x) => {
      const c = x.cores[egru];
      c.post = grow(c.post), (c.weight = grow(c.weight)), (c.rowPtr[last] += 1);
      x.slices[c.slice].usage.synapses += 1;
    });
    expect(() => verify(ir)).toThrow(new RegExp(`breaks 1 invariant\\(s\\): core ${c0.core}: row of source ${c0.rowSource[last - 1]} holds ${n + 1} synapses, the slice has ${n}$`));
  });

  test('a missing row of embedding unit 1: the synapse of input 1 left unstored expects 1 event per step', () => {
    // Source 1 is embedding unit 1 (the embedding's sources start at 0). Its row removed from the core (post,
    // weight and the later row pointers shifted): layer0.input's first unstored synapse is one of input 1.
    const row = c0.rowSource.indexOf(1);
    expect(row).toBeGreaterThanOrEqual(0);
    const ir = broken(E, (x) => {
      const c = x.cores[egru];
      const [from, to] = [c.rowPtr[row], c.rowPtr[row + 1]];
      // The entries before the row, then those after it.
      type Entries = { slice(a: number, b: number): Entries; subarray(a: number): ArrayLike<number>; set(a: ArrayLike<number>, at: number): void; length: number };
      const cut = <T extends Entries>(a: T): T => {
        const out = a.slice(0, a.length - (to - from));
        out.set(a.subarray(to), from);
        return out as T;
      };
      c.post = cut(c.post);
      c.weight = cut(c.weight);
      c.rowSource = Int32Array.from([...c.rowSource.slice(0, row), ...c.rowSource.slice(row + 1)]) as typeof c.rowSource;
      c.rowPtr = Int32Array.from([...c.rowPtr.slice(0, row + 1), ...Array.from(c.rowPtr.slice(row + 2), (v) => v - (to - from))]) as typeof c.rowPtr;
    });
    expectRejected(ir, `core ${c0.core}: rows or synapses differ from its usage`);
    expect(() => verify(ir)).toThrow(/layer0\.input: synapse \d+ stored 0 times, expected 1$/);
  });

  test('more problems than the message shows: the count of all, the first six, separated by "; "', () => {
    // Every core's first bias moved: one problem per core map (8 slices, 8 cores), of which the message shows 6.
    expect(E.cores).toHaveLength(8);
    const ir = broken(E, (x) => x.cores.forEach((c) => (c.bias![0] += 1)));
    let message = '';
    try {
      verify(ir);
    } catch (e) {
      message = (e as Error).message;
    }
    const [head, list] = message.split(' invariant(s): ');
    expect(head).toBe('compiler bug: after emitted the map breaks 8');
    const shown = list.split('; ');
    expect(shown).toHaveLength(6);
    for (const p of shown) expect(p).toMatch(/^core \d+: neuron parameters differ from \w+'s$/);
  });
});
