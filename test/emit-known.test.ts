/**
 * What emit (compiler/emit.ts) writes per core, worked by hand on the invented tiny target (2 chips of a 2 × 2
 * mesh of groups, 2 cores per group): the array type of the local accumulators, chosen from the index bits,
 * the routing table a core's packets start from, and the pass's note (core maps and synapse rows in all).
 */
import { emit } from '../compiler/emit';
import type { CompileOptions, Routed, RoutingTables } from '../compiler/ir';
import { lower } from '../compiler/lower';
import { partition } from '../compiler/partition';
import { DEFAULT_OPTIONS } from '../compiler/pipeline';
import { place } from '../compiler/place';
import { quantize } from '../compiler/quantize';
import { route } from '../compiler/route';
import { kernelName, recurrentKernelName } from '../models/params';
import { loadTarget } from '../targets/load';
import { variantOf } from './helpers/targets';
import type { Target } from '../targets/schema';
import { fixtureConfig, randomModel } from './fixtures/model';

const tiny = loadTarget('tiny');
// One layer of 3 units (4 accumulators each) fed by a 2-wide embedding, decoder on the host: one slice, one core.
const model = randomModel(fixtureConfig({ emb: 2, layers: [3], vocabSize: 3 }));

function routed(target: Target, options: Partial<CompileOptions> = {}): Routed {
  return route(place(partition(quantize(lower(model, target, { ...DEFAULT_OPTIONS, decoder: 'host', ...options })))));
}

/** tiny with the synapse encoding's index bits changed: a core then names 2^bits postsynaptic accumulators. */
function indexBits(bits: number): Target {
  return variantOf(tiny, `tiny-${bits}`, (data) => (data.core.synapse_encoding.index_bits.value = bits));
}

describe('local accumulators in the narrowest array the index bits allow', () => {
  it('8 bits (256 addresses): bytes; 9 and 16 bits: 16-bit words; 17 bits: 32-bit words', () => {
    // The layer's 12 accumulators (3 units × 4 slots) are numbered 0…11 on its one core whatever the width.
    const posts = [8, 9, 16, 17].map((bits) => emit(routed(indexBits(bits))).cores[0].post);
    expect(posts.map((p) => p.constructor.name)).toEqual(['Uint8Array', 'Uint16Array', 'Uint16Array', 'Uint32Array']);
    expect(new Set(posts.map((p) => Array.from(p).join())).size).toBe(1);
    expect(Math.max(...posts[0])).toBe(11);
  });
});

describe('routing entries a core starts from', () => {
  // The layer's one slice put on a chosen core by hand, and routing tables with made-up entry counts per owner.
  // tiny's core c: chip ⌊c / 8⌋, group ⌊(c mod 8) / 2⌋ at x = group mod 2, y = ⌊group / 2⌋; its router is
  // chip · 4 + y · 2 + x. Core 6: chip 0, group 3 (1, 1), router 3. Core 12: chip 1, group 2 (0, 1), router 6.
  const base = routed(tiny);
  const tables = (scope: RoutingTables['scope'], owner: number[], entries: number[]): RoutingTables =>
    ({ ...base.tables, scope, owner: Int32Array.from(owner), entries: Int32Array.from(entries) });
  const entriesOn = (core: number, t: RoutingTables) =>
    emit({ ...base, sliceCore: Int32Array.from(base.slices, () => core), tables: t }).cores[0].routingEntries;

  it('group scope: the table of the core’s own router', () => {
    // Routers 0, 2, 3, 4, 6 hold 10, 12, 13, 14, 16 entries: core 6 (router 3) starts from 13, core 12 (router 6) from 16.
    const t = tables('group', [0, 2, 3, 4, 6], [10, 12, 13, 14, 16]);
    expect(base.slices.length).toBe(1);
    expect([entriesOn(6, t), entriesOn(12, t)]).toEqual([13, 16]);
    // A router without a table (router 1: core 2 or 3) starts from none.
    expect(entriesOn(2, t)).toBe(0);
  });

  it('core scope: the core’s own fan-out, not a table looked up by router', () => {
    // A table per core holds one entry per route leaving it: the slice's fan-out. The made-up tables give routers
    // 3 and 6 (the routers of cores 6 and 12) other counts, which a lookup by router would return.
    const fanOut = base.slices[0].usage.fanOut;
    const t = tables('core', [3, 6], [fanOut + 7, fanOut + 9]);
    expect([entriesOn(6, t), entriesOn(12, t)]).toEqual([fanOut, fanOut]);
  });

  it('chip scope: the table of the core’s chip', () => {
    // Chips 0 and 1 hold 5 and 9 entries: core 6 (chip 0, router 3) starts from 5, core 12 (chip 1, router 6) from 9.
    const t = tables('chip', [0, 1], [5, 9]);
    expect([entriesOn(6, t), entriesOn(12, t)]).toEqual([5, 9]);
  });
});

describe('the emit note', () => {
  it('counts the core maps and the synapse rows of all of them: 2 maps, 2 + 3 rows', () => {
    // Embedding 2 (sources 0–1), layer0 3 units (sources 2–4), layer1 2 units (sources 5–6), decoder on the host;
    // every matrix into a layer zero but for the weights set here. Kernels are [inputs, 3H] in gate blocks z | r | g,
    // so row j starts at j · 3H. On tiny each layer is one slice (pack), one core each.
    const m = randomModel(fixtureConfig({ emb: 2, layers: [3, 2], vocabSize: 3 }));
    for (const name of [kernelName(0), recurrentKernelName(0), kernelName(1), recurrentKernelName(1)]) m.params[name].data.fill(0);
    // layer0's core: embedding 0 → z of unit 0 and g of unit 2 (one row, source 0; embedding 1 has none);
    // layer0 unit 1 → r of unit 0 (one row, source 3). 2 rows.
    m.params[kernelName(0)].data.set([0.5], 0);
    m.params[kernelName(0)].data.set([0.5], 8);
    m.params[recurrentKernelName(0)].data.set([0.5], 1 * 9 + 3);
    // layer1's core: layer0 units 0 and 2 (sources 2, 4) and layer1 unit 1 (source 6), one weight each. 3 rows.
    m.params[kernelName(1)].data.set([0.5], 0);
    m.params[kernelName(1)].data.set([0.5], 2 * 6 + 5);
    m.params[recurrentKernelName(1)].data.set([0.5], 1 * 6 + 0);
    const emitted = emit(route(place(partition(quantize(lower(m, tiny, { ...DEFAULT_OPTIONS, decoder: 'host' }))))));
    expect(emitted.cores.map((c) => Array.from(c.rowSource))).toEqual([[0, 3], [2, 4, 6]]);
    expect(emitted.diagnostics.filter((d) => d.pass === 'emit')).toEqual([{ pass: 'emit', level: 'info', message: '2 core maps, 5 synapse rows' }]);
  });
});
