/**
 * Known answers for simulator/network.ts: the parent, kind and physical link of every edge of a hand-made set of
 * routes that uses each direction (east, west, north, south) and chip hops, the edge that reaches each
 * destination and the runs of destinations sharing one, the edge to the host, every destination's own path
 * root first; and every malformed route refused with the message that names what is wrong. All worked out by
 * hand below; every map is built and prepared inside its test (Stryker credits only code run there).
 *
 * The tiny target: 2 chips side by side, each a 2 × 2 mesh of 2-core tiles. Router id = chip · 4 + y · 2 + x
 * (map.ts routerId); on the system grid router 0 is (0,0), 1 (1,0), 2 (0,1), 3 (1,1), chip 1's 4 (2,0),
 * 5 (3,0), 6 (2,1), 7 (3,1). Core c sits on router ⌊c / 2⌋ (8 cores a chip, 2 a tile). Grid y grows south.
 * A link is router · 4 + direction, east 0, west 1, north 2, south 3: the numbering the trace names its link
 * tracks by ("router 1 → south", simulator/trace.ts).
 */
import { routerId, type SimCore, type SimMap, type SimRoutes } from '../simulator/map';
import { destinationPaths, prepareNetwork } from '../simulator/network';
import { coreLocation } from '../targets/derive';
import { loadTarget } from '../targets/load';

const tiny = loadTarget('tiny');

/** A route as written by hand: its origin router, its edges [from, to] parents first, its destination cores. */
interface RouteSpec {
  origin: number;
  edges: [number, number][];
  dests: number[];
  toHost?: boolean;
}

function routes(specs: RouteSpec[]): SimRoutes {
  const count = specs.length;
  const edgePtr = [0], destPtr = [0];
  for (const s of specs) edgePtr.push(edgePtr[edgePtr.length - 1] + s.edges.length), destPtr.push(destPtr[destPtr.length - 1] + s.dests.length);
  return {
    count, origin: Int32Array.from(specs, (s) => s.origin), edgePtr: Int32Array.from(edgePtr),
    edgeFrom: Int32Array.from(specs.flatMap((s) => s.edges.map((e) => e[0]))), edgeTo: Int32Array.from(specs.flatMap((s) => s.edges.map((e) => e[1]))),
    destPtr: Int32Array.from(destPtr), destCore: Int32Array.from(specs.flatMap((s) => s.dests)),
    toHost: Uint8Array.from(specs, (s) => (s.toHost ? 1 : 0)), unitRoute: new Int32Array(0),
  };
}

/** A map of empty cores (prepareNetwork reads only where they sit) with the given routes. */
function simMap(coreIds: number[], specs: RouteSpec[]): SimMap {
  const cores: SimCore[] = coreIds.map((id) => {
    const at = coreLocation(tiny, id);
    return {
      core: id, chip: at.chip, x: at.x, y: at.y, index: at.core, population: 0, unitStart: 0, unitEnd: 0, thr: null, bias: null,
      rowSource: new Int32Array(0), rowPtr: new Int32Array(1), post: new Uint8Array(0), weight: new Float32Array(0),
    };
  });
  return { target: tiny.name, arith: tiny.default_arithmetic, chips: 2, populations: [], sources: 0, cores, routes: routes(specs) };
}

/**
 * Route 0 starts at router 1 and ends there (cores 2, 3): no edge. Route 1 starts at the host's router 0:
 * edge 0: 0 → 1 east (link 0 · 4 + 0 = 0), edge 1: 1 → 3 south (1 · 4 + 3 = 7), edge 2: 3 → 2 west
 * (3 · 4 + 1 = 13), edge 3: 1 → 4 east over the chip boundary (1 · 4 + 0 = 4, a chip hop); to cores 1 (router 0,
 * the origin), 3 (router 1), 4, 5 (router 2), 6 (router 3), 9 (router 4) and the host (at its origin).
 * Route 2 starts at router 7 (core 15): edge 4: 7 → 5 north (7 · 4 + 2 = 30), edge 5: 7 → 6 west (29), edge 6:
 * 5 → 4 west (21), edge 7: 4 → 1 west over the chip boundary (17), edge 8: 1 → 0 west (5); to cores 10
 * (router 5), 12 (router 6), 15 (the origin) and the host.
 */
const good: RouteSpec[] = [
  { origin: 1, edges: [], dests: [2, 3] },
  { origin: 0, edges: [[0, 1], [1, 3], [3, 2], [1, 4]], dests: [1, 3, 4, 5, 6, 9], toHost: true },
  { origin: 7, edges: [[7, 5], [7, 6], [5, 4], [4, 1], [1, 0]], dests: [10, 12, 15], toHost: true },
];
const goodCores = [1, 2, 3, 4, 5, 6, 9, 10, 12, 15];

