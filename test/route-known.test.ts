/**
 * Routing tables (compiler/route.ts) at the two scopes compiler-known.test.ts does not cover, worked by hand on the
 * hand placement it uses: tiny with one neuron per core, a layer of 2 units from a 2-wide embedding, the decoder on
 * the host; unit 0 on core 0 (chip 0, router 0), unit 1 on core 15 (chip 1, router 7). tiny's routers are
 * chip · 4 + y · 2 + x; its grid row y = 0 is routers 0, 1 | 4, 5 and row y = 1 is 2, 3 | 6, 7.
 * Routes (compiler-known.test.ts): 0, the embedding's, from router 0 along 0>1>4>5>7 to cores 0 and 15; 1, unit 0's,
 * the same path, and to the host; 2, unit 1's, from router 7 along 7>6>3>2>0 (west, west, west, north) to cores 0
 * and 15, and to the host (at router 0).
 */
import { LINK, type Placed, type RoutingTables } from '../compiler/ir';
import { route } from '../compiler/route';
import { verify } from '../compiler/verify';
import type { LanguageModel } from '../models/model';
import { recurrentKernelName } from '../models/params';
import { loadTarget } from '../targets/load';
import type { Target } from '../targets/schema';
import { partitioned } from './helpers/partitioned';
import { variantOf } from './helpers/targets';
import { fixtureConfig, randomModel } from './fixtures/model';

const tiny = loadTarget('tiny');

/** tiny with one neuron per core and its routing tables at another scope (and, for core scope, another delivery). */
function scoped(scope: 'core' | 'chip', delivery = 'multicast', tableEntries?: number): Target {
  return variantOf(tiny, `tiny-${scope}`, (data) => {
    data.core.neurons.value = 1;
    data.routing.table_scope = scope;
    data.routing.delivery.value = delivery;
    if (tableEntries !== undefined) data.routing.table_entries.value = tableEntries;
  });
}

/** Routed (and verified) with slice s on core sliceCore[s]; by default the layer of 2 units on cores 0 and 15. */
function routedByHand(target: Target, model: LanguageModel = randomModel(fixtureConfig({ emb: 2, layers: [2], vocabSize: 3 })), sliceCore = [0, 15]) {
  const ir = partitioned(model, target);
  const placed: Placed = {
    ...ir, stage: 'placed', chips: 2, sliceCore: Int32Array.from(sliceCore),
    placement: { heuristic: 'by hand', initialCost: 0, finalCost: 0, swaps: 0 },
  };
  const routed = route(placed);
  verify(routed);
  return routed;
}

/** Table t's entries as (source slice, links, delivery cores). */
function entries(t: RoutingTables, i: number) {
  return Array.from({ length: t.entries[i] }, (_, k) => {
    const e = t.entryPtr[i] + k;
    return { source: t.entrySource[e], links: t.entryLinks[e], cores: Array.from(t.deliveryCore.subarray(t.deliveryPtr[e], t.deliveryPtr[e + 1])) };
  });
}

it('chip scope: one table per chip, holding the entries of every route through it, links between chips', () => {
  const t = routedByHand(scoped('chip')).tables;
  expect(t.scope).toBe('chip');
  // Chip 0 holds routers 0–3, chip 1 routers 4–7: both tables are visited by all three routes.
  expect(Array.from(t.owner)).toEqual([0, 1]);
  expect(Array.from(t.entries)).toEqual([3, 3]);
  // Chip 0: routes 0 and 1 leave east (router 1 → 4) and deliver to core 0; route 1 also to the host; route 2 arrives
  // from chip 1 and delivers to core 0 and the host.
  expect(entries(t, 0)).toEqual([
    { source: -1, links: LINK.east, cores: [0] },
    { source: 0, links: LINK.east | LINK.host, cores: [0] },
    { source: 1, links: LINK.host, cores: [0] },
  ]);
  // Chip 1: routes 0 and 1 end there (core 15); route 2 starts there and leaves west (router 6 → 3).
  expect(entries(t, 1)).toEqual([
    { source: -1, links: 0, cores: [15] },
    { source: 0, links: 0, cores: [15] },
    { source: 1, links: LINK.west, cores: [15] },
  ]);
});

it('core scope: one output-axon table per slice, on its core, with its fan-out, and no router entries', () => {
  // Per destination core (as Loihi): a unit's fan-out is its destination cores plus the host. Unit 0 feeds both units
  // (cores 0 and 15) and the host decoder: 3. Unit 1's recurrent weights are zeroed: it feeds only the host: 1.
  const model = randomModel(fixtureConfig({ emb: 2, layers: [2], vocabSize: 3 }));
  model.params[recurrentKernelName(0)].data.fill(0, 6, 12); // row 1 of [2, 6] (gates z, r, g of 2 units)
  const t = routedByHand(scoped('core', 'per-destination-core'), model).tables;
  expect(t.scope).toBe('core');
  expect(Array.from(t.owner)).toEqual([0, 15]);
  expect(Array.from(t.entries)).toEqual([3, 1]);
  // No entries are stored: a pointer per slice and one past the end, all 0.
  expect(Array.from(t.entryPtr)).toEqual([0, 0, 0]);
  expect([t.entrySource.length, t.entryLinks.length, t.deliveryCore.length]).toEqual([0, 0, 0]);
  expect(Array.from(t.deliveryPtr)).toEqual([0]);
});

