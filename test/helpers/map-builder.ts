/**
 * A builder for hand-made maps (tests, benchmarks): declare populations and cores, add synapses, and
 * build() fills CSR rows and dimension-order multicast routes (x first, then y; one route per source,
 * from its core's router, or router 0 for host sources, to every core holding a synapse from it).
 */
import { coreLocation } from '../../targets/derive';
import type { Target } from '../../targets/schema';
import { grid } from '../../simulator/grid';
import { routerId, type SimCore, type SimMap, type SimPopulation } from '../../simulator/map';

export interface CoreSpec {
  /** Global core id; chip, x, y and index follow from the target (derive.coreLocation). */
  core: number;
  population: number;
  unitStart: number;
  unitEnd: number;
  thr?: Float32Array;
  bias?: Float32Array;
}

export class MapBuilder {
  private pops: SimPopulation[] = [];
  private specs: CoreSpec[] = [];
  private rows: Map<number, { post: number; weight: number }[]>[] = [];
  private sinks = new Set<number>();

  constructor(private readonly target: Target, private readonly arith: string = target.default_arithmetic) {}

  /** Adds a population; returns its id. Its sources follow those of earlier populations. */
  population(p: Omit<SimPopulation, 'sourceBase'>): number {
    const base = this.pops.reduce((a, q) => a + q.size, 0);
    this.pops.push({ ...p, sourceBase: base });
    return this.pops.length - 1;
  }

  /** Adds a core holding units unitStart … unitEnd−1 of a chip population; returns its index in the map. */
  core(spec: CoreSpec): number {
    this.specs.push(spec);
    this.rows.push(new Map());
    return this.specs.length - 1;
  }

  /** The events of population p also go to the host (router 0), as decoder logits do. */
  toHost(p: number): this {
    this.sinks.add(p);
    return this;
  }

  /** Global source id of unit k of population p. */
  source(p: number, k: number): number {
    return this.pops[p].sourceBase + k;
  }

  /** A synapse on core (map index) from a global source to slot `gate` of local unit `unit`. */
  synapse(core: number, source: number, unit: number, gate: number, weight: number): this {
    const pop = this.pops[this.specs[core].population];
    if (gate >= pop.slots) throw new Error(`gate ${gate} ≥ ${pop.slots} slots of ${pop.name}`);
    const row = this.rows[core].get(source) ?? [];
    row.push({ post: unit * pop.slots + gate, weight });
    this.rows[core].set(source, row);
    return this;
  }

  build(): SimMap {
    const t = this.target;
    const cores: SimCore[] = this.specs.map((s, i) => {
      const at = coreLocation(t, s.core);
      const sources = [...this.rows[i].keys()].sort((a, b) => a - b);
      const rowPtr = new Int32Array(sources.length + 1);
      const entries = sources.flatMap((src) => this.rows[i].get(src)!.sort((a, b) => a.post - b.post));
      sources.forEach((src, r) => (rowPtr[r + 1] = rowPtr[r] + this.rows[i].get(src)!.length));
      return {
        core: s.core, chip: at.chip, x: at.x, y: at.y, index: at.core, population: s.population,
        unitStart: s.unitStart, unitEnd: s.unitEnd, thr: s.thr ?? null, bias: s.bias ?? null,
        rowSource: Int32Array.from(sources), rowPtr,
        post: Uint32Array.from(entries, (e) => e.post), weight: Float32Array.from(entries, (e) => e.weight),
      };
    });
    const sources = this.pops.reduce((a, q) => a + q.size, 0);
    const chips = cores.reduce((a, c) => Math.max(a, c.chip + 1), 1);
    const toHost = new Uint8Array(sources);
    for (const p of this.sinks) toHost.fill(1, this.pops[p].sourceBase, this.pops[p].sourceBase + this.pops[p].size);
    return { target: t.name, arith: this.arith, chips, populations: this.pops, sources, cores, routes: dimensionOrderRoutes(t, this.pops, cores, sources, toHost) };
  }
}

/**
 * One route per source: a tree of x-then-y paths from its core's router (router 0 for the host) to every
 * core with a row for it, and to router 0 where `toHost` is set.
 */
export function dimensionOrderRoutes(target: Target, pops: SimPopulation[], cores: SimCore[], sources: number,
  toHost: Uint8Array = new Uint8Array(sources)): SimMap['routes'] {
    const g = grid(target);
    const routerOf = (c: SimCore) => routerId(c.chip, c.x, c.y, g.width, g.height);
    const holder = new Int32Array(sources).fill(-1); // map index of the core computing each source
    cores.forEach((c, i) => {
      const base = pops[c.population].sourceBase;
      for (let k = c.unitStart; k < c.unitEnd; k++) holder[base + k] = i;
    });
    const dests: number[][] = Array.from({ length: sources }, () => []);
    cores.forEach((c, i) => c.rowSource.forEach((s) => dests[s].push(i)));
    const origin: number[] = [], edgePtr = [0], edgeFrom: number[] = [], edgeTo: number[] = [];
    const destPtr = [0], destCore: number[] = [], hostBound: number[] = [];
    const unitRoute = new Int32Array(sources).fill(-1);
    for (let s = 0; s < sources; s++) {
      if (dests[s].length === 0 && !toHost[s]) continue;
      const o = holder[s] >= 0 ? routerOf(cores[holder[s]]) : 0;
      const seen = new Set<string>();
      const ends = dests[s].sort((a, b) => cores[a].core - cores[b].core).map((d) => routerOf(cores[d]));
      if (toHost[s]) ends.push(0);
      for (const target of ends) {
        let x = g.gx(o), y = g.gy(o);
        const bx = g.gx(target), by = g.gy(target);
        const step = (nx: number, ny: number) => {
          const from = g.at(x, y), to = g.at(nx, ny);
          const key = `${from}>${to}`;
          if (!seen.has(key)) seen.add(key), edgeFrom.push(from), edgeTo.push(to);
          x = nx, y = ny;
        };
        while (x !== bx) step(x + Math.sign(bx - x), y);
        while (y !== by) step(x, y + Math.sign(by - y));
      }
      for (const d of dests[s]) destCore.push(cores[d].core);
      unitRoute[s] = origin.length;
      origin.push(o);
      edgePtr.push(edgeFrom.length);
      destPtr.push(destCore.length);
      hostBound.push(toHost[s]);
    }
    return {
      count: origin.length, origin: Int32Array.from(origin), edgePtr: Int32Array.from(edgePtr),
      edgeFrom: Int32Array.from(edgeFrom), edgeTo: Int32Array.from(edgeTo),
      destPtr: Int32Array.from(destPtr), destCore: Int32Array.from(destCore), toHost: Uint8Array.from(hostBound), unitRoute,
    };
  }
