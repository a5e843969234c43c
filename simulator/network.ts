/**
 * The routes of a map prepared for the engine: for every tree edge its parent edge, its kind (east-west,
 * north-south, chip-to-chip) and the physical link it occupies; for every destination the edge that
 * reaches its router (−1: delivered at the route's origin router, a `spike_within_group`).
 * A link is (router, direction); a packet holds it for one hop's latency (targets/README.md).
 */
import { grid } from './grid';
import { routerId, type SimMap } from './map';
import type { Target } from '../targets/schema';

export const HOP = { eastWest: 0, northSouth: 1, chip: 2 } as const;

export interface Network {
  edgeParent: Int32Array;
  edgeKind: Uint8Array;
  edgeLink: Int32Array;
  destEdge: Int32Array;
  /** Map index (position in map.cores) of every destination. */
  destIndex: Int32Array;
  /**
   * End (exclusive) of the run of consecutive destinations of the same route reached by the same edge (the
   * cores of one router): they receive a packet at the same instant, so the engine delivers a run as one event.
   */
  destRunEnd: Int32Array;
  /** Per route: the edge that reaches the host's router 0, −1 when the route starts there, −2 when it does not go to the host. */
  hostEdge: Int32Array;
  links: number;
}

/**
 * For per-destination-core delivery (targets/README.md routing.delivery): every message travels alone along the
 * dimension-order path from its route's origin to its destination, which is the tree's path from the root to
 * the destination's edge. Destination d's path is path[pathPtr[d] … pathPtr[d+1]−1], root first; a route's path
 * to the host is hostPath[hostPathPtr[r] … hostPathPtr[r+1]−1] (empty when the host is at the origin or not a
 * destination).
 */
export interface Paths {
  pathPtr: Int32Array;
  path: Int32Array;
  hostPathPtr: Int32Array;
  hostPath: Int32Array;
}

/** Every destination's own path through its route's tree (Paths). */
export function destinationPaths(net: Network, routes: number): Paths {
  const up = (e: number, out: number[]) => {
    const from = out.length;
    for (; e >= 0; e = net.edgeParent[e]) out.push(e);
    // Walked leaf to root: reverse into root-first order.
    for (let a = from, b = out.length - 1; a < b; a++, b--) [out[a], out[b]] = [out[b], out[a]];
  };
  const path: number[] = [], pathPtr = [0];
  for (let d = 0; d < net.destEdge.length; d++) up(net.destEdge[d], path), pathPtr.push(path.length);
  const hostPath: number[] = [], hostPathPtr = [0];
  for (let r = 0; r < routes; r++) up(net.hostEdge[r], hostPath), hostPathPtr.push(hostPath.length);
  return { pathPtr: Int32Array.from(pathPtr), path: Int32Array.from(path), hostPathPtr: Int32Array.from(hostPathPtr), hostPath: Int32Array.from(hostPath) };
}

export function prepareNetwork(map: SimMap, t: Target): Network {
  const g = grid(t);
  const r = map.routes;
  const edges = r.edgeFrom.length;
  const edgeParent = new Int32Array(edges).fill(-1);
  const edgeKind = new Uint8Array(edges);
  const edgeLink = new Int32Array(edges);
  const destEdge = new Int32Array(r.destCore.length).fill(-1);
  const destIndex = new Int32Array(r.destCore.length);
  const destRunEnd = new Int32Array(r.destCore.length);
  const hostEdge = new Int32Array(r.count).fill(-2);
  // By global core id (−1: not in the map): its router and its index in map.cores.
  let ids = 0;
  for (const c of map.cores) ids = Math.max(ids, c.core + 1);
  for (const c of r.destCore) ids = Math.max(ids, c + 1);
  const routerOfCore = new Int32Array(ids).fill(-1), indexOfCore = new Int32Array(ids).fill(-1);
  map.cores.forEach((c, i) => {
    routerOfCore[c.core] = routerId(c.chip, c.x, c.y, g.width, g.height);
    indexOfCore[c.core] = i;
  });
  let maxRouter = 0;
  for (let e = 0; e < edges; e++) maxRouter = Math.max(maxRouter, r.edgeFrom[e], r.edgeTo[e]);
  for (const router of routerOfCore) maxRouter = Math.max(maxRouter, router);
  // Grid coordinates and chip of every router, worked out once (grid() derives them per call).
  const gx = new Int32Array(maxRouter + 1), gy = new Int32Array(maxRouter + 1), chip = new Int32Array(maxRouter + 1);
  for (let router = 0; router <= maxRouter; router++) (gx[router] = g.gx(router)), (gy[router] = g.gy(router)), (chip[router] = g.chipOf(router));
  // Per route, the edge arriving at each router it visits (valid where `stamp` holds the route; −1: none).
  const intoEdge = new Int32Array(maxRouter + 1), stamp = new Int32Array(maxRouter + 1).fill(-1);
  const arriving = (router: number, route: number) => (stamp[router] === route ? intoEdge[router] : -1);
  for (let route = 0; route < r.count; route++) {
    for (let e = r.edgePtr[route]; e < r.edgePtr[route + 1]; e++) {
      const from = r.edgeFrom[e], to = r.edgeTo[e];
      if (from !== r.origin[route]) {
        const parent = arriving(from, route);
        if (parent < 0) throw new Error(`route ${route}: edge ${from}→${to} has no parent edge (edges must come parents first)`);
        edgeParent[e] = parent;
      }
      stamp[to] = route;
      intoEdge[to] = e;
      const dx = gx[to] - gx[from], dy = gy[to] - gy[from];
      if (Math.abs(dx) + Math.abs(dy) !== 1) throw new Error(`route ${route}: routers ${from} and ${to} are not neighbours`);
      edgeKind[e] = chip[from] !== chip[to] ? HOP.chip : dx !== 0 ? HOP.eastWest : HOP.northSouth;
      edgeLink[e] = from * 4 + (dx > 0 ? 0 : dx < 0 ? 1 : dy < 0 ? 2 : 3);
    }
    for (let d = r.destPtr[route]; d < r.destPtr[route + 1]; d++) {
      const router = routerOfCore[r.destCore[d]];
      if (router < 0) throw new Error(`route ${route}: destination core ${r.destCore[d]} is not in the map`);
      destIndex[d] = indexOfCore[r.destCore[d]];
      if (router !== r.origin[route]) {
        const e = arriving(router, route);
        if (e < 0) throw new Error(`route ${route}: no edge reaches core ${r.destCore[d]} (router ${router})`);
        destEdge[d] = e;
      }
    }
    for (let d = r.destPtr[route + 1] - 1; d >= r.destPtr[route]; d--)
      destRunEnd[d] = d + 1 < r.destPtr[route + 1] && destEdge[d + 1] === destEdge[d] ? destRunEnd[d + 1] : d + 1;
    if (r.toHost[route]) {
      const e = r.origin[route] === 0 ? -1 : arriving(0, route);
      if (e === -1 && r.origin[route] !== 0) throw new Error(`route ${route}: goes to the host but no edge reaches router 0`);
      hostEdge[route] = e;
    }
  }
  return { edgeParent, edgeKind, edgeLink, destEdge, destIndex, destRunEnd, hostEdge, links: (maxRouter + 1) * 4 };
}
