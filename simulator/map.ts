/**
 * The simulator's input: a compiled map as plain typed data, independent of the compiler's IR so the
 * simulator can be built and tested on its own. It mirrors compiler/emit.ts (CoreMap) and the compiler's
 * Routes closely, so the adapter from an emitted `*.nmap` (from-nmap.ts) stays a field-by-field copy.
 *
 * Sources (presynaptic units) are numbered globally across populations: population p owns sources
 * sourceBase … sourceBase+size−1. Routers are numbered as in compiler/mesh.ts:
 * chip · mesh_width · mesh_height + y · mesh_width + x; the host attaches at router 0.
 */

/** A group of units: the host-side embedding, or one layer computed on cores. */
export interface SimPopulation {
  name: string;
  kind: 'embedding' | 'egru' | 'relu' | 'linear';
  where: 'host' | 'chip';
  size: number;
  sourceBase: number;
  /** Accumulators per unit (EGRU: 4 = z, r, W_g·x, R_g·y); local post = unit × slots + slot. */
  slots: number;
  /** Populations whose events this one consumes in the same timestep (feed-forward); others arrive for the next step. */
  inputs: number[];
  /**
   * Bit-plane events (absent: an event is one packet carrying its value). An event of value q · scale, q an
   * integer of `planes` bits (two's complement when signed), leaves as one binary spike per set bit k, on axon
   * (source, plane k); the spike counts 2^k · scale (−2^(planes−1) · scale for the top bit of a signed q).
   */
  spikes?: { planes: number; signed: boolean; scale: number };
}

/** One core's share: its units and its synapse rows (CSR by presynaptic source). */
export interface SimCore {
  /** Global core id (chip · cores per chip + local id). */
  core: number;
  chip: number;
  x: number;
  y: number;
  /** Index within the group (tile, quad-PE). */
  index: number;
  population: number;
  unitStart: number;
  unitEnd: number;
  /** Per unit (thr) and per accumulator (bias); null where the population has none. */
  thr: Float32Array | null;
  bias: Float32Array | null;
  /** Row i: global source rowSource[i], entries rowPtr[i] … rowPtr[i+1]−1 of (post, weight). */
  rowSource: Int32Array;
  /** Bit-plane maps: the plane of row i (the source's axon it is fed by); absent or null: plane 0. */
  rowPlane?: Uint8Array | null;
  rowPtr: Int32Array;
  post: Uint8Array | Uint16Array | Uint32Array;
  weight: Float32Array;
}

/**
 * Multicast routes as trees between neighbouring routers (parents before children), as compiler/route.ts
 * builds them: route r has edges edgePtr[r] … edgePtr[r+1]−1 and destination cores destPtr[r] … destPtr[r+1]−1.
 */
export interface SimRoutes {
  count: number;
  /** Router where the route starts (the source core's router; router 0 for host sources). */
  origin: Int32Array;
  edgePtr: Int32Array;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  destPtr: Int32Array;
  destCore: Int32Array;
  /** 1 where the route also ends at the host (router 0): decoder logits, or events a host-side decoder consumes. */
  toHost: Uint8Array;
  /** Route of every global source (−1: its events go nowhere on chip). */
  unitRoute: Int32Array;
}

export interface SimMap {
  target: string;
  arith: string;
  chips: number;
  populations: SimPopulation[];
  /** Σ population sizes. */
  sources: number;
  /**
   * Axons per source (absent: 1): a bit-plane map's planes. Axon a = source · planes + plane names the rows
   * a spike is served by; every plane of a source shares the source's route.
   */
  planes?: number;
  cores: SimCore[];
  /**
   * Optional: every core's rows (their post and weight entries) in delivery order, i.e. by axon (source, then
   * plane), then by core id (a route lists its destination cores by increasing id), as a compiled map stores them. When
   * present the engine serves from it as it is; otherwise it builds this table from the cores' arrays.
   */
  table?: { post: SimCore['post']; weight: Float32Array };
  routes: SimRoutes;
}

/** Router id of a group position on a chip (compiler/mesh.ts numbering). */
export function routerId(chip: number, x: number, y: number, meshWidth: number, meshHeight: number): number {
  return chip * meshWidth * meshHeight + y * meshWidth + x;
}