describe('routes and table entries are keyed by their whole destination lists', () => {
  // tiny with 8 cores a tile (32 a chip), one neuron per core and chip-scope tables; a layer of 4 units, one per
  // slice, placed by hand on cores 1, 2, 3 (tile 0, router 0, the host's) and 23 (tile 2, router 2). The 2-wide
  // embedding (on the host) has unit 0 feeding units 0, 1, 2 and unit 1 feeding units 0 and 3; no recurrent
  // weights; every layer unit feeds the host decoder. So the host source sends to cores [1, 2, 3] and [1, 23]:
  // two destination lists whose digits read alike ("123") if they were written without a separator.
  function routedWide() {
    const wide = variantOf(tiny, 'tiny-wide', (data) => {
      data.topology.cores_per_group.value = 8;
      data.core.neurons.value = 1;
      data.routing.table_scope = 'chip';
    });
    const model = randomModel(fixtureConfig({ emb: 2, layers: [4], vocabSize: 3 }));
    const W = model.params['layers.0.kernel'].data; // [2, 12]: column gate · 4 + unit
    for (let g = 0; g < 3; g++) {
      W[g * 4 + 3] = 0; // embedding unit 0 does not feed unit 3
      W[12 + g * 4 + 1] = 0; // embedding unit 1 feeds neither unit 1 …
      W[12 + g * 4 + 2] = 0; // … nor unit 2
    }
    model.params[recurrentKernelName(0)].data.fill(0);
    const ir = partitioned(model, wide);
    const placed: Placed = {
      ...ir, stage: 'placed', chips: 1, sliceCore: Int32Array.from([1, 2, 3, 23]),
      placement: { heuristic: 'by hand', initialCost: 0, finalCost: 0, swaps: 0 },
    };
    const routed = route(placed);
    verify(routed);
    return routed;
  }

  it('the two embedding units get a route each, to [1, 2, 3] and to [1, 23]; each layer unit one to the host', () => {
    const { routes } = routedWide();
    expect(routes.count).toBe(6);
    expect(Array.from(routes.unitRoute.subarray(0, 2))).toEqual([0, 1]);
    const dests = (r: number) => Array.from(routes.destCore.subarray(routes.destPtr[r], routes.destPtr[r + 1]));
    expect([0, 1, 2, 3, 4, 5].map(dests)).toEqual([[1, 2, 3], [1, 23], [], [], [], []]);
    expect(Array.from(routes.toHost)).toEqual([0, 0, 1, 1, 1, 1]);
  });

  it("chip 0's table holds both embedding entries apart (same source, same links) and one host entry per slice", () => {
    const t = routedWide().tables;
    expect(Array.from(t.owner)).toEqual([0]);
    expect(entries(t, 0)).toEqual([
      { source: -1, links: 0, cores: [1, 2, 3] },
      { source: -1, links: 0, cores: [1, 23] },
      { source: 0, links: LINK.host, cores: [] },
      { source: 1, links: LINK.host, cores: [] },
      { source: 2, links: LINK.host, cores: [] },
      { source: 3, links: LINK.host, cores: [] },
    ]);
  });
});

describe('the fullest table is found wherever it is, and the route note counts it', () => {
  // tiny with one neuron per core and chip-scope tables; the 2-wide embedding feeds layer 0 (2 units), which feeds
  // layer 1 (2 units), which feeds the host decoder; every unit also feeds its own layer (dense random weights).
  // Placed by hand on chip 1 only: layer 0 on cores 14, 15 (router 7, grid (3, 1)), layer 1 on cores 12, 13 (router 6,
  // grid (2, 1)). Routes (each unit its own but the embedding's two, which share one key):
  //   R0 the embedding's, from the host (router 0, (0, 0)) x first to (3, 0) then to (3, 1): 0>1>4>5>7, 4 links, to
  //      cores 14, 15;
  //   R1, R2 layer 0's, from router 7 to cores 12–15: 7>6, 1 link each;
  //   R3, R4 layer 1's, from router 6 to cores 12, 13 and the host: x first 6>3>2 then 2>0, 3 links each.
  // 5 routes, 4 + 1 + 1 + 3 + 3 = 12 links. Chip 0's table (routers 0–3) holds R0 (leaving east), R3 and R4 (arriving,
  // to the host): 3 entries. Chip 1's (routers 4–7) holds all five: 5. The fullest table is the second one.
  const routedOnChip1 = (tableEntries?: number) =>
    routedByHand(scoped('chip', 'multicast', tableEntries), randomModel(fixtureConfig({ emb: 2, layers: [2, 2], vocabSize: 3 })), [14, 15, 12, 13]);

  it('holds 3 and 5 entries, and the note names 5 routes, 12 links, 2 chip tables and at most 5 of 64 entries', () => {
    const routed = routedOnChip1();
    expect(routed.routes.count).toBe(5);
    expect(routed.routes.edgeFrom.length).toBe(12);
    expect(Array.from(routed.tables.owner)).toEqual([0, 1]);
    expect(Array.from(routed.tables.entries)).toEqual([3, 5]);
    const note = routed.diagnostics.find((d) => d.pass === 'route');
    expect(note?.message).toBe('5 multicast routes, 12 links; 2 chip tables, at most 5 of 64 entries');
  });

  it('a limit of 4 entries refuses the model, naming chip 1 (chip 0 alone would fit)', () => {
    expect(() => routedOnChip1(4)).toThrow('the routing table of chip 1 needs 5 entries, it holds 4');
  });
});