describe('the prepared network of hand-made routes', () => {
  it('every edge\'s parent, kind and link; every destination\'s edge, run and map index; the edges to the host', () => {
    const net = prepareNetwork(simMap(goodCores, good), tiny);
    // Route 1: edges 1 and 3 leave router 1, reached by edge 0; edge 2 leaves router 3, reached by edge 1.
    // Route 2: edges 4, 5 leave the origin; 6 leaves router 5 (edge 4), 7 router 4 (edge 6), 8 router 1 (edge 7).
    expect(Array.from(net.edgeParent)).toEqual([-1, 0, 1, 0, -1, -1, 4, 6, 7]);
    // Kinds: east-west 0, north-south 1, chip hop 2 (router 1 is chip 0, router 4 chip 1).
    expect(Array.from(net.edgeKind)).toEqual([0, 1, 0, 2, 1, 0, 0, 2, 0]);
    expect(Array.from(net.edgeLink)).toEqual([0, 7, 13, 4, 30, 29, 21, 17, 5]);
    // Routers 0 … 7, four links each.
    expect(net.links).toBe(32);
    // Destinations in order: route 0's cores 2, 3 (both at its origin); route 1's 1 (origin), 3 (edge 0),
    // 4 and 5 (edge 2), 6 (edge 1), 9 (edge 3); route 2's 10 (edge 4), 12 (edge 5), 15 (origin).
    expect(Array.from(net.destEdge)).toEqual([-1, -1, -1, 0, 2, 2, 1, 3, 4, 5, -1]);
    // A run ends where the next destination of the same route has another edge: 2 and 3 share router 1 and
    // end at 2; route 1's core 1 alone (ends 3), core 3 alone (4), cores 4, 5 together (6), 6 (7), 9 (8);
    // route 2 one each. Route 0's last destination and route 1's first both sit at their origins (edge −1),
    // yet a run never crosses into the next route.
    expect(Array.from(net.destRunEnd)).toEqual([2, 2, 3, 4, 6, 6, 7, 8, 9, 10, 11]);
    // Position of each destination core in goodCores.
    expect(Array.from(net.destIndex)).toEqual([1, 2, 0, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Route 0 does not go to the host (−2), route 1 starts at router 0 (−1), route 2 reaches it by edge 8.
    expect(Array.from(net.hostEdge)).toEqual([-2, -1, 8]);
  });

  it('every destination\'s own path and each route\'s path to the host, root first', () => {
    const net = prepareNetwork(simMap(goodCores, good), tiny);
    const p = destinationPaths(net, good.length);
    // Destinations at an origin: no edge. Core 3: [0]; cores 4 and 5: 0 → 1 → 3 → 2, edges [0, 1, 2]; core 6:
    // [0, 1]; core 9: [0, 3]; core 10: [4]; core 12: [5].
    expect(Array.from(p.path)).toEqual([0, 0, 1, 2, 0, 1, 2, 0, 1, 0, 3, 4, 5]);
    expect(Array.from(p.pathPtr)).toEqual([0, 0, 0, 0, 1, 4, 7, 9, 11, 12, 13, 13]);
    // Route 2 to the host: 7 → 5 → 4 → 1 → 0, edges 4, 6, 7, 8; routes 0 and 1 have none.
    expect(Array.from(p.hostPath)).toEqual([4, 6, 7, 8]);
    expect(Array.from(p.hostPathPtr)).toEqual([0, 0, 0, 4]);
  });

  it('router ids on a mesh wider than high (map.ts routerId)', () => {
    // A 3 × 2 mesh (as in test/grid-known.test.ts): chip 7's (2, 1) is 7 · 6 + 1 · 3 + 2 = 47.
    expect(routerId(7, 2, 1, 3, 2)).toBe(47);
    // Chip 1's (0, 0) on tiny: 1 · 4 = 4.
    expect(routerId(1, 0, 0, 2, 2)).toBe(4);
  });
});

describe('malformed routes are refused, saying what is wrong', () => {
  const refusal = (spec: RouteSpec, cores = goodCores) => () => prepareNetwork(simMap(cores, [spec]), tiny);

  it('an edge listed before the edge that reaches its start', () => {
    expect(refusal({ origin: 0, edges: [[1, 3], [0, 1]], dests: [6] }))
      .toThrow('route 0: edge 1→3 has no parent edge (edges must come parents first)');
  });

  it('an edge between routers that are not neighbours', () => {
    // Router 0 (0,0) to router 3 (1,1): a diagonal, two hops.
    expect(refusal({ origin: 0, edges: [[0, 3]], dests: [6] })).toThrow('route 0: routers 0 and 3 are not neighbours');
  });

  it('a destination core the map does not hold', () => {
    // Core 7 (router 3) is on the chip but not in the map.
    expect(refusal({ origin: 0, edges: [[0, 1], [1, 3]], dests: [7] })).toThrow('route 0: destination core 7 is not in the map');
  });

  it('a destination on a router no edge reaches', () => {
    // Core 4 sits on router 2; the route goes only east to router 1.
    expect(refusal({ origin: 0, edges: [[0, 1]], dests: [3, 4] })).toThrow('route 0: no edge reaches core 4 (router 2)');
  });

  it('a route to the host that never reaches router 0', () => {
    expect(refusal({ origin: 1, edges: [[1, 3]], dests: [6], toHost: true })).toThrow('route 0: goes to the host but no edge reaches router 0');
  });
});
